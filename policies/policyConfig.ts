import * as fs from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { validateJsonSchema } from "./lib/jsonSchema";
import { isRecord } from "./lib/paths";
import { policies as allPolicies } from "./policies";

/** One policy's entry in a policy-pack config: a level, or settings with an optional level. */
export type PolicyConfigEntry =
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

/**
 * A policy-pack config as `pulumi preview --policy-pack-config` reads it:
 * `{"all": "mandatory", "<policy>": {"enforcementLevel": "advisory", ...settings}}`.
 */
export type PolicyConfig = Readonly<Record<string, PolicyConfigEntry>>;

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Directory of the per-stack config files. */
export const CONFIG_DIR = path.join(__dirname, "config");

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

/**
 * Checks a parsed config against the policies' names and config schemas (as the Pulumi CLI does);
 * throws one error listing every problem, each prefixed by `source` and the policy key.
 */
export function parsePolicyConfig(
  raw: unknown,
  source: string,
  policies: Policies = allPolicies,
): PolicyConfig {
  if (!isRecord(raw)) throw new Error(`${source}: the policy config must be a JSON object`);
  const byName = new Map(policies.map((p) => [p.name, p]));
  const errors: string[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    if (key === "all") {
      if (!isLevel(entry)) errors.push(`"all" must be one of ${LEVELS.join(", ")}`);
      continue;
    }
    const policy = byName.get(key);
    if (!policy) {
      errors.push(`"${key}" is not a policy of this pack`);
      continue;
    }
    if (isLevel(entry)) continue;
    if (!isRecord(entry)) {
      errors.push(`"${key}" must be an enforcement level or an object`);
      continue;
    }
    const { enforcementLevel, ...settings } = entry;
    if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
      errors.push(`"${key}".enforcementLevel must be one of ${LEVELS.join(", ")}`);
    }
    const schema = { type: "object" as const, additionalProperties: false, ...policy.configSchema };
    errors.push(...validateJsonSchema(settings, schema).map((e) => `"${key}".${e}`));
  }
  if (errors.length > 0) throw new Error(`${source}: ${errors.join("; ")}`);
  return raw as PolicyConfig;
}

/** Reads and validates `policies/config/<stack>.json`; the error names the file and the key at fault. */
export function loadPolicyConfig(stack: string): PolicyConfig {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new Error(`invalid stack name "${stack}"`);
  const file = path.join(CONFIG_DIR, `${stack}.json`);
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`${shown}: no policy config for stack "${stack}"`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${shown}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  return parsePolicyConfig(raw, shown);
}
