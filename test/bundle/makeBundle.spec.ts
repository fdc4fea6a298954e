import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { BundleError, readBundle, verifyBundle } from "../../offline";
import { PlannedArtifacts } from "../../scripts/lib/bundle/artifacts";
import { makeBundle, repoDigest, Run } from "../../scripts/lib/bundle/make";
import { chartTgz, ociImageTar, tempDir } from "./fixtures";

const DIGEST = `sha256:${"c".repeat(64)}`;
const K0S = "docker.io/k0sproject/k0s:v1.36.3-k0s.2";

const PLANNED: PlannedArtifacts = {
  images: [
    { ref: K0S, target: "host", sources: ["node"] },
    { ref: "docker.io/library/postgres:17.11-bookworm", target: "node", sources: ["statefulset"] },
    {
      ref: "localhost:5001/api:src-0123456789ab",
      target: "registry",
      sources: ["build"],
      build: { context: "/src/app/api", dockerfile: "/src/app/api/Dockerfile" },
    },
  ],
  charts: [
    {
      chart: "traefik",
      version: "41.3.0",
      repo: "https://traefik.github.io/charts",
      release: "traefik",
      namespace: "traefik",
      values: { deployment: { replicas: 1 } },
      source: "chart",
    },
  ],
  chartFiles: [],
  downloads: [
    {
      url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0/standard-install.yaml",
      source: "crds",
    },
  ],
  problems: [],
};

/**
 * docker and helm as a laptop's would answer, writing small archives: `helm template` renders the
 * chart's image from the values file it is given, `k0s airgap list-images` lists two images.
 */
function fakeTools(calls: string[], chartImage = "docker.io/traefik:v3.7.11"): Run {
  return (program, args) => {
    calls.push(`${program} ${args.join(" ")}`);
    const flag = (name: string) => args[args.indexOf(name) + 1];
    if (program === "helm" && args[0] === "pull") {
      fs.writeFileSync(
        path.join(flag("--destination"), `${args[1]}-${flag("--version")}.tgz`),
        chartTgz(args[1], flag("--version")),
      );
      return "";
    }
    if (program === "helm" && args[0] === "template") {
      assert.deepEqual(JSON.parse(fs.readFileSync(flag("--values"), "utf8")), {
        deployment: { replicas: 1 },
      });
      return `---\napiVersion: v1\nkind: Service\nmetadata: {name: traefik}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: traefik}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: traefik, image: "${chartImage}"}\n`;
    }
    if (program === "docker" && args[0] === "run")
      return "quay.io/k0sproject/pause:3.10.1\nquay.io/k0sproject/coredns:1.12.2\n";
    if (program === "docker" && args[0] === "image") {
      const ref = args[args.length - 1];
      return JSON.stringify([
        `${ref.replace(/^docker\.io\/library\//, "").replace(/:[^:/]+$/, "")}@${DIGEST}`,
      ]);
    }
    if (program === "docker" && args[0] === "save")
      fs.writeFileSync(flag("--output"), ociImageTar(args[args.length - 1]));
    return "";
  };
}

const CRDS =
  "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gateways.gateway.networking.k8s.io}\n";

/** The tools, with downloads answered from memory. */
const tools = (run: Run, downloaded: string[] = []) => ({
  run,
  log: () => {},
  download: async (url: string, file: string) => {
    downloaded.push(url);
    fs.writeFileSync(file, CRDS);
  },
});

describe("offline bundle: making it (docker, helm and downloads answered by the test)", () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("saves every planned image, the charts' rendered images and k0s's own, and a bundle.json that checks out", async () => {
    const calls: string[] = [];
    const downloaded: string[] = [];
    const manifest = await makeBundle("dev", PLANNED, dir, tools(fakeTools(calls), downloaded));
    assert.deepEqual(
      manifest.images.map((i) => `${i.target} ${i.ref}`),
      [
        `host ${K0S}`,
        "node docker.io/library/postgres:17.11-bookworm",
        "registry localhost:5001/api:src-0123456789ab",
        "node docker.io/traefik:v3.7.11",
        "node quay.io/k0sproject/pause:3.10.1",
        "node quay.io/k0sproject/coredns:1.12.2",
      ],
    );
    // Pulled images are pinned by the digest the registry gave; the app's build has none.
    assert.equal(manifest.images[1].digest, DIGEST);
    assert.equal(manifest.images[2].digest, undefined);
    assert.ok(
      calls.includes(
        "docker build --tag localhost:5001/api:src-0123456789ab --file /src/app/api/Dockerfile /src/app/api",
      ),
    );
    assert.ok(
      calls.includes(
        "helm pull traefik --repo https://traefik.github.io/charts --version 41.3.0 --destination " +
          path.join(dir, "charts"),
      ),
    );
    assert.ok(calls.includes(`docker run --rm --entrypoint k0s ${K0S} airgap list-images`));
    assert.deepEqual(
      manifest.charts.map((c) => c.file),
      ["charts/traefik-41.3.0.tgz"],
    );
    // The manifest the program reads from a URL, kept by URL.
    assert.deepEqual(downloaded, [PLANNED.downloads[0].url]);
    assert.deepEqual(
      manifest.manifests.map((m) => m.url),
      [PLANNED.downloads[0].url],
    );
    assert.equal(fs.readFileSync(path.join(dir, manifest.manifests[0].file), "utf8"), CRDS);
    const bundle = readBundle(dir);
    assert.deepEqual(bundle.manifest, manifest);
    assert.doesNotThrow(() => verifyBundle(bundle));
  });

  it("refuses a chart that runs an unpinned image, naming the image and the chart", async () => {
    await assert.rejects(
      makeBundle("dev", PLANNED, dir, tools(fakeTools([], "docker.io/traefik"))),
      (error: Error) =>
        error instanceof BundleError &&
        error.message === "unpinned image references: docker.io/traefik (chart traefik 41.3.0)",
    );
  });

  it("refuses a plan with problems before any pull", async () => {
    const calls: string[] = [];
    const planned = { ...PLANNED, problems: ["x: image redis is not pinned"] };
    await assert.rejects(
      makeBundle("dev", planned, dir, tools(fakeTools(calls))),
      /cannot be bundled:\n {2}- x: image redis is not pinned/,
    );
    assert.deepEqual(calls, []);
  });

  it("reads the manifest digest of the reference among RepoDigests", () => {
    const inspected = JSON.stringify([`other/repo@sha256:${"a".repeat(64)}`, `postgres@${DIGEST}`]);
    assert.equal(repoDigest("docker.io/library/postgres:17.11-bookworm", inspected), DIGEST);
    assert.throws(
      () => repoDigest("docker.io/library/redis:8", inspected),
      /no registry digest for docker\.io\/library\/redis:8/,
    );
  });
});
