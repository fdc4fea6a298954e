import { stackPolicy } from "../lib/define";
import { effectiveReplicas, hpaTargets } from "../lib/hpaTargets";
import { record, records, str } from "../lib/paths";
import { selectorMatches } from "../lib/selectors";
import { type KubeObject, kubernetesObjects } from "../lib/stackObjects";
import { REPLICATED } from "./requirePodDisruptionBudget";

/** Config of {@link requireTopologySpread}. */
export interface TopologySpreadConfig {
  /** Topology keys that count as spreading across nodes. Default: `kubernetes.io/hostname`. */
  readonly topologyKeys: readonly string[];
}

/** Whether a scheduling term on one of the keys selects the workload's own pods. */
function spreads(term: Record<string, unknown>, keys: readonly string[], labels: Record<string, unknown>) {
  const key = str(term.topologyKey);
  return key !== undefined && keys.includes(key) && selectorMatches(term.labelSelector, labels);
}

/** How the pod template keeps its replicas apart, or undefined when it does not. */
function spreadOf(w: KubeObject, keys: readonly string[]): string | undefined {
  const spec = record(w.pod?.spec);
  const labels = record(w.pod?.metadata.labels);
  if (records(spec.topologySpreadConstraints).some((c) => spreads(c, keys, labels)))
    return "topologySpreadConstraints";
  const anti = record(record(spec.affinity).podAntiAffinity);
  if (records(anti.requiredDuringSchedulingIgnoredDuringExecution).some((t) => spreads(t, keys, labels)))
    return "required podAntiAffinity";
  const preferred = records(anti.preferredDuringSchedulingIgnoredDuringExecution);
  if (preferred.some((p) => spreads(record(p.podAffinityTerm), keys, labels)))
    return "preferred podAntiAffinity";
  return undefined;
}

/**
 * Replicated workloads (2+ replicas, or an HPA minimum of 2+) keep their pods apart: a
 * topologySpreadConstraint or a pod anti-affinity term (required or preferred) on a node topology key
 * whose label selector selects the workload's own pods. Without one the scheduler may put every
 * replica on one node, and that node's loss takes them all (kube-score
 * `deployment-has-host-podantiaffinity`, Polaris `topologySpreadConstraint`). Advisory by default.
 */
export const requireTopologySpread = stackPolicy<TopologySpreadConfig>({
  name: "require-topology-spread",
  description: "Replicated workloads spread their pods across nodes (topology spread or pod anti-affinity).",
  enforcementLevel: "advisory",
  remediationSteps:
    "Add a topologySpreadConstraint (topologyKey kubernetes.io/hostname, labelSelector matching the pod's " +
    "labels) or a podAntiAffinity term on the same key.",
  configSchema: {
    properties: {
      topologyKeys: {
        type: "array",
        minItems: 1,
        items: { type: "string", minLength: 1 },
        default: ["kubernetes.io/hostname"],
        description: "Topology keys that count as spreading across nodes.",
      },
    },
  },
  check: ({ resources, config, report }) => {
    const objects = kubernetesObjects(resources);
    const hpas = hpaTargets(objects);
    for (const w of objects) {
      if (!w.pod || !REPLICATED.has(w.kind)) continue;
      const replicas = effectiveReplicas(w, hpas);
      if (replicas < 2 || spreadOf(w, config.topologyKeys) !== undefined) continue;
      report(
        w.resource,
        `${w.id}: ${replicas} replicas but no topologySpreadConstraint or pod anti-affinity on ` +
          `${config.topologyKeys.join(" or ")} selects its pods; they may all run on one node`,
      );
    }
  },
});
