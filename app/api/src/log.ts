/** Severity of a log line, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Writes one structured log line; `fields` are merged into the JSON object. */
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** True for the level names a `LOG_LEVEL` variable may hold. */
export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(rank, value);
}

/**
 * A logger that prints one JSON object per line (what log collectors in a cluster parse best),
 * dropping lines below `minLevel`.
 */
export function jsonLogger(
  minLevel: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  return (level, msg, fields) => {
    if (rank[level] < rank[minLevel]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n");
  };
}

/** A logger that discards everything (tests). */
export const silentLogger: Logger = () => undefined;

/** The message of anything thrown, for a log field. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
