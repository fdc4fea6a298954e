import { workloadPolicy } from "../lib/define";
import { containersOf, isWindowsPod } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/**
 * Containers mount their root filesystem read-only (Polaris, kube-score, Checkov CKV_K8S_22; Kyverno
 * best-practices `require-ro-rootfs`). Pods with `spec.os.name: windows` are skipped: the API server
 * refuses `readOnlyRootFilesystem` on them (a Linux-only field).
 */
export const requireReadOnlyRootFilesystem = workloadPolicy({
  name: "require-read-only-root-filesystem",
  description: "Containers set securityContext.readOnlyRootFilesystem: true.",
  enforcementLevel: "advisory",
  check: ({ pod, report }) => {
    if (isWindowsPod(pod)) return;
    for (const c of containersOf(pod)) {
      if (containerSecurity(c, "readOnlyRootFilesystem")?.value !== true) {
        report(`${c.label}: securityContext.readOnlyRootFilesystem is not true`);
      }
    }
  },
});
