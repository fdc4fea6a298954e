import { createHash } from "node:crypto";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as SdkLog from "@pulumi/pulumi/log";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { readStackConfig } from "../../config";
import { answerInvoke } from "./invokes";

/** Stands in for a value Pulumi only learns during deployment (the engine's own sentinel). */
export const UNKNOWN = rpc.unknownValue;
/** Stands in for a secret value: the offline evaluation never sees (or prints) one. */
export const SECRET = "[secret]";

// The SDK's own log module object (its internals call `log.error` through it): an ES namespace
// import would be a read-only copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const log = require("@pulumi/pulumi/log") as { -readonly [K in keyof typeof SdkLog]: (typeof SdkLog)[K] };

/** The program failed while it ran: an error it logged, e.g. a throw inside an `apply`. */
export class ProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProgramError";
  }
}

/** One resource the program declares, with the inputs it gives it. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent resource; null for top-level resources. */
  readonly parent: string | null;
  /** Whether a provider creates it (false for component resources). */
  readonly custom: boolean;
  /** Whether Pulumi refuses to delete it (`protect`). */
  readonly protect: boolean;
  /** Input paths whose changes the engine ignores (`ignoreChanges`). */
  readonly ignoreChanges: readonly string[];
  /** Whether Pulumi leaves the object behind when it deletes the resource (`retainOnDelete`). */
  readonly retainOnDelete: boolean;
  /** URNs of earlier resources whose state this one takes over (its `aliases`, resolved). */
  readonly aliases: readonly string[];
  /** URN of the explicit provider it is created with; null for a default provider. */
  readonly provider: string | null;
  /** Inputs as plain JSON; unknown values are {@link UNKNOWN}, secrets are {@link SECRET}. */
  readonly inputs: Record<string, unknown>;
  /** URNs of the resources this one depends on. */
  readonly dependencies: readonly string[];
  /** For each input, the URNs of the resources its value comes from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** The desired state of one stack, as the program declares it. */
export interface Evaluation {
  readonly project: string;
  readonly stack: string;
  readonly resources: PlannedResource[];
  /** Stack outputs in the same plain form as inputs. */
  readonly outputs: Record<string, unknown>;
}

/**
 * Runs the real program of `projectDir` for `stack` under the Pulumi SDK's mock runtime, in preview
 * mode, and records every resource it registers. Configuration comes from the project and stack
 * files exactly as the CLI would pass it (from `options.configDir` when the stack's files live
 * elsewhere, e.g. in an Automation API workspace); values known only after deployment stay unknown.
 */
export async function evaluateStack(
  projectDir: string,
  stack: string,
  options: Pick<MockRun, "preview" | "outputsOf" | "invoke" | "onResource"> & {
    readonly configDir?: string;
  } = {},
): Promise<Evaluation> {
  const { project, values, secretKeys } = readStackConfig(options.configDir ?? projectDir, stack);
  const entry = path.resolve(projectDir, "index.ts");
  return runUnderMocks({ project, stack, config: values, secretKeys, ...options }, () => loadProgram(entry));
}

/** How {@link runUnderMocks} sets up the mock runtime. */
export interface MockRun {
  readonly project: string;
  readonly stack: string;
  /** Full config keys to the strings a program receives. */
  readonly config: Record<string, string>;
  readonly secretKeys?: readonly string[];
  /** Answers provider functions; default: {@link answerInvoke}. */
  readonly invoke?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown>;
  /** Preview (unknown computed values) or update. Default: preview. */
  readonly preview?: boolean;
  /** Extra state a resource reports back (its computed outputs), e.g. a command's stdout in a test. */
  readonly outputsOf?: (
    type: string,
    name: string,
    inputs: Record<string, unknown>,
  ) => Record<string, unknown> | undefined;
  /** Called with each resource as the program registers it, e.g. to start loading what checks it. */
  readonly onResource?: (resource: PlannedResource) => void;
}

/**
 * Runs `program` under the SDK's mock runtime and records every resource it registers. Returns
 * the resources and the settled values of what `program` returns (its stack outputs).
 */
