import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { estimateCost, formatRange, PRICE_TABLE_FILE } from "../../cost";
import { type BaseConfig, readConfig, withExemptions } from "../lib/define";
import { findExemption } from "../lib/exemptions";

interface BudgetConfig extends BaseConfig {
  /** Highest acceptable monthly cost in USD; no budget when unset. */
  readonly maxMonthlyUsd?: number;
  /** Also report resources the estimate cannot price (they are not in the total). Default: false. */
  readonly failOnUnpriced: boolean;
}

const configSchema: PolicyConfigSchema = withExemptions({
  properties: {
    maxMonthlyUsd: {
      type: "number",
      minimum: 0,
      description: "Highest acceptable estimated monthly cost in USD (the estimate's maximum is compared).",
    },
    failOnUnpriced: {
      type: "boolean",
      default: false,
      description: "Report resources the price table cannot price, since the total leaves them out.",
    },
  },
});

const dollars = (n: number) => `$${n.toFixed(2)}`;

/**
 * The stack's estimated monthly cost (cost/estimate.ts over the declared resources, priced from
 * pricing/digitalocean.json) stays within `maxMonthlyUsd`. The estimate's maximum counts, so an
 * autoscaling pool is budgeted at its largest size; exactly the budget passes. Exempted resources are
 * left out of the estimate. Without `maxMonthlyUsd` the policy checks nothing.
 */
export const enforceBudget: StackValidationPolicy = {
  name: "budget",
  description: "The stack's estimated monthly cost stays within its budget.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Shrink what the message lists (node size or count, database size or standby nodes, load balancer nodes, " +
    `volumes), or raise maxMonthlyUsd in the stack's policy config if the spend is intended. Prices: ${PRICE_TABLE_FILE}.`,
  configSchema,
  validateStack: (args, reportViolation) => {
    const config = readConfig<BudgetConfig>(args.getConfig(), configSchema);
    const budget = config.maxMonthlyUsd;
    if (budget === undefined) return;
    const resources = args.resources
      .filter((r) => !findExemption(config.exemptions, r))
      .map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.props }));
    const estimate = estimateCost(resources);
    if (estimate.monthlyUsd.max > budget) {
      const items = [...estimate.items]
        .sort((a, b) => b.monthlyUsd.max - a.monthlyUsd.max)
        .map((i) => `${i.name}: ${i.description} ${formatRange(i.monthlyUsd)} (${i.basis})`);
      const unpriced = estimate.unpriced.length > 0 ? `; plus ${estimate.unpriced.length} unpriced` : "";
      reportViolation(
        `estimated monthly cost ${formatRange(estimate.monthlyUsd)} exceeds the budget of ${dollars(budget)}: ` +
          `${items.join("; ")}${unpriced}`,
      );
    }
    if (config.failOnUnpriced) {
      for (const u of estimate.unpriced)
        reportViolation(
          `${u.name} (${u.type}) cannot be priced, so the budget cannot cover it: ${u.reason}`,
          u.urn,
        );
    }
  },
};
