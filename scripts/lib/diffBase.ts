// The plan of another commit, evaluated by that commit's own `scripts/plan.ts` in a child process:
// the program is loaded with `require`, and two versions of it in one process would share modules.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./cli";
import { PlanResource, relativePaths } from "./diff";
import { withWorktree } from "./worktree";

/** The program at the base commit failed (exit code 3, like a failing working tree). */
export class BaseProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaseProgramError";
  }
}

/** The desired state of a stack at a commit. */
export interface BasePlan {
  /** False when the commit has no `Pulumi.<stack>.yaml` (the stack is new). */
  readonly hasStack: boolean;
  readonly resources: readonly PlanResource[];
}

const TIMEOUT_MS = 5 * 60_000;

/** Evaluates `stack` at `commit` (named `ref` in messages) in a temporary worktree of `projectDir`. */
export function planAtCommit(
  projectDir: string,
  ref: string,
  commit: string,
  stack: string,
): Promise<BasePlan> {
  return withWorktree(projectDir, commit, async (tree) => {
    const dir = tree.projectDir;
    if (!fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`))) return { hasStack: false, resources: [] };
    if (!fs.existsSync(path.join(dir, "scripts", "plan.ts")))
      throw new UsageError(`--diff: ${ref} has no scripts/plan.ts to evaluate it with`);
    // Commits from before the esbuild loader are loaded with tsx.
    const loader = fs.existsSync(path.join(dir, "scripts", "register.cjs"))
      ? "./scripts/register.cjs"
      : "tsx/cjs";
    const child = await run(
      process.execPath,
      ["-r", loader, "scripts/plan.ts", "--stack", stack, "--json"],
      dir,
    );
    const message = (child.stderr ?? "").trim().replace(/^plan: /, "");
    // Exit 1 is also Node's code for an uncaught error (a module the base needs but this checkout's
    // node_modules lacks): without a JSON document, the base's own error is the message.
    if ((child.status === 0 || child.status === 1) && (child.stdout.trim() !== "" || message === "")) {
      const resources = relativePaths(parsePlan(child.stdout, ref), [dir, fs.realpathSync(dir)]);
      return { hasStack: true, resources };
    }
    if (child.status === 2) throw new UsageError(`--diff: at ${ref}: ${message}`);
    const reason = child.error ? child.error.message : `exit ${child.status ?? child.signal}`;
    throw new BaseProgramError(`--diff: the program at ${ref} failed (${reason}): ${withoutStack(message)}`);
  });
}

interface ChildResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
}

/**
 * Runs a child without blocking this process, so that the working tree's evaluation runs beside the
 * base's. The child shares this process's transpile cache (scripts/register.cjs passes it on through
 * the environment); V8's compile cache stays off in the base's worktree (see register.cjs).
 */
function run(command: string, args: readonly string[], cwd: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: TIMEOUT_MS });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let error: Error | undefined;
    child.on("error", (e) => (error = e));
    child.on("close", (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        ...(error ? { error } : {}),
      }),
    );
  });
}

/**
 * An uncaught error's own line instead of Node's report around it (source excerpt and stack), so
 * that the message says what failed; other messages as they are.
 */
export function withoutStack(stderr: string): string {
  const error = /^(?:\w*Error|Error \[\w+\]): .*$/m.exec(stderr);
  if (!error || !/\n\s+at /.test(stderr)) return stderr;
  const missing = /Cannot find module '([^']+)'/.exec(error[0]);
  return missing
    ? `${error[0]} (a package that commit needs and this checkout's node_modules lacks)`
    : error[0];
}

/** The resources of a `plan --json` document, checked for the fields the diff needs. */
export function parsePlan(stdout: string, ref: string): PlanResource[] {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new BaseProgramError(`--diff: the plan at ${ref} did not print a JSON document`);
  }
  const resources = (doc as { resources?: unknown }).resources;
  if (!Array.isArray(resources) || !resources.every(isPlanResource))
    throw new BaseProgramError(`--diff: the plan at ${ref} printed no resource list`);
  return resources;
}

function isPlanResource(value: unknown): value is PlanResource {
  const r = value as Partial<Record<keyof PlanResource, unknown>> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.urn === "string" &&
    typeof r.type === "string" &&
    typeof r.name === "string"
  );
}
