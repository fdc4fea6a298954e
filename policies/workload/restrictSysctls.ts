import { workloadPolicy } from "../lib/define";
import { record, records } from "../lib/paths";

/** The sysctls the Pod Security Standards baseline calls safe. */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

/** Pod Security Standards baseline, "Sysctls": only the safe set. */
export const restrictSysctls = workloadPolicy({
  name: "restrict-sysctls",
  description: "Pods set only safe sysctls (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    records(record(pod.spec.securityContext).sysctls).forEach((sysctl, i) => {
      if (!SAFE_SYSCTLS.has(String(sysctl.name))) {
        report(`${pod.path}.securityContext.sysctls[${i}] "${String(sysctl.name)}" is not a safe sysctl`);
      }
    });
  },
});
