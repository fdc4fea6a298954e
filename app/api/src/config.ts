import { isLogLevel, type LogLevel } from "./log";

/** Settings of the API process, read once from the environment. */
export interface ApiConfig {
  /** TCP port to listen on (`PORT`, default 8080; 0 picks a free port). */
  readonly port: number;
  /** PostgreSQL connection URL (`DATABASE_URL`, required); may carry `sslmode`. */
  readonly databaseUrl: string;
  /** CA certificate file the database's TLS certificate must chain to (`DATABASE_CA_FILE`, optional). */
  readonly databaseCaFile?: string;
  /** How long `/readyz` waits for `select 1` (`READY_TIMEOUT_MS`, default 1000). */
  readonly readyTimeoutMs: number;
  /** Time between SIGTERM and closing the listener, while `/readyz` already fails (`SHUTDOWN_DELAY_MS`, default 0). */
  readonly shutdownDelayMs: number;
  /** How long in-flight requests may take to finish after SIGTERM (`SHUTDOWN_TIMEOUT_MS`, default 10000). */
  readonly shutdownTimeoutMs: number;
  /** Lowest level logged (`LOG_LEVEL`, default `info`). */
  readonly logLevel: LogLevel;
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

/** Reads and validates the API's settings; throws a {@link ConfigError} naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const databaseUrl = env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must be set to a postgres:// or postgresql:// URL");
  }
  const logLevel = env.LOG_LEVEL || "info";
  if (!isLogLevel(logLevel))
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error, got "${logLevel}"`);
  return {
    port: integer(env, "PORT", 8080, 0, 65535),
    databaseUrl,
    databaseCaFile: env.DATABASE_CA_FILE || undefined,
    readyTimeoutMs: integer(env, "READY_TIMEOUT_MS", 1000, 1, 60_000),
    shutdownDelayMs: integer(env, "SHUTDOWN_DELAY_MS", 0, 0, 600_000),
    shutdownTimeoutMs: integer(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    logLevel,
  };
}
