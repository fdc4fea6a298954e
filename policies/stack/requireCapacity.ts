import type { PolicyResource } from "@pulumi/policy";
import { type CapacityEnd, describeEnd, estimateCapacity, PRICE_TABLE_FILE } from "../../cost";
import { formatCpu, formatMemory } from "../../cost/quantity";
import { stackPolicy } from "../lib/define";
import { findExemption } from "../lib/exemptions";

/** Config of {@link requireCapacity}. */
export interface CapacityConfig {
  /** Share of the nodes' allocatable CPU and memory that must stay free, in percent. Default: 20. */
  readonly minHeadroomPercent: number;
  /** Report every resource whose pods cannot be counted (they are not in the requests). Default: false. */
  readonly failOnUncounted: boolean;
}

const free = (end: CapacityEnd) => Math.min(end.headroomPercent.cpu, end.headroomPercent.memory);

/**
 * The stack's pods fit its nodes with room to spare (cost/capacity.ts over the declared resources,
 * node sizes from pricing/digitalocean.json): at the node pools' maximum size, with every HPA at its
 * maximum, the pods' CPU and memory requests leave at least `minHeadroomPercent` of what the nodes
 * leave to pods free, and no pod is larger than a node. The headroom is for what requests do not
 * show: a rolling update's extra pod, a node drained for an upgrade, DigitalOcean's own pods' CPU.
 * A stack whose nodes are not known offline (k0s, an existing cluster) has nothing to compare; pods
 * the check cannot count are listed with `failOnUncounted`. Exempted resources are left out.
 */
export const requireCapacity = stackPolicy<CapacityConfig>({
  name: "require-capacity",
  description: "The stack's pods fit its nodes, with the stack's minimum headroom left free.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Lower the pods' requests or replicas (appMaxReplicas, chart values), or give the pool more or larger " +
    `nodes (nodeSize, nodeCount, nodeMaxCount); node sizes are in ${PRICE_TABLE_FILE} (doksNodeCapacity).`,
  configSchema: {
    properties: {
      minHeadroomPercent: {
        type: "number",
        minimum: 0,
        maximum: 100,
        default: 20,
        description: "Share of the nodes' allocatable CPU and memory that must stay free, in percent.",
      },
      failOnUncounted: {
        type: "boolean",
        default: false,
        description: "Report resources whose pods the check cannot count (they are not in the requests).",
      },
    },
  },
  check: ({ resources, config, report }) => {
    const counted = resources.filter((r) => !findExemption(config.exemptions, r));
    const capacity = estimateCapacity(
      counted.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.props })),
    );
    const byUrn = new Map<string, PolicyResource>(counted.map((r) => [r.urn, r]));
    const end = capacity.max;
    const pool = capacity.pools[0] && byUrn.get(capacity.pools[0].urn);
    if (end && pool && free(end) < config.minHeadroomPercent) {
      const uncounted = capacity.uncounted.length > 0 ? `; plus ${capacity.uncounted.length} uncounted` : "";
      const at = capacity.min && capacity.min.nodes !== end.nodes ? ", every HPA at its maximum" : "";
      report(
        pool,
        `at ${end.nodes} nodes${at} the pods request ${describeEnd(end)}: less than the ` +
          `${config.minHeadroomPercent}% the stack keeps free${uncounted}`,
      );
    }
    for (const pod of capacity.unschedulable) {
      const owner = capacity.pods.find((p) => p.description === pod.description);
      const resource = (owner && byUrn.get(owner.urn)) ?? pool;
      if (resource)
        report(
          resource,
          `${pod.description} requests CPU ${formatCpu(pod.perPod.cpuMillis)} and memory ` +
            `${formatMemory(pod.perPod.memoryBytes)} per pod, more than any node leaves to pods ` +
            `beside the per-node pods: it is never scheduled`,
        );
    }
    if (config.failOnUncounted)
      for (const u of capacity.uncounted) {
        const resource = byUrn.get(u.urn);
        if (resource) report(resource, `its pods are not counted in the capacity check: ${u.reason}`);
      }
  },
});
