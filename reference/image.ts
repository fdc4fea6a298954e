// Image references as container runtimes read them: the distribution/reference grammar, complete.
// Shared by the stack configuration (config/) and the policy pack (policies/); imports neither.
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

// The reference grammar of distribution/reference (reference.go), complete, checked piece by piece so
// that no pattern can backtrack badly (@swimlane/docker-reference's single pattern takes seconds on a
// 30-character invalid name, and lacks IPv6 hosts):
//   reference        := name [ ":" tag ] [ "@" digest ]
//   name             := [domain-and-port "/"] path-component ["/" path-component]*
//   domain-and-port  := host [":" port-number]
//   host             := domain-name | "[" IPv6address "]"        (hex and colons; no zone, no IPv4 tail)
//   domain-name      := domain-component ["." domain-component]*
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//   path-component   := alpha-numeric [separator alpha-numeric]*  (lowercase; "." "_" "__" or "-"+)
//   tag              := /[\w][\w.-]{0,127}/
//   digest           := algorithm ":" encoded   (algorithm components joined by "+" "." "_" "-")
// plus the normalization of familiar names (normalize.go) and go-digest's digest rules.
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** Hex length of each digest algorithm go-digest registers (algorithm.go). */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const PATH_MAX = 255;
const DEFAULT_DOMAIN = "docker.io";

/** Thrown for a string that is not a valid image reference. */
export class InvalidReferenceError extends Error {}
const invalid = (reason = "invalid reference format"): never => {
  throw new InvalidReferenceError(reason);
};

function isDomainAndPort(value: string): boolean {
  const bracket = value.startsWith("[") ? value.indexOf("]") : -1;
  const portAt = value.indexOf(":", bracket + 1);
  const host = portAt < 0 ? value : value.slice(0, portAt);
  if (portAt >= 0 && !PORT.test(value.slice(portAt + 1))) return false;
  if (bracket >= 0) return IPV6_HOST.test(host);
  return host.split(".").every((c) => DOMAIN_COMPONENT.test(c));
}

function isPath(path: string): boolean {
  return path.split("/").every((c) => PATH_COMPONENT.test(c));
}

function checkDigest(digest: string): void {
  if (!DIGEST.test(digest)) invalid("invalid digest format");
  const [algorithm, encoded] = digest.split(":");
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) invalid(`unsupported digest algorithm "${algorithm}"`);
  if (encoded.length !== length) invalid("invalid checksum digest length");
  if (!/^[a-f0-9]+$/.test(encoded)) invalid("invalid digest format (uppercase hex)");
}

/**
 * Splits a familiar name into registry and the rest, as `ParseNormalizedNamed` does: the first part
 * is a registry when it is `localhost`, contains `.` or `:`, or has an uppercase letter; Docker Hub
 * names get `library/` when they have a single path component.
 */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf("/");
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (first === "localhost" || /[.:]/.test(first) || first.toLowerCase() !== first) {
      domain = first === "index.docker.io" ? DEFAULT_DOMAIN : first;
      remainder = name.slice(slash + 1);
    }
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes("/")) remainder = `library/${remainder}`;
  return { domain, remainder };
}

/**
 * Parses an image reference as the kubelet's container runtime does (distribution/reference
 * `ParseNormalizedNamed`); throws {@link InvalidReferenceError} with the reason when it is not valid.
 */
export function parseImage(image: string): ImageReference {
  if (image === "") invalid("repository name must have at least one component");
  if (IDENTIFIER.test(image)) invalid("a 64-character hexadecimal string is an image ID, not a name");
  const split = splitDomain(image);
  const remainder = split.remainder;
  let domain = split.domain;
  const colon = remainder.indexOf(":");
  const remote = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) invalid("invalid reference format: repository name must be lowercase");

  const at = remainder.indexOf("@");
  const nameAndTag = at < 0 ? remainder : remainder.slice(0, at);
  const digest = at < 0 ? undefined : remainder.slice(at + 1);
  if (digest !== undefined) checkDigest(digest);
  const tagAt = nameAndTag.indexOf(":");
  let path = tagAt < 0 ? nameAndTag : nameAndTag.slice(0, tagAt);
  const tag = tagAt < 0 ? undefined : nameAndTag.slice(tagAt + 1);
  if (tag !== undefined && !TAG.test(tag)) invalid();
  if (!isDomainAndPort(domain)) {
    // Not a host, but the grammar still matches when it is a valid path component: the whole name
    // is then a path without a domain (e.g. "a_b.com/app").
    if (!isPath(domain)) invalid();
    path = `${domain}/${path}`;
    domain = "";
  }
  if (!isPath(path)) invalid();
  if (path.length > PATH_MAX) invalid(`repository name must not be more than ${PATH_MAX} characters`);
  return { domain, repository: path, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}
