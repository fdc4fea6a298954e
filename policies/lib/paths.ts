/** Joins property path segments as `a.b[0].c`, the form every violation message uses. */
export function formatPath(segments: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const raw of segments) {
    const seg = typeof raw === "symbol" ? raw.toString() : String(raw);
    if (/^\d+$/.test(seg)) {
      out += `[${seg}]`;
    } else {
      out += out === "" ? seg : `.${seg}`;
    }
  }
  return out;
}

/** Narrows an unknown value to a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as an array of records, skipping anything that is not an object. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The value as a record, or an empty one. */
export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The value if it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
