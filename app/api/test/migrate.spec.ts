import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { silentLogger } from "../src/log";
import { loadMigrations, migrate, type Migration } from "../src/migrate";
import { createTestDatabase, requireDatabase, type TestDatabase } from "./helpers";

const run = promisify(execFile);
const ALL = loadMigrations().map((m) => m.id);

describe("api: migrations (real PostgreSQL)", function () {
  let baseUrl: string;
  let db: TestDatabase;
  let pool: pg.Pool;

  before(async function () {
    baseUrl = requireDatabase(this);
    db = await createTestDatabase(baseUrl);
    pool = new pg.Pool({ connectionString: db.url, max: 10 });
  });

  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function tables(): Promise<string[]> {
    const { rows } = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    return rows.map((r) => r.table_name);
  }

  async function recorded(): Promise<string[]> {
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM schema_migrations ORDER BY id");
    return rows.map((r) => r.id);
  }

  it("ships ordered, well-named migrations", () => {
    assert.deepEqual(ALL, ["0001_create_items", "0002_index_items_created_at"]);
  });

  it("migrates an empty database: creates the tables and records every migration", async () => {
    assert.deepEqual(await tables(), []);
    assert.deepEqual(await migrate(pool, loadMigrations(), silentLogger), ALL);
    assert.deepEqual(await tables(), ["items", "schema_migrations"]);
    assert.deepEqual(await recorded(), ALL);
    const { rows } = await pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY indexname",
    );
    assert.deepEqual(
      rows.map((r) => r.indexname),
      ["items_created_at_idx", "items_pkey"],
    );
  });

  it("is a no-op when run again", async () => {
    assert.deepEqual(await migrate(pool, loadMigrations(), silentLogger), []);
    assert.deepEqual(await recorded(), ALL);
  });

  it("lets concurrent runners take turns: each migration applies exactly once", async () => {
    const fresh = await createTestDatabase(baseUrl);
    const pools = Array.from({ length: 5 }, () => new pg.Pool({ connectionString: fresh.url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, loadMigrations(), silentLogger)));
      assert.deepEqual(results.flat().sort(), ALL, "every migration applied once in total");
      assert.equal(results.filter((r) => r.length > 0).length, 1, "one runner did the work");
      const { rows } = await pools[0].query<{ id: string }>("SELECT id FROM schema_migrations ORDER BY id");
      assert.deepEqual(
        rows.map((r) => r.id),
        ALL,
      );
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await fresh.drop();
    }
  });

  it("rolls a failing migration back completely and reports it", async () => {
    const broken: Migration = {
      id: "0003_broken",
      sql: "CREATE TABLE half_done (id int); SELECT no_such_function();",
      checksum: "x",
    };
    await assert.rejects(migrate(pool, [...loadMigrations(), broken], silentLogger), {
      message: "migration 0003_broken failed: function no_such_function() does not exist",
    });
    assert.deepEqual(await tables(), ["items", "schema_migrations"]);
    assert.deepEqual(await recorded(), ALL);
    // The advisory lock went with the failed session: the next run is not blocked.
    assert.deepEqual(await migrate(pool, loadMigrations(), silentLogger), []);
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await assert.rejects(migrate(pool, edited, silentLogger), {
      message: "migration 0001_create_items was changed after it was applied; add a new one instead",
    });
  });

  it("rejects a file in the migrations directory that is not NNNN_name.sql", () => {
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    try {
      writeFileSync(join(dir, "0001_ok.sql"), "SELECT 1;");
      writeFileSync(join(dir, "notes.txt"), "");
      assert.throws(() => loadMigrations(dir), {
        message: `${join(dir, "notes.txt")}: migration files must be named NNNN_lower_snake.sql`,
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  describe("as a process (the init container's `node dist/migrate.js`)", () => {
    const script = join(__dirname, "..", "src", "migrate.ts");
    const node = (env: Record<string, string>) =>
      run(process.execPath, ["--require", require.resolve("tsx/cjs"), script], {
        env: { PATH: process.env.PATH ?? "", ...env },
      });

    it("exits 0 and logs JSON when the schema is current", async () => {
      const { stdout } = await node({ DATABASE_URL: db.url });
      const lines = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        lines.map(({ level, msg, applied, tls }) => ({ level, msg, applied, tls })),
        [{ level: "info", msg: "schema is up to date", applied: 0, tls: "off" }],
      );
    });

    it("exits 1 with a reason when DATABASE_URL is missing", async () => {
      await assert.rejects(node({}), (err: { code: number; stdout: string }) => {
        assert.equal(err.code, 1);
        const line = JSON.parse(err.stdout.trim()) as Record<string, unknown>;
        assert.equal(line.msg, "invalid configuration");
        assert.equal(line.error, "DATABASE_URL must be set to a postgres:// or postgresql:// URL");
        return true;
      });
    });
  });
});
