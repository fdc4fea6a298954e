import * as path from "node:path";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { findExemption, type ResourceIdentity } from "./exemptions";
import { record, records, str } from "./paths";
import { containersOf, type PodSpecRef } from "./podSpec";

/**
 * A narrower exemption than `exemptions` for the host-path checks: the resource may mount host
 * paths at or below these prefixes, read-only in every container, and nothing else (the rule of
 * PodSecurityPolicy's `allowedHostPaths` with `readOnly: true`, which Pod Security Admission dropped).
 */
export interface AllowedHostPaths {
  /** The resource, as in `exemptions`: name, URN (suffix) or kind/namespace/name, `*` for any characters. */
  readonly resource: string;
  /** Absolute host paths; each allows itself and what is below it, by whole path segments. */
  readonly pathPrefixes: readonly string[];
  /** Why the resource needs them. */
  readonly reason: string;
}

/** JSON schema of the `allowedHostPaths` property of the host-path checks. */
export const ALLOWED_HOST_PATHS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  description:
    "Resources that may mount these host paths (and below), read-only in every container, with the reason.",
  default: [],
  items: {
    type: "object",
    additionalProperties: false,
    required: ["resource", "pathPrefixes", "reason"],
    properties: {
      resource: { type: "string", minLength: 1 },
      pathPrefixes: { type: "array", minItems: 1, items: { type: "string", pattern: "^/" } },
      reason: { type: "string", minLength: 1, pattern: "\\S" },
    },
  },
};

/** Whether `hostPath` is `prefix` or below it, after `..` and repeated slashes are resolved. */
export function underPrefix(hostPath: string, prefix: string): boolean {
  const normalized = path.posix.normalize(hostPath).replace(/(.)\/+$/, "$1");
  const base = path.posix.normalize(prefix).replace(/(.)\/+$/, "$1");
  if (!normalized.startsWith("/")) return false;
  return base === "/" || normalized === base || normalized.startsWith(`${base}/`);
}

/** The containers that mount volume `name` without `readOnly: true`, as message labels. */
export function writableMounts(pod: PodSpecRef, name: string): string[] {
  return containersOf(pod)
    .filter((c) => records(c.container.volumeMounts).some((m) => m.name === name && m.readOnly !== true))
    .map((c) => c.label);
}

/**
 * Whether a hostPath volume of the resource is allowed by one of `entries`: an entry names the
 * resource, the volume's host path is under one of its prefixes, and every container mounts the
 * volume read-only.
 */
export function isAllowedHostPath(
  entries: readonly AllowedHostPaths[] | undefined,
  resource: ResourceIdentity,
  pod: PodSpecRef,
  volume: Record<string, unknown>,
): boolean {
  const hostPath = str(record(volume.hostPath).path);
  const name = str(volume.name);
  if (!entries || entries.length === 0 || hostPath === undefined || name === undefined) return false;
  return entries.some(
    (entry) =>
      findExemption([{ resource: entry.resource, reason: entry.reason }], resource) !== undefined &&
      entry.pathPrefixes.some((prefix) => underPrefix(hostPath, prefix)) &&
      writableMounts(pod, name).length === 0,
  );
}
