// The desired-state diff: which resources a change adds, removes or changes, and which input fields,
// computed from two plans in their JSON form (`npm run plan -- --json`). Pure functions only.
import { SECRET } from "./evaluate";
import { refusal, replacingPaths } from "./replacements";

/** One resource of a plan, as `npm run plan -- --json` prints it. */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Absent in plans from before `protect` was recorded. */
  readonly protect?: boolean;
  /** Input paths the engine does not diff (`ignoreChanges`); absent in older plans. */
  readonly ignoreChanges?: readonly string[];
  /** For each input, the URNs its value comes from; absent in older plans. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** URN of the provider resource it is created with; absent for default providers and older plans. */
  readonly provider?: string | null;
  /** URNs of earlier resources whose state it takes over (`aliases`); absent in older plans. */
  readonly aliases?: readonly string[];
  /** Inputs with unknowns already marked and secrets masked leaf by leaf. */
  readonly inputs: unknown;
}

/** A resource identified by its URN. */
export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
}

/**
 * One changed input field. `before`/`after` are absent when the field is not set on that side.
 * A secret change (`secret: true`) never carries a value: both sides read {@link SECRET}.
 */
export interface FieldChange {
  /** Pulumi property path, as `ignoreChanges` takes it: `spec.ports[0].port`, `labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly secret?: true;
}

/** A resource present on both sides whose inputs or protection differ. */
export interface ResourceChange extends ResourceRef {
  readonly fields: FieldChange[];
  /** The changed fields that make Pulumi replace the resource (delete and create); absent: updated in place. */
  readonly replacedBecause?: readonly string[];
  /** Changes the API server will refuse, with the reason; absent: none. */
  readonly refused?: readonly string[];
  /** Present only when `protect` itself changed. */
  readonly protect?: { readonly before: boolean; readonly after: boolean };
}

/** What moving from one plan to another does to the resources. */
export interface PlanDiff {
  readonly added: ResourceRef[];
  readonly removed: ResourceRef[];
  readonly changed: ResourceChange[];
  /** Resources present on both sides with nothing changed. */
  readonly unchanged: number;
}

/**
 * Compares two plans by URN, as the engine does: a resource whose alias names a URN of the first
 * plan that the second no longer has is that resource, renamed (no delete and create). Every list is
 * ordered by URN, every field list by path.
 */
export function diffPlans(before: readonly PlanResource[], after: readonly PlanResource[]): PlanDiff {
  const old = new Map(before.map((r) => [r.urn, r]));
  const now = new Map(after.map((r) => [r.urn, r]));
  // Each resource of `after` with its state in `before`: under its own URN, else through the first
  // of its aliases that no other resource holds (the plan advises against conflicting aliases, which
  // the engine refuses: see aliases.ts).
  const previousOf = new Map<PlanResource, PlanResource>();
  for (const resource of after) if (old.has(resource.urn)) previousOf.set(resource, old.get(resource.urn)!);
  const carried = new Set([...previousOf.values()].map((r) => r.urn));
  for (const resource of after) {
    if (previousOf.has(resource)) continue;
    const earlier = (resource.aliases ?? []).find(
      (urn) => old.has(urn) && !now.has(urn) && !carried.has(urn),
    );
    if (earlier === undefined) continue;
    previousOf.set(resource, old.get(earlier)!);
    carried.add(earlier);
  }
  const added = after.filter((r) => !previousOf.has(r)).map(ref);
  const removed = before.filter((r) => !carried.has(r.urn)).map(ref);
  const changed: ResourceChange[] = [];
  for (const [resource, previous] of previousOf) {
    // What the engine ignores is no change to the stack (the DOKS version after creation, say).
    const ignored = resource.ignoreChanges ?? [];
    const fields = diffValues(previous.inputs, resource.inputs).filter(
      (f) => !ignored.some((p) => covers(p, f.path)),
    );
    const protect = { before: previous.protect ?? false, after: resource.protect ?? false };
    if (fields.length > 0 || protect.before !== protect.after)
      changed.push({
        ...ref(resource),
        fields,
        ...consequences(resource.type, fields),
        ...(protect.before !== protect.after ? { protect } : {}),
      });
  }
  const kept = [...previousOf.keys()];
  const all = replacedThroughDependencies(kept, changed);
  const unchanged = kept.length - all.length;
  return { added: byUrn(added), removed: byUrn(removed), changed: byUrn(all), unchanged };
}

/**
 * Adds what a replacement replaces in turn: a resource whose replacing input takes its value from
 * a replaced resource (a cluster's `vpcUuid` from a new VPC), and every resource created with a
 * replaced provider (the objects of a replaced cluster). Their own inputs often look unchanged in
 * a plan (the new ID is unknown until deploy), so this follows the dependencies instead.
 */
function replacedThroughDependencies(
  resources: readonly PlanResource[],
  changed: readonly ResourceChange[],
): ResourceChange[] {
  const byUrn = new Map(changed.map((c) => [c.urn, c]));
  const names = new Map(resources.map((r) => [r.urn, r.name]));
  const replaced = () => new Set([...byUrn.values()].filter((c) => c.replacedBecause).map((c) => c.urn));
  for (let grew = true; grew;) {
    grew = false;
    const gone = replaced();
    for (const resource of resources) {
      if (gone.has(resource.urn)) continue;
      const forcing = replacingPaths(resource.type);
      const reasons = Object.entries(resource.propertyDependencies ?? {})
        .filter(
          ([key, deps]) =>
            forcing.some((p) => p === key || p.startsWith(`${key}.`)) && deps.some((d) => gone.has(d)),
        )
        .map(
          ([key, deps]) =>
            `${key} (${names.get(deps.find((d) => gone.has(d))!) ?? "a replaced resource"} is replaced)`,
        );
      if (resource.provider && gone.has(resource.provider))
        reasons.push(`provider (${names.get(resource.provider) ?? "its provider"} is replaced)`);
      if (reasons.length === 0) continue;
      const current = byUrn.get(resource.urn);
      byUrn.set(resource.urn, { ...(current ?? { ...ref(resource), fields: [] }), replacedBecause: reasons });
      grew = true;
    }
  }
  return [...byUrn.values()];
}

/** Which changed fields replace the resource, and which the API server will refuse. */
function consequences(type: string, fields: readonly FieldChange[]) {
  const forcing = replacingPaths(type);
  const replacedBecause = forcing.filter((path) => fields.some((f) => covers(path, f.path)));
  const refused = fields.flatMap((f) => refusal(type, f.path, f.before, f.after) ?? []);
  return {
    ...(replacedBecause.length > 0 ? { replacedBecause } : {}),
    ...(refused.length > 0 ? { refused } : {}),
  };
}

/** Whether an `ignoreChanges` path covers a field path: itself, or a field or item below it. */
function covers(ignored: string, path: string): boolean {
  return path === ignored || path.startsWith(`${ignored}.`) || path.startsWith(`${ignored}[`);
}

/**
 * The fields that differ between two input values, depth first with object keys sorted. A field
 * that is null counts as not set. Where either side holds a secret, only the fact of the change is
 * reported, including when a field became or stopped being secret.
 */
export function diffValues(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], joinKey(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffValues(before[i], after[i], `${path}[${i}]`)).flat();
  }
  if (isNotSet(before) && isNotSet(after)) return [];
  if (before === after) return [];
  const field = path === "" ? "(inputs)" : path;
  if (holdsSecret(before) || holdsSecret(after)) {
    return [
      {
        path: field,
        ...(isNotSet(before) ? {} : { before: SECRET }),
        ...(isNotSet(after) ? {} : { after: SECRET }),
        secret: true,
      },
    ];
  }
  return [
    {
      path: field,
      ...(isNotSet(before) ? {} : { before }),
      ...(isNotSet(after) ? {} : { after }),
    },
  ];
}

