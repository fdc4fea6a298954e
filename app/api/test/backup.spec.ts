import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBackupCommand } from "../src/backup";
import { loadBackupSettings } from "../src/dumpStore";
import { chooseDump, dumpName, dumpTime, expiredDumps, newestFirst, parseRestoreAt } from "../src/dumps";
import type { Logger } from "../src/log";

describe("backup tool: dump names and choices", () => {
  it("names a dump after its UTC time, to the second, and reads the time back", () => {
    const time = new Date("2026-11-25T02:30:12.345Z");
    assert.equal(dumpName(time), "app-20261125T023012Z.dump");
    assert.deepEqual(dumpTime(`postgres/${dumpName(time)}`), new Date("2026-11-25T02:30:12Z"));
    assert.equal(dumpTime("postgres/app-20260231T000000Z.dump"), undefined, "no February 31st");
    assert.equal(dumpTime("postgres/notes.txt"), undefined);
  });

  it("takes a restore point with its zone, in RFC 3339 or a dump's compact form, and nothing ambiguous", () => {
    assert.deepEqual(parseRestoreAt("2026-11-25T03:30:00+01:00"), new Date("2026-11-25T02:30:00Z"));
    assert.deepEqual(parseRestoreAt("2026-11-25T02:30Z"), new Date("2026-11-25T02:30:00Z"));
    assert.deepEqual(parseRestoreAt("20261125T023012Z"), new Date("2026-11-25T02:30:12Z"));
    for (const bad of ["2026-11-25", "2026-11-25T02:30:00", "yesterday", "20261325T000000Z"])
      assert.throws(() => parseRestoreAt(bad), /expected a point in time with its zone/, bad);
  });

  const keys = [
    "postgres/app-20261123T023000Z.dump",
    "postgres/app-20261125T023000Z.dump",
    "postgres/app-20261124T023000Z.dump",
    "postgres/README",
  ];

  it("restores the newest dump taken at or before the restore point, or the newest of all", () => {
    assert.equal(chooseDump(keys), "postgres/app-20261125T023000Z.dump");
    assert.equal(chooseDump(keys, new Date("2026-11-24T23:59:59Z")), "postgres/app-20261124T023000Z.dump");
    assert.equal(chooseDump(keys, new Date("2026-11-24T02:30:00Z")), "postgres/app-20261124T023000Z.dump");
    assert.equal(chooseDump(keys, new Date("2026-11-23T02:29:59Z")), undefined);
    assert.equal(chooseDump(["postgres/README"]), undefined);
  });

  it("expires dumps older than the retention, and lists the newest first", () => {
    const now = new Date("2026-11-30T02:00:00Z");
    assert.deepEqual(expiredDumps(keys, now, 6), ["postgres/app-20261123T023000Z.dump"]);
    assert.deepEqual(expiredDumps(keys, now, 7), []);
    assert.deepEqual(newestFirst(keys), [
      "postgres/app-20261125T023000Z.dump",
      "postgres/app-20261124T023000Z.dump",
      "postgres/app-20261123T023000Z.dump",
    ]);
  });
});

describe("backup tool: settings", () => {
  const s3 = {
    BACKUP_STORE: "s3",
    BACKUP_S3_ENDPOINT: "https://fra1.digitaloceanspaces.com",
    BACKUP_S3_BUCKET: "dumps",
    AWS_ACCESS_KEY_ID: "id",
    AWS_SECRET_ACCESS_KEY: "secret",
  };

  it("reads an S3 store with defaults for region, path style and prefix", () => {
    assert.deepEqual(loadBackupSettings(s3), {
      store: "s3",
      endpoint: "https://fra1.digitaloceanspaces.com",
      region: "us-east-1",
      bucket: "dumps",
      forcePathStyle: false,
      prefix: "postgres/",
      accessKeyId: "id",
      secretAccessKey: "secret",
    });
  });

  it("names the variable that is missing or wrong, never a credential's value", () => {
    const { AWS_SECRET_ACCESS_KEY: _omitted, ...noSecret } = s3;
    assert.throws(
      () => loadBackupSettings(noSecret),
      /^BackupConfigError: AWS_SECRET_ACCESS_KEY must be set$/,
    );
    assert.throws(
      () => loadBackupSettings({ ...s3, BACKUP_S3_ENDPOINT: "fra1.digitaloceanspaces.com" }),
      /BACKUP_S3_ENDPOINT must be an http\(s\) URL/,
    );
    assert.throws(() => loadBackupSettings({ ...s3, BACKUP_PREFIX: "/abs" }), /BACKUP_PREFIX must be/);
    assert.throws(() => loadBackupSettings({ BACKUP_STORE: "ftp" }), /BACKUP_STORE must be s3 or directory/);
    assert.throws(
      () => loadBackupSettings({ BACKUP_STORE: "directory", BACKUP_DIR: "/b", BACKUP_RETENTION_DAYS: "0" }),
      /BACKUP_RETENTION_DAYS must be an integer from 1 to 3650, got "0"/,
    );
  });
});

