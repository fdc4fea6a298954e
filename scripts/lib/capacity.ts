import { loadPolicyConfig } from "../../policies/policyConfig";
import { requireCapacity } from "../../policies/stack/requireCapacity";

/**
 * The headroom the stack's `require-capacity` policy keeps free (its `minHeadroomPercent` in
 * `policies/config/<stack>.json`, else the policy's default), whatever the policy's level.
 */
export function minHeadroomPercent(stack: string): number {
  const entry = loadPolicyConfig(stack)[requireCapacity.name];
  const configured = typeof entry === "object" ? entry.minHeadroomPercent : undefined;
  if (typeof configured === "number") return configured;
  const schema = requireCapacity.configSchema?.properties.minHeadroomPercent;
  return typeof schema === "object" && typeof schema.default === "number" ? schema.default : 0;
}
