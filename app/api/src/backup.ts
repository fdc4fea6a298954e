// The api image's backup tool, run by the platform's backup CronJob and restore Job beside the
// PostgreSQL image (which makes and restores the dump with pg_dump and pg_restore):
//
//   node dist/backup.js store <file>   stores a dump as app-<UTC time of the file>.dump; a directory
//                                      store then deletes dumps older than BACKUP_RETENTION_DAYS
//   node dist/backup.js fetch <file>   fetches the newest dump taken at or before RESTORE_AT (the
//                                      newest of all without it) into <file>
//   node dist/backup.js list           prints the dumps, newest first
//
// Settings come from the environment (see dumpStore.ts). Exit codes: 0 done, 1 failed, 2 bad usage
// or settings.
import { stat } from "node:fs/promises";
import { BackupConfigError, type DumpStore, loadBackupSettings, openStore } from "./dumpStore";
import {
  chooseDump,
  dumpName,
  dumpTime,
  expiredDumps,
  newestFirst,
  parseRestoreAt,
  RestoreAtError,
} from "./dumps";
import { errorMessage, jsonLogger, type Logger } from "./log";

const USAGE = "usage: backup.js store <file> | fetch <file> | list";

/** Stores the dump in `file`; returns its key. */
async function store(target: DumpStore, prefix: string, file: string, log: Logger): Promise<string> {
  const info = await stat(file);
  if (!info.isFile() || info.size === 0) throw new Error(`${file} is not a dump (empty or not a file)`);
  // Named after the time pg_dump finished writing it: restore points are chosen by this time.
  const key = `${prefix}${dumpName(info.mtime)}`;
  const bytes = await target.put(file, key);
  log("info", "stored dump", { key, bytes, store: target.description });
  return key;
}

/** Deletes the dumps older than `retentionDays` from a store that prunes itself. */
async function prune(target: DumpStore, retentionDays: number, now: Date, log: Logger): Promise<void> {
  if (!target.remove) return;
  for (const key of expiredDumps(await target.list(), now, retentionDays)) {
    await target.remove(key);
    log("info", "deleted expired dump", { key, retentionDays });
  }
}

/** Fetches the dump to restore into `file`; returns its key. */
async function fetch(target: DumpStore, file: string, at: Date | undefined, log: Logger): Promise<string> {
  const keys = await target.list();
  const key = chooseDump(keys, at);
  if (key === undefined) {
    const oldest = newestFirst(keys).at(-1);
    throw new Error(
      at === undefined
        ? `no dump in ${target.description}`
        : `no dump taken at or before ${at.toISOString()} in ${target.description}` +
            (oldest ? ` (the oldest is ${oldest})` : " (it holds none)"),
    );
  }
  const bytes = await target.get(key, file);
  log("info", "fetched dump", {
    key,
    bytes,
    takenAt: dumpTime(key)?.toISOString(),
    restoreAt: at?.toISOString(),
  });
  return key;
}

/**
 * Runs one command of the tool with `env` as its environment; resolves with the process's exit
 * code. `now` is when retention is measured from.
 */
export async function runBackupCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  log: Logger,
  now: Date = new Date(),
): Promise<number> {
  const [command, file, ...rest] = args;
  const needsFile = command === "store" || command === "fetch";
  if (!["store", "fetch", "list"].includes(command ?? "") || (needsFile ? !file || rest.length > 0 : file)) {
    log("error", USAGE);
    return 2;
  }
  try {
    const settings = loadBackupSettings(env);
    const target = openStore(settings);
    const prefix = settings.store === "s3" ? settings.prefix : "";
    if (command === "store") {
      await store(target, prefix, file!, log);
      if (settings.store === "directory") await prune(target, settings.retentionDays, now, log);
    } else if (command === "fetch") {
      const at = env.RESTORE_AT ? parseRestoreAt(env.RESTORE_AT) : undefined;
      await fetch(target, file!, at, log);
    } else {
      for (const key of newestFirst(await target.list()))
        log("info", "dump", { key, takenAt: dumpTime(key)?.toISOString() });
    }
    return 0;
  } catch (err) {
    const usage = err instanceof BackupConfigError || err instanceof RestoreAtError;
    log("error", usage ? "invalid settings" : `${command} failed`, { error: errorMessage(err) });
    return usage ? 2 : 1;
  }
}

if (require.main === module) {
  void runBackupCommand(process.argv.slice(2), process.env, jsonLogger("info")).then((code) => {
    process.exitCode = code;
  });
}
