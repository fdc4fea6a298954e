// Heuristics shared by the env-literal and ConfigMap checks. They err on the side of reporting, so
// the policies that use them default to advisory.

const SECRET_WORDS =
  /(pass(word|wd)?|secret|token|api[-_.]?key|private[-_.]?key|credentials?|access[-_.]?key|auth[-_.]?key|client[-_.]?secret)/i;
// Names that refer to a secret instead of holding one: PASSWORD_FILE, TOKEN_URL, SECRET_NAME ...
const REFERENCE_SUFFIX =
  /[-_.](file|path|url|uri|endpoint|host|name|ref|dir|ttl|timeout|expiry|length|enabled|header|type|mode|id|user|username)$/i;

const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/,
  /\bxox[baprs]-[A-Za-z0-9-]{10,}/,
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/,
  /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@$]+@/i, // credentials inside a URL
];

// `password = hunter2` / `apiKey: abc123` lines inside a config file; placeholders (${X}, $(X)) pass.
const SECRET_ASSIGNMENT =
  /(^|\n)\s*["']?[\w.-]*(pass(word|wd)|secret|token|api[-_.]?key)["']?\s*[:=]\s*["']?(?![$<{])[^\s"']{4,}/i;

/** Whether an env var or ConfigMap key name says it holds a secret (and is not a reference to one). */
export function looksLikeSecretKey(name: string): boolean {
  return SECRET_WORDS.test(name) && !REFERENCE_SUFFIX.test(name);
}

/** Whether a value has the shape of a credential (private key, cloud or chat token, JWT, URL with password). */
export function looksLikeSecretValue(value: string): boolean {
  return SECRET_VALUE_PATTERNS.some((p) => p.test(value));
}

/** Whether a config-file value assigns a literal to a secret-named setting. */
export function containsSecretAssignment(value: string): boolean {
  return SECRET_ASSIGNMENT.test(value);
}
