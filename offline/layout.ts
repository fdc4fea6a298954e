import { createHash } from "node:crypto";
import * as path from "node:path";
import { parseImage } from "../reference/image";
import { BundleChart, BundleError, BundleImage, bundlePath, ImageTarget, OfflineBundle } from "./manifest";

/** Folder of each kind of image archive inside a bundle. */
export const IMAGE_DIRS: Readonly<Record<ImageTarget, string>> = {
  node: "images/node",
  host: "images/host",
  registry: "images/registry",
};
/** Folder of the chart archives. */
export const CHART_DIR = "charts";
/** Folder of the manifests the program reads from URLs. */
export const MANIFEST_DIR = "manifests";
/** Where k0s looks for image archives to import at start (`<data-dir>/images`). */
export const K0S_IMAGES_DIR = "/var/lib/k0s/images";

/**
 * The full form of a reference (`postgres:17` → `docker.io/library/postgres:17`), so that the
 * program's spelling and the bundle's compare equal.
 */
export function normalizeImage(ref: string): string {
  const parsed = parseImage(ref);
  return `${parsed.domain}/${parsed.repository}${parsed.tag ? `:${parsed.tag}` : ""}${parsed.digest ? `@${parsed.digest}` : ""}`;
}

/** The archive file of an image, relative to the bundle: readable, one per reference. */
export function imageArchivePath(ref: string, target: ImageTarget): string {
  const name = normalizeImage(ref).replace(/[/:@]+/g, "_");
  return `${IMAGE_DIRS[target]}/${name}.tar`;
}

/** The archive file of a chart, relative to the bundle (`helm pull`'s own name). */
export function chartArchivePath(chart: string, version: string): string {
  return `${CHART_DIR}/${chart}-${version}.tgz`;
}

/** The file a downloaded manifest is kept in, relative to the bundle: one per URL, readable. */
export function downloadPath(url: string): string {
  const hash = createHash("sha256").update(url).digest("hex").slice(0, 12);
  const base = (url.split(/[?#]/)[0].split("/").pop() || "manifest").replace(/[^\w.-]+/g, "_");
  return `${MANIFEST_DIR}/${hash}-${base}`;
}

/** The absolute path of the bundle's copy of a manifest URL; throws when absent. */
export function bundledDownload(bundle: OfflineBundle, url: string): string {
  const found = bundle.manifest.manifests.find((entry) => entry.url === url);
  if (!found) throw new BundleError(`${url} is not in the offline bundle ${bundle.dir}`);
  return bundlePath(bundle, found.file);
}

/** The bundle's entry for an image reference (compared in full form); throws when absent. */
export function bundledImage(bundle: OfflineBundle, ref: string): BundleImage {
  const wanted = normalizeImage(ref);
  const found = bundle.manifest.images.find((image) => normalizeImage(image.ref) === wanted);
  if (!found) throw new BundleError(`image ${ref} is not in the offline bundle ${bundle.dir}`);
  return found;
}

/** The absolute path of a chart's archive in the bundle; throws when absent. */
export function bundledChart(bundle: OfflineBundle, chart: string, version: string): string {
  const found: BundleChart | undefined = bundle.manifest.charts.find(
    (entry) => entry.chart === chart && entry.version === version,
  );
  if (!found) throw new BundleError(`chart ${chart} ${version} is not in the offline bundle ${bundle.dir}`);
  return bundlePath(bundle, found.file);
}

/** The folder the k0s node mounts at {@link K0S_IMAGES_DIR}. */
export function nodeImagesDir(bundle: OfflineBundle): string {
  return path.join(bundle.dir, IMAGE_DIRS.node);
}
