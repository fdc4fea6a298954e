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
      if (missing.length > 0) report(`${c.label}: missing ${missing.join(", ")}`);
    }
  },
});
