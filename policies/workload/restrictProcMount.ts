import { workloadPolicy } from "../lib/define";
import { containersOf } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/** Pod Security Standards baseline, "/proc Mount Type": the default masked /proc only. */
export const restrictProcMount = workloadPolicy({
  name: "restrict-proc-mount",
  description: "Containers use the default /proc mount (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      const procMount = containerSecurity(c, "procMount")?.value;
      if (procMount !== undefined && procMount !== "Default") {
        report(`${c.label}: securityContext.procMount is ${JSON.stringify(procMount)}`);
      }
    }
  },
});
