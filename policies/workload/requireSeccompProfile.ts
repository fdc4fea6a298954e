import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";
import { resolveSecurity } from "../lib/securityContext";

const ALLOWED: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

/**
 * Pod Security Standards restricted, "Seccomp": every container's effective seccomp profile (its own
 * or the pod's) is `RuntimeDefault` or `Localhost`.
 */
export const requireSeccompProfile = workloadPolicy({
  name: "require-seccomp-profile",
  description:
    "Containers run with the RuntimeDefault or a Localhost seccomp profile (Pod Security Standards restricted).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      const profile = resolveSecurity(pod, c, "seccompProfile");
      const type = record(profile?.value).type;
      if (!profile || type === undefined) {
        report(`${c.label}: no seccompProfile on the container or the pod securityContext`);
      } else if (!ALLOWED.has(type)) {
        report(`${c.label}: seccompProfile.type is ${JSON.stringify(type)} (${profile.path}.type)`);
      }
    }
  },
});
