import { workloadPolicy } from "../lib/define";

const FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

/**
 * Pod Security Standards baseline, "Host Namespaces", as `policy/check_hostNamespaces.go` of
 * k8s.io/pod-security-admission decides it: `hostNetwork`, `hostPID` and `hostIPC` are unset or false.
 */
export const disallowHostNamespaces = workloadPolicy({
  name: "disallow-host-namespaces",
  description:
    "Pods do not share the host's network, PID or IPC namespace (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const field of FIELDS) {
      if (pod.spec[field] === true) report(`${pod.path}.${field} is true`);
    }
  },
});
