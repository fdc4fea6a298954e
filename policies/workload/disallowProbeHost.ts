import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

const HANDLERS = [
  ["livenessProbe"],
  ["readinessProbe"],
  ["startupProbe"],
  ["lifecycle", "postStart"],
  ["lifecycle", "preStop"],
] as const;

/**
 * Pod Security Standards baseline (v1.34+), "Probes / Lifecycle Hooks", as
 * `policy/check_hostProbesAndhostLifecycle.go` of k8s.io/pod-security-admission decides it: the
 * `host` of every `httpGet` and `tcpSocket` action of the liveness, readiness and startup probes and
 * of the postStart and preStop handlers, in every container list, is unset or empty. Any other value
 * is refused, loopback included: `127.0.0.1`, `localhost` or `::1` make the kubelet probe the node.
 */
export const disallowProbeHost = workloadPolicy({
  name: "disallow-probe-host",
  description: "Probes and lifecycle hooks do not set a host (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      for (const handlerPath of HANDLERS) {
        let handler = c.container;
        for (const key of handlerPath) handler = record(handler[key]);
        for (const action of ["httpGet", "tcpSocket"]) {
          const host = record(handler[action]).host;
          if (host !== undefined && host !== null && host !== "") {
            report(
              `${c.label}: ${handlerPath.join(".")}.${action}.host is ${JSON.stringify(host)}; ` +
                "leave it unset (the pod's IP)",
            );
          }
        }
      }
    }
  },
});
