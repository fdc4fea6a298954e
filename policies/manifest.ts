import { parseAllDocuments } from "yaml";
import { type PolicyConfig, type ResourceUnderTest, runPolicies, type Violation } from "./engine";
import { kubernetesId } from "./lib/exemptions";
import { typeTokenFor } from "./lib/kinds";
import { isRecord, record, str } from "./lib/paths";
import { validateKubernetesSchema } from "./schema";

/** Input that cannot be read as Kubernetes manifests (bad YAML, a document that is not an object). */
export class ManifestError extends Error {}

/** Parses multi-document YAML into plain objects (YAML 1.1, as kubectl reads it); empty documents are skipped. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const out: unknown[] = [];
  parseAllDocuments(text, { version: "1.1" }).forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) throw new ManifestError(`${source}: document ${i + 1}: ${error.message.split("\n")[0]}`);
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value !== null && value !== undefined) out.push(value);
  });
  return out;
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

/**
 * Turns manifest objects (lists flattened) into resources for the policy engine: Pulumi type token
 * from apiVersion and kind, and `kind/namespace/name` as both URN and name.
 */
export function toResources(objects: readonly unknown[], source: string): ResourceUnderTest[] {
  const flat: Record<string, unknown>[] = [];
  objects.forEach((o, i) => flatten(o, `${source}: document ${i + 1}`, flat));
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

/** One manifest input: where it came from (for messages) and its text. */
export interface ManifestInput {
  readonly source: string;
  readonly text: string;
}

/** The result of checking manifests: the objects found and every violation (schema first). */
export interface ManifestReport {
  readonly objects: number;
  readonly violations: Violation[];
}

/**
 * Checks manifests as `npm run policy` does: parse, map to resources, validate against the
 * Kubernetes schema, then run the resource and stack policies over all inputs together.
 * Throws {@link ManifestError} for unreadable input.
 */
export async function checkManifests(
  inputs: readonly ManifestInput[],
  config: PolicyConfig,
): Promise<ManifestReport> {
  const resources = inputs.flatMap((i) => toResources(parseYamlDocuments(i.text, i.source), i.source));
  const violations = [...(await validateKubernetesSchema(resources)), ...runPolicies(resources, config)];
  return { objects: resources.length, violations };
}
