// Monthly cost of a stack from the resources it declares, priced from pricing/digitalocean.json.
// No Pulumi runtime here: the offline plan passes its evaluation, the `budget` policy the analyzer's
// resources, and both get the same numbers.
import { loadPrices, PRICE_TABLE_FILE, type PriceTable } from "./prices";
import {
  cents,
  classify,
  RULES,
  stackFacts,
  type CostItem,
  type CostResource,
  type StackFacts,
  type UnpricedResource,
  type UsdRange,
  usd,
} from "./rules";

export { loadPrices, PRICE_TABLE_FILE, PriceTableError, type PriceTable } from "./prices";
export type { CostItem, CostResource, UnpricedResource, UsdRange } from "./rules";

/** A stack's monthly cost: the total range, what makes it up, and what could not be priced. */
export interface CostEstimate {
  /** Sum of the items; `max` assumes every autoscaling pool at its maximum. Unpriced resources are not in it. */
  readonly monthlyUsd: UsdRange;
  readonly items: CostItem[];
  readonly unpriced: UnpricedResource[];
}

/** Anything with a resource list: an offline-plan evaluation has `resources`. */
export interface HasResources {
  readonly resources: readonly CostResource[];
}

/**
 * Estimates the monthly cost of `input` (an evaluation, or a plain `{urn, type, name, props|inputs}`
 * list): one item per billable part of a resource, autoscaling pools as min–max, volumes from their
 * requests (StatefulSet templates × replicas). A resource that may cost money but cannot be priced
 * (missing price, value unknown until deploy, type not in the table) is listed in `unpriced` with the
 * reason and adds nothing to the total: the total is then a lower bound.
 */
export function estimateCost(
  input: HasResources | readonly CostResource[],
  prices: PriceTable = loadPrices(),
): CostEstimate {
  const resources: readonly CostResource[] = Array.isArray(input) ? input : (input as HasResources).resources;
  const stack: StackFacts = stackFacts(resources, prices);
  const items: CostItem[] = [];
  const unpriced: UnpricedResource[] = [];
  const rendered = renderedCharts(resources);
  for (const r of resources) {
    // Under the real CLI a v4 chart's objects are resources of their own and are priced as such.
    if (rendered.has(r.urn)) continue;
    const id = { urn: r.urn, type: r.type, name: r.name };
    const kind = classify(r.type);
    if (kind === "free") continue;
    // A component is billed through its children, except a Helm chart, whose children are not seen offline.
    if (r.custom === false && !(r.type in RULES)) continue;
    if ("reason" in kind) {
      unpriced.push({ ...id, reason: kind.reason });
      continue;
    }
    const result = kind(r.props ?? r.inputs ?? {}, prices, stack, r.urn);
    for (const item of result.items) items.push({ ...id, ...item });
    for (const reason of result.unpriced) unpriced.push({ ...id, reason });
  }
  return { monthlyUsd: total(items), items, unpriced };
}

const CHART = "kubernetes:helm.sh/v4:Chart";

/** Charts whose rendered objects are among the resources (the URN's type chain runs through them). */
export function renderedCharts(resources: readonly CostResource[]): Set<string> {
  const qualifiedType = (urn: string) => urn.split("::")[2] ?? "";
  const childTypes = resources.map((r) => qualifiedType(r.urn));
  return new Set(
    resources
      .filter((r) => r.type === CHART)
      .filter((chart) => childTypes.some((t) => t.startsWith(`${qualifiedType(chart.urn)}$`)))
      .map((chart) => chart.urn),
  );
}

function total(items: readonly { readonly monthlyUsd: UsdRange }[]): UsdRange {
  let min = 0;
  let max = 0;
  for (const item of items) {
    min += item.monthlyUsd.min;
    max += item.monthlyUsd.max;
  }
  return { min: cents(min), max: cents(max) };
}

/** "$66.00", or "$288.00–$432.00" for a range. */
export function formatRange(range: UsdRange): string {
  return range.min === range.max ? usd(range.min) : `${usd(range.min)}–${usd(range.max)}`;
}

function signed(amount: number): string {
  return amount < 0 ? `-${usd(-amount)}` : `+${usd(amount)}`;
}

/** A signed change, e.g. "+$24.00" or "+$0.00–+$48.00". */
export function formatChange(range: UsdRange): string {
  return range.min === range.max ? signed(range.min) : `${signed(range.min)}–${signed(range.max)}`;
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i])).join("  ")}`.trimEnd());
}

/** The estimate for people: total, one line per item, then the unpriced resources with reasons. */
export function renderCost(estimate: CostEstimate, prices: PriceTable = loadPrices()): string {
  const lines = [`Monthly cost estimate: ${formatRange(estimate.monthlyUsd)}`];
  if (estimate.items.length > 0) {
    const rows = [...estimate.items]
      .sort((a, b) => b.monthlyUsd.max - a.monthlyUsd.max)
      .map((i) => [formatRange(i.monthlyUsd), `${i.description} (${i.name})`, i.basis]);
    lines.push(...table(rows));
  } else lines.push("  nothing billable");
  if (estimate.unpriced.length > 0) {
    lines.push(`Unpriced, not in the total (${estimate.unpriced.length}):`);
    for (const u of estimate.unpriced) lines.push(`  - ${u.name} (${u.type}): ${u.reason}`);
  }
  lines.push(
    `Prices: ${PRICE_TABLE_FILE} (read ${latestRead(prices)}). Not included: bandwidth overage, Spaces storage beyond the subscription's 250 GiB, extra registry storage.`,
  );
  return lines.join("\n");
}

