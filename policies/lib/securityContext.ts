import { record } from "./paths";
import type { ContainerRef, PodSpecRef } from "./podSpec";

/** Fields that a container's securityContext inherits from the pod's when it does not set them. */
export type InheritedField =
  | "runAsNonRoot"
  | "runAsUser"
  | "runAsGroup"
  | "seccompProfile"
  | "seLinuxOptions"
  | "appArmorProfile"
  | "windowsOptions";

/** A resolved security setting and the path it came from. */
export interface Resolved {
  readonly value: unknown;
  /** Full path of the field that supplied the value. */
  readonly path: string;
  /** True when the value comes from the pod-level securityContext. */
  readonly fromPod: boolean;
}

/**
 * The effective value of a security setting for one container: the container's own value wins,
 * else the pod's (Kubernetes merge rule); undefined when neither sets it.
 */
export function resolveSecurity(
  pod: PodSpecRef,
  c: ContainerRef,
  field: InheritedField,
): Resolved | undefined {
  const own = record(c.container.securityContext)[field];
  if (own !== undefined && own !== null) {
    return { value: own, path: `${c.path}.securityContext.${field}`, fromPod: false };
  }
  const inherited = record(pod.spec.securityContext)[field];
  if (inherited !== undefined && inherited !== null) {
    return { value: inherited, path: `${pod.path}.securityContext.${field}`, fromPod: true };
  }
  return undefined;
}

/** A container-only security setting (no pod-level counterpart), e.g. `privileged`. */
export function containerSecurity(c: ContainerRef, field: string): Resolved | undefined {
  const value = record(c.container.securityContext)[field];
  if (value === undefined || value === null) return undefined;
  return { value, path: `${c.path}.securityContext.${field}`, fromPod: false };
}
