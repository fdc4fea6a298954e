import { workloadPolicy } from "../lib/define";

/**
 * Pods do not get a service-account token unless they declare they need one: the pod spec sets
 * `automountServiceAccountToken` explicitly (false, or true on purpose).
 */
export const disallowServiceAccountTokenAutomount = workloadPolicy({
  name: "disallow-service-account-token-automount",
  description: "Pods set automountServiceAccountToken explicitly (false unless the API token is needed).",
  enforcementLevel: "advisory",
  check: ({ pod, report }) => {
    if (typeof pod.spec.automountServiceAccountToken !== "boolean") {
      report(
        `${pod.path}.automountServiceAccountToken is not set; set it to false unless the pod calls the API`,
      );
    }
  },
});
