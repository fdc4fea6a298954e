import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf, inUserNamespace } from "../lib/podSpec";
import { resolveSecurity } from "../lib/securityContext";

/**
 * Pod Security Standards restricted, "Running as Non-root" and "Running as Non-root user", as
 * `policy/check_runAsNonRoot.go` and `policy/check_runAsUser.go` of k8s.io/pod-security-admission
 * decide them, on the merged pod/container security context of every container list:
 * `runAsNonRoot` is true on the pod or on every container, no level sets `runAsNonRoot: false`, and no
 * level sets `runAsUser: 0`. Since v1.35 a pod in a user namespace (`hostUsers: false`) is exempt from
 * both checks. Windows pods are not exempt (`runAsNonRoot` applies to them too).
 */
export const requireNonRoot = workloadPolicy({
  name: "require-non-root",
  description:
    "Containers run as a non-root user (runAsNonRoot true, runAsUser not 0, merged pod/container).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser.",
  check: ({ pod, report }) => {
    if (inUserNamespace(pod)) return;
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
