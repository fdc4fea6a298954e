// Whether an image reference pins what it runs, for the image policies.
import { type ImageReference, parseImage } from "../../reference/image";

/** Options for {@link imageProblem}. */
export interface PinningOptions {
  /** Require a digest even when a version tag is set. */
  readonly requireDigest: boolean;
}

/**
 * Why an image reference is not pinned, or undefined when it is. A digest pins an image whatever
 * the tag; without one the tag must be present and not `latest`.
 */
export function imageProblem(image: string, opts: PinningOptions): string | undefined {
  let ref: ImageReference;
  try {
    ref = parseImage(image);
  } catch (e) {
    return `image "${image}" is not a valid reference (${(e as Error).message})`;
  }
  if (ref.digest) return undefined;
  if (ref.tag === undefined) return `image "${image}" has no tag (it means latest)`;
  if (ref.tag === "latest") return `image "${image}" uses the latest tag`;
  if (opts.requireDigest) return `image "${image}" is not pinned by digest`;
  return undefined;
}
