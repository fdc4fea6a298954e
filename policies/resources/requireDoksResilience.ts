import { resourcePolicy } from "../lib/define";
import { record } from "../lib/paths";

/** Config of {@link requireDoksResilience}. */
export interface DoksResilienceConfig {
  /** Require a highly available control plane. Default: true. */
  readonly requireHa: boolean;
  /** Require auto-upgrade with a maintenance window (day and start time). Default: true. */
  readonly requireAutoUpgrade: boolean;
  /** Require surge upgrades. Default: true. */
  readonly requireSurgeUpgrade: boolean;
  /**
   * Minimum nodes of each node pool that runs the workloads (a `KubernetesNodePool`: `nodeCount`,
   * or `minNodes` when autoscaling). Default: 2. The cluster's default pool is left out: this
   * program keeps it small and fixed for DigitalOcean's system pods (`SYSTEM_POOL`).
   */
  readonly minNodes: number;
}

function poolProblem(pool: Record<string, unknown>, minNodes: number): string | undefined {
  if (pool.autoScale === true) {
    const min = pool.minNodes;
    return typeof min === "number" && min >= minNodes ? undefined : `minNodes is ${String(min)}`;
  }
  const count = pool.nodeCount;
  return typeof count === "number" && count >= minNodes ? undefined : `nodeCount is ${String(count)}`;
}

const CLUSTER = "digitalocean:index/kubernetesCluster:KubernetesCluster";
const NODE_POOL = "digitalocean:index/kubernetesNodePool:KubernetesNodePool";

/**
 * DOKS clusters meet the stack's availability settings: HA, auto-upgrade window and surge upgrades
 * on the cluster, and enough nodes in each workloads pool.
 */
export const requireDoksResilience = resourcePolicy<DoksResilienceConfig>({
  name: "require-doks-resilience",
  description:
    "DigitalOcean Kubernetes clusters are HA, auto-upgrade in a window, surge-upgrade, and their node pools have enough nodes.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireHa: { type: "boolean", default: true, description: "Require ha: true." },
      requireAutoUpgrade: {
        type: "boolean",
        default: true,
        description: "Require autoUpgrade and a window.",
      },
      requireSurgeUpgrade: { type: "boolean", default: true, description: "Require surgeUpgrade: true." },
      minNodes: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Minimum nodes of each node pool (not the cluster's default pool).",
      },
    },
  },
  appliesTo: (type) => type === CLUSTER || type === NODE_POOL,
  check: ({ args, props, config, report }) => {
    if (args.type === NODE_POOL) {
      const problem = poolProblem(props, config.minNodes);
      if (problem) report(`${problem}; the stack requires at least ${config.minNodes} nodes`);
      return;
    }
    if (config.requireHa && props.ha !== true) report("ha is not true");
    if (config.requireAutoUpgrade) {
      if (props.autoUpgrade !== true) report("autoUpgrade is not true");
      const window = record(props.maintenancePolicy);
      if (!window.day || !window.startTime)
        report("maintenancePolicy.day and maintenancePolicy.startTime are not both set");
    }
    if (config.requireSurgeUpgrade && props.surgeUpgrade !== true) report("surgeUpgrade is not true");
  },
});
