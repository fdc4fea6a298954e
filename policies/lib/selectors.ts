import { isRecord, record, records, str } from "./paths";

/** Whether a label selector has no requirement (it then selects every pod of its namespace). */
export function isEmptySelector(selector: unknown): boolean {
  const s = record(selector);
  return Object.keys(record(s.matchLabels)).length === 0 && records(s.matchExpressions).length === 0;
}

function expressionMatches(expr: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const key = str(expr.key) ?? "";
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
  switch (expr.operator) {
    case "In":
      return has && values.includes(String(labels[key]));
    case "NotIn":
      return !has || !values.includes(String(labels[key]));
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}

/** Whether a Kubernetes label selector (matchLabels and matchExpressions) selects these labels. */
export function selectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  if (!isRecord(selector)) return false;
  for (const [key, value] of Object.entries(record(selector.matchLabels))) {
    if (String(labels[key]) !== String(value) || !(key in labels)) return false;
  }
  return records(selector.matchExpressions).every((e) => expressionMatches(e, labels));
}
