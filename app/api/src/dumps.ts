// Names and choices of database dumps: pure functions, shared by the backup CronJob, the restore Job
// and their tests.

/** A dump's file name: `app-<UTC time, compact ISO 8601>.dump`, e.g. `app-20261125T023012Z.dump`. */
const DUMP_NAME = /^app-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.dump$/;
/** The compact form of a time as in a dump's name: `20261125T023012Z`. */
const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** RFC 3339 with seconds optional and an explicit zone: `2026-11-25T02:30:00Z`, `…T03:30+01:00`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const DAY_MS = 24 * 60 * 60 * 1000;

function fromParts(parts: RegExpExecArray): Date | undefined {
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-31 over into March: such a name is not a time.
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60
    ? date
    : undefined;
}

/** The name a dump taken at `time` is stored under (without any key prefix). */
export function dumpName(time: Date): string {
  return `app-${time
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "")}.dump`;
}

/** The time in a dump's name (the last path segment of `key`), or undefined for any other file. */
export function dumpTime(key: string): Date | undefined {
  const match = DUMP_NAME.exec(key.slice(key.lastIndexOf("/") + 1));
  return match ? fromParts(match) : undefined;
}

/** Thrown for a `RESTORE_AT` that is not a point in time; the message says what is expected. */
export class RestoreAtError extends Error {
  override readonly name = "RestoreAtError";
}

/**
 * A restore point in time: RFC 3339 with an explicit zone (`2026-11-25T02:30:00Z`) or the compact
 * form of a dump's name (`20261125T023012Z`). A date alone or a time without a zone is refused: it
 * would mean a different instant on a laptop and in the cluster.
 */
export function parseRestoreAt(text: string): Date {
  const value = text.trim();
  const compact = COMPACT.exec(value);
  const date = compact ? fromParts(compact) : RFC3339.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new RestoreAtError(
      `expected a point in time with its zone, such as 2026-11-25T02:30:00Z or 20261125T023012Z, got "${text}"`,
    );
  }
  return date;
}

/**
 * The dump to restore among `keys`: the newest one taken at or before `at` (the newest of all
 * without `at`). Keys that are not dumps are ignored. Undefined when none qualifies.
 */
export function chooseDump(keys: readonly string[], at?: Date): string | undefined {
  let best: { key: string; time: number } | undefined;
  for (const key of keys) {
    const time = dumpTime(key)?.getTime();
    if (time === undefined || (at !== undefined && time > at.getTime())) continue;
    if (!best || time > best.time || (time === best.time && key > best.key)) best = { key, time };
  }
  return best?.key;
}

/** The dumps among `keys` older than `retentionDays` at `now` (what a volume's pruning deletes). */
export function expiredDumps(keys: readonly string[], now: Date, retentionDays: number): string[] {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return keys.filter((key) => {
    const time = dumpTime(key)?.getTime();
    return time !== undefined && time < cutoff;
  });
}

/** The dumps among `keys`, newest first (what `list` prints). */
export function newestFirst(keys: readonly string[]): string[] {
  return keys
    .filter((key) => dumpTime(key) !== undefined)
    .sort((a, b) => dumpTime(b)!.getTime() - dumpTime(a)!.getTime() || (a < b ? 1 : -1));
}
