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
  /** Minimum nodes in the default pool (`nodeCount`, or `minNodes` when autoscaling). Default: 2. */
  readonly minNodes: number;
}

function poolProblem(pool: Record<string, unknown>, minNodes: number): string | undefined {
  if (pool.autoScale === true) {
    const min = pool.minNodes;
    return typeof min === "number" && min >= minNodes ? undefined : `nodePool.minNodes is ${String(min)}`;
  }
  const count = pool.nodeCount;
  return typeof count === "number" && count >= minNodes
    ? undefined
    : `nodePool.nodeCount is ${String(count)}`;
}

/** DOKS clusters meet the stack's availability settings: HA, auto-upgrade window, surge upgrades, node count. */
export const requireDoksResilience = resourcePolicy<DoksResilienceConfig>({
  name: "require-doks-resilience",
  description:
    "DigitalOcean Kubernetes clusters are HA, auto-upgrade in a window, surge-upgrade and have enough nodes.",
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
        description: "Minimum nodes in the default pool.",
      },
    },
  },
  appliesTo: (type) => type === "digitalocean:index/kubernetesCluster:KubernetesCluster",
  check: ({ props, config, report }) => {
    if (config.requireHa && props.ha !== true) report("ha is not true");
    if (config.requireAutoUpgrade) {
      if (props.autoUpgrade !== true) report("autoUpgrade is not true");
      const window = record(props.maintenancePolicy);
      if (!window.day || !window.startTime)
        report("maintenancePolicy.day and maintenancePolicy.startTime are not both set");
    }
    if (config.requireSurgeUpgrade && props.surgeUpgrade !== true) report("surgeUpgrade is not true");
    const problem = poolProblem(record(props.nodePool), config.minNodes);
    if (problem) report(`${problem}; the stack requires at least ${config.minNodes} nodes`);
  },
});
