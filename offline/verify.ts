import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { IMAGE_DIRS } from "./layout";
import { BundleError, BundleFile, bundlePath, OfflineBundle } from "./manifest";

/** `sha256:<hex>` of a file, read in chunks (image archives run to hundreds of MB). */
export function fileDigest(file: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, "r");
  try {
    let read: number;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0)
      hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** What is wrong with one file of the bundle (size first: cheap), or undefined. */
export function checkBundleFile(bundle: OfflineBundle, entry: BundleFile): string | undefined {
  const file = bundlePath(bundle, entry.file);
  if (!fs.existsSync(file)) return `${entry.file}: missing`;
  const size = fs.statSync(file).size;
  if (size !== entry.size) return `${entry.file}: ${size} bytes, bundle.json says ${entry.size}`;
  const digest = fileDigest(file);
  if (digest !== entry.fileDigest)
    return `${entry.file}: digest ${digest}, bundle.json says ${entry.fileDigest}`;
  return undefined;
}

/**
 * Files in the node's image folder that bundle.json does not list: k0s imports every archive of
 * the folder it is given, so an unlisted one would reach the node unchecked.
 */
function unlistedNodeImages(bundle: OfflineBundle): string[] {
  const dir = bundlePath(bundle, IMAGE_DIRS.node);
  if (!fs.existsSync(dir)) return [];
  const listed = new Set(bundle.manifest.images.map((image) => image.file));
  return fs
    .readdirSync(dir)
    .map((name) => `${IMAGE_DIRS.node}/${name}`)
    .filter((file) => !listed.has(file))
    .map((file) => `${file}: not in bundle.json (k0s would import it unchecked)`);
}

/**
 * Checks every archive of the bundle against bundle.json before anything is used, and that the
 * node's image folder holds nothing else; throws one error listing every problem.
 */
export function verifyBundle(bundle: OfflineBundle): void {
  const problems = [...bundle.manifest.images, ...bundle.manifest.charts, ...bundle.manifest.manifests]
    .map((entry) => checkBundleFile(bundle, entry))
    .filter((problem): problem is string => problem !== undefined)
    .concat(unlistedNodeImages(bundle));
  if (problems.length > 0)
    throw new BundleError(
      `the offline bundle in ${bundle.dir} does not match its bundle.json (changed or damaged since \`npm run bundle\`): ${problems.join("; ")}`,
    );
}
