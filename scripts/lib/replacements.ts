// Which input changes replace a resource (delete and create) or are refused outright, by type. Pure
// data with its sources, used by the desired-state diff so that a reviewer sees them on the pull
// request before `pulumi up` does them.

/**
 * Input paths that force a replacement, per resource type:
 * - DigitalOcean: the attributes marked `ForceNew` in terraform-provider-digitalocean (which
 *   @pulumi/digitalocean bridges): `digitalocean/vpc/resource_vpc.go`,
 *   `kubernetes/resource_kubernetes_cluster.go` (and `kubernetes/kubernetes.go` for the node pool
 *   schema; the default pool's `size` replaces the whole cluster), `registry/resource_container_registry.go`,
 *   `database/resource_database_{cluster,db,user}.go`, `domain/resource_record.go`.
 * - Kubernetes: an object's name or namespace; fields the API server refuses to update
 *   (`spec.selector` of Deployments and StatefulSets, a StatefulSet's `serviceName`,
 *   `volumeClaimTemplates` and `podManagementPolicy`, a Job's `template` and `selector`, a claim's
 *   class, access modes and volume, a Service's `clusterIP`); and the data of ConfigMaps and
 *   Secrets, which pulumi-kubernetes treats as immutable (`enableConfigMapMutable`,
 *   `enableSecretMutable` are off by default).
 */
const DIGITALOCEAN: Readonly<Record<string, readonly string[]>> = {
  "digitalocean:index/vpc:Vpc": ["region", "ipRange"],
  "digitalocean:index/kubernetesCluster:KubernetesCluster": [
    "region",
    "vpcUuid",
    "clusterSubnet",
    "serviceSubnet",
    "nodePool.size",
  ],
  "digitalocean:index/kubernetesNodePool:KubernetesNodePool": ["clusterId", "size"],
  "digitalocean:index/containerRegistry:ContainerRegistry": ["name", "region"],
  "digitalocean:index/databaseCluster:DatabaseCluster": ["engine", "name", "privateNetworkUuid", "projectId"],
  "digitalocean:index/databaseDb:DatabaseDb": ["clusterId", "name"],
  "digitalocean:index/databaseUser:DatabaseUser": ["clusterId", "name"],
  "digitalocean:index/dnsRecord:DnsRecord": ["domain", "type"],
  // pulumi-kubernetes replaces its provider, and with it every object created with it, when the
  // active cluster of the kubeconfig changes (provider/pkg/provider/provider.go, DiffConfig).
  "pulumi:providers:kubernetes": ["kubeconfig", "context", "cluster"],
};

const KUBERNETES_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  Deployment: ["spec.selector"],
  StatefulSet: ["spec.selector", "spec.serviceName", "spec.volumeClaimTemplates", "spec.podManagementPolicy"],
  Job: ["spec.selector", "spec.template"],
  PersistentVolumeClaim: ["spec.storageClassName", "spec.accessModes", "spec.volumeName"],
  Service: ["spec.clusterIP"],
  ConfigMap: ["data", "binaryData", "immutable"],
  Secret: ["data", "stringData", "type", "immutable"],
};

/** The input paths whose change replaces a resource of this type. */
export function replacingPaths(type: string): readonly string[] {
  if (type in DIGITALOCEAN) return DIGITALOCEAN[type];
  if (!type.startsWith("kubernetes:") || type.endsWith("Patch")) return [];
  const kind = type.split(":").pop() ?? "";
  return ["metadata.name", "metadata.namespace", ...(KUBERNETES_BY_KIND[kind] ?? [])];
}

/** A storage request (`10Gi`, `512Mi`) in bytes; undefined when it is not one. */
function bytes(quantity: unknown): number | undefined {
  const match = typeof quantity === "string" ? /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)?$/.exec(quantity) : null;
  if (!match) return undefined;
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[match[2] ?? ""] ?? 1;
  return Number(match[1]) * unit;
}

/**
 * Why the API server will refuse this change, if it will: a volume claim's storage request may
 * grow (where its class allows expansion) but never shrink.
 */
export function refusal(type: string, path: string, before: unknown, after: unknown): string | undefined {
  const claim =
    type === "kubernetes:core/v1:PersistentVolumeClaim" ||
    type === "kubernetes:core/v1:PersistentVolumeClaimPatch";
  if (!claim || path !== "spec.resources.requests.storage") return undefined;
  const [was, now] = [bytes(before), bytes(after)];
  return was !== undefined && now !== undefined && now < was
    ? `a volume cannot shrink: Kubernetes refuses ${String(after)} after ${String(before)}`
    : undefined;
}
