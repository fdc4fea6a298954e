import { workloadPolicy } from "../lib/define";
import { containersOf } from "../lib/podSpec";

const RUN_TO_COMPLETION: ReadonlySet<string> = new Set(["Job", "CronJob"]);

/**
 * Long-running containers declare readiness and liveness probes. Jobs and CronJobs run to
 * completion and are skipped; init and ephemeral containers cannot have these probes.
 */
export const requireProbes = workloadPolicy({
  name: "require-probes",
  description: "Containers of long-running workloads declare readiness and liveness probes.",
  enforcementLevel: "advisory",
  check: ({ pod, report }) => {
    if (RUN_TO_COMPLETION.has(pod.kind)) return;
    for (const c of containersOf(pod, ["containers"])) {
      const missing = ["readinessProbe", "livenessProbe"].filter((p) => c.container[p] === undefined);
      if (missing.length > 0) report(`${c.label}: missing ${missing.join(", ")}`);
    }
  },
});
