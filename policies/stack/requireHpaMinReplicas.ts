import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record } from "../lib/paths";

/** Config of {@link requireHpaMinReplicas}. */
export interface HpaMinReplicasConfig {
  /** Lowest allowed `spec.minReplicas`. Default: 2. */
  readonly minReplicas: number;
}

/** HorizontalPodAutoscalers keep at least the configured number of replicas (2 in prod). */
export const requireHpaMinReplicas = resourcePolicy<HpaMinReplicasConfig>({
  name: "require-hpa-min-replicas",
  description: "HorizontalPodAutoscalers set minReplicas to at least the stack's minimum.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minReplicas: { type: "integer", minimum: 1, default: 2, description: "Lowest allowed minReplicas." },
    },
  },
  appliesTo: (type) => isKind(type, ["autoscaling"], "HorizontalPodAutoscaler"),
  check: ({ props, config, report }) => {
    const min = record(props.spec).minReplicas;
    const effective = typeof min === "number" ? min : 1;
    if (effective < config.minReplicas) {
      const shown = min === undefined ? "not set (1)" : String(min);
      report(`spec.minReplicas is ${shown}; the stack requires at least ${config.minReplicas}`);
    }
  },
});
