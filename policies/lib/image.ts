import { parseFamiliarName } from "@swimlane/docker-reference";

/** What an image reference pins, following the distribution/reference grammar. */
export interface ImageReference {
  /** Registry host (and port); `docker.io` when the name has none. */
  readonly domain: string;
  /** Repository path, e.g. `library/nginx`. */
  readonly repository: string;
  /** The tag, if any (a port in the registry host is never a tag). */
  readonly tag?: string;
  /** The digest, if any (`sha256:<64 hex>`). */
  readonly digest?: string;
}

/** Parses an image reference; throws with the parser's reason when it is not a valid reference. */
export function parseImage(image: string): ImageReference {
  const ref = parseFamiliarName(image);
  return {
    domain: ref.domain ?? "docker.io",
    repository: ref.repository ?? "",
    tag: ref.tag,
    digest: ref.digest,
  };
}

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
