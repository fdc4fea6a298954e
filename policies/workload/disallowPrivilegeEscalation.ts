import { workloadPolicy } from "../lib/define";
import { containersOf } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/** Pod Security Standards restricted, "Privilege Escalation": `allowPrivilegeEscalation: false` on every container. */
export const disallowPrivilegeEscalation = workloadPolicy({
  name: "disallow-privilege-escalation",
  description: "Containers set allowPrivilegeEscalation: false (Pod Security Standards restricted).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      const value = containerSecurity(c, "allowPrivilegeEscalation")?.value;
      if (value !== false) {
        const state = value === undefined ? "is not set" : `is ${JSON.stringify(value)}`;
        report(`${c.label}: securityContext.allowPrivilegeEscalation ${state}; it must be false`);
      }
    }
  },
});
