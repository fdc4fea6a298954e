import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record } from "../lib/paths";

/** Config of {@link requireNamespacePsaLabels}. */
export interface PsaLabelsConfig {
  /** Lowest allowed `pod-security.kubernetes.io/enforce` level. Default: restricted. */
  readonly minimumLevel: "privileged" | "baseline" | "restricted";
}

const LEVELS = ["privileged", "baseline", "restricted"];
const ENFORCE = "pod-security.kubernetes.io/enforce";

/** Namespaces carry the Pod Security Admission enforce label at (at least) the stack's level. */
export const requireNamespacePsaLabels = resourcePolicy<PsaLabelsConfig>({
  name: "require-namespace-psa-labels",
  description: "Namespaces carry the pod-security.kubernetes.io/enforce label at the stack's minimum level.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumLevel: {
        type: "string",
        enum: LEVELS,
        default: "restricted",
        description: "Lowest enforce level.",
      },
    },
  },
  appliesTo: (type) => isKind(type, ["core"], "Namespace"),
  check: ({ props, config, report }) => {
    const level = record(record(props.metadata).labels)[ENFORCE];
    if (level === undefined) {
      report(`metadata.labels["${ENFORCE}"] is not set`);
    } else if (LEVELS.indexOf(String(level)) < LEVELS.indexOf(config.minimumLevel)) {
      report(
        `metadata.labels["${ENFORCE}"] is ${JSON.stringify(level)}; the stack requires "${config.minimumLevel}"`,
      );
    }
  },
});
