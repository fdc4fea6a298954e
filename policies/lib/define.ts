import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { EXEMPTIONS_SCHEMA, type Exemption, findExemption } from "./exemptions";
import { type PodSpecRef, podSpecOf } from "./podSpec";

/** Config every policy accepts: the exemptions list. */
export interface BaseConfig {
  readonly exemptions: readonly Exemption[];
}

/** Adds the shared `exemptions` property to a policy's own config schema. */
export function withExemptions(schema?: PolicyConfigSchema): PolicyConfigSchema {
  return { ...schema, properties: { ...schema?.properties, exemptions: EXEMPTIONS_SCHEMA } };
}

/** The policy's config with schema defaults filled in for every property the config leaves out. */
export function readConfig<C>(given: object, schema: PolicyConfigSchema): C {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (typeof prop === "object" && prop.default !== undefined) out[key] = prop.default;
  }
  return { ...out, ...given } as C;
}

/** Name of the property that carries a validation's type filter, read by the offline engine. */
export const APPLIES_TO = "__appliesTo";

/** A validation function that may carry a fast type filter. */
export type FilteredValidation = ResourceValidation & { [APPLIES_TO]?: (type: string) => boolean };

/** What a resource policy's check receives. */
export interface ResourceCheck<C> {
  readonly args: ResourceValidationArgs;
  readonly props: Record<string, unknown>;
  readonly config: C & BaseConfig;
  readonly report: (message: string) => void;
}

/** Definition of a resource policy; `appliesTo` selects the types it checks. */
export interface ResourcePolicyDef<C> {
  readonly name: string;
  readonly description: string;
  /** Level when the stack config does not set one. Default: the pack's (mandatory). */
  readonly enforcementLevel?: EnforcementLevel;
  readonly remediationSteps?: string;
  /** The policy's own settings; `exemptions` is added for every policy. */
  readonly configSchema?: PolicyConfigSchema;
  readonly appliesTo: (type: string) => boolean;
  readonly check: (ctx: ResourceCheck<C>) => void;
}

/**
 * Builds a resource policy: skips other types (`notApplicable`), applies schema defaults and
 * exemptions, then runs the check. Works the same under the Pulumi analyzer and the offline engine.
 */
export function resourcePolicy<C = object>(def: ResourcePolicyDef<C>): ResourceValidationPolicy {
  const configSchema = withExemptions(def.configSchema);
  const validate: FilteredValidation = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!def.appliesTo(args.type)) args.notApplicable(`Policy does not apply to '${args.type}'`);
    const config = readConfig<C & BaseConfig>(args.getConfig(), configSchema);
    const exemption = findExemption(config.exemptions, args);
    if (exemption) args.notApplicable(`exempted: ${exemption.reason}`);
    def.check({ args, props: args.props, config, report: (message) => reportViolation(message) });
  };
  validate[APPLIES_TO] = def.appliesTo;
  return { ...header(def, configSchema), validateResource: validate };
}

/** The fields every policy shares, taken from its definition. */
function header(
  def: Pick<ResourcePolicyDef<unknown>, "name" | "description" | "enforcementLevel" | "remediationSteps">,
  configSchema: ReturnType<typeof withExemptions>,
) {
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel,
    remediationSteps: def.remediationSteps,
    configSchema,
  };
}

/** What a workload policy's check receives: the resource check plus its pod spec. */
export interface WorkloadCheck<C> extends ResourceCheck<C> {
  readonly pod: PodSpecRef;
}

/** Definition of a policy over every pod-carrying kind. */
export type WorkloadPolicyDef<C> = Omit<ResourcePolicyDef<C>, "appliesTo" | "check"> & {
  readonly check: (ctx: WorkloadCheck<C>) => void;
};

/** Builds a policy that checks the pod spec of every pod-carrying kind. */
export function workloadPolicy<C = object>(def: WorkloadPolicyDef<C>): ResourceValidationPolicy {
  return resourcePolicy<C>({
    ...def,
    appliesTo: (type) => podSpecOf(type, {}) !== undefined,
    check: (ctx) => {
      const pod = podSpecOf(ctx.args.type, ctx.props);
      if (pod) def.check({ ...ctx, pod });
    },
  });
}

/** What a stack policy's check receives. */
export interface StackCheck<C> {
  readonly resources: PolicyResource[];
  readonly config: C & BaseConfig;
  /** Reports a violation on a resource unless the resource is exempted. */
  readonly report: (resource: PolicyResource, message: string) => void;
}

/** Definition of a stack policy. */
export type StackPolicyDef<C> = Omit<ResourcePolicyDef<C>, "appliesTo" | "check"> & {
  readonly check: (ctx: StackCheck<C>) => void;
};

/** Builds a stack policy whose reports skip exempted resources. */
export function stackPolicy<C = object>(def: StackPolicyDef<C>): StackValidationPolicy {
  const configSchema = withExemptions(def.configSchema);
  return {
    ...header(def, configSchema),
    validateStack: (args, reportViolation) => {
      const config = readConfig<C & BaseConfig>(args.getConfig(), configSchema);
      const report = (resource: PolicyResource, message: string) => {
        if (!findExemption(config.exemptions, resource)) reportViolation(message, resource.urn);
      };
      def.check({ resources: args.resources, config, report });
    },
  };
}
