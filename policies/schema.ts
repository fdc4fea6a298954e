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

/**
 * The Gateway API's groups (standard and experimental channel), whose kinds are CRDs: their schemas
 * come from `@kubernetes-models/gateway-api`, generated from the release the program installs.
 */
const GATEWAY_API_GROUPS: ReadonlySet<string> = new Set([
  "gateway.networking.k8s.io",
  "gateway.networking.x-k8s.io",
]);

// One model per group/version/kind, loaded on first use (kubernetes-models is ESM, one module per kind).
const models = new Map<string, Promise<Validate | undefined>>();

function modelPath(t: KubernetesType): string | undefined {
  if (!/^[a-z0-9.-]+$/.test(t.group) || t.group.includes("..") || !/^v[0-9a-z]+$/.test(t.version))
    return undefined;
  if (GATEWAY_API_GROUPS.has(t.group))
    return `@kubernetes-models/gateway-api/${t.group}/${t.version}/${t.kind}`;
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

/**
 * Loads the schemas of Kubernetes type tokens (`kubernetes:apps/v1:Deployment`) before any object
 * needs them, e.g. while a thread that validates objects waits for its first one; a later validation
 * reuses them. Resolves to the types that have a schema (others, such as custom resources and
 * Pulumi's own types, are skipped); never rejects.
 */
export async function prefetchSchemas(types: readonly string[]): Promise<string[]> {
  const loaded = await Promise.all(
    types.map(async (type) => {
      const parsed = parseKubernetesType(type);
      return parsed && (await loadModel(parsed)) ? [type] : [];
    }),
  );
  return loaded.flat();
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

/** An object the validator walked through, and the keys it looked up. */
interface Visit {
  readonly target: Record<string, unknown>;
  readonly path: readonly string[];
  readonly read: Set<PropertyKey>;
  enumerated: boolean;
}

/**
 * Wraps an object so that every nested object the validator looks into records which keys it read.
 * The compiled validators of kubernetes-models read each property their schema declares, and walk
 * every key of a map (`additionalProperties`); a key no validator read is not in the schema. Objects
 * the validator never looks into (free-form fields such as `managedFields[].fieldsV1`) are skipped.
 */
function recordingProxy(root: Record<string, unknown>): { proxy: object; visits: Visit[] } {
  const visits: Visit[] = [];
  const proxies = new WeakMap<object, object>();
  const wrap = (target: Record<string, unknown>, path: readonly string[]): object => {
    const known = proxies.get(target);
    if (known) return known;
    const visit: Visit = { target, path, read: new Set(), enumerated: false };
    visits.push(visit);
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        visit.read.add(key);
        const value: unknown = Reflect.get(t, key, receiver);
        if (typeof key === "string" && typeof value === "object" && value !== null && Object.hasOwn(t, key))
          return wrap(value as Record<string, unknown>, [...path, key]);
        return value;
      },
      has(t, key) {
        visit.read.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        visit.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return { proxy: wrap(root, []), visits };
}

/**
 * Keys whose value is a JSON schema (a CRD's `openAPIV3Schema`, recursive JSONSchemaProps): the
 * bundled validator does not walk its fields (`description`, `x-kubernetes-*`, …), so which ones it
 * reads says nothing about which exist. Not checked for unknown fields, rather than all reported.
 */
const OPAQUE_KEYS: ReadonlySet<string> = new Set(["openAPIV3Schema"]);

/** Fields the schema does not know, as the API server's strict field validation names them. */
function unknownFields(visits: readonly Visit[]): string[] {
  const out: string[] = [];
  for (const v of visits) {
    if (Array.isArray(v.target) || v.enumerated || v.read.size === 0) continue;
    if (v.path.some((key) => OPAQUE_KEYS.has(key))) continue;
    for (const key of Object.keys(v.target)) {
      if (!v.read.has(key) && v.target[key] !== undefined) out.push(formatPath([...v.path, key]));
    }
  }
  return out;
}

/**
 * Validates every Kubernetes object against the Kubernetes OpenAPI schema bundled in
 * `kubernetes-models`, using the model class's validator on the object itself (no deep copy), and
 * reports every field the schema does not have, as `kubectl apply` with strict field validation
 * (the default) refuses it. Errors are mandatory violations of `kubernetes-schema`; a field whose value is unknown during
 * preview is reported as an advisory "cannot be checked during preview". Kinds without a model
 * (custom resources, Pulumi's helper types) are skipped.
 */
export async function validateKubernetesSchema(
  resources: readonly ResourceUnderTest[],
): Promise<Violation[]> {
  const out: Violation[] = [];
  // Every kind's model loads at once: the module loader reads and links them together, where one
  // import after another waits for each (about 15% of the check's time on a prod plan).
  const types = resources.map((r) => parseKubernetesType(r.type));
  const validators = await Promise.all(types.map((t) => (t ? loadModel(t) : undefined)));
  for (const [i, r] of resources.entries()) {
    const t = types[i];
    if (!t) continue;
    const validate = validators[i];
    if (!validate) continue;
    const obj = {
      ...r.props,
      apiVersion: r.props.apiVersion ?? apiVersionFor(t),
      kind: r.props.kind ?? t.kind,
    };
    const base = { policy: SCHEMA_POLICY, resource: r.urn };
    const { proxy, visits } = recordingProxy(obj);
    try {
      validate.call(proxy);
    } catch (e) {
      const errors = (e as { errors?: SchemaError[] }).errors;
      if (!errors) throw e;
      const { unknown, invalid } = messages(errors, obj);
      for (const m of invalid) out.push({ ...base, enforcementLevel: "mandatory", message: m });
      for (const p of unknown) {
        out.push({
          ...base,
          enforcementLevel: "advisory",
          message: `cannot be checked during preview: ${p} is unknown`,
        });
      }
    }
    for (const field of unknownFields(visits)) {
      out.push({
        ...base,
        enforcementLevel: "mandatory",
        message: `unknown field "${field}" (the API server's strict field validation refuses it)`,
      });
    }
  }
  return out;
}
