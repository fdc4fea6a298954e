import { workloadPolicy } from "../lib/define";
import { isRecord, record } from "../lib/paths";
import { containersOf, isWindowsPod } from "../lib/podSpec";

const ALLOWED: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

/**
 * Pod Security Standards restricted, "Seccomp", as `policy/check_seccompProfile_restricted.go` of
 * k8s.io/pod-security-admission decides it: a pod-level `seccompProfile`, when set, has type
 * `RuntimeDefault` or `Localhost`; so does every container, init container and ephemeral container
 * that sets its own; and a container that sets none needs a valid pod-level one. Since v1.25 pods with
 * `spec.os.name: windows` are exempt (seccomp is Linux-only).
 */
export const requireSeccompProfile = workloadPolicy({
  name: "require-seccomp-profile",
  description:
    "Containers run with the RuntimeDefault or a Localhost seccomp profile (Pod Security Standards restricted).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    if (isWindowsPod(pod)) return;
    const podProfile = record(pod.spec.securityContext).seccompProfile;
    const podSet = isRecord(podProfile);
    if (podSet && !ALLOWED.has(podProfile.type)) {
      report(`${pod.path}.securityContext.seccompProfile.type is ${describe(podProfile.type)}`);
    }
    for (const c of containersOf(pod)) {
      const own = record(c.container.securityContext).seccompProfile;
      if (isRecord(own)) {
        if (!ALLOWED.has(own.type))
          report(`${c.label}: securityContext.seccompProfile.type is ${describe(own.type)}`);
      } else if (!podSet) {
        report(`${c.label}: no seccompProfile on the container or the pod securityContext`);
      }
    }
  },
});

function describe(type: unknown): string {
  const shown = type === undefined || type === null ? "not set" : JSON.stringify(type);
  return `${shown}; it must be "RuntimeDefault" or "Localhost"`;
}
