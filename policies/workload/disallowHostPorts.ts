import { workloadPolicy } from "../lib/define";
import { records } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/**
 * Pod Security Standards baseline, "Host Ports", as `policy/check_hostPorts.go` of
 * k8s.io/pod-security-admission decides it: every `ports[*].hostPort` of every container list is
 * unset or 0.
 */
export const disallowHostPorts = workloadPolicy({
  name: "disallow-host-ports",
  description: "Containers do not bind host ports (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      records(c.container.ports).forEach((port, i) => {
        if (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0) {
          report(`${c.label}: ports[${i}].hostPort is ${String(port.hostPort)}`);
        }
      });
    }
  },
});
