import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/**
 * Pod Security Standards baseline, "HostProcess", as `policy/check_windowsHostProcess.go` of
 * k8s.io/pod-security-admission decides it: `windowsOptions.hostProcess` is unset or false on the pod
 * and on every container list.
 */
export const disallowHostProcess = workloadPolicy({
  name: "disallow-host-process",
  description: "Pods do not run Windows HostProcess containers (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    if (record(record(pod.spec.securityContext).windowsOptions).hostProcess === true) {
      report(`${pod.path}.securityContext.windowsOptions.hostProcess is true`);
    }
    for (const c of containersOf(pod)) {
      if (record(record(c.container.securityContext).windowsOptions).hostProcess === true) {
        report(`${c.label}: securityContext.windowsOptions.hostProcess is true`);
      }
    }
  },
});
