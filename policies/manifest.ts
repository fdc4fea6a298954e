import type { Policies } from "@pulumi/policy";
import { parseAllDocuments } from "yaml";
import { type PolicyConfig, type ResourceUnderTest, runPolicies, type Violation } from "./engine";
import { kubernetesId } from "./lib/exemptions";
import { typeTokenFor } from "./lib/kinds";
import { isRecord, record, str } from "./lib/paths";
import { policies as allPolicies, STACK_ONLY_POLICIES } from "./policies";
import { validateKubernetesSchema } from "./schema";

/** Input that cannot be read as Kubernetes manifests (bad YAML, a document that is not an object). */
export class ManifestError extends Error {}

/** One parsed YAML document and where it is, for messages (`file: document 3`). */
interface ParsedDocument {
  readonly value: unknown;
  readonly where: string;
}

function parseDocuments(text: string, source: string): ParsedDocument[] {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { version: "1.1" });
  } catch (e) {
    throw new ManifestError(`${source}: ${firstLine(e)}`, { cause: e });
  }
  const out: ParsedDocument[] = [];
  docs.forEach((doc, i) => {
    const where = `${source}: document ${i + 1}`;
    const error = doc.errors[0];
    if (error) throw new ManifestError(`${where}: ${firstLine(error)}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // An alias bomb ("Excessive alias count") or a bad merge key surfaces here, not in doc.errors.
      throw new ManifestError(`${where}: ${firstLine(e)}`, { cause: e });
    }
    if (value !== null && value !== undefined) out.push({ value, where });
  });
  return out;
}

/**
 * Parses multi-document YAML into plain objects (YAML 1.1, as kubectl reads it); empty documents are
 * skipped. Any error, an alias bomb's "excessive alias count" included, names the source and document.
 */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseDocuments(text, source).map((d) => d.value);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

function flatten(value: unknown, where: string, out: Record<string, unknown>[]): void {
  if (!isRecord(value)) throw new ManifestError(`${where}: not a Kubernetes object`);
  const kind = str(value.kind);
  if (kind?.endsWith("List") && "items" in value) {
    if (!Array.isArray(value.items)) throw new ManifestError(`${where}: items of a ${kind} must be a list`);
    value.items.forEach((item, i) => flatten(item, `${where}.items[${i}]`, out));
    return;
  }
  if (!str(value.apiVersion) || !kind) throw new ManifestError(`${where}: apiVersion and kind are required`);
  out.push(value);
}

function resourcesOf(documents: readonly ParsedDocument[]): ResourceUnderTest[] {
  const flat: Record<string, unknown>[] = [];
  for (const d of documents) flatten(d.value, d.where, flat);
  const seen = new Map<string, number>();
  return flat.map((props, i) => {
    const type = typeTokenFor(String(props.apiVersion), String(props.kind));
    const meta = record(props.metadata);
    const base =
      kubernetesId(type, props) ?? `${String(props.kind)}/${str(meta.generateName) ?? `unnamed-${i + 1}`}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n === 1 ? base : `${base}#${n}`;
    return { urn: id, type, name: str(meta.name) ?? id, props };
  });
}

/**
 * Turns manifest objects (lists flattened) into resources for the policy engine: Pulumi type token
 * from apiVersion and kind, and `kind/namespace/name` as both URN and name.
 */
export function toResources(objects: readonly unknown[], source: string): ResourceUnderTest[] {
  return resourcesOf(objects.map((value, i) => ({ value, where: `${source}: document ${i + 1}` })));
}

/** One manifest input: where it came from (for messages) and its text. */
export interface ManifestInput {
  readonly source: string;
  readonly text: string;
}

/** The result of checking manifests: the objects found and every violation (schema first). */
export interface ManifestReport {
  /** Objects checked, over all inputs (the items of a `kind: List` count one by one). */
  readonly objects: number;
  /** Objects found in each input, in the order given. */
  readonly inputs: readonly { readonly source: string; readonly objects: number }[];
  readonly violations: Violation[];
}

/**
 * The policies a manifest check runs: all but those about a whole Pulumi stack. The `budget` policy
 * prices the stack's cloud resources (a LoadBalancer Service is priced against its DigitalOcean
 * cluster); a manifest has no stack, no cluster and no budget.
 */
export const manifestPolicies: Policies = allPolicies.filter((p) => !STACK_ONLY_POLICIES.has(p.name));

/**
 * Checks manifests as `npm run policy` does: parse, map to resources, validate against the
 * Kubernetes schema, then run the resource and stack policies over all inputs together.
 * Throws {@link ManifestError} for unreadable input.
 */
export async function checkManifests(
  inputs: readonly ManifestInput[],
  config: PolicyConfig,
): Promise<ManifestReport> {
  const perInput = inputs.map((i) => resourcesOf(parseDocuments(i.text, i.source)));
  const resources = perInput.flat();
  const violations = [
    ...(await validateKubernetesSchema(resources)),
    ...runPolicies(resources, config, manifestPolicies),
  ];
  return {
    objects: resources.length,
    inputs: inputs.map((i, n) => ({ source: i.source, objects: perInput[n].length })),
    violations,
  };
}
