import { workloadPolicy } from "../lib/define";
import { record, records } from "../lib/paths";

/**
 * The sysctls the Pod Security Standards baseline calls safe: the set of the newest version of
 * `policy/check_sysctls.go` (v1.0 set, `ip_local_reserved_ports` in v1.27, the TCP keepalive and
 * `tcp_fin_timeout` in v1.29, `tcp_rmem`/`tcp_wmem` in v1.32, `tcp_slow_start_after_idle` and
 * `tcp_notsent_lowat` in v1.37).
 */
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
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
  "net.ipv4.tcp_slow_start_after_idle",
  "net.ipv4.tcp_notsent_lowat",
]);

/**
 * Pod Security Standards baseline, "Sysctls", as `policy/check_sysctls.go` of
 * k8s.io/pod-security-admission decides it: every `spec.securityContext.sysctls[*].name` is in the
 * safe set (exact names; no wildcard, no slash form).
 */
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
