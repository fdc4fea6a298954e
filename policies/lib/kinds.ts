/** A Kubernetes type token split into its parts: `kubernetes:apps/v1:Deployment`. */
export interface KubernetesType {
  /** API group, `core` for the core group. */
  readonly group: string;
  /** API version within the group, e.g. `v1`. */
  readonly version: string;
  /** Kind, e.g. `Deployment`. */
  readonly kind: string;
}

const cache = new Map<string, KubernetesType | undefined>();

/** Parses a Pulumi Kubernetes type token; undefined for any other provider or a malformed token. */
export function parseKubernetesType(type: string): KubernetesType | undefined {
  if (cache.has(type)) return cache.get(type);
  const m = /^kubernetes:([^/:]+)\/([^/:]+):([A-Za-z0-9]+)$/.exec(type);
  const parsed = m ? { group: m[1], version: m[2], kind: m[3] } : undefined;
  cache.set(type, parsed);
  return parsed;
}

/** The Pulumi type token for an object's `apiVersion` and `kind` (core group as `core/v1`). */
export function typeTokenFor(apiVersion: string, kind: string): string {
  const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${groupVersion}:${kind}`;
}

/** The `apiVersion` a Kubernetes type token stands for (`core/v1` back to `v1`). */
export function apiVersionFor(t: KubernetesType): string {
  return t.group === "core" ? t.version : `${t.group}/${t.version}`;
}

/**
 * Whether a type token is a kind in any version of the given groups, e.g. `isKind(t, ["apps"], "Deployment")`
 * matches `kubernetes:apps/v1:Deployment` and `kubernetes:apps/v1beta2:Deployment`.
 */
export function isKind(type: string, groups: readonly string[], kind: string): boolean {
  const t = parseKubernetesType(type);
  return t !== undefined && t.kind === kind && groups.includes(t.group);
}

/** Groups that have carried each workload kind over the Kubernetes versions. */
export const WORKLOAD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["core"],
  PodTemplate: ["core"],
  ReplicationController: ["core"],
  Deployment: ["apps", "extensions"],
  StatefulSet: ["apps"],
  DaemonSet: ["apps", "extensions"],
  ReplicaSet: ["apps", "extensions"],
  Job: ["batch"],
  CronJob: ["batch"],
};

/** The workload kind of a type token (one of {@link WORKLOAD_GROUPS}), or undefined. */
export function workloadKind(type: string): string | undefined {
  const t = parseKubernetesType(type);
  if (!t) return undefined;
  const groups = WORKLOAD_GROUPS[t.kind];
  return groups?.includes(t.group) ? t.kind : undefined;
}

/** Kinds that are not namespaced, for resource ids and namespace checks. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "IngressClass",
  "PriorityClass",
  "RuntimeClass",
  "CSIDriver",
  "CSINode",
  "VolumeAttachment",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ClusterIssuer",
  "GatewayClass",
]);
