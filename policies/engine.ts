import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidation,
  ResourceValidationArgs,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { APPLIES_TO, type FilteredValidation } from "./lib/define";
import { formatPath } from "./lib/paths";
import { containsUnknown, UnknownValueError, unknownCheckingProxy } from "./lib/sdk";
import { type PolicyConfig, loadPolicyConfig, parsePolicyConfig } from "./policyConfig";
import { policies as allPolicies } from "./policies";

export { loadPolicyConfig, parsePolicyConfig, type PolicyConfig };
export { UNKNOWN } from "./lib/sdk";

/** A resource as the analyzer sees it: type token, name, URN and its properties. */
export interface ResourceUnderTest {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** URN of the parent resource, if any. */
  readonly parent?: string;
  /** URNs this resource depends on. */
  readonly dependencies?: readonly string[];
  /** URNs each input property depends on, e.g. `{ clusterId: [dbClusterUrn] }`. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** One reported violation. */
export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  /** URN (or, for manifests, `kind/namespace/name`) of the resource at fault. */
  readonly resource: string;
  readonly message: string;
}

const PACK_LEVEL: EnforcementLevel = "mandatory";
const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};
const NO_TAGS: ReadonlyMap<string, string> = new Map();

class NotApplicableError extends Error {}
function notApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? "Policy does not apply");
}

