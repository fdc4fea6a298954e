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
const LOCAL_HOSTS: ReadonlySet<string> = new Set(["", "localhost", "127.0.0.1", "::1"]);

/**
 * Pod Security Standards baseline (v1.34+), "Probes / Lifecycle Hooks": probes and lifecycle handlers
 * do not send `httpGet` or `tcpSocket` traffic to another host.
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
          if (host !== undefined && !LOCAL_HOSTS.has(String(host))) {
            report(`${c.label}: ${handlerPath.join(".")}.${action}.host is ${JSON.stringify(host)}`);
          }
        }
      }
    }
  },
});
