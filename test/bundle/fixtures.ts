// Small artifacts the bundle specs build themselves: tar archives (ustar), an OCI image layout as
// `docker save` writes it, a Helm chart .tgz, and whole bundle directories with their bundle.json.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import {
  BundleManifest,
  chartArchivePath,
  downloadPath,
  fileDigest,
  ImageTarget,
  imageArchivePath,
  MANIFEST_FILE,
  MANIFEST_VERSION,
} from "../../offline";

/** A tar archive (ustar) of the given files, in order. */
export function tarArchive(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write(`${(0).toString(8).padStart(11, "0")}\0`, 136);
    header.write("        ", 148); // checksum counted as spaces
    header.write("0", 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    const sum = header.reduce((total, byte) => total + byte, 0);
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const sha256 = (data: string | Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** An OCI image layout in a tar, as `docker save` (Docker 25+) writes it: one empty layer. */
export function ociImageTar(ref: string): Buffer {
  const layer = tarArchive({ [`etc/${ref.replace(/\W+/g, "-")}`]: ref });
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [sha256(layer)] },
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.length },
    ],
  });
  const index = JSON.stringify({
    schemaVersion: 2,
    manifests: [
      {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: sha256(manifest),
        size: manifest.length,
        annotations: { "io.containerd.image.name": ref, "org.opencontainers.image.ref.name": ref },
      },
    ],
  });
  const blob = (data: string | Buffer) => `blobs/sha256/${sha256(data).slice("sha256:".length)}`;
  return tarArchive({
    "oci-layout": JSON.stringify({ imageLayoutVersion: "1.0.0" }),
    "index.json": index,
    [blob(config)]: config,
    [blob(manifest)]: manifest,
    [blob(layer)]: layer,
  });
}

/** A Helm chart archive as `helm pull` writes it: `<name>/Chart.yaml`, values and one template. */
export function chartTgz(name: string, version: string, image = `docker.io/library/${name}:1.0.0`): Buffer {
  return gzipSync(
    tarArchive({
      [`${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "1.0.0"\n`,
      [`${name}/values.yaml`]: `image: ${image}\n`,
      [`${name}/templates/deployment.yaml`]:
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: main\n          image: {{ .Values.image }}\n",
    }),
  );
}

/** What a test bundle holds. */
export interface BundleContents {
  readonly images: readonly { readonly ref: string; readonly target: ImageTarget }[];
  readonly charts: readonly { readonly chart: string; readonly version: string; readonly repo: string }[];
  readonly downloads?: readonly { readonly url: string }[];
}

/** A fresh temporary directory, removed by the caller (`fs.rmSync(dir, { recursive: true })`). */
export function tempDir(prefix = "bundle-spec-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a bundle with tiny archives for `contents` into `dir`; returns its manifest. */
export function writeBundle(dir: string, contents: BundleContents, stack = "dev"): BundleManifest {
  const write = (rel: string, data: Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
    return { file: rel, fileDigest: fileDigest(path.join(dir, rel)), size: data.length };
  };
  const manifest: BundleManifest = {
    version: MANIFEST_VERSION,
    stack,
    images: contents.images.map(({ ref, target }) => ({
      ref,
      target,
      ...(target === "registry" ? {} : { digest: sha256(ref) }),
      ...write(imageArchivePath(ref, target), ociImageTar(ref)),
    })),
    charts: contents.charts.map(({ chart, version, repo }) => ({
      chart,
      version,
      repo,
      ...write(chartArchivePath(chart, version), chartTgz(chart, version)),
    })),
    manifests: (contents.downloads ?? []).map(({ url }) => ({
      url,
      ...write(
        downloadPath(url),
        Buffer.from(`# ${url}\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n`),
      ),
    })),
  };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return manifest;
}
