import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/** Pod Security Standards baseline, "Seccomp": no `Unconfined` seccomp profile anywhere. */
export const restrictSeccomp = workloadPolicy({
  name: "restrict-seccomp",
  description: "Pods do not set an Unconfined seccomp profile (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    if (record(record(pod.spec.securityContext).seccompProfile).type === "Unconfined") {
      report(`${pod.path}.securityContext.seccompProfile.type is "Unconfined"`);
    }
    for (const c of containersOf(pod)) {
      if (record(record(c.container.securityContext).seccompProfile).type === "Unconfined") {
        report(`${c.label}: securityContext.seccompProfile.type is "Unconfined"`);
      }
    }
  },
});
