import type { Violation } from "../../policies/engine";
import type { CostEstimate, StackCapacity } from "../../cost";
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
    /** URN of the explicit provider it is created with; null for a default provider. */
    provider: string | null;
    /** URNs of earlier resources whose state it takes over (`aliases`). */
    aliases: readonly string[];
  }[];
  readonly outputs: Record<string, unknown>;
  readonly violations: readonly Violation[];
  /** Monthly cost estimate; see docs/cost.md. */
  readonly cost?: CostEstimate;
  /** Pod requests against the nodes' allocatable capacity, and the headroom; see docs/cost.md. */
  readonly capacity?: StackCapacity;
}

/** Builds the JSON document of a plan; unknown values become {@link UNKNOWN_MARKER}. */
export function planDocument(
  evaluation: Evaluation,
  violations: readonly Violation[],
  cost?: CostEstimate,
  capacity?: StackCapacity,
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
      provider: r.provider,
      aliases: r.aliases,
    })),
    outputs: markUnknowns(evaluation.outputs) as Record<string, unknown>,
    violations,
    ...(cost ? { cost } : {}),
    ...(capacity ? { capacity } : {}),
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

/** Name under which the plan reports what it cannot check offline (not a policy of the pack). */
export const OFFLINE_COVERAGE = "offline-coverage";

// Resources whose objects the offline plan never sees: under the mock runtime a helm.v4.Chart or a
// yaml.v2 manifest registers no children, and a helm.v3.Release deploys its objects inside the provider.
const HELM_TYPES: Readonly<Record<string, "v4" | "v3" | "manifest">> = {
  "kubernetes:helm.sh/v4:Chart": "v4",
  "kubernetes:helm.sh/v3:Release": "v3",
  "kubernetes:yaml/v2:ConfigFile": "manifest",
  "kubernetes:yaml/v2:ConfigGroup": "manifest",
};
const TREE_NOTE = "  [rendered objects not checked offline]";

function shown(value: unknown): string | undefined {
  if (value === UNKNOWN) return UNKNOWN_MARKER;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * One advisory per Helm chart (`helm.v4.Chart`), release (`helm.v3.Release`) or manifest
 * (`yaml.v2.ConfigFile`, `ConfigGroup`) of the stack, naming the chart and its version (or the file) and the stack: the offline plan does not see the objects they render, so their
 * policies are not checked here. `pulumi preview --policy-pack` checks a v4 chart's objects; a v3
 * Release is opaque to policies there too, so its note points to `helm template | npm run policy`.
 */
export function helmChartAdvisories(
  evaluation: Evaluation,
  policyConfigStack = evaluation.stack,
): Violation[] {
  const preview =
    `pulumi preview --stack ${evaluation.stack} --policy-pack policies ` +
    `--policy-pack-config policies/config/${policyConfigStack}.json`;
  return evaluation.resources.flatMap((r): Violation[] => {
    const kind = HELM_TYPES[r.type];
    if (!kind) return [];
    if (kind === "manifest") {
      const source = shown(r.inputs.file) ?? "its inline objects";
      const message = `manifest ${source} (stack ${evaluation.stack}): its objects are not checked offline; \`${preview}\` reads and checks them`;
      return [{ policy: OFFLINE_COVERAGE, enforcementLevel: "advisory", resource: r.urn, message }];
    }
    const chart = shown(r.inputs.chart) ?? "(no chart)";
    const version = shown(r.inputs.version);
    const what = `Helm chart "${chart}" ${version ? `version ${version}` : "(no version pinned)"} (stack ${evaluation.stack})`;
    const message =
      kind === "v4"
        ? `${what}: its rendered objects are not checked offline; \`${preview}\` renders and checks them`
        : `${what}, deployed as a helm.v3.Release: its objects are not checked offline, and ` +
          `\`${preview}\` does not see them either (a Release is opaque to policy packs); check the ` +
          `output of \`helm template\` with \`npm run policy -- --stack ${policyConfigStack} -\``;
    return [{ policy: OFFLINE_COVERAGE, enforcementLevel: "advisory", resource: r.urn, message }];
  });
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
      const flags = (resource.protect ? "  [protected]" : "") + (HELM_TYPES[resource.type] ? TREE_NOTE : "");
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
