// The backup and restore path, for real: a real PostgreSQL (.ci/postgres.sh) and a real
// S3-compatible server (.ci/s3.sh, moto). The pods are not re-written for the test: their containers
// are taken from the staging stack as the program declares them (the backup CronJob, and the Job
// `npm run db:restore` makes from the restore CronJob with scripts/lib/restore.ts) and run here one
// after the other, each with its own command, arguments and environment. What differs from the
// cluster is where things are: the database's and the bucket's addresses and credentials (the
// Secrets' values), the mounted volumes (local folders), and the images: this machine's pg_dump and
// pg_restore, and the api image's backup tool (dist/backup.js) from its sources, in this process.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runBackupCommand } from "../../app/api/src/backup";
import { createPool } from "../../app/api/src/db";
import { jsonLogger, silentLogger } from "../../app/api/src/log";
import { createMigratedDatabase, type TestDatabase } from "../../app/api/test/helpers";
import { restoreJob } from "../../scripts/lib/restore";
import { evaluateDeployed } from "../app/deployed";
import { PROJECT_DIR } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The S3-compatible server's settings (.ci/s3.sh exports them). */
interface S3Server {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Like the app's requireDatabase: skipped with a printed reason, but a failure under CI=true. */
function requireS3(ctx: Mocha.Context): S3Server {
  const { TEST_S3_ENDPOINT, TEST_S3_REGION, TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY } = process.env;
  if (TEST_S3_ENDPOINT && TEST_S3_ACCESS_KEY_ID && TEST_S3_SECRET_ACCESS_KEY)
    return {
      endpoint: TEST_S3_ENDPOINT,
      region: TEST_S3_REGION || "us-east-1",
      accessKeyId: TEST_S3_ACCESS_KEY_ID,
      secretAccessKey: TEST_S3_SECRET_ACCESS_KEY,
    };
  const reason = "TEST_S3_ENDPOINT is not set; start an S3-compatible server with `source .ci/s3.sh`";
  if (process.env.CI === "true") throw new Error(`${reason} (CI=true, so this fails instead of skipping)`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

// The backup tool's own SDK (app/api's dependency), to prepare and inspect the bucket.
const appRequire = createRequire(path.join(PROJECT_DIR, "app", "api", "package.json"));
const s3sdk = appRequire("@aws-sdk/client-s3") as Json;

/** Where the pod's world is on this machine. */
interface Local {
  readonly db: URL;
  readonly s3: S3Server;
  readonly bucket: string;
  /** Local folders for the pod's volume mounts, by mount path. */
  readonly mounts: Record<string, string>;
}

/** Kubernetes' `$(VAR)` expansion of command and args (`$$` escapes a dollar). */
function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name?: string) =>
    name === undefined ? "$" : (env[name] ?? match),
  );
}

/** The container's environment with the cluster's addresses and Secrets' values replaced by this machine's. */
function environment(container: Json, local: Local): Record<string, string> {
  const secrets: Record<string, string> = {
    POSTGRES_USER: decodeURIComponent(local.db.username),
    POSTGRES_DB: local.db.pathname.slice(1),
    POSTGRES_PASSWORD: decodeURIComponent(local.db.password),
    AWS_ACCESS_KEY_ID: local.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.s3.secretAccessKey,
  };
  const here: Record<string, string> = {
    PGHOST: local.db.hostname,
    BACKUP_S3_ENDPOINT: local.s3.endpoint,
    BACKUP_S3_REGION: local.s3.region,
    BACKUP_S3_BUCKET: local.bucket,
    // Spaces serves buckets as host names; a server on 127.0.0.1 only by path.
    BACKUP_S3_FORCE_PATH_STYLE: "true",
  };
  const env: Record<string, string> = { PGPORT: local.db.port || "5432" };
  for (const variable of (container.env ?? []) as Json[]) {
    const key = variable.valueFrom?.secretKeyRef?.key as string | undefined;
    if (key !== undefined) {
      assert.ok(key in secrets, `${container.name}: ${variable.name} from an unknown Secret key ${key}`);
      env[variable.name] = secrets[key];
    } else env[variable.name] = here[variable.name] ?? String(variable.value);
  }
  return env;
}

