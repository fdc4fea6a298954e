// Step log lines of the end-to-end and engine tests: `e2e: [3/8] pulumi up` …
// `e2e: [3/8] pulumi up: done in 312.4 s`.

/** Seconds with one decimal: 312.4 s. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A writer of lines prefixed with `<prefix>:`, on stdout so they interleave with Pulumi's output in order. */
export function logger(prefix: string): (message: string) => void {
  return (message) => void process.stdout.write(`${prefix}: ${message}\n`);
}

/** Writes one line prefixed with `e2e:`. */
export const log = logger("e2e");

/** Numbers the steps of a run and times each one. */
export class Steps {
  private index = 0;

  /** Durations of the steps that ended, in order: `[title, ms]`. */
  readonly timings: [string, number][] = [];

  /** `prefix` distinguishes step lists: `[2/6]`, `cleanup [1/2]`. */
  constructor(
    private readonly total: number,
    private readonly prefix = "",
    private readonly say: (message: string) => void = log,
  ) {}

  /**
   * Runs `fn` as the next step, logging its start and how it ended with its duration; `short`
   * names it in {@link timings} (default: the title).
   */
  async run<T>(title: string, fn: () => Promise<T>, short = title): Promise<T> {
    this.index++;
    const label = `${this.prefix}[${this.index}/${this.total}] ${title}`;
    this.say(label);
    const started = Date.now();
    try {
      const result = await fn();
      this.timings.push([short, Date.now() - started]);
      this.say(`${label}: done in ${seconds(Date.now() - started)}`);
      return result;
    } catch (error) {
      this.timings.push([short, Date.now() - started]);
      this.say(`${label}: failed after ${seconds(Date.now() - started)}`);
      throw error;
    }
  }
}

/** The message of an error, or its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
