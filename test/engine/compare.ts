// Holds the offline plan to the engine: the resources the engine recorded in the stack's state
// against the ones the offline plan lists for the same stack configuration. Pure functions.
import { isDeepStrictEqual } from "node:util";
import { UNKNOWN_MARKER } from "../../scripts/lib/render";
import { SECRET } from "../../scripts/lib/evaluate";

/** A resource of an exported stack deployment (`pulumi stack export`), the fields compared here. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly parent?: string;
  readonly inputs?: Record<string, unknown>;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** A resource of `npm run plan -- --json`. */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly parent: string | null;
  readonly inputs: unknown;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

// How `pulumi stack export` writes a secret it has not decrypted.
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** A provider the engine adds for resources registered without one (`default_<version>`). */
function isDefaultProvider(resource: StateResource): boolean {
  return resource.type.startsWith("pulumi:providers:") && /::default(_[0-9_]+)?$/.test(resource.urn);
}

/**
 * Every difference between the plan and the state: resources on one side only, another type or
 * parent, an input the plan knows (not unknown, not secret) with another value or missing in the
 * state, and other dependencies. Extra inputs in the state (provider defaults, auto-names) are not
 * differences. Empty when the offline plan says what the engine did.
 */
export function differences(plan: readonly PlanResource[], state: readonly StateResource[]): string[] {
  const problems: string[] = [];
  const stackUrn = state.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  // A default Kubernetes provider would deploy to whatever the ambient kubeconfig points at.
  for (const r of state.filter(isDefaultProvider))
    problems.push(`${r.urn}: a resource was registered without an explicit provider`);
  const engine = new Map(
    state.filter((r) => r.type !== "pulumi:pulumi:Stack" && !isDefaultProvider(r)).map((r) => [r.urn, r]),
  );
  const planned = new Map(plan.map((r) => [r.urn, r]));
  for (const urn of planned.keys()) if (!engine.has(urn)) problems.push(`only in the offline plan: ${urn}`);
  for (const urn of engine.keys()) if (!planned.has(urn)) problems.push(`only in the engine's state: ${urn}`);
  for (const [urn, p] of planned) {
    const e = engine.get(urn);
    if (!e) continue;
    if (p.type !== e.type) problems.push(`${urn}: type ${p.type} in the plan, ${e.type} in the state`);
    const parent = e.parent === stackUrn ? null : (e.parent ?? null);
    if (p.parent !== parent) problems.push(`${urn}: parent ${p.parent} in the plan, ${parent} in the state`);
    for (const path of inputDifferences(p.inputs, e.inputs ?? {})) problems.push(`${urn}: input ${path}`);
    const deps = setDifference(p.dependencies, e.dependencies ?? []);
    if (deps) problems.push(`${urn}: dependencies ${deps}`);
    const keys = new Set([
      ...Object.keys(p.propertyDependencies),
      ...Object.keys(e.propertyDependencies ?? {}),
    ]);
    for (const key of [...keys].sort()) {
      const diff = setDifference(p.propertyDependencies[key] ?? [], e.propertyDependencies?.[key] ?? []);
      if (diff) problems.push(`${urn}: propertyDependencies.${key} ${diff}`);
    }
  }
  return problems;
}

/**
 * The paths where the plan knows a value and the state holds another (or none), with both values.
 * The plan knows nothing of a value that is unknown or secret in it (all its leaves); an empty map
 * or list means the same to Kubernetes as an absent one, which is how the provider stores it.
 */
export function inputDifferences(plan: unknown, state: unknown, path = ""): string[] {
  if (!knowsSomething(plan) || isExportedSecret(state)) return [];
  if (state === undefined && isEmptyCollection(plan)) return [];
  if (plan !== null && typeof plan === "object") {
    if (state === null || typeof state !== "object" || Array.isArray(plan) !== Array.isArray(state))
      return [`${path || "(root)"}: ${show(plan)} in the plan, ${show(state)} in the state`];
    if (Array.isArray(plan) && (state as unknown[]).length !== plan.length)
      return [
        `${path || "(root)"}: ${plan.length} items in the plan, ${(state as unknown[]).length} in the state`,
      ];
    const out: string[] = [];
    for (const [key, value] of Object.entries(plan as Record<string, unknown>)) {
      const child = Array.isArray(plan) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      out.push(...inputDifferences(value, (state as Record<string, unknown>)[key], child));
    }
    return out;
  }
  // A property the program sets to null or leaves undefined is absent from the state.
  if (plan === null && state === undefined) return [];
  return isDeepStrictEqual(plan, state)
    ? []
    : [`${path}: ${show(plan)} in the plan, ${show(state)} in the state`];
}

function knowsSomething(value: unknown): boolean {
  if (value === UNKNOWN_MARKER || value === SECRET) return false;
  if (value !== null && typeof value === "object")
    return isEmptyCollection(value) || Object.values(value).some(knowsSomething);
  return true;
}

function isEmptyCollection(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).length === 0;
}

function isExportedSecret(value: unknown): boolean {
  return value !== null && typeof value === "object" && SECRET_SIGNATURE in value;
}

function setDifference(plan: readonly string[], state: readonly string[]): string | undefined {
  const onlyPlan = plan.filter((u) => !state.includes(u));
  const onlyState = state.filter((u) => !plan.includes(u));
  if (onlyPlan.length === 0 && onlyState.length === 0) return undefined;
  return [
    ...(onlyPlan.length ? [`only in the plan: ${onlyPlan.join(", ")}`] : []),
    ...(onlyState.length ? [`only in the state: ${onlyState.join(", ")}`] : []),
  ].join("; ");
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? "nothing" : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
