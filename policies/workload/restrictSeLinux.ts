import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/** SELinux types the Pod Security Standards baseline allows. */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

function problems(options: unknown): string[] {
  const opts = record(options);
  const out: string[] = [];
  if (opts.type !== undefined && !ALLOWED_SELINUX_TYPES.has(String(opts.type))) {
    out.push(`seLinuxOptions.type is ${JSON.stringify(opts.type)}`);
  }
  for (const field of ["user", "role"]) {
    if (opts[field] !== undefined && opts[field] !== "") out.push(`seLinuxOptions.${field} is set`);
  }
  return out;
}

/** Pod Security Standards baseline, "SELinux": only container types, no custom user or role. */
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
