/** A problem with how a command was called or with its input files: exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options of `npm run plan`. */
export interface PlanOptions {
  readonly stack: string;
  readonly json: boolean;
}

export const PLAN_USAGE = "usage: npm run plan -- --stack <name> [--json]";

/** Parses the plan command's arguments, refusing anything it does not know. */
export function parsePlanArgs(argv: readonly string[]): PlanOptions {
  let stack: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (arg === "--stack" || arg.startsWith("--stack=")) {
      const value = arg === "--stack" ? argv[++i] : arg.slice("--stack=".length);
      if (!value || value.startsWith("--")) throw new UsageError(`--stack needs a stack name\n${PLAN_USAGE}`);
      stack = value;
    } else throw new UsageError(`unknown argument "${arg}"\n${PLAN_USAGE}`);
  }
  if (!stack) throw new UsageError(`--stack is required\n${PLAN_USAGE}`);
  return { stack, json };
}
