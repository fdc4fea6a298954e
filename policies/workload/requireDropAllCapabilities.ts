import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/**
 * Pod Security Standards restricted, "Capabilities": every container drops `ALL` and adds at most
 * `NET_BIND_SERVICE`.
 */
export const requireDropAllCapabilities = workloadPolicy({
  name: "require-drop-all-capabilities",
  description:
    "Containers drop ALL capabilities and add only NET_BIND_SERVICE (Pod Security Standards restricted).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      const caps = record(record(c.container.securityContext).capabilities);
      const drop = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
      if (!drop.includes("ALL")) report(`${c.label}: securityContext.capabilities.drop does not contain ALL`);
      const add = Array.isArray(caps.add) ? caps.add.map(String) : [];
      const extra = add.filter((cap) => cap !== "NET_BIND_SERVICE");
      if (extra.length > 0)
        report(`${c.label}: securityContext.capabilities.add contains ${extra.join(", ")}`);
    }
  },
});
