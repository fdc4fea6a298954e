import { resourcePolicy } from "../lib/define";

/** Config of {@link restrictDocrTier}. */
export interface DocrTierConfig {
  /** Allowed `subscriptionTierSlug` values. Default: basic, professional. */
  readonly allowedTiers: readonly string[];
}

/** The DigitalOcean container registry uses a subscription tier the stack allows. */
export const restrictDocrTier = resourcePolicy<DocrTierConfig>({
  name: "restrict-docr-tier",
  description: "DigitalOcean container registries use an allowed subscription tier.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedTiers: {
        type: "array",
        items: { type: "string", enum: ["starter", "basic", "professional"] },
        minItems: 1,
        default: ["basic", "professional"],
        description: "Allowed subscriptionTierSlug values.",
      },
    },
  },
  appliesTo: (type) => type === "digitalocean:index/containerRegistry:ContainerRegistry",
  check: ({ props, config, report }) => {
    const tier = props.subscriptionTierSlug;
    if (typeof tier !== "string" || !config.allowedTiers.includes(tier)) {
      report(
        `subscriptionTierSlug ${JSON.stringify(tier ?? null)} is not one of ${config.allowedTiers.join(", ")}`,
      );
    }
  },
});
