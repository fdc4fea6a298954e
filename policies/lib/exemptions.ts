import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { record, str } from "./paths";
import { CLUSTER_SCOPED_KINDS, parseKubernetesType } from "./kinds";

/** An exemption from one policy, as written in the policy config. */
export interface Exemption {
  /**
   * The resource: its name, its URN (or a URN suffix such as `docker:index/container:Container::dev-k0s-node`),
   * or `kind/namespace/name` for Kubernetes objects. A trailing (or any) `*` matches any characters.
   */
  readonly resource: string;
  /** Why the resource may break the rule. Required and non-empty. */
  readonly reason: string;
}

/** JSON schema of the `exemptions` property every policy accepts. */
export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  description: "Resources this policy does not apply to, each with the reason.",
  default: [],
  items: {
    type: "object",
    additionalProperties: false,
    required: ["resource", "reason"],
    properties: {
      resource: {
        type: "string",
        minLength: 1,
        description: "Resource name, URN or URN suffix, or kind/namespace/name; `*` matches any characters.",
      },
      reason: { type: "string", minLength: 1, pattern: "\\S", description: "Why the exemption is needed." },
    },
  },
};

/** The identities a resource can be exempted by: name, URN and, for Kubernetes objects, kind/namespace/name. */
export interface ResourceIdentity {
  readonly name: string;
  readonly urn: string;
  readonly type: string;
  readonly props: Record<string, unknown>;
}

/** `kind/namespace/name` of a Kubernetes object (`kind/name` when cluster-scoped), or undefined. */
export function kubernetesId(type: string, props: Record<string, unknown>): string | undefined {
  const t = parseKubernetesType(type);
  if (!t) return undefined;
  try {
    const meta = record(props.metadata);
    const name = str(meta.name);
    if (!name) return undefined;
    if (CLUSTER_SCOPED_KINDS.has(t.kind)) return `${t.kind}/${name}`;
    return `${t.kind}/${str(meta.namespace) ?? "default"}/${name}`;
  } catch {
    return undefined; // metadata unknown during preview: match by name or URN only
  }
}

const patternCache = new Map<string, { exact: RegExp; urnSuffix: RegExp }>();

function compile(pattern: string): { exact: RegExp; urnSuffix: RegExp } {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    compiled = { exact: new RegExp(`^${body}$`), urnSuffix: new RegExp(`(?:^|::|\\$)${body}$`) };
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

/** The first exemption that names this resource, or undefined. */
export function findExemption(
  exemptions: readonly Exemption[] | undefined,
  resource: ResourceIdentity,
): Exemption | undefined {
  if (!exemptions || exemptions.length === 0) return undefined;
  const id = kubernetesId(resource.type, resource.props);
  return exemptions.find((e) => {
    const { exact, urnSuffix } = compile(e.resource);
    return exact.test(resource.name) || (id !== undefined && exact.test(id)) || urnSuffix.test(resource.urn);
  });
}
