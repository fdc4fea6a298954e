/** A problem with how a command was called or with its input files: exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `-h` or `--help`: the command prints its usage on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super(usage);
    this.name = "HelpRequested";
  }
}

/** Whether an argument asks for the usage. */
export const isHelp = (arg: string | undefined): boolean => arg === "-h" || arg === "--help";

/** Options of `npm run plan`. */
export interface PlanOptions {
  readonly stack: string;
  readonly json: boolean;
  /** Git ref to compare the working tree's desired state with (`--diff <ref>`); absent: no diff. */
  readonly diff?: string;
}

export const PLAN_USAGE = "usage: npm run plan -- --stack <name> [--diff <git-ref>] [--json]";

/** Parses the plan command's arguments, refusing anything it does not know. */
export function parsePlanArgs(argv: readonly string[]): PlanOptions {
  let stack: string | undefined;
  let diff: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (isOption(arg, "--stack")) {
      stack = optionValue(argv, i, "--stack", "a stack name");
      if (arg === "--stack") i++;
    } else if (isOption(arg, "--diff")) {
      diff = optionValue(argv, i, "--diff", "a git ref");
      if (arg === "--diff") i++;
    } else throw new UsageError(`unknown argument "${arg}"\n${PLAN_USAGE}`);
  }
  if (!stack) throw new UsageError(`--stack is required\n${PLAN_USAGE}`);
  return diff === undefined ? { stack, json } : { stack, json, diff };
}

function isOption(arg: string, name: string): boolean {
  return arg === name || arg.startsWith(`${name}=`);
}

/** The value of `--name value` or `--name=value` at `argv[i]`. */
function optionValue(argv: readonly string[], i: number, name: string, what: string): string {
  const arg = argv[i];
  const value = arg === name ? argv[i + 1] : arg.slice(name.length + 1);
  if (!value || value.startsWith("-")) throw new UsageError(`${name} needs ${what}\n${PLAN_USAGE}`);
  return value;
}
