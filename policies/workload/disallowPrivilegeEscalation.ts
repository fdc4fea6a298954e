import { workloadPolicy } from "../lib/define";
import { containersOf, isWindowsPod } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/**
 * Pod Security Standards restricted, "Privilege Escalation", as `policy/check_allowPrivilegeEscalation.go`
 * of k8s.io/pod-security-admission decides it: every container, init container and ephemeral container
 * sets `securityContext.allowPrivilegeEscalation: false` (unset, null or true are refused). Since v1.25
 * pods with `spec.os.name: windows` are exempt: the field is Linux-only and the API refuses it there.
 */
export const disallowPrivilegeEscalation = workloadPolicy({
  name: "disallow-privilege-escalation",
  description: "Containers set allowPrivilegeEscalation: false (Pod Security Standards restricted).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    if (isWindowsPod(pod)) return;
    for (const c of containersOf(pod)) {
      const value = containerSecurity(c, "allowPrivilegeEscalation")?.value;
      if (value !== false) {
        const state = value === undefined ? "is not set" : `is ${JSON.stringify(value)}`;
        report(`${c.label}: securityContext.allowPrivilegeEscalation ${state}; it must be false`);
      }
    }
  },
});
