import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf, isWindowsPod } from "../lib/podSpec";

/**
 * Pod Security Standards restricted, "Capabilities", as `policy/check_capabilities_restricted.go` of
 * k8s.io/pod-security-admission decides it: every container, init container and ephemeral container
 * lists exactly `ALL` in `capabilities.drop` (case-sensitive) and adds nothing but `NET_BIND_SERVICE`.
 * Since v1.25 pods with `spec.os.name: windows` are exempt (capabilities are Linux-only).
 */
export const requireDropAllCapabilities = workloadPolicy({
  name: "require-drop-all-capabilities",
  description:
    "Containers drop ALL capabilities and add only NET_BIND_SERVICE (Pod Security Standards restricted).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    if (isWindowsPod(pod)) return;
    for (const c of containersOf(pod)) {
      const caps = record(record(c.container.securityContext).capabilities);
      const drop = Array.isArray(caps.drop) ? caps.drop : [];
      if (!drop.includes("ALL")) report(`${c.label}: securityContext.capabilities.drop does not contain ALL`);
      const add = Array.isArray(caps.add) ? caps.add : [];
      const extra = add.filter((cap) => cap !== "NET_BIND_SERVICE").map(String);
      if (extra.length > 0)
        report(`${c.label}: securityContext.capabilities.add contains ${extra.join(", ")}`);
    }
  },
});
