import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { ConfigError, loadConfig } from "./config";
import { createPool, databaseSettings } from "./db";
import { errorMessage, jsonLogger, type Logger } from "./log";

/** One schema change: a SQL file applied once, in a transaction. */
export interface Migration {
  /** File name without `.sql`, e.g. `0001_create_items`; migrations run in this order. */
  readonly id: string;
  readonly sql: string;
  /** sha256 of `sql`, recorded so an edited, already-applied migration is noticed. */
  readonly checksum: string;
}

/** Where the SQL files live, next to `src/` and `dist/` alike. */
export const MIGRATIONS_DIR = join(__dirname, "..", "migrations");

// An arbitrary, fixed key: every runner of this app's migrations takes the same advisory lock.
const LOCK_KEY = 4_217_305_118;
const FILE_NAME = /^(\d{4}_[a-z0-9_]+)\.sql$/;

/** Reads `dir`'s `NNNN_name.sql` files in name order; any other file there is an error. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`${join(dir, file)}: migration files must be named NNNN_lower_snake.sql`);
      const sql = readFileSync(join(dir, file), "utf8");
      return { id: match[1], sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction, while
 * holding a session advisory lock so that two runners (say, two pods' init containers) take turns.
 * Returns the ids it applied. Throws if an applied migration's file has changed since.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[],
  log: Logger,
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    const done = await applyPending(client, migrations, log);
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    client.release();
    return done;
  } catch (err) {
    // Destroying the connection ends the session, which also drops the lock and any open transaction.
    client.release(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

async function applyPending(client: pg.PoolClient, migrations: readonly Migration[], log: Logger) {
  await client.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       id text PRIMARY KEY,
       checksum text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ id: string; checksum: string }>(
    "SELECT id, checksum FROM schema_migrations",
  );
  const applied = new Map(rows.map((row) => [row.id, row.checksum]));
  const done: string[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.id);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(`migration ${migration.id} was changed after it was applied; add a new one instead`);
      }
      continue;
    }
    await client.query("BEGIN");
    try {
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [
        migration.id,
        migration.checksum,
      ]);
      await client.query("COMMIT");
    } catch (err) {
      throw new Error(`migration ${migration.id} failed: ${errorMessage(err)}`, { cause: err });
    }
    log("info", "applied migration", { migration: migration.id });
    done.push(migration.id);
  }
  return done;
}

/** Entry point of the migration Job / init container: exit 0 when the schema is current. */
async function main(): Promise<void> {
  const log = jsonLogger("info");
  try {
    const config = loadConfig(process.env);
    const settings = databaseSettings(config.databaseUrl, config.databaseCaFile);
    const pool = createPool({ ...settings.pool, max: 1 }, log);
    try {
      const applied = await migrate(pool, loadMigrations(), log);
      log("info", "schema is up to date", { applied: applied.length, tls: settings.tls });
    } finally {
      await pool.end();
    }
  } catch (err) {
    log("error", err instanceof ConfigError ? "invalid configuration" : "migration failed", {
      error: errorMessage(err),
    });
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
