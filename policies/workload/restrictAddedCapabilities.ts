import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/** Capabilities the Pod Security Standards baseline allows a container to add. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/**
 * Pod Security Standards baseline, "Capabilities", as `policy/check_capabilities_baseline.go` of
 * k8s.io/pod-security-admission decides it: `capabilities.add` of every container list holds only
 * names of the default set (exact, case-sensitive; `NET_RAW` and `ALL` are refused). Windows pods are
 * not exempt at this level.
 */
export const restrictAddedCapabilities = workloadPolicy({
  name: "restrict-added-capabilities",
  description: "Containers add no capability beyond the baseline set (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      const add = record(record(c.container.securityContext).capabilities).add;
      if (!Array.isArray(add)) continue;
      const extra = add.filter((cap) => !BASELINE_CAPABILITIES.has(String(cap)));
      if (extra.length > 0)
        report(`${c.label}: securityContext.capabilities.add contains ${extra.join(", ")}`);
    }
  },
});
