import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  BundleError,
  bundledChart,
  bundledImage,
  fileDigest,
  imageArchivePath,
  MANIFEST_FILE,
  nodeImagesDir,
  parseManifest,
  readBundle,
  verifyBundle,
} from "../../offline";
import { chartSource, manifestSource } from "../../components/kube";
import { tempDir, writeBundle } from "./fixtures";

const CONTENTS = {
  images: [
    { ref: "docker.io/library/postgres:17.11-bookworm", target: "node" as const },
    { ref: "docker.io/library/registry:3.1.1", target: "host" as const },
    { ref: "localhost:5001/api:src-0123456789ab", target: "registry" as const },
  ],
  charts: [{ chart: "traefik", version: "41.3.0", repo: "https://traefik.github.io/charts" }],
  downloads: [{ url: "https://example.com/crds/standard-install.yaml" }],
};

describe("offline bundle: reading and checking", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
    writeBundle(dir, CONTENTS);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads a bundle the test wrote: each archive where its target says, with its digest and size", () => {
    const bundle = readBundle(dir);
    assert.equal(bundle.dir, path.resolve(dir));
    const postgres = bundle.manifest.images[0];
    assert.equal(postgres.file, "images/node/docker.io_library_postgres_17.11-bookworm.tar");
    const archive = path.join(dir, postgres.file);
    assert.equal(postgres.fileDigest, fileDigest(archive));
    assert.equal(postgres.size, fs.statSync(archive).size);
    // A real OCI layout in a tar: its index names the reference, as k0s's import reads it.
    const tar = fs.readFileSync(archive);
    assert.equal(tar.subarray(257, 262).toString(), "ustar");
    assert.match(
      tar.toString("latin1"),
      /"org\.opencontainers\.image\.ref\.name":"docker\.io\/library\/postgres:17\.11-bookworm"/,
    );
    assert.doesNotThrow(() => verifyBundle(bundle));
  });

  it("refuses an archive whose bytes changed since bundle.json was written, naming the file and both digests", () => {
    const bundle = readBundle(dir);
    const archive = path.join(dir, bundle.manifest.images[0].file);
    const bytes = fs.readFileSync(archive);
    bytes[600] ^= 0xff; // same size, other content
    fs.writeFileSync(archive, bytes);
    assert.throws(
      () => verifyBundle(bundle),
      (error: Error) =>
        error instanceof BundleError &&
        error.message.includes("images/node/docker.io_library_postgres_17.11-bookworm.tar: digest sha256:") &&
        error.message.includes(`bundle.json says ${bundle.manifest.images[0].fileDigest}`),
    );
  });

  it("refuses a truncated archive by its size, and a chart archive as well as an image", () => {
    const bundle = readBundle(dir);
    const chart = path.join(dir, bundle.manifest.charts[0].file);
    fs.truncateSync(chart, 10);
    assert.throws(
      () => verifyBundle(bundle),
      /charts\/traefik-41\.3\.0\.tgz: 10 bytes, bundle\.json says \d+/,
    );
  });

  it("refuses an archive in the node's image folder that bundle.json does not list (k0s imports the whole folder)", () => {
    const bundle = readBundle(dir);
    fs.writeFileSync(path.join(dir, "images", "node", "extra.tar"), "not listed");
    assert.throws(
      () => verifyBundle(bundle),
      (error: Error) =>
        error instanceof BundleError &&
        error.message.includes("images/node/extra.tar: not in bundle.json (k0s would import it unchecked)"),
    );
  });

  it("names the directory when it or its bundle.json is missing, and every file bundle.json lists but the directory lacks", () => {
    assert.throws(
      () => readBundle(path.join(dir, "nope")),
      /no bundle directory at .*nope; make one with `npm run bundle/,
    );
    fs.rmSync(path.join(dir, imageArchivePath("docker.io/library/registry:3.1.1", "host")));
    assert.throws(
      () => readBundle(dir),
      /files listed in bundle\.json are missing: images\/host\/docker\.io_library_registry_3\.1\.1\.tar/,
    );
    fs.rmSync(path.join(dir, MANIFEST_FILE));
    assert.throws(() => readBundle(dir), /no bundle\.json in/);
  });

  it("parses bundle.json strictly: every problem listed, files must stay inside the bundle", () => {
    assert.throws(() => parseManifest("{", "b/bundle.json"), /b\/bundle\.json: not JSON/);
    const bad = {
      version: 2,
      stack: "dev",
      images: [{ ref: "", file: "../etc/passwd", fileDigest: "md5:x", size: -1, target: "cloud" }],
      charts: "none",
    };
    assert.throws(
      () => parseManifest(JSON.stringify(bad), "b/bundle.json"),
      (error: Error) =>
        [
          "version: expected 1, got 2",
          "images[0].file: expected a path inside the bundle",
          "images[0].fileDigest: expected sha256:<64 hex>",
          "images[0].size: expected a size in bytes",
          "images[0].ref: expected an image reference",
          "images[0].target: expected node, host or registry",
          "charts: expected a list",
        ].every((part) => error.message.includes(part)),
    );
  });

  it("resolves charts to their archive in the bundle and images by their full reference", () => {
    const bundle = readBundle(dir);
    const chart = bundledChart(bundle, "traefik", "41.3.0");
    assert.equal(chart, path.join(path.resolve(dir), "charts", "traefik-41.3.0.tgz"));
    // What Helm reads: a gzipped tar whose first entry is the chart's Chart.yaml.
    assert.match(gunzipSync(fs.readFileSync(chart)).subarray(0, 100).toString(), /^traefik\/Chart\.yaml/);
    assert.throws(
      () => bundledChart(bundle, "traefik", "41.4.0"),
      /chart traefik 41\.4\.0 is not in the offline bundle/,
    );
    // The program may spell a Docker Hub image short; the bundle spells it in full.
    assert.equal(
      bundledImage(bundle, "postgres:17.11-bookworm").ref,
      "docker.io/library/postgres:17.11-bookworm",
    );
    assert.throws(
      () => bundledImage(bundle, "postgres:18.0"),
      /image postgres:18\.0 is not in the offline bundle/,
    );
    assert.equal(nodeImagesDir(bundle), path.join(path.resolve(dir), "images", "node"));
    // One helper decides for every chart: its repository, or the bundle's archive and nothing else.
    const traefik = { chart: "traefik", version: "41.3.0", repo: "https://traefik.github.io/charts" };
    assert.deepEqual(chartSource(traefik), {
      chart: "traefik",
      version: "41.3.0",
      repositoryOpts: { repo: "https://traefik.github.io/charts" },
    });
    assert.deepEqual(chartSource(traefik, bundle), { chart });
    // A manifest URL resolves to the bundle's copy, or to itself without a bundle.
    const url = "https://example.com/crds/standard-install.yaml";
    assert.match(
      manifestSource(url, bundle),
      new RegExp(`^${path.resolve(dir)}/manifests/[0-9a-f]{12}-standard-install\\.yaml$`),
    );
    assert.ok(fs.existsSync(manifestSource(url, bundle)));
    assert.equal(manifestSource(url), url);
    assert.throws(
      () => manifestSource("https://example.com/other.yaml", bundle),
      /https:\/\/example\.com\/other\.yaml is not in the offline bundle/,
    );
  });
});