/** The newest `read` date in the table. */
export function latestRead(prices: PriceTable = loadPrices()): string {
  const dates = [
    prices.kubernetes.haControlPlane,
    prices.loadBalancer.perNode,
    prices.blockStorage.perGiB,
    prices.postgresqlStandbyNode,
    ...Object.values(prices.droplets),
    ...Object.values(prices.containerRegistry),
    ...Object.values(prices.postgresql),
    prices.spaces.subscription,
    prices.volumeSnapshots.perGiB,
  ].map((e) => e.read);
  return dates.sort().at(-1) ?? "";
}

/** One item present before and after with a different amount or basis. */
export interface CostItemChange {
  readonly before: CostItem;
  readonly after: CostItem;
  readonly changeUsd: UsdRange;
}

/** The difference between two estimates, item by item (an item is its URN and description). */
export interface CostDelta {
  readonly before: UsdRange;
  readonly after: UsdRange;
  /** after − before, end by end. */
  readonly changeUsd: UsdRange;
  readonly added: CostItem[];
  readonly removed: CostItem[];
  readonly changed: CostItemChange[];
  /** Unpriced entries new in `after`, and those gone from it. */
  readonly unpricedAdded: UnpricedResource[];
  readonly unpricedRemoved: UnpricedResource[];
}

const itemKey = (i: { urn: string; description: string }) => `${i.urn}\n${i.description}`;
const unpricedKey = (u: UnpricedResource) => `${u.urn}\n${u.reason}`;

function diffRange(before: UsdRange, after: UsdRange): UsdRange {
  return { min: cents(after.min - before.min), max: cents(after.max - before.max) };
}

/** What changes in monthly cost from `before` to `after` (e.g. the deployed and the desired state). */
export function costDelta(before: CostEstimate, after: CostEstimate): CostDelta {
  const old = new Map(before.items.map((i) => [itemKey(i), i]));
  const now = new Map(after.items.map((i) => [itemKey(i), i]));
  const changed: CostItemChange[] = [];
  for (const [key, a] of now) {
    const b = old.get(key);
    if (
      b &&
      (b.basis !== a.basis || b.monthlyUsd.min !== a.monthlyUsd.min || b.monthlyUsd.max !== a.monthlyUsd.max)
    )
      changed.push({ before: b, after: a, changeUsd: diffRange(b.monthlyUsd, a.monthlyUsd) });
  }
  const oldUnpriced = new Set(before.unpriced.map(unpricedKey));
  const newUnpriced = new Set(after.unpriced.map(unpricedKey));
  return {
    before: before.monthlyUsd,
    after: after.monthlyUsd,
    changeUsd: diffRange(before.monthlyUsd, after.monthlyUsd),
    added: after.items.filter((i) => !old.has(itemKey(i))),
    removed: before.items.filter((i) => !now.has(itemKey(i))),
    changed,
    unpricedAdded: after.unpriced.filter((u) => !oldUnpriced.has(unpricedKey(u))),
    unpricedRemoved: before.unpriced.filter((u) => !newUnpriced.has(unpricedKey(u))),
  };
}

/** The delta for people: the totals, then one line per added, removed or changed item. */
export function renderCostDelta(delta: CostDelta): string {
  const lines = [
    `Monthly cost: ${formatRange(delta.before)} → ${formatRange(delta.after)} (${formatChange(delta.changeUsd)})`,
  ];
  for (const i of delta.added)
    lines.push(`  + ${i.description} (${i.name}): ${formatRange(i.monthlyUsd)}, ${i.basis}`);
  for (const i of delta.removed)
    lines.push(`  - ${i.description} (${i.name}): ${formatRange(i.monthlyUsd)}, ${i.basis}`);
  for (const c of delta.changed)
    lines.push(
      `  ~ ${c.after.description} (${c.after.name}): ${formatChange(c.changeUsd)}, ${c.before.basis} → ${c.after.basis}`,
    );
  for (const u of delta.unpricedAdded) lines.push(`  ? newly unpriced ${u.name}: ${u.reason}`);
  for (const u of delta.unpricedRemoved) lines.push(`  ? no longer unpriced ${u.name}: ${u.reason}`);
  return lines.join("\n");
}
