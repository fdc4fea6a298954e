// Step log lines of the end-to-end test: `e2e: [3/8] pulumi up` … `e2e: [3/8] pulumi up: done in 312.4 s`.

/** Seconds with one decimal: 312.4 s. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Writes one line prefixed with `e2e:`, on stdout so it interleaves with Pulumi's output in order. */
export function log(message: string): void {
  process.stdout.write(`e2e: ${message}\n`);
}

/** Numbers the steps of a run and times each one. */
export class Steps {
  private index = 0;

  /** `prefix` distinguishes step lists: `[2/6]`, `cleanup [1/2]`. */
  constructor(
    private readonly total: number,
    private readonly prefix = "",
  ) {}

  /** Runs `fn` as the next step, logging its start and how it ended with its duration. */
  async run<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.index++;
    const label = `${this.prefix}[${this.index}/${this.total}] ${title}`;
    log(label);
    const started = Date.now();
    try {
      const result = await fn();
      log(`${label}: done in ${seconds(Date.now() - started)}`);
      return result;
    } catch (error) {
      log(`${label}: failed after ${seconds(Date.now() - started)}`);
      throw error;
    }
  }
}

/** The message of an error, or its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
