import { isMap, isScalar, isSeq, parseDocument, type Scalar } from "yaml";

/** Sections trivy's YAML ignore file has (trivy `pkg/result/ignore.go`). */
const SECTIONS = ["vulnerabilities", "misconfigurations", "secrets", "licenses"];
/** Fields of one entry. */
const FIELDS = ["id", "paths", "purls", "statement", "expired_at"];
/** How far ahead an acceptance may run: the team looks at each finding again within this. */
export const MAX_ACCEPTANCE_DAYS = 90;
/** A reason shorter than this says nothing ("ok", "accepted", "false positive"). */
const MIN_STATEMENT = 20;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date `YYYY-MM-DD` as milliseconds at UTC midnight; undefined when it is none. */
function calendarDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().startsWith(text) ? ms : undefined;
}

/**
 * Every problem with a `.trivyignore.yaml` text, each naming the entry: it must parse, hold only
 * trivy's sections and fields, and each entry needs an `id`, a `statement` of at least
 * {@link MIN_STATEMENT} characters and an `expired_at` date (unquoted, as trivy reads a date) no
 * more than {@link MAX_ACCEPTANCE_DAYS} days after `today`. An entry that has already expired is
 * not a problem here: trivy stops honouring it, so the scans fail on the finding again.
 */
export function trivyIgnoreProblems(text: string, today: Date): string[] {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return doc.errors.map((e) => `does not parse: ${e.message}`);
  if (doc.contents === null) return ["is empty: write `vulnerabilities: []`"];
  if (!isMap(doc.contents)) return ["must be a mapping of sections"];
  const problems: string[] = [];
  const latest = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (const pair of doc.contents.items) {
    const section = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!SECTIONS.includes(section)) {
      problems.push(`${section}: not a section of trivy's ignore file (${SECTIONS.join(", ")})`);
      continue;
    }
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) continue;
    if (!isSeq(pair.value)) {
      problems.push(`${section}: must be a list`);
      continue;
    }
    pair.value.items.forEach((item, i) => {
      if (!isMap(item)) {
        problems.push(`${section}[${i}]: must be a mapping`);
        return;
      }
      const entry = new Map(item.items.map((p) => [isScalar(p.key) ? String(p.key.value) : "", p.value]));
      const id = entry.get("id");
      const name = `${section}[${i}]${isScalar(id) && typeof id.value === "string" ? ` ${id.value}` : ""}`;
      for (const key of entry.keys())
        if (!FIELDS.includes(key)) problems.push(`${name}: unknown field "${key}"`);
      if (!isScalar(id) || typeof id.value !== "string" || id.value.trim() === "")
        problems.push(`${name}: needs an id (CVE-…, GHSA-…, AVD-…)`);
      for (const list of ["paths", "purls"]) {
        const value = entry.get(list);
        if (
          value !== undefined &&
          !(isSeq(value) && value.items.every((s) => isScalar(s) && typeof s.value === "string"))
        )
          problems.push(`${name}: ${list} must be a list of strings`);
      }
      const statement = entry.get("statement");
      if (!isScalar(statement) || typeof statement.value !== "string")
        problems.push(`${name}: needs a statement saying why the finding is accepted`);
      else if (statement.value.trim().length < MIN_STATEMENT)
        problems.push(`${name}: the statement "${statement.value.trim()}" gives no reason`);
      const expiry = entry.get("expired_at") as Scalar | undefined;
      if (expiry === undefined) {
        problems.push(`${name}: needs expired_at, the day trivy stops ignoring it`);
        return;
      }
      const text = isScalar(expiry) ? String(expiry.value) : "";
      const at = calendarDate(text);
      if (!isScalar(expiry) || expiry.type !== "PLAIN" || at === undefined)
        problems.push(`${name}: expired_at must be an unquoted date YYYY-MM-DD, got ${String(expiry)}`);
      else if (at > latest + MAX_ACCEPTANCE_DAYS * DAY_MS)
        problems.push(
          `${name}: expired_at ${text} is more than ${MAX_ACCEPTANCE_DAYS} days ahead; accept for a shorter time`,
        );
    });
  }
  return problems;
}
