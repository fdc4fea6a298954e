// The README's table of what each shipped stack costs per month, generated from the estimate.
import { cheapestFit, describeEnd, type SizeFit, type StackCapacity } from "./capacity";
import {
  type CostEstimate,
  formatRange,
  latestRead,
  PRICE_TABLE_FILE,
  type PriceTable,
  loadPrices,
} from "./estimate";
import { formatCpu, formatMemory } from "./quantity";

/** Markers around the generated table in the README. */
export const START_MARKER = "<!-- cost-table:start -->";
export const END_MARKER = "<!-- cost-table:end -->";

/** A Markdown cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

function madeOf(estimate: CostEstimate): string {
  const items = [...estimate.items]
    .sort((a, b) => b.monthlyUsd.max - a.monthlyUsd.max)
    .map((i) => `${i.description} ${formatRange(i.monthlyUsd)} (${i.basis})`);
  const unpriced = estimate.unpriced.map((u) => `unpriced: ${u.name} (${u.reason})`);
  const all = [...items, ...unpriced];
  return all.length > 0 ? all.join("; ") : "nothing billable";
}

/** A stack's capacity and the minimum headroom its `require-capacity` policy keeps. */
export interface CapacityColumn {
  readonly report: StackCapacity;
  readonly minHeadroomPercent: number;
}

/** One row of the table. */
export interface CostTableRow {
  readonly stack: string;
  readonly estimate: CostEstimate;
  /** With it, the table shows capacity beside the price and the cheapest node size that fits. */
  readonly capacity?: CapacityColumn;
}

function capacityCell({ report }: CapacityColumn): string {
  const uncounted = report.uncounted.map((u) => `; uncounted: ${u.name} (${u.reason})`).join("");
  if (!report.max || !report.min) {
    const w = report.workloads.max;
    return `CPU ${formatCpu(w.cpuMillis)}, memory ${formatMemory(w.memoryBytes)} requested; node capacity not known offline${uncounted}`;
  }
  if (report.min.nodes === report.max.nodes)
    return `${report.max.nodes} nodes: ${describeEnd(report.max)}${uncounted}`;
  return (
    `at ${report.max.nodes} nodes, HPAs at their maximum: ${describeEnd(report.max)}; ` +
    `at ${report.min.nodes} nodes, HPAs at their minimum: ${describeEnd(report.min)}${uncounted}`
  );
}

/** DigitalOcean recommends nodes with less allocatable memory for development only. */
const PRODUCTION_NODE_GIB = 2;

function describeFit(fit: SizeFit, current: string | undefined): string {
  const count = fit.nodes.min === fit.nodes.max ? `${fit.nodes.min}` : `${fit.nodes.min}–${fit.nodes.max}`;
  const free = `CPU ${fit.max.headroomPercent.cpu.toFixed(1)}% free, memory ${fit.max.headroomPercent.memory.toFixed(1)}% free`;
  return `${count} × ${fit.size}${fit.size === current ? " (the current size)" : ""}, ${formatRange(fit.monthlyUsd)} (${free})`;
}

function cheapestCell(column: CapacityColumn, prices: PriceTable): string {
  const { report, minHeadroomPercent } = column;
  if (!report.max) return "—";
  const current = report.pools[0]?.size;
  const fit = cheapestFit(report, { minHeadroomPercent }, prices);
  if (!fit) return `none in the price table keeps ${minHeadroomPercent}% free`;
  const text = `${describeFit(fit, current)} at ${minHeadroomPercent}% headroom`;
  if (prices.doksNodeCapacity[fit.size].allocatableMemoryGiB >= PRODUCTION_NODE_GIB) return text;
  // DigitalOcean advises against nodes under 2 GiB allocatable beyond development: name both.
  const advised = cheapestFit(report, { minHeadroomPercent, minNodeMemoryGiB: PRODUCTION_NODE_GIB }, prices);
  return (
    `${text}, under the ${PRODUCTION_NODE_GIB} GiB per node DigitalOcean recommends beyond development; ` +
    (advised
      ? `with ${PRODUCTION_NODE_GIB} GiB or more: ${describeFit(advised, current)}`
      : `none with ${PRODUCTION_NODE_GIB} GiB or more fits`)
  );
}

/** The Markdown table (with its footnote) for the given stacks' estimates, in order. */
export function costTable(estimates: readonly CostTableRow[], prices: PriceTable = loadPrices()): string {
  const withCapacity = estimates.some((e) => e.capacity !== undefined);
  const rows = estimates.map(({ stack, estimate, capacity }) => {
    const total = formatRange(estimate.monthlyUsd) + (estimate.unpriced.length > 0 ? " + unpriced" : "");
    const base = `| \`${stack}\` | ${cell(total)} | ${cell(madeOf(estimate))} |`;
    if (!withCapacity) return base;
    const extra = capacity ? [capacityCell(capacity), cheapestCell(capacity, prices)] : ["—", "—"];
    return `${base} ${extra.map(cell).join(" | ")} |`;
  });
  const capacityNote = withCapacity
    ? [
        "Capacity: what the pods request (HPAs at their maximum, charts' pods from their values) against what",
        "the node pool leaves to pods: DOKS allocatable memory per node size and full vCPUs (DigitalOcean",
        "documents no CPU reservation), from the same file. The cheapest node size keeps the pool's node count",
        "and the stack's `require-capacity` headroom. See [docs/cost.md](docs/cost.md#capacity).",
      ]
    : [];
  return [
    withCapacity
      ? "| stack | per month (USD) | made up of | pods' requests / nodes' allocatable | cheapest node size that fits |"
      : "| stack | per month (USD) | made up of |",
    withCapacity ? "| --- | --- | --- | --- | --- |" : "| --- | --- | --- |",
    ...rows,
    "",
    `Generated from \`${PRICE_TABLE_FILE}\` (prices read ${latestRead(prices)}) by \`npm run cost:table\`;`,
    "a range is an autoscaling pool from its minimum to its maximum size. Not included: bandwidth",
    "overage, Spaces storage beyond the subscription's 250 GiB, extra registry storage. See [docs/cost.md](docs/cost.md).",
    ...capacityNote,
  ].join("\n");
}

/** Thrown when the markers are missing or out of order: the message names the file. */
export class MarkerError extends Error {}

/** The text between the markers (without the newlines next to them). */
export function generatedSection(text: string, file: string): string {
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start)
    throw new MarkerError(`${file}: expected ${START_MARKER} … ${END_MARKER} around the cost table`);
  if (text.indexOf(START_MARKER, start + 1) >= 0 || text.indexOf(END_MARKER, end + 1) >= 0)
    throw new MarkerError(`${file}: the cost-table markers appear more than once`);
  return text
    .slice(start + START_MARKER.length, end)
    .replace(/^\n/, "")
    .replace(/\n$/, "");
}

/** `text` with the section between the markers replaced by `table`. */
export function replaceSection(text: string, table: string, file: string): string {
  generatedSection(text, file); // validates the markers
  const start = text.indexOf(START_MARKER) + START_MARKER.length;
  const end = text.indexOf(END_MARKER);
  return `${text.slice(0, start)}\n${table}\n${text.slice(end)}`;
}