export async function runUnderMocks(
  run: MockRun,
  program: () => Record<string, unknown>,
): Promise<Evaluation> {
  const resources: PlannedResource[] = [];
  const invoke = run.invoke ?? answerInvoke;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: run.preview === false ? `${args.name}-id` : "",
        state: {
          ...args.inputs,
          ...kubernetesAutoName(args, run.preview ?? true),
          ...run.outputsOf?.(args.type, args.name, args.inputs),
        },
      }),
      call: (args) => invoke(args.token, args.inputs),
    },
    run.project,
    run.stack,
    run.preview ?? true,
  );
  const monitor = settings.getMonitor() as unknown as MockMonitor;
  // The mock monitor qualifies a child's type by its parent's type only; the engine by the whole
  // chain of ancestor types. Resources get the engine's URNs, so plans, exemptions and diffs name
  // them as `pulumi preview` does.
  (monitor as unknown as { newUrn(parent: string, type: string, name: string): string }).newUrn = (
    parent,
    type,
    name,
  ) => engineUrn(parent || null, type, name, run.project, run.stack);
  const register = monitor.registerResource.bind(monitor);
  // A parent registers before its children (the SDK waits for its URN): its aliases are known.
  const registered = new Map<string, PlannedResource>();
  // The mock API hides a resource's parent; the monitor's request carries it.
  monitor.registerResource = (req: RegisterRequest, callback: (err: Error | null, resp: unknown) => void) => {
    const parent = req.getParent() || null;
    const resource: PlannedResource = {
      urn: engineUrn(parent, req.getType(), req.getName(), run.project, run.stack),
      type: req.getType(),
      name: req.getName(),
      parent,
      custom: req.getCustom(),
      protect: req.getProtect?.() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      retainOnDelete: req.getRetainondelete() ?? false,
      provider: providerUrn(req.getProvider()),
      aliases: aliasUrns(req, parent ? registered.get(parent) : undefined, run),
      inputs: toPlain(rpc.deserializeProperties(req.getObject() as never, true)) as Record<string, unknown>,
      dependencies: req.getDependenciesList(),
      propertyDependencies: propertyDependencies(req),
    };
    resources.push(resource);
    registered.set(resource.urn, resource);
    run.onResource?.(resource);
    return register(req, callback);
  };
  pulumi.runtime.setAllConfig(run.config, [...(run.secretKeys ?? [])]);
  // The SDK reports a failed value (a throw inside an `apply` that feeds a resource) as a logged
  // error, which under the engine fails the program: collect the messages.
  const errors: string[] = [];
  const logError = log.error;
  log.error = (message, ...rest) => {
    errors.push(message);
    return logError(message, ...rest);
  };

  // An error thrown inside an `apply` whose result a resource takes rejects that registration; the
  // engine would fail the program with it: so does the evaluation.
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  const restore = () => {
    log.error = logError;
    process.off("unhandledRejection", onRejection);
  };

  let exports: Record<string, unknown>;
  try {
    exports = program();
  } catch (error) {
    restore();
    throw error;
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exports)) outputs[key] = await settle(value);
  try {
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve)); // let pending rejections be reported
  } finally {
    restore();
  }
  const failures = [...errors, ...rejections.map((r) => (r instanceof Error ? r.message : String(r)))];
  if (failures.length > 0 || log.hasErrors())
    throw new ProgramError(failures.join("\n") || "the program logged an error");
  return { project: run.project, stack: run.stack, resources, outputs };
}

interface RegisterRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getProtect?(): boolean;
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean | undefined;
  getProvider(): string;
  getAliasurnsList(): string[];
  getAliasesList(): { getUrn(): string; getSpec(): AliasSpec | undefined }[];
  getObject(): unknown;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}

/** An alias given by its parts; what it leaves empty is the resource's own (Pulumi's `Alias`). */
interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}

/**
 * The URNs a resource's aliases name: its own (by URN or by parts, what a part leaves empty being
 * the resource's own), and those it inherits from a parent that has aliases, as the engine derives
 * them (pulumi/pulumi pkg/resource/deploy/step_generator.go, `generateAliases`): the child's name
 * and each of its own aliases under each of the parent's earlier URNs, the name taking the parent's
 * earlier name as its prefix where it starts with the parent's. The engine inherits only the one
 * alias the parent matched in the stack's state; with no state, this is every one of them.
 */
function aliasUrns(req: RegisterRequest, parent: PlannedResource | undefined, run: MockRun): string[] {
  const specs = req
    .getAliasesList()
    .filter((alias) => !alias.getUrn())
    .map((alias) => alias.getSpec())
    .filter((spec): spec is AliasSpec => spec !== undefined);
  const own = [
    ...req.getAliasurnsList(),
    ...req.getAliasesList().map((alias) => alias.getUrn() || aliasUrn(req, alias.getSpec(), run)),
  ].filter(Boolean);
  const inherited = (parent?.aliases ?? []).flatMap((parentAlias) => {
    const parentAliasName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
    const name = req.getName().startsWith(parent!.name)
      ? parentAliasName + req.getName().slice(parent!.name.length)
      : req.getName();
    // The child's own aliases given under its current parent move under the parent's earlier URN.
    const moved = specs
      .filter((spec) => !spec.getNoparent() && [req.getParent(), ""].includes(spec.getParenturn()))
      .map((spec) => aliasUrn(req, spec, run, parentAlias));
    return [engineUrn(parentAlias, req.getType(), name, run.project, run.stack), ...moved];
  });
  // An alias that changes nothing (a child's URN holds its parent's type, not its name).
  const self = engineUrn(req.getParent() || null, req.getType(), req.getName(), run.project, run.stack);
  return [...new Set([...own, ...inherited])].filter((urn) => urn !== self);
}