/** Runs one container of a pod here; resolves with its output, rejects when it exits non-zero. */
function runContainer(container: Json, local: Local): Promise<string> {
  const env = environment(container, local);
  // A path in a mounted volume, alone or as an option's value (`--file=/work/app.dump`), in one pass.
  const mounts = new RegExp(`(^|=)(${Object.keys(local.mounts).join("|")})/`);
  const toLocal = (arg: string) =>
    expand(arg, env).replace(
      mounts,
      (_match, before: string, mount: string) => `${before}${local.mounts[mount]}/`,
    );
  for (const mount of (container.volumeMounts ?? []) as Json[])
    assert.ok(mount.mountPath in local.mounts, `${container.name}: no local folder for ${mount.mountPath}`);
  // The api image runs `node dist/backup.js <command> <file>`: here the same entry point from the
  // tool's sources, in this process (a process of its own per container costs a second a run).
  if (!container.command) {
    const [script, ...args] = (container.args as string[]).map(toLocal);
    assert.equal(script, "dist/backup.js", `${container.name} runs the backup tool`);
    let output = "";
    const log = jsonLogger("info", (line) => (output += line));
    return runBackupCommand(args, env, log).then((code) =>
      code === 0 ? output : Promise.reject(new Error(`${container.name} exited ${code}:\n${output}`)),
    );
  }
  // The PostgreSQL image's clients: pg_dump and pg_restore of this machine's PostgreSQL.
  const [command, ...args] = [
    ...(container.command as string[]),
    ...((container.args ?? []) as string[]),
  ].map(toLocal);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${container.name} exited ${code}:\n${output}`)),
    );
  });
}

/** Runs a pod's init containers, then its containers, in order; `after` runs after each one. */
async function runPod(pod: Json, local: Local, after?: (container: string) => void): Promise<string> {
  let log = "";
  for (const container of [...(pod.initContainers ?? []), ...pod.containers] as Json[]) {
    log += await runContainer(container, local);
    after?.(container.name as string);
  }
  return log;
}

describe("database backup and restore, for real (PostgreSQL and an S3-compatible server)", function () {
  this.timeout(60_000);
  let db: TestDatabase | undefined;
  let s3: S3Server;
  let client: Json;
  let dir: string;
  let local: Local;
  let backupPod: Json;
  let restoreCronJob: Json;

  before(async function () {
    s3 = requireS3(this);
    db = await createMigratedDatabase(this);
    const staging = await evaluateDeployed("staging");
    const cronJob = (name: string) =>
      staging.resources.find(
        (r) => r.type === "kubernetes:batch/v1:CronJob" && (r.inputs.metadata as Json).name === name,
      )!.inputs as Json;
    backupPod = cronJob("postgres-backup").spec.jobTemplate.spec.template.spec;
    restoreCronJob = cronJob("postgres-restore");

    dir = mkdtempSync(path.join(tmpdir(), "backup-restore-"));
    for (const sub of ["work", "tmp"]) mkdirSync(path.join(dir, sub));
    const bucket = `dumps-${path
      .basename(dir)
      .slice(-6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}`;
    local = {
      db: new URL(db.url),
      s3,
      bucket,
      mounts: { "/work": path.join(dir, "work"), "/tmp": path.join(dir, "tmp") },
    };
    // A bucket like the program's Spaces bucket: versioned.
    client = new s3sdk.S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(new s3sdk.CreateBucketCommand({ Bucket: bucket }));
    await client.send(
      new s3sdk.PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
  });

  after(async () => {
    client?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  async function query(sql: string, params: unknown[] = []): Promise<Json[]> {
    const pool = createPool({ connectionString: db!.url, max: 1 }, silentLogger);
    try {
      return (await pool.query(sql, params)).rows as Json[];
    } finally {
      await pool.end();
    }
  }
  const names = async () => (await query("SELECT name FROM items ORDER BY id")).map((r) => r.name as string);

  it("stores each night's dump in the bucket, and restores the one taken before a point in time after the table is lost", async () => {
    const started = Date.now();
    // Monday's dump, taken an hour ago (its file's time names it), then Tuesday's, now.
    const monday = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);
    await query("INSERT INTO items (name) VALUES ('alpha'), ('bravo')");
    await runPod(backupPod, local, (container) => {
      if (container === "pg-dump") utimesSync(path.join(dir, "work", "app.dump"), monday, monday);
    });
    await query("INSERT INTO items (name) VALUES ('charlie')");
    await runPod(backupPod, local);

    const listed = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: local.bucket }));
    const keys = ((listed.Contents ?? []) as Json[]).map((o) => o.Key as string).sort();
    const stamp = monday
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "");
    assert.equal(keys.length, 2, keys.join(", "));
    assert.equal(keys[0], `postgres/app-${stamp}.dump`);
    assert.match(keys[1], /^postgres\/app-\d{8}T\d{6}Z\.dump$/);

    // Lost: the table and its rows.
    await query("DROP TABLE items");
    // The Job `npm run db:restore -- --at <a minute after Monday's dump>` creates.
    const at = new Date(monday.getTime() + 60_000).toISOString();
    const job = restoreJob(restoreCronJob, { name: "postgres-restore-test", at });
    const log = await runPod(job.spec.template.spec, local);
    assert.match(log, new RegExp(`"msg":"fetched dump","key":"postgres/app-${stamp}\\.dump"`));
    assert.deepEqual(await names(), ["alpha", "bravo"]);
    // The identity sequence came back with the rows: new items get new ids.
    const [{ id }] = await query("INSERT INTO items (name) VALUES ('delta') RETURNING id");
    assert.equal(Number(id), 3);
    console.log(`      backup ×2 and restore: ${Date.now() - started} ms`);
  });

  it("restores the newest dump without a restore point, replacing what changed since", async () => {
    await query("UPDATE items SET name = 'changed'");
    const job = restoreJob(restoreCronJob, { name: "postgres-restore-newest" });
    await runPod(job.spec.template.spec, local);
    assert.deepEqual(await names(), ["alpha", "bravo", "charlie"]);
  });
});
