import { workloadPolicy } from "../lib/define";
import { isRecord, record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

const ALLOWED: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

/**
 * Pod Security Standards baseline, "Seccomp", as `policy/check_seccompProfile_baseline.go` of
 * k8s.io/pod-security-admission decides it (v1.19+): a seccompProfile set on the pod or on any
 * container (every container list) has type `RuntimeDefault` or `Localhost`, i.e. never `Unconfined`.
 * Leaving it unset is the restricted profile's concern (`require-seccomp-profile`).
 */
export const restrictSeccomp = workloadPolicy({
  name: "restrict-seccomp",
  description: "Pods do not set an Unconfined seccomp profile (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    const podProfile = record(pod.spec.securityContext).seccompProfile;
    if (isRecord(podProfile) && !ALLOWED.has(podProfile.type)) {
      report(`${pod.path}.securityContext.seccompProfile.type is ${JSON.stringify(podProfile.type ?? null)}`);
    }
    for (const c of containersOf(pod)) {
      const profile = record(c.container.securityContext).seccompProfile;
      if (isRecord(profile) && !ALLOWED.has(profile.type)) {
        report(`${c.label}: securityContext.seccompProfile.type is ${JSON.stringify(profile.type ?? null)}`);
      }
    }
  },
});