/**
 * The URN an alias given by its parts names, under `parent` (default: the one it names, else the
 * resource's own); "" when the request carries no parts at all.
 */
function aliasUrn(
  req: RegisterRequest,
  spec: AliasSpec | undefined,
  run: MockRun,
  parent = spec?.getNoparent() ? null : spec?.getParenturn() || req.getParent() || null,
): string {
  if (spec === undefined) return "";
  return engineUrn(
    parent,
    spec.getType() || req.getType(),
    spec.getName() || req.getName(),
    spec.getProject() || run.project,
    spec.getStack() || run.stack,
  );
}

/** The URN in a provider reference (`<urn>::<id>`), or null for none. */
function providerUrn(reference: string): string | null {
  return reference ? reference.slice(0, reference.lastIndexOf("::")) : null;
}

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    result[key] = deps.getUrnsList();
  });
  return result;
}

/**
 * A resource's URN as the engine forms it: its type qualified by the types of all its ancestors
 * (`platform:app:AppStack$platform:app:AppService$kubernetes:apps/v1:Deployment`), the root stack
 * resource's type left out.
 */
export function engineUrn(
  parent: string | null,
  type: string,
  name: string,
  project: string,
  stack: string,
): string {
  const parentType = parent?.split("::")[2];
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The name the Kubernetes provider gives an object whose `metadata.name` the program leaves out:
 * unknown during a preview (the provider picks `<resource name>-<random suffix>`), and a stand-in
 * of that form in an update, so that references to it (a ConfigMap in `envFrom`) are never
 * silently empty. The stand-in's suffix derives from the inputs: as with the provider, whose
 * replacement of a changed ConfigMap or Secret gets a new suffix, other contents mean another name.
 */
function kubernetesAutoName(
  args: { type: string; name: string; inputs: Record<string, unknown>; custom?: boolean },
  preview: boolean,
): Record<string, unknown> {
  const metadata = args.inputs.metadata as Record<string, unknown> | undefined;
  if (
    !args.type.startsWith("kubernetes:") ||
    args.custom === false ||
    typeof metadata !== "object" ||
    metadata === null
  )
    return {};
  if (metadata.name !== undefined || metadata.generateName !== undefined) return {};
  const suffix = createHash("sha256")
    .update(args.name)
    .update(JSON.stringify(args.inputs, (_key, value: unknown) => sortedKeys(value)))
    .digest("hex")
    .slice(0, 8);
  return { metadata: { ...metadata, name: preview ? UNKNOWN : `${args.name}-${suffix}` } };
}

/** An object with its keys in order, so that equal contents serialize alike. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Loads the program fresh (its own modules, not node_modules), so that several stacks can be
 * evaluated in one process, and an Automation API inline program registers its resources again on
 * every operation.
 */
export function loadProgram(entry: string): Record<string, unknown> {
  const root = path.dirname(entry);
  for (const cached of Object.keys(require.cache)) {
    if (cached.startsWith(root) && !cached.includes(`${path.sep}node_modules${path.sep}`))
      delete require.cache[cached];
  }
  // A fresh synchronous load, as the Pulumi CLI does it: `import()` would cache the first stack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as Record<string, unknown>;
}

async function settle(value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) return toPlain(value);
  const output = value as pulumi.Output<unknown> & { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  if (await output.isSecret) return SECRET;
  if (!(await output.isKnown)) return UNKNOWN;
  return new Promise((resolve) => output.apply((v) => resolve(toPlain(v))));
}

/** Deserialized RPC values to JSON: secrets hidden, unknowns marked, resources as their URN. */
function toPlain(value: unknown): unknown {
  if (value === undefined || value === null) return value ?? null;
  if (pulumi.Output.isInstance(value)) return UNKNOWN;
  if (value === pulumi.unknown) return UNKNOWN;
  if (rpc.isRpcSecret(value)) return maskLeaves(toPlain(rpc.unwrapRpcSecret(value)));
  if (Array.isArray(value)) return value.map(toPlain);
  if (pulumi.Resource.isInstance(value)) return "<resource reference>";
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) return "<asset>";
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPlain(v)]),
    );
  }
  return value;
}

/** Keeps a secret's shape (schemas and policies need it) and hides every value in it. */
function maskLeaves(value: unknown): unknown {
  if (value === UNKNOWN || value === null) return value;
  if (Array.isArray(value)) return value.map(maskLeaves);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskLeaves(v)]),
    );
  }
  return SECRET;
}
