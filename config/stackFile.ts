import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, parseDocument } from "yaml";

/** What the Pulumi CLI would hand a program as configuration for one stack. */
export interface StackConfigValues {
  /** Project name from Pulumi.yaml: the namespace of its own keys. */
  readonly project: string;
  /** Full key (`platform:nodeSize`) to the string a program receives. */
  readonly values: Record<string, string>;
  /** Keys whose values are secret (`secure:` in the stack file). */
  readonly secretKeys: string[];
}

/** A project or stack file that cannot be read, naming the file and, where known, the key. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** Stand-in for a `secure:` value: the offline tools never decrypt secrets. */
export const SECRET_PLACEHOLDER = "[secret]";

const STACK_FILE_KEYS = new Set([
  "config",
  "encryptionsalt",
  "secretsprovider",
  "encryptedkey",
  "environment",
]);

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does: project-level values
 * and schema defaults apply where the stack sets nothing, a declared key without a default must be
 * set, scalars become strings and structured values JSON, and `secure:` values become secret
 * placeholders, so no passphrase is needed.
 */
export function readStackConfig(projectDir: string, stack: string): StackConfigValues {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  const project = readYamlMap(projectFile);
  const name = project.name;
  if (typeof name !== "string" || name === "")
    throw new StackFileError(`${projectFile}: "name" must be the project name`);

  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new StackFileError(
      `${stackFile}: no such stack file (stacks here: ${listStacks(projectDir).join(", ")})`,
    );
  }
  const stackDoc = readYamlMap(stackFile);
  for (const key of Object.keys(stackDoc)) {
    if (!STACK_FILE_KEYS.has(key)) {
      throw new StackFileError(
        `${stackFile}: unknown top-level key "${key}" (expected ${[...STACK_FILE_KEYS].join(", ")})`,
      );
    }
  }
  const stackConfig = stackDoc.config ?? {};
  if (!isPlainObject(stackConfig))
    throw new StackFileError(`${stackFile}: "config" must be a map of keys to values`);

  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, raw] of Object.entries(stackConfig)) {
    if (!/^[^:\s]+:[^:\s]+$/.test(key)) {
      throw new StackFileError(`${stackFile}: config key "${key}" must be namespaced, e.g. "${name}:${key}"`);
    }
    if (raw === null || raw === undefined)
      throw new StackFileError(`${stackFile}: config key "${key}" has no value`);
    const { text, secret } = toConfigString(raw);
    values[key] = text;
    if (secret) secretKeys.push(key);
  }

  const declared = project.config ?? {};
  if (!isPlainObject(declared)) throw new StackFileError(`${projectFile}: "config" must be a map`);
  const missing: string[] = [];
  for (const [bare, declaration] of Object.entries(declared)) {
    const key = bare.includes(":") ? bare : `${name}:${bare}`;
    if (key in values) continue;
    const fallback = projectValue(declaration);
    if (fallback !== undefined) values[key] = toConfigString(fallback).text;
    else missing.push(key);
  }
  if (missing.length > 0) {
    // A misspelt required key shows up as missing: name what the stack set instead.
    const declaredKeys = new Set(
      Object.keys(declared).map((bare) => (bare.includes(":") ? bare : `${name}:${bare}`)),
    );
    const undeclared = Object.keys(stackConfig).filter(
      (key) => key.startsWith(`${name}:`) && !declaredKeys.has(key),
    );
    const hint =
      undeclared.length > 0
        ? ` (it sets unknown key${undeclared.length > 1 ? "s" : ""} ${undeclared.map((k) => `'${k}'`).join(", ")})`
        : "";
    throw new StackFileError(
      `${stackFile}: stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}${hint}`,
    );
  }
  return { project: name, values, secretKeys };
}

/** Stack names for which a `Pulumi.<stack>.yaml` exists in the project directory. */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

// A declaration is a schema (`type`, optional `default`), a `{value: ...}` or a plain scalar.
function projectValue(declaration: unknown): unknown {
  if (!isPlainObject(declaration)) return declaration;
  if ("value" in declaration) return declaration.value;
  return declaration.default;
}

function toConfigString(raw: unknown): { text: string; secret: boolean } {
  if (typeof raw === "string") return { text: raw, secret: false };
  if (typeof raw === "number" || typeof raw === "boolean") return { text: String(raw), secret: false };
  let secret = false;
  const replaced = JSON.stringify(raw, (_key, value: unknown) => {
    if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
      secret = true;
      return SECRET_PLACEHOLDER;
    }
    return value;
  });
  // A top-level `secure:` value is the secret string itself, not JSON.
  if (secret && isPlainObject(raw) && "secure" in raw) return { text: SECRET_PLACEHOLDER, secret };
  return { text: replaced, secret };
}

function readYamlMap(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new StackFileError(
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first.linePos?.[0] ? `:${first.linePos[0].line}:${first.linePos[0].col}` : "";
    throw new StackFileError(`${file}${where}: invalid YAML: ${first.message.split("\n")[0]}`);
  }
  if (doc.contents !== null && !isMap(doc.contents))
    throw new StackFileError(`${file}: expected a YAML map at the top level`);
  return (doc.toJS() ?? {}) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
