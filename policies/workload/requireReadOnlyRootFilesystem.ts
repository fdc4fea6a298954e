import { workloadPolicy } from "../lib/define";
import { containersOf } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/** Containers mount their root filesystem read-only (Polaris, kube-score, Checkov CKV_K8S_22). */
export const requireReadOnlyRootFilesystem = workloadPolicy({
  name: "require-read-only-root-filesystem",
  description: "Containers set securityContext.readOnlyRootFilesystem: true.",
  enforcementLevel: "advisory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      if (containerSecurity(c, "readOnlyRootFilesystem")?.value !== true) {
        report(`${c.label}: securityContext.readOnlyRootFilesystem is not true`);
      }
    }
  },
});
