/** Settings of the web server, read once from the environment. */
export interface WebConfig {
  /** TCP port to listen on (`PORT`, default 8080; 0 picks a free port). */
  readonly port: number;
  /** Base URL of the api service that `/api/*` is forwarded to (`API_URL`, default `http://api:8080`). */
  readonly apiUrl: URL;
  /** How long a proxied request may wait for the api's response (`API_TIMEOUT_MS`, default 30000). */
  readonly apiTimeoutMs: number;
  /** How long in-flight requests may take to finish after SIGTERM (`SHUTDOWN_TIMEOUT_MS`, default 10000). */
  readonly shutdownTimeoutMs: number;
}

/** Thrown for an environment variable with an unusable value; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** Reads and validates the web server's settings; throws a {@link ConfigError} naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): WebConfig {
  const rawApiUrl = env.API_URL || "http://api:8080";
  let apiUrl: URL;
  try {
    apiUrl = new URL(rawApiUrl);
  } catch {
    throw new ConfigError(`API_URL must be an http:// or https:// URL, got "${rawApiUrl}"`);
  }
  if (apiUrl.protocol !== "http:" && apiUrl.protocol !== "https:") {
    throw new ConfigError(`API_URL must be an http:// or https:// URL, got "${rawApiUrl}"`);
  }
  if (apiUrl.search !== "" || apiUrl.hash !== "") {
    throw new ConfigError(`API_URL must not have a query or fragment, got "${rawApiUrl}"`);
  }
  return {
    port: integer(env, "PORT", 8080, 0, 65535),
    apiUrl,
    apiTimeoutMs: integer(env, "API_TIMEOUT_MS", 30_000, 1, 600_000),
    shutdownTimeoutMs: integer(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
  };
}
