import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/** SELinux types the Pod Security Standards baseline allows (v1.31+ adds `container_engine_t`). */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

const isEmpty = (value: unknown) => value === undefined || value === null || value === "";

function problems(options: unknown): string[] {
  const opts = record(options);
  const out: string[] = [];
  if (!isEmpty(opts.type) && !ALLOWED_SELINUX_TYPES.has(String(opts.type))) {
    out.push(`seLinuxOptions.type is ${JSON.stringify(opts.type)}`);
  }
  for (const field of ["user", "role"]) {
    if (!isEmpty(opts[field])) out.push(`seLinuxOptions.${field} is set`);
  }
  return out;
}

/**
 * Pod Security Standards baseline, "SELinux", as `policy/check_seLinuxOptions.go` of
 * k8s.io/pod-security-admission decides it (v1.31+): on the pod and every container list,
 * `seLinuxOptions.type` is unset, empty or one of the container types, and `user` and `role` are unset
 * or empty. `level` is free.
 */
export const restrictSeLinux = workloadPolicy({
  name: "restrict-selinux",
  description: "Pods use only the allowed SELinux types and set no SELinux user or role (baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const p of problems(record(pod.spec.securityContext).seLinuxOptions)) {
      report(`${pod.path}.securityContext.${p}`);
    }
    for (const c of containersOf(pod)) {
      for (const p of problems(record(c.container.securityContext).seLinuxOptions)) {
        report(`${c.label}: securityContext.${p}`);
      }
    }
  },
});
