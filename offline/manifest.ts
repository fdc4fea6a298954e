// The offline bundle's manifest (bundle.json): what `npm run bundle` wrote and what a stack with
// `platform:offlineBundle` uses. Shared by the configuration, the components and the bundle tool.
import * as fs from "node:fs";
import * as path from "node:path";

/** Name of the manifest inside a bundle directory. */
export const MANIFEST_FILE = "bundle.json";
/** Format version of bundle.json; a newer tool writes a higher one. */
export const MANIFEST_VERSION = 1;

/**
 * Where an image archive goes when the stack comes up:
 * - `node`: the k0s node imports it from /var/lib/k0s/images at start (pods' and charts' images);
 * - `host`: `docker load` on this machine (the node and registry containers' images; base images);
 * - `registry`: `docker load`, then pushed into the local registry (the app's built images).
 */
export type ImageTarget = "node" | "host" | "registry";

/** One file of the bundle, checked against its digest before use. */
export interface BundleFile {
  /** Path relative to the bundle directory, `/`-separated. */
  readonly file: string;
  /** `sha256:<hex>` of the file's bytes. */
  readonly fileDigest: string;
  /** Size of the file in bytes. */
  readonly size: number;
}

/** A container image saved as an archive (`docker save`: an OCI image layout in a tar). */
export interface BundleImage extends BundleFile {
  /** The reference as the program names it, e.g. `docker.io/library/postgres:17.11-bookworm`. */
  readonly ref: string;
  /** Manifest digest the reference resolved to when the bundle was made (`sha256:…`); absent for images built here. */
  readonly digest?: string;
  readonly target: ImageTarget;
}

/** A Helm chart archive, as `helm pull` writes it. */
export interface BundleChart extends BundleFile {
  readonly chart: string;
  readonly version: string;
  /** The repository it came from. */
  readonly repo: string;
}

/** A Kubernetes manifest the program reads from a URL (e.g. the Gateway API's CRDs), downloaded. */
export interface BundleDownload extends BundleFile {
  readonly url: string;
}

/** bundle.json. */
export interface BundleManifest {
  readonly version: number;
  /** The stack the bundle was made for. */
  readonly stack: string;
  readonly images: readonly BundleImage[];
  readonly charts: readonly BundleChart[];
  readonly manifests: readonly BundleDownload[];
}

/** A bundle on disk: its absolute directory and its manifest. */
export interface OfflineBundle {
  readonly dir: string;
  readonly manifest: BundleManifest;
}

/** A bundle that cannot be used; the message names the file. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BundleError";
  }
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TARGETS: ReadonlySet<string> = new Set(["node", "host", "registry"]);

/** Parses bundle.json's text; `source` names the file in errors. Every problem is listed. */
export function parseManifest(text: string, source: string): BundleManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`${source}: not JSON (${(error as Error).message})`);
  }
  const problems: string[] = [];
  const doc = record(data);
  if (!doc) throw new BundleError(`${source}: expected an object with version, stack, images and charts`);
  if (doc.version !== MANIFEST_VERSION)
    problems.push(`version: expected ${MANIFEST_VERSION}, got ${JSON.stringify(doc.version)}`);
  if (typeof doc.stack !== "string" || doc.stack === "") problems.push("stack: expected a stack name");
  const images = list(doc.images, "images", problems).map((item, i) => {
    const where = `images[${i}]`;
    checkFile(item, where, problems);
    if (typeof item.ref !== "string" || item.ref === "")
      problems.push(`${where}.ref: expected an image reference`);
    if (item.digest !== undefined && !(typeof item.digest === "string" && DIGEST.test(item.digest)))
      problems.push(`${where}.digest: expected sha256:<64 hex>`);
    if (typeof item.target !== "string" || !TARGETS.has(item.target))
      problems.push(`${where}.target: expected node, host or registry`);
    return item as unknown as BundleImage;
  });
  const charts = list(doc.charts, "charts", problems).map((item, i) => {
    const where = `charts[${i}]`;
    checkFile(item, where, problems);
    for (const key of ["chart", "version", "repo"])
      if (typeof item[key] !== "string" || item[key] === "")
        problems.push(`${where}.${key}: expected a string`);
    return item as unknown as BundleChart;
  });
  const manifests = list(doc.manifests ?? [], "manifests", problems).map((item, i) => {
    const where = `manifests[${i}]`;
    checkFile(item, where, problems);
    if (typeof item.url !== "string" || !/^https?:\/\//.test(item.url))
      problems.push(`${where}.url: expected an http(s) URL`);
    return item as unknown as BundleDownload;
  });
  if (problems.length > 0) throw new BundleError(`${source}: ${problems.join("; ")}`);
  return { version: MANIFEST_VERSION, stack: doc.stack as string, images, charts, manifests };
}

/** Reads the bundle in `dir` (absolute or relative to the working directory). */
export function readBundle(dir: string): OfflineBundle {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory())
    throw new BundleError(
      `no bundle directory at ${dir}; make one with \`npm run bundle -- --stack <stack> --out ${dir}\``,
    );
  const file = path.join(abs, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new BundleError(`no ${MANIFEST_FILE} in ${dir}; is it a bundle directory?`);
  const manifest = parseManifest(fs.readFileSync(file, "utf8"), path.join(dir, MANIFEST_FILE));
  const missing = [...manifest.images, ...manifest.charts, ...manifest.manifests]
    .map((entry) => entry.file)
    .filter((rel) => !fs.existsSync(bundlePath({ dir: abs }, rel)));
  if (missing.length > 0)
    throw new BundleError(`${dir}: files listed in ${MANIFEST_FILE} are missing: ${missing.join(", ")}`);
  return { dir: abs, manifest };
}

/** Absolute path of a file of the bundle; refuses paths that leave the bundle directory. */
export function bundlePath(bundle: Pick<OfflineBundle, "dir">, rel: string): string {
  const full = path.resolve(bundle.dir, rel);
  if (full !== bundle.dir && !full.startsWith(bundle.dir + path.sep))
    throw new BundleError(`${rel}: outside the bundle directory ${bundle.dir}`);
  return full;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown, key: string, problems: string[]): Record<string, unknown>[] {
  if (!Array.isArray(value)) {
    problems.push(`${key}: expected a list`);
    return [];
  }
  return value.map((item, i) => {
    const entry = record(item);
    if (!entry) problems.push(`${key}[${i}]: expected an object`);
    return entry ?? {};
  });
}

function checkFile(item: Record<string, unknown>, where: string, problems: string[]): void {
  const file = item.file;
  if (typeof file !== "string" || file === "" || path.isAbsolute(file) || file.split("/").includes(".."))
    problems.push(`${where}.file: expected a path inside the bundle`);
  if (typeof item.fileDigest !== "string" || !DIGEST.test(item.fileDigest))
    problems.push(`${where}.fileDigest: expected sha256:<64 hex>`);
  if (typeof item.size !== "number" || !Number.isInteger(item.size) || item.size < 0)
    problems.push(`${where}.size: expected a size in bytes`);
}
