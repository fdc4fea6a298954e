import { workloadPolicy } from "../lib/define";
import { containersOf } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/**
 * Pod Security Standards baseline, "Privileged Containers", as `policy/check_privileged.go` of
 * k8s.io/pod-security-admission decides it: `securityContext.privileged` is unset or false in every
 * container list.
 */
export const disallowPrivilegedContainers = workloadPolicy({
  name: "disallow-privileged-containers",
  description: "Containers are not privileged (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      if (containerSecurity(c, "privileged")?.value === true)
        report(`${c.label}: securityContext.privileged is true`);
    }
  },
});
