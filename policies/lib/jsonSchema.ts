import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import { isRecord } from "./paths";

// A validator for the subset of JSON Schema the pack's configSchema uses (type, enum, minimum,
// minLength, pattern, items, minItems, properties, required, additionalProperties). The Pulumi CLI
// validates the same config against the full schema; this gives the offline tools the same answer.

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** Validates a value against a config JSON schema; returns messages like `exemptions[0].reason is required`. */
export function validateJsonSchema(
  value: unknown,
  schema: PolicyConfigJSONSchemaDefinition,
  path = "",
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path} is not allowed`];
  return validateSchema(value, schema, path);
}

function validateSchema(value: unknown, schema: PolicyConfigJSONSchema, path: string): string[] {
  const errors: string[] = [];
  const actual = typeOf(value);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((t) => typeMatches(t, actual))) {
    return [`${path} must be ${types.join(" or ")}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    errors.push(`${path} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
    errors.push(`${path} must be at least ${schema.minimum}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${path} must not be empty`);
    else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      errors.push(`${path} must match ${schema.pattern}`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push(`${path} must have at least ${schema.minItems} item(s)`);
    }
    const items = schema.items;
    if (items !== undefined && !Array.isArray(items)) {
      value.forEach((item, i) => errors.push(...validateJsonSchema(item, items, join(path, i))));
    }
  }
  if (isRecord(value)) errors.push(...validateObject(value, schema, path));
  return errors;
}

function validateObject(
  value: Record<string, unknown>,
  schema: PolicyConfigJSONSchema,
  path: string,
): string[] {
  const errors: string[] = [];
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) errors.push(`${join(path, key)} is required`);
  }
  for (const [key, item] of Object.entries(value)) {
    const prop = schema.properties?.[key];
    if (prop !== undefined) errors.push(...validateJsonSchema(item, prop, join(path, key)));
    else if (schema.additionalProperties === false) errors.push(`${join(path, key)} is not a known setting`);
    else if (schema.additionalProperties !== undefined) {
      errors.push(...validateJsonSchema(item, schema.additionalProperties, join(path, key)));
    }
  }
  return errors;
}
