import { workloadPolicy } from "../lib/define";
import { containersOf, inUserNamespace } from "../lib/podSpec";
import { containerSecurity } from "../lib/securityContext";

/** Config of {@link restrictProcMount}. */
export interface ProcMountConfig {
  /**
   * Which Pod Security check to follow: `restricted` (`check_procMount_restricted.go`, v1.35+) refuses
   * an unmasked /proc in every pod; `baseline` (`check_procMount_baseline.go`) allows any value in a
   * pod with `hostUsers: false`. Default: restricted.
   */
  readonly profile: "baseline" | "restricted";
}

/**
 * Pod Security Standards "/proc Mount Type", as `policy/check_procMount_baseline.go` and
 * `policy/check_procMount_restricted.go` of k8s.io/pod-security-admission decide it:
 * `securityContext.procMount` of every container list is unset, null or `Default`. The baseline check
 * (v1.35+) exempts pods in a user namespace (`hostUsers: false`); the restricted one does not.
 */
export const restrictProcMount = workloadPolicy<ProcMountConfig>({
  name: "restrict-proc-mount",
  description: "Containers use the default /proc mount (Pod Security Standards baseline and restricted).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      profile: {
        type: "string",
        enum: ["baseline", "restricted"],
        default: "restricted",
        description: "restricted: Default everywhere; baseline: any value when hostUsers is false.",
      },
    },
  },
  check: ({ pod, config, report }) => {
    if (config.profile === "baseline" && inUserNamespace(pod)) return;
    for (const c of containersOf(pod)) {
      const procMount = containerSecurity(c, "procMount")?.value;
      if (procMount !== undefined && procMount !== "Default") {
        report(`${c.label}: securityContext.procMount is ${JSON.stringify(procMount)}`);
      }
    }
  },
});