/** Whether a value is, or contains, a masked secret. */
export function holdsSecret(value: unknown): boolean {
  if (value === SECRET) return true;
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (isRecord(value)) return Object.values(value).some(holdsSecret);
  return false;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function joinKey(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNotSet(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function ref(resource: ResourceRef): ResourceRef {
  return { urn: resource.urn, type: resource.type, name: resource.name };
}

function byUrn<T extends ResourceRef>(list: T[]): T[] {
  return list.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

/**
 * Replaces the project directory in every string of `value` by `.`: two checkouts of the same
 * program (the worktree of the base and the working tree) differ in where they are, not in what
 * they declare (e.g. an image's build context).
 */
export function relativePaths<T>(value: T, projectDirs: readonly string[]): T {
  const dirs = [...new Set(projectDirs.map((d) => d.replace(/\/+$/, "")))].sort(
    (a, b) => b.length - a.length,
  );
  const map = (v: unknown): unknown => {
    if (typeof v === "string") return dirs.reduce((s, dir) => replaceDir(s, dir), v);
    if (Array.isArray(v)) return v.map(map);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(x)]));
    return v;
  };
  return map(value) as T;
}

function replaceDir(text: string, dir: string): string {
  if (text === dir) return ".";
  return text.split(`${dir}/`).join("./");
}