type Typed = { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as Typed;
  if (typeof cls.__pulumiType === "string" && cls.__pulumiType) return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

/** The level a policy runs at: its config entry, else `all`, else its own default, else the pack's. */
export function enforcementLevelOf(
  policy: Policies[number],
  config: PolicyConfig,
): "advisory" | "mandatory" | "disabled" {
  const entry = config[policy.name];
  const own = typeof entry === "string" ? entry : entry?.enforcementLevel;
  const all = typeof config.all === "string" ? config.all : undefined;
  const level: EnforcementLevel = own ?? all ?? policy.enforcementLevel ?? PACK_LEVEL;
  return level === "remediate" ? "mandatory" : level; // as the analyzer: a remaining violation is mandatory
}

function settingsOf(policy: Policies[number], config: PolicyConfig): object {
  const entry = config[policy.name];
  if (entry === undefined || typeof entry === "string") return {};
  const settings: Record<string, unknown> = { ...entry };
  delete settings.enforcementLevel;
  return settings;
}

// The analyzer wraps every resource's props in unknownCheckingProxy. Props without an unknown value
// behave the same unwrapped, so only those with one pay for the proxy (one walk per resource).
function previewProps(props: Record<string, unknown>): Record<string, unknown> {
  return containsUnknown(props) ? unknownCheckingProxy(props) : props;
}

interface Runner {
  readonly policy: Policies[number];
  readonly level: "advisory" | "mandatory";
  readonly out: Violation[];
}

function record(r: Runner, resource: string, message: string, level = r.level): void {
  r.out.push({ policy: r.policy.name, enforcementLevel: level, resource, message });
}

/** Runs one validation; unknown reads become an advisory note, notApplicable is silent. */
function guarded(r: Runner, resource: string, run: () => unknown): void {
  try {
    const result = run();
    if (result instanceof Promise) {
      result.catch(() => undefined); // refused unawaited: its rejection is not an unhandled one
      throw new Error("returned a promise; the offline engine runs synchronous policies");
    }
  } catch (e) {
    if (e instanceof NotApplicableError) return;
    if (e instanceof UnknownValueError) {
      record(r, resource, `cannot be checked during preview: ${formatPath(e.props)} is unknown`, "advisory");
      return;
    }
    throw new Error(`policy '${r.policy.name}' failed on ${resource}: ${(e as Error).message}`, { cause: e });
  }
}

function applies(validation: ResourceValidation, type: string): boolean {
  const pulumiType = (validation as Typed).__pulumiType;
  if (typeof pulumiType === "string" && pulumiType && pulumiType !== type) return false;
  const filter = (validation as FilteredValidation)[APPLIES_TO];
  return filter === undefined || filter(type);
}

function runResourcePolicy(
  r: Runner,
  validations: readonly ResourceValidation[],
  res: PreparedResource,
  config: PolicyConfig,
) {
  const getConfig = <T extends object>() => settingsOf(r.policy, config) as T;
  for (const validation of validations) {
    if (!applies(validation, res.type)) continue;
    const args: ResourceValidationArgs = {
      type: res.type,
      props: res.props,
      urn: res.urn,
      name: res.name,
      opts: OPTIONS,
      stackTags: NO_TAGS,
      isType: (cls) => isTypeOf(res.type, cls),
      asType: ((cls: unknown) =>
        isTypeOf(res.type, cls) ? res.props : undefined) as ResourceValidationArgs["asType"],
      getConfig,
      notApplicable,
    };
    guarded(r, res.urn, () => validation(args, (message, urn) => record(r, urn ?? res.urn, message)));
  }
}

function runStackPolicy(
  r: Runner,
  policy: StackValidationPolicy,
  resources: PolicyResource[],
  config: PolicyConfig,
) {
  const pulumiType = (policy.validateStack as Typed).__pulumiType;
  if (typeof pulumiType === "string" && pulumiType && !resources.some((x) => x.type === pulumiType)) return;
  const args: StackValidationArgs = {
    resources,
    stackTags: NO_TAGS,
    getConfig: <T extends object>() => settingsOf(policy, config) as T,
    notApplicable,
  };
  guarded(r, "stack", () => policy.validateStack(args, (message, urn) => record(r, urn ?? "stack", message)));
}

interface PreparedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

function stackResources(
  resources: readonly ResourceUnderTest[],
  prepared: readonly PreparedResource[],
): PolicyResource[] {
  const out: PolicyResource[] = prepared.map((p) => ({
    ...p,
    opts: OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    isType: (cls) => isTypeOf(p.type, cls),
    asType: ((cls: unknown) => (isTypeOf(p.type, cls) ? p.props : undefined)) as PolicyResource["asType"],
  }));
  const byUrn = new Map(out.map((r) => [r.urn, r]));
  const lookup = (urns: readonly string[] | undefined) =>
    (urns ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
  resources.forEach((src, i) => {
    const r = out[i];
    if (src.parent) r.parent = byUrn.get(src.parent);
    r.dependencies = lookup(src.dependencies);
    for (const [key, urns] of Object.entries(src.propertyDependencies ?? {}))
      r.propertyDependencies[key] = lookup(urns);
  });
  return out;
}

/**
 * Runs the resource and stack policies over the resources with a stack's policy config, with the
 * analyzer's semantics: levels from the config entry, then `all`, then the policy's own; disabled
 * policies skipped; `notApplicable` silent; a read of a value unknown during preview reported as an
 * advisory "cannot be checked during preview: <path> is unknown" for that policy and resource.
 * Messages are the policy's own (the analyzer prefixes the policy description when it prints them).
 * Policies are called in the analyzer's order (see {@link PolicyRun}); the violations come policy
 * by policy, in the pack's order, and within a policy resource by resource. A policy that throws,
 * or returns a promise, fails the run with an error naming it and the resource.
 */
export function runPolicies(
  resources: readonly ResourceUnderTest[],
  config: PolicyConfig,
  policies: Policies = allPolicies,
): Violation[] {
  const run = new PolicyRun(config, policies);
  for (const resource of resources) run.add(resource);
  return run.finish();
}

/** One enabled policy in a {@link PolicyRun}, with its violations so far. */
interface PolicyState extends Runner {
  readonly validations?: readonly ResourceValidation[];
  readonly stackPolicy?: StackValidationPolicy;
}

/**
 * {@link runPolicies} taken one resource at a time, as a program registers them. Policies are called
 * as the analyzer calls them (pulumi/pulumi-policy `sdk/nodejs/policy/server.ts`): `add` runs every
 * resource policy, in the pack's order, on one resource (the analyzer's `analyze`, once per
 * resource), and `finish` runs the stack policies over all of them (`analyzeStack`, at the end).
 * So a pack whose policies share state sees the engine's order.
 *
 * Once a policy fails (throws, or returns a promise), the run's outcome is that failure or one of an
 * earlier policy in the pack: neither it nor the policies after it run again. `finish` throws the
 * failure of the first policy, in the pack's order, that failed or fails there.
 */
export class PolicyRun {
  private readonly states: PolicyState[] = [];
  private readonly resources: ResourceUnderTest[] = [];
  private readonly prepared: PreparedResource[] = [];
  /** The first failed policy, by its place in `states`, and its error. */
  private failure: { readonly at: number; readonly error: unknown } | undefined;
  private finished = false;

  constructor(
    private readonly config: PolicyConfig,
    policies: Policies = allPolicies,
  ) {
    for (const policy of policies) {
      const level = enforcementLevelOf(policy, config);
      if (level === "disabled") continue;
      const state = { policy, level, out: [] };
      if ("validateStack" in policy && typeof policy.validateStack === "function")
        this.states.push({ ...state, stackPolicy: policy });
      else if ("validateResource" in policy && policy.validateResource) {
        const v = policy.validateResource;
        this.states.push({ ...state, validations: Array.isArray(v) ? v : [v] });
      }
    }
  }

  /**
   * Runs the resource policies on `resource`; a policy's failure is kept for `finish`. Throws only
   * when the run is finished.
   */
  add(resource: ResourceUnderTest): void {
    if (this.finished) throw new Error("PolicyRun.add after finish");
    const prepared = {
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      props: previewProps(resource.props),
    };
    this.resources.push(resource);
    this.prepared.push(prepared);
    // Up to the first failed policy: a failure here ends the loop too.
    for (let at = 0; at < (this.failure?.at ?? this.states.length); at++) {
      const state = this.states[at];
      if (!state.validations) continue;
      try {
        runResourcePolicy(state, state.validations, prepared, this.config);
      } catch (error) {
        this.failure = { at, error };
      }
    }
  }

  /**
   * Runs the stack policies and returns every violation, policy by policy in the pack's order.
   * Throws the failure of the first policy, in the pack's order, that failed; once only.
   */
  finish(): Violation[] {
    if (this.finished) throw new Error("PolicyRun.finish called twice");
    this.finished = true;
    let stack: PolicyResource[] | undefined;
    for (const [at, state] of this.states.entries()) {
      if (this.failure?.at === at) throw this.failure.error;
      if (state.stackPolicy) {
        stack ??= stackResources(this.resources, this.prepared);
        runStackPolicy(state, state.stackPolicy, stack, this.config);
      }
    }
    return this.states.flatMap((state) => state.out);
  }
}
