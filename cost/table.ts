// The README's table of what each shipped stack costs per month, generated from the estimate.
import {
  type CostEstimate,
  formatRange,
  latestRead,
  PRICE_TABLE_FILE,
  type PriceTable,
  loadPrices,
} from "./estimate";

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

/** The Markdown table (with its footnote) for the given stacks' estimates, in order. */
export function costTable(
  estimates: readonly { readonly stack: string; readonly estimate: CostEstimate }[],
  prices: PriceTable = loadPrices(),
): string {
  const rows = estimates.map(({ stack, estimate }) => {
    const total = formatRange(estimate.monthlyUsd) + (estimate.unpriced.length > 0 ? " + unpriced" : "");
    return `| \`${stack}\` | ${cell(total)} | ${cell(madeOf(estimate))} |`;
  });
  return [
    "| stack | per month (USD) | made up of |",
    "| --- | --- | --- |",
    ...rows,
    "",
    `Generated from \`${PRICE_TABLE_FILE}\` (prices read ${latestRead(prices)}) by \`npm run cost:table\`;`,
    "a range is an autoscaling pool from its minimum to its maximum size. Not included: bandwidth",
    "overage, snapshots, backups storage, extra registry storage. See [docs/cost.md](docs/cost.md).",
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
