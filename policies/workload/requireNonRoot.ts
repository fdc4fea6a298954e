import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";
import { resolveSecurity } from "../lib/securityContext";

/**
 * Every container runs as non-root on the merged pod/container security context: the effective
 * `runAsNonRoot` is true, the effective `runAsUser` is not 0, and no level sets `runAsNonRoot: false`
 * (Pod Security Standards restricted: "Running as Non-root" and "Running as Non-root user").
 */
export const requireNonRoot = workloadPolicy({
  name: "require-non-root",
  description:
    "Containers run as a non-root user (runAsNonRoot true, runAsUser not 0, merged pod/container).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser.",
  check: ({ pod, report }) => {
    if (record(pod.spec.securityContext).runAsNonRoot === false) {
      report(`${pod.path}.securityContext.runAsNonRoot is false`);
    }
    // The restricted profile refuses a pod-level 0 even when every container overrides it.
    if (record(pod.spec.securityContext).runAsUser === 0) {
      report(`${pod.path}.securityContext.runAsUser is 0 (root)`);
    }
    for (const c of containersOf(pod)) {
      const nonRoot = resolveSecurity(pod, c, "runAsNonRoot");
      if (record(c.container.securityContext).runAsNonRoot === false) {
        report(`${c.label}: securityContext.runAsNonRoot is false`);
      } else if (nonRoot?.value !== true && !(nonRoot?.fromPod && nonRoot.value === false)) {
        report(`${c.label}: runAsNonRoot is not set to true on the container or the pod securityContext`);
      }
      const user = resolveSecurity(pod, c, "runAsUser");
      if (user?.value === 0) report(`${c.label}: runs as root: runAsUser is 0 (${user.path})`);
    }
  },
});
