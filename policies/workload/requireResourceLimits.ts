import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

/** Config of {@link requireResourceLimits}. */
export interface ResourceLimitsConfig {
  /** Require `resources.limits.cpu` too (Polaris, kube-score, Checkov do; Kyverno does not). Default: true. */
  readonly requireCpuLimit: boolean;
}

function isSet(value: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "") || typeof value === "number";
}

/**
 * Containers and init containers request memory and CPU and set a memory limit (and a CPU limit
 * when `requireCpuLimit`). Ephemeral containers are skipped: the API does not allow them resources.
 * A container with limits but no requests is reported too, with a note: the API server defaults a
 * missing request to its limit, which hides the decision the rule asks for.
 */
export const requireResourceLimits = workloadPolicy<ResourceLimitsConfig>({
  name: "require-resource-limits",
  description: "Containers set CPU and memory requests and limits (the CPU limit per stack config).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set resources.requests.{cpu,memory} and resources.limits.{memory,cpu} on every container.",
  configSchema: {
    properties: {
      requireCpuLimit: { type: "boolean", default: true, description: "Require resources.limits.cpu." },
    },
  },
  check: ({ pod, config, report }) => {
    for (const c of containersOf(pod, ["containers", "initContainers"])) {
      const resources = record(c.container.resources);
      const requests = record(resources.requests);
      const limits = record(resources.limits);
      const missing: string[] = [];
      if (!isSet(requests.cpu)) missing.push("resources.requests.cpu");
      if (!isSet(requests.memory)) missing.push("resources.requests.memory");
      if (config.requireCpuLimit && !isSet(limits.cpu)) missing.push("resources.limits.cpu");
      if (!isSet(limits.memory)) missing.push("resources.limits.memory");
      if (missing.length === 0) continue;
      // Kubernetes copies a limit into a missing request (API defaulting), so the container would be
      // admitted with requests equal to its limits: the rule still asks for requests set on purpose.
      const copied = ["cpu", "memory"].filter((r) => !isSet(requests[r]) && isSet(limits[r]));
      const note =
        copied.length === 0
          ? ""
          : `; Kubernetes copies resources.limits.${copied.join(" and resources.limits.")} into the missing ` +
            `request${copied.length > 1 ? "s" : ""}, so the container would request as much as its limit: ` +
            "set the requests explicitly to what it needs";
      report(`${c.label}: missing ${missing.join(", ")}${note}`);
    }
  },
});
