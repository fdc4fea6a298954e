// The desired-state diff as a pull-request comment (Markdown) and as one JSON document.
import type { Violation } from "../../policies/engine";
import type { CostDelta, UsdRange } from "../../cost";
import { FieldChange, PlanDiff, ResourceChange, ResourceRef } from "./diff";
import { UNKNOWN_MARKER } from "./render";

/** A diff of one stack against a git ref, with the working tree's policy results. */
export interface DiffReport {
  readonly stack: string;
  /** The git ref as given, e.g. `origin/main`. */
  readonly base: string;
  /** The commit the ref resolved to. */
  readonly baseCommit: string;
  /** False when the base has no `Pulumi.<stack>.yaml`: then every resource is added. */
  readonly baseHasStack: boolean;
  readonly diff: PlanDiff;
  /** Policy and schema results of the working tree. */
  readonly violations: readonly Violation[];
  /** Monthly cost before and after, at today's prices. */
  readonly cost?: CostDelta;
}

/** `npm run plan -- --stack <s> --diff <ref> --json`. */
export interface DiffDocument {
  readonly stack: string;
  readonly base: string;
  readonly baseCommit: string;
  readonly added: readonly ResourceRef[];
  readonly removed: readonly ResourceRef[];
  readonly changed: readonly ResourceChange[];
  readonly unchanged: number;
  readonly violations: readonly Violation[];
  readonly cost?: { readonly before: UsdRange; readonly after: UsdRange; readonly changeUsd: UsdRange };
}

/** Extra content a caller adds to the Markdown, e.g. a cost estimate. */
export interface MarkdownExtras {
  /** Lines shown right under the summary line, one paragraph each. */
  readonly summaryLines?: readonly string[];
}

/** A resource's field list goes into a collapsed <details> above this many fields... */
const MAX_OPEN_FIELDS = 8;
/** ...or when one of its values is longer than this. */
const MAX_OPEN_VALUE = 80;

export function diffDocument(report: DiffReport): DiffDocument {
  const { added, removed, changed, unchanged } = report.diff;
  return {
    stack: report.stack,
    base: report.base,
    baseCommit: report.baseCommit,
    added,
    removed,
    changed,
    unchanged,
    violations: report.violations,
    ...(report.cost
      ? { cost: { before: report.cost.before, after: report.cost.after, changeUsd: report.cost.changeUsd } }
      : {}),
  };
}

/** `N to add, N to change, N to delete`. */
export function summaryLine(diff: PlanDiff): string {
  return `${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to delete`;
}

/** The report as Markdown for a pull-request comment; the same report always gives the same text. */
export function renderDiffMarkdown(report: DiffReport, extras: MarkdownExtras = {}): string {
  const { diff } = report;
  const blocks = [
    `## Desired state of ${code(report.stack)} against ${code(report.base)} (${code(report.baseCommit.slice(0, 12))})`,
    `**${summaryLine(diff)}** (${diff.unchanged} unchanged)`,
    ...(extras.summaryLines ?? []),
  ];
  if (!report.baseHasStack)
    blocks.push(
      `${code(`Pulumi.${report.stack}.yaml`)} does not exist at ${code(report.base)}: every resource is new.`,
    );
  if (diff.added.length > 0) blocks.push("### To add", resourceList(diff.added));
  if (diff.changed.length > 0) blocks.push("### To change", ...diff.changed.map(changeBlock));
  if (diff.removed.length > 0) blocks.push("### To delete", resourceList(diff.removed));
  if (diff.added.length + diff.changed.length + diff.removed.length === 0)
    blocks.push("No changes to the desired state.");
  blocks.push(...policyBlocks(report.violations));
  return `${blocks.join("\n\n")}\n`;
}

function resourceList(resources: readonly ResourceRef[]): string {
  return resources.map((r) => `- ${title(r)}`).join("\n");
}

function title(resource: ResourceRef): string {
  return `${code(resource.name)} · ${code(resource.type)}`;
}

function changeBlock(change: ResourceChange): string {
  const lines = [
    ...(change.replacedBecause
      ? [
          `- ⚠️ **replaced** (deleted and created again) because of ${change.replacedBecause.map(code).join(", ")}`,
        ]
      : []),
    ...(change.refused ?? []).map((reason) => `- ⛔ **refused**: ${reason}`),
    ...(change.protect
      ? [`- protect: ${code(String(change.protect.before))} → ${code(String(change.protect.after))}`]
      : []),
    ...change.fields.map((f) => `- ${fieldLine(f)}`),
  ];
  const list = lines.join("\n");
  const long =
    change.fields.length > MAX_OPEN_FIELDS ||
    change.fields.some((f) =>
      [f.before, f.after].some((v) => JSON.stringify(v ?? null).length > MAX_OPEN_VALUE),
    );
  const heading = `#### ${title(change)}`;
  if (!long) return `${heading}\n\n${list}`;
  const count = `${change.fields.length} field${change.fields.length === 1 ? "" : "s"} changed`;
  return `${heading}\n\n<details><summary>${count}</summary>\n\n${list}\n\n</details>`;
}

function fieldLine(field: FieldChange): string {
  if (field.secret) return `${code(field.path)}: changed (secret)`;
  return `${code(field.path)}: ${value(field.before)} → ${value(field.after)}`;
}

function value(v: unknown): string {
  if (v === undefined) return "(not set)";
  if (v === UNKNOWN_MARKER) return UNKNOWN_MARKER;
  return code(JSON.stringify(v));
}

function policyBlocks(violations: readonly Violation[]): string[] {
  if (violations.length === 0) return ["### Policies", "No violations."];
  const sorted = [...violations].sort(
    (a, b) =>
      a.policy.localeCompare(b.policy) ||
      a.resource.localeCompare(b.resource) ||
      a.message.localeCompare(b.message),
  );
  const mandatory = sorted.filter((v) => v.enforcementLevel === "mandatory");
  const advisory = sorted.filter((v) => v.enforcementLevel !== "mandatory");
  const blocks = [
    "### Policies",
    `${mandatory.length > 0 ? `**${mandatory.length} mandatory** (fails the check)` : "0 mandatory"}, ${advisory.length} advisory`,
  ];
  if (mandatory.length > 0) blocks.push(mandatory.map(violationLine).join("\n"));
  if (advisory.length > 0)
    blocks.push(
      `<details><summary>${advisory.length} advisory</summary>\n\n${advisory.map(violationLine).join("\n")}\n\n</details>`,
    );
  return blocks;
}

function violationLine(v: Violation): string {
  const resource = v.resource.includes("::")
    ? v.resource.slice(v.resource.lastIndexOf("::") + 2)
    : v.resource;
  return `- ${code(v.policy)} on ${code(resource)}: ${escapeText(v.message)}`;
}

/** An inline code span that survives backticks in the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Plain text that Markdown and HTML leave as it is. */
function escapeText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|])/g, "\\$1")
    .replace(/\n/g, " ");
}