describe("backup tool: a volume store, end to end", () => {
  let dir: string;
  let lines: Record<string, unknown>[];
  const log: Logger = (level, msg, fields) => void lines.push({ level, msg, ...fields });
  const env = () => ({
    BACKUP_STORE: "directory",
    BACKUP_DIR: join(dir, "backups"),
    BACKUP_RETENTION_DAYS: "7",
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "backup-tool-"));
    lines = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function dumpAt(time: string, content: string): string {
    const file = join(dir, `dump-${content}`);
    writeFileSync(file, content);
    utimesSync(file, new Date(time), new Date(time));
    return file;
  }

  it("stores each dump under its time, prunes those past retention, and fetches the one asked for", async () => {
    const now = new Date("2026-11-30T03:00:00Z");
    assert.equal(
      await runBackupCommand(["store", dumpAt("2026-11-20T02:30:00Z", "old")], env(), log, now),
      0,
    );
    assert.equal(
      await runBackupCommand(["store", dumpAt("2026-11-29T02:30:00Z", "mon")], env(), log, now),
      0,
    );
    assert.equal(
      await runBackupCommand(["store", dumpAt("2026-11-30T02:30:00Z", "tue")], env(), log, now),
      0,
    );
    assert.deepEqual(readdirSync(join(dir, "backups")).sort(), [
      "app-20261129T023000Z.dump",
      "app-20261130T023000Z.dump",
    ]);
    assert.ok(lines.some((l) => l.msg === "deleted expired dump" && l.key === "app-20261120T023000Z.dump"));

    const out = join(dir, "restore.dump");
    assert.equal(
      await runBackupCommand(["fetch", out], { ...env(), RESTORE_AT: "2026-11-29T12:00:00Z" }, log),
      0,
    );
    assert.equal(readFileSync(out, "utf8"), "mon");
    assert.equal(await runBackupCommand(["fetch", out], env(), log), 0);
    assert.equal(readFileSync(out, "utf8"), "tue");
  });

  it("fails with exit code 1 when no dump is old enough, and 2 for a bad restore point or usage", async () => {
    await runBackupCommand(
      ["store", dumpAt("2026-11-29T02:30:00Z", "mon")],
      env(),
      log,
      new Date("2026-11-29T03:00:00Z"),
    );
    const out = join(dir, "restore.dump");
    assert.equal(
      await runBackupCommand(["fetch", out], { ...env(), RESTORE_AT: "2026-11-01T00:00:00Z" }, log),
      1,
    );
    assert.match(
      String(lines.at(-1)?.error),
      /no dump taken at or before 2026-11-01T00:00:00.000Z .*\(the oldest is app-20261129T023000Z\.dump\)/,
    );
    assert.equal(await runBackupCommand(["fetch", out], { ...env(), RESTORE_AT: "2026-11-01" }, log), 2);
    assert.equal(await runBackupCommand(["store"], env(), log), 2);
    assert.equal(await runBackupCommand(["restore", out], env(), log), 2);
  });

  it("refuses to store an empty file (a dump that failed)", async () => {
    const empty = join(dir, "empty.dump");
    writeFileSync(empty, "");
    assert.equal(await runBackupCommand(["store", empty], env(), log), 1);
    assert.match(String(lines.at(-1)?.error), /is not a dump/);
  });
});
