import { stackPolicy } from "../lib/define";
import { record, records } from "../lib/paths";
import { isEmptySelector, selectorMatches } from "../lib/selectors";
import { byNamespace, type KubeObject, kubernetesObjects } from "../lib/stackObjects";

/** Config of {@link requireNetworkPolicies}. */
export interface NetworkPoliciesConfig {
  /** Require the default-deny to cover egress too. Default: false. */
  readonly requireEgressDeny: boolean;
}

const RUN_TO_COMPLETION: ReadonlySet<string> = new Set(["Job", "CronJob"]);

function policyTypes(spec: Record<string, unknown>): string[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.map(String);
  return records(spec.egress).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

function denies(np: KubeObject, direction: "Ingress" | "Egress"): boolean {
  const spec = record(np.props.spec);
  const rules = direction === "Ingress" ? spec.ingress : spec.egress;
  return (
    isEmptySelector(spec.podSelector) && policyTypes(spec).includes(direction) && records(rules).length === 0
  );
}

function allows(np: KubeObject): boolean {
  const spec = record(np.props.spec);
  return records(spec.ingress).length > 0 || records(spec.egress).length > 0;
}

/**
 * Every namespace with workloads (or declared as a Namespace) has a default-deny NetworkPolicy, and
 * every workload's pods are selected by a NetworkPolicy that allows some traffic. Jobs and CronJobs
 * need one only when egress is denied too.
 */
export const requireNetworkPolicies = stackPolicy<NetworkPoliciesConfig>({
  name: "require-network-policies",
  description:
    "Namespaces have a default-deny NetworkPolicy and every workload is selected by an allowing one.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      requireEgressDeny: { type: "boolean", default: false, description: "Default-deny must cover egress." },
    },
  },
  check: ({ resources, config, report }) => {
    const objects = kubernetesObjects(resources);
    const workloads = objects.filter((o) => o.pod && o.kind !== "PodTemplate");
    const namespaces = objects.filter((o) => o.kind === "Namespace" && o.group === "core");
    const policies = byNamespace(objects.filter((o) => o.kind === "NetworkPolicy"));
    const seen = new Set<string>();
    const subjects = [
      ...namespaces.map((n) => ({ ns: n.name, on: n })),
      ...workloads.map((w) => ({ ns: w.namespace, on: w })),
    ];
    for (const { ns, on } of subjects) {
      if (seen.has(ns)) continue;
      seen.add(ns);
      const inNs = policies.get(ns) ?? [];
      const directions = config.requireEgressDeny ? (["Ingress", "Egress"] as const) : (["Ingress"] as const);
      const missing = directions.filter((d) => !inNs.some((np) => denies(np, d)));
      if (missing.length > 0) {
        report(
          on.resource,
          `namespace "${ns}" has no default-deny NetworkPolicy for ${missing.join(" and ")}`,
        );
      }
    }
    for (const w of workloads) {
      if (RUN_TO_COMPLETION.has(w.kind) && !config.requireEgressDeny) continue;
      const labels = record(w.pod?.metadata.labels);
      const selected = (policies.get(w.namespace) ?? []).some(
        (np) => allows(np) && selectorMatches(record(np.props.spec).podSelector ?? {}, labels),
      );
      if (!selected) report(w.resource, `${w.id}: no NetworkPolicy that allows traffic selects its pods`);
    }
  },
});
