import type { Violation } from "../../policies/engine";
import type { CostEstimate } from "./cost";
import { Evaluation, PlannedResource, SECRET, UNKNOWN } from "./evaluate";

/** How an unknown value reads in a plan: it is not invented, only marked. */
export const UNKNOWN_MARKER = "(unknown until deploy)";

/** The plan as one JSON document (`npm run plan -- --json`). */
export interface PlanDocument {
  readonly stack: string;
  readonly resources: {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    protect: boolean;
    /** Input paths whose changes the engine ignores. */
    ignoreChanges: readonly string[];
    /** Left behind when Pulumi deletes it. */
    retainOnDelete: boolean;
    inputs: unknown;
    /** URNs this resource depends on, as in `pulumi preview --json` steps. */
    dependencies: readonly string[];
    /** For each input, the URNs its value comes from. */
    propertyDependencies: Readonly<Record<string, readonly string[]>>;
  }[];
  readonly outputs: Record<string, unknown>;
  readonly violations: readonly Violation[];
  /** Monthly cost estimate; see docs/cost.md. */
  readonly cost?: CostEstimate;
}

/** Builds the JSON document of a plan; unknown values become {@link UNKNOWN_MARKER}. */
export function planDocument(
  evaluation: Evaluation,
  violations: readonly Violation[],
  cost?: CostEstimate,
): PlanDocument {
  return {
    stack: evaluation.stack,
    resources: evaluation.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      protect: r.protect,
      ignoreChanges: r.ignoreChanges,
      retainOnDelete: r.retainOnDelete,
      inputs: markUnknowns(r.inputs),
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    })),
    outputs: markUnknowns(evaluation.outputs) as Record<string, unknown>,
    violations,
    ...(cost ? { cost } : {}),
  };
}

/** Replaces the engine's unknown sentinel by a readable marker, everywhere in a value. */
export function markUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_MARKER;
  if (Array.isArray(value)) return value.map(markUnknowns);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markUnknowns(v)]));
  }
  return value;
}

/** The resources as an indented tree, parents before children, in registration order. */
export function renderTree(evaluation: Evaluation): string {
  const children = new Map<string | null, PlannedResource[]>();
  const known = new Set(evaluation.resources.map((r) => r.urn));
  for (const resource of evaluation.resources) {
    const parent = resource.parent && known.has(resource.parent) ? resource.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), resource]);
  }
  const lines = [
    `stack ${evaluation.stack} (project ${evaluation.project}): ${evaluation.resources.length} resources`,
  ];
  const walk = (parent: string | null, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, i) => {
      const last = i === list.length - 1;
      const flags = resource.protect ? "  [protected]" : "";
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${resource.type}  ${resource.name}${flags}`);
      walk(resource.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(null, "");
  const outputs = Object.entries(evaluation.outputs).map(([key, value]) => `  ${key}: ${describe(value)}`);
  if (outputs.length > 0) lines.push("outputs:", ...outputs);
  return lines.join("\n");
}

function describe(value: unknown): string {
  if (value === UNKNOWN) return UNKNOWN_MARKER;
  if (value === SECRET) return SECRET;
  return JSON.stringify(markUnknowns(value));
}

/** Violations grouped by level, mandatory first, for the readable report. */
export function renderViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return "policies: no violations";
  const order = [...violations].sort((a, b) =>
    a.enforcementLevel === b.enforcementLevel ? 0 : a.enforcementLevel === "mandatory" ? -1 : 1,
  );
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return [
    `policies: ${mandatory} mandatory, ${violations.length - mandatory} advisory`,
    ...order.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.resource}\n      ${v.message}`),
  ].join("\n");
}
