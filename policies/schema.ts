import type { ResourceUnderTest, Violation } from "./engine";
import { apiVersionFor, parseKubernetesType, type KubernetesType } from "./lib/kinds";
import { formatPath } from "./lib/paths";
import { UNKNOWN_SENTINELS } from "./lib/sdk";

/** Policy name schema errors are reported under. */
export const SCHEMA_POLICY = "kubernetes-schema";

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validate = (this: object) => void;

// One model per group/version/kind, loaded on first use (kubernetes-models is ESM, one module per kind).
const models = new Map<string, Promise<Validate | undefined>>();

function modelPath(t: KubernetesType): string | undefined {
  if (!/^[a-z0-9.-]+$/.test(t.group) || t.group.includes("..") || !/^v[0-9a-z]+$/.test(t.version))
    return undefined;
  return t.group === "core"
    ? `kubernetes-models/v1/${t.kind}`
    : `kubernetes-models/${t.group}/${t.version}/${t.kind}`;
}

function loadModel(t: KubernetesType): Promise<Validate | undefined> {
  const key = `${t.group}/${t.version}/${t.kind}`;
  let model = models.get(key);
  if (!model) {
    const specifier = t.group === "core" && t.version !== "v1" ? undefined : modelPath(t);
    model = specifier
      ? import(specifier).then(
          (m: Record<string, { prototype?: { validate?: Validate } }>) => m[t.kind]?.prototype?.validate,
          () => undefined, // no schema for this kind (CRD, Pulumi helper type): nothing to validate
        )
      : Promise.resolve(undefined);
    models.set(key, model);
  }
  return model;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const seg of pointer.split("/").slice(1))
    v = (v as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  return v;
}

function pathOf(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Turns ajv errors into one message per field; oneOf alternatives are joined with "or". */
function messages(errors: readonly SchemaError[], obj: object): { unknown: string[]; invalid: string[] } {
  const byPath = new Map<string, SchemaError[]>();
  for (const e of errors) {
    const segs = pathOf(e.instancePath);
    if (e.keyword === "required") segs.push(String(e.params.missingProperty));
    const key = JSON.stringify(segs);
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const unknown: string[] = [];
  const invalid: string[] = [];
  for (const [key, errs] of byPath) {
    const path = formatPath(JSON.parse(key) as string[]) || "(root)";
    if (UNKNOWN_SENTINELS.has(valueAt(obj, errs[0].instancePath))) {
      unknown.push(path);
    } else if (errs.some((e) => e.keyword === "required")) {
      invalid.push(`${path} is required`);
    } else {
      const alternatives = errs.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
      const text = (alternatives.length ? alternatives : errs)
        .map((e) => e.message ?? e.keyword)
        .join(" or ");
      invalid.push(`${path} ${text}`);
    }
  }
  return { unknown, invalid };
}

/**
 * Validates every Kubernetes object against the Kubernetes OpenAPI schema bundled in
 * `kubernetes-models`, using the model class's validator on the object itself (no deep copy).
 * Errors are mandatory violations of `kubernetes-schema`; a field whose value is unknown during
 * preview is reported as an advisory "cannot be checked during preview". Kinds without a model
 * (custom resources, Pulumi's helper types) are skipped.
 */
export async function validateKubernetesSchema(
  resources: readonly ResourceUnderTest[],
): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const r of resources) {
    const t = parseKubernetesType(r.type);
    if (!t) continue;
    const validate = await loadModel(t);
    if (!validate) continue;
    const obj = {
      ...r.props,
      apiVersion: r.props.apiVersion ?? apiVersionFor(t),
      kind: r.props.kind ?? t.kind,
    };
    try {
      validate.call(obj);
    } catch (e) {
      const errors = (e as { errors?: SchemaError[] }).errors;
      if (!errors) throw e;
      const { unknown, invalid } = messages(errors, obj);
      const base = { policy: SCHEMA_POLICY, resource: r.urn };
      for (const m of invalid) out.push({ ...base, enforcementLevel: "mandatory", message: m });
      for (const p of unknown) {
        out.push({
          ...base,
          enforcementLevel: "advisory",
          message: `cannot be checked during preview: ${p} is unknown`,
        });
      }
    }
  }
  return out;
}
