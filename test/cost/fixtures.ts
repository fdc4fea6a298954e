// Resources as the estimate reads them, one per billable kind, priced from the repository's table.
import type { CostResource } from "../../cost";

/** A test URN for a type and name. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::k8s-platform::${type}::${name}`;
}

/** A resource with the given inputs. */
export function resource(type: string, name: string, props: Record<string, unknown>): CostResource {
  return { urn: urnOf(type, name), type, name, props };
}

export const DOKS = "digitalocean:index/kubernetesCluster:KubernetesCluster";
export const NODE_POOL = "digitalocean:index/kubernetesNodePool:KubernetesNodePool";
export const DOCR = "digitalocean:index/containerRegistry:ContainerRegistry";
export const DATABASE = "digitalocean:index/databaseCluster:DatabaseCluster";
export const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const SERVICE = "kubernetes:core/v1:Service";
export const CHART = "kubernetes:helm.sh/v4:Chart";

/** A DOKS cluster without HA and a fixed pool of `count` nodes of `size`. */
export function cluster(size = "s-2vcpu-4gb", count = 2, ha = false): CostResource {
  return resource(DOKS, "doks", {
    name: "doks",
    region: "fra1",
    ha,
    nodePool: { name: "default", size, autoScale: false, nodeCount: count },
  });
}

/** An autoscaling DOKS cluster. */
export function autoscalingCluster(
  size: string,
  minNodes: number,
  maxNodes: number,
  ha = true,
): CostResource {
  return resource(DOKS, "doks", {
    name: "doks",
    ha,
    nodePool: { name: "default", size, autoScale: true, minNodes, maxNodes },
  });
}

export function registry(tier: string): CostResource {
  return resource(DOCR, "docr", { name: "docr", subscriptionTierSlug: tier });
}

export function database(size: string, nodeCount?: number, engine = "pg"): CostResource {
  return resource(DATABASE, "pg", {
    name: "pg",
    engine,
    size,
    ...(nodeCount === undefined ? {} : { nodeCount }),
  });
}

/** A PVC requesting `storage` on `storageClassName` (null: no class set). */
export function pvc(storage: unknown, storageClassName: string | null = "do-block-storage"): CostResource {
  return resource(PVC, "backups", {
    metadata: { name: "backups", namespace: "app" },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(storageClassName === null ? {} : { storageClassName }),
      resources: { requests: { storage } },
    },
  });
}

export function statefulSet(
  replicas: number | undefined,
  templates: { name: string; storage: string }[],
): CostResource {
  return resource(STATEFUL_SET, "postgres", {
    metadata: { name: "postgres", namespace: "app" },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      serviceName: "postgres",
      volumeClaimTemplates: templates.map((t) => ({
        metadata: { name: t.name },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "do-block-storage",
          resources: { requests: { storage: t.storage } },
        },
      })),
    },
  });
}

export function loadBalancerService(annotations: Record<string, string> = {}): CostResource {
  return resource(SERVICE, "ingress", {
    metadata: { name: "ingress", namespace: "app", annotations },
    spec: { type: "LoadBalancer", ports: [{ port: 443 }] },
  });
}

export function traefikChart(service: Record<string, unknown>): CostResource {
  return resource(CHART, "traefik", { chart: "traefik", version: "41.3.0", values: { service } });
}
