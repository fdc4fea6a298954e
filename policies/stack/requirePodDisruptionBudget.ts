import { stackPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { selectorMatches } from "../lib/selectors";
import { byNamespace, kubernetesObjects } from "../lib/stackObjects";
import { effectiveReplicas, hpaTargets } from "../lib/hpaTargets";

/** Kinds that run a number of identical pods. */
export const REPLICATED: ReadonlySet<string> = new Set([
  "Deployment",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
]);

function count(value: unknown, replicas: number, roundUp: boolean): number | undefined {
  if (typeof value === "number") return value;
  const m = typeof value === "string" ? /^(\d+)%$/.exec(value) : null;
  if (!m) return undefined;
  const exact = (Number(m[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Whether a PDB lets at least one pod of `replicas` be evicted (Kubernetes rounds percentages up). */
export function allowsDisruption(spec: Record<string, unknown>, replicas: number): boolean {
  if (spec.maxUnavailable !== undefined) return (count(spec.maxUnavailable, replicas, true) ?? 1) > 0;
  if (spec.minAvailable !== undefined) return (count(spec.minAvailable, replicas, true) ?? 0) < replicas;
  return true;
}

/**
 * Replicated workloads (2+ replicas, or an HPA minimum of 2+) have a PodDisruptionBudget that selects
 * their pods and still allows one voluntary disruption, so node drains neither take them down nor hang.
 */
export const requirePodDisruptionBudget = stackPolicy({
  name: "require-pod-disruption-budget",
  description: "Replicated workloads have a PodDisruptionBudget that allows at least one disruption.",
  enforcementLevel: "advisory",
  check: ({ resources, report }) => {
    const objects = kubernetesObjects(resources);
    const pdbs = byNamespace(objects.filter((o) => o.kind === "PodDisruptionBudget"));
    const hpas = hpaTargets(objects);
    for (const w of objects) {
      if (!w.pod || !REPLICATED.has(w.kind)) continue;
      const replicas = effectiveReplicas(w, hpas);
      if (replicas < 2) continue;
      const labels = record(w.pod.metadata.labels);
      const matching = (pdbs.get(w.namespace) ?? []).filter((p) =>
        selectorMatches(record(p.props.spec).selector, labels),
      );
      if (matching.length === 0) {
        report(w.resource, `${w.id}: ${replicas} replicas but no PodDisruptionBudget selects its pods`);
      } else if (!matching.some((p) => allowsDisruption(record(p.props.spec), replicas))) {
        report(
          w.resource,
          `${w.id}: ${matching.map((p) => p.id).join(", ")} allows no disruption of ${replicas} replicas`,
        );
      }
    }
  },
});
