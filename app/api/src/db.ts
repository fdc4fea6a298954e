import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import pg from "pg";
import { ConfigError } from "./config";
import type { Logger } from "./log";

/** How the connection to PostgreSQL is protected. */
export type TlsMode = "off" | "encrypt-only" | "verify-ca" | "verify-full";

/** A `pg` pool configuration and the TLS mode it ends up with (logged at start-up). */
export interface DatabaseSettings {
  readonly pool: pg.PoolConfig;
  readonly tls: TlsMode;
}

// TLS parameters are taken out of the URL and turned into an explicit `ssl` object: `pg` lets the
// URL's `sslmode` override the `ssl` option and reads `require` as verify-full against the system
// CAs, which a DigitalOcean managed database (signed by its own CA) does not pass.
const TLS_PARAMS = ["sslmode", "sslrootcert", "sslcert", "sslkey", "sslnegotiation", "uselibpqcompat", "ssl"];

/**
 * Pool settings for `databaseUrl`, following libpq's meaning of `sslmode`:
 * absent or `disable` → no TLS (unless a CA file is given, then verify-full); `require` → encrypted,
 * verified against the CA file when one is given (verify-ca), unverified otherwise; `verify-ca` /
 * `verify-full` → verified against the CA file or the system CAs, verify-full also checks the host name.
 */
export function databaseSettings(
  databaseUrl: string,
  caFile?: string,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): DatabaseSettings {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ConfigError("DATABASE_URL is not a valid URL");
  }
  const sslmode = url.searchParams.get("sslmode") ?? undefined;
  for (const param of TLS_PARAMS) url.searchParams.delete(param);
  const ca = caFile === undefined ? undefined : readFile(caFile);

  let tls: TlsMode;
  switch (sslmode) {
    case undefined:
      tls = ca === undefined ? "off" : "verify-full";
      break;
    case "disable":
      if (ca !== undefined)
        throw new ConfigError("DATABASE_CA_FILE is set but DATABASE_URL has sslmode=disable");
      tls = "off";
      break;
    case "require":
      tls = ca === undefined ? "encrypt-only" : "verify-ca";
      break;
    case "verify-ca":
    case "verify-full":
      tls = sslmode;
      break;
    default:
      throw new ConfigError(
        `DATABASE_URL has sslmode=${sslmode}; use disable, require, verify-ca or verify-full`,
      );
  }

  return {
    tls,
    pool: {
      connectionString: url.toString(),
      ssl: sslOptions(tls, ca),
      max: 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      query_timeout: 10_000,
      application_name: "app-api",
    },
  };
}

function sslOptions(tls: TlsMode, ca: string | undefined): false | ConnectionOptions {
  const withCa = ca === undefined ? {} : { ca };
  switch (tls) {
    case "off":
      return false;
    case "encrypt-only":
      return { rejectUnauthorized: false };
    case "verify-ca":
      return { ...withCa, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-full":
      return { ...withCa, rejectUnauthorized: true };
  }
}

/** A pool whose idle-connection errors (database restarted, network cut) are logged instead of crashing. */
export function createPool(config: pg.PoolConfig, log: Logger): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("error", (err) => log("warn", "idle database connection failed", { error: err.message }));
  return pool;
}

/** Resolves when `select 1` answers within `timeoutMs`; rejects with the reason otherwise. */
export async function pingDatabase(pool: pg.Pool, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pool.query("select 1"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
