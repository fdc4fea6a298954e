import * as assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as path from "node:path";
import { Evaluation, PlannedResource } from "../scripts/lib/evaluate";

/** The repository root: the Pulumi project. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** What a command-line tool printed and how it exited. */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the offline tools (`scripts/plan.ts`, `scripts/policy.ts`…) as its npm script does:
 * `node -r ./scripts/register.cjs <script> <args>` in `cwd` (the project or a copy of it).
 */
export function runTool(cwd: string, script: string, args: readonly string[], input?: string): ToolRun {
  const result = spawnSync(process.execPath, ["-r", "./scripts/register.cjs", script, ...args], {
    cwd,
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * {@link runTool} without blocking, for runs that can go side by side: the two cores of a test
 * machine evaluate two stacks in the time of one.
 */
export function runToolAsync(cwd: string, script: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "./scripts/register.cjs", script, ...args],
      { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `tasks` at most `limit` at a time, resolving to their results in order. */
export async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The one resource of `type` (and `name`, when given); fails the test when there is not exactly one. */
export function only(evaluation: Evaluation, type: string, name?: string): PlannedResource {
  const matches = evaluation.resources.filter(
    (r) => r.type === type && (name === undefined || r.name === name),
  );
  assert.equal(
    matches.length,
    1,
    `expected one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}`,
  );
  return matches[0];
}

/** All resources of `type`. */
export function allOf(evaluation: Evaluation, type: string): PlannedResource[] {
  return evaluation.resources.filter((r) => r.type === type);
}

/** Full config keys for a stack: `{nodeSize: "x"}` → `{"platform:nodeSize": "x"}`. */
export function platformKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`platform:${k}`, v]));
}

/** The value of an output, secret or not (test-only: programs never unwrap outputs). */
export function unwrap<T>(output: { apply<U>(f: (t: T) => U): unknown }): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

const DEV_URN_PREFIX = "urn:pulumi:dev::platform::";

/** A planned resource with the fields the diff ignores filled in. */
export function planned(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  protect = false,
): PlannedResource {
  return {
    urn: `${DEV_URN_PREFIX}${type}::${name}`,
    type,
    name,
    parent: null,
    custom: true,
    protect,
    ignoreChanges: [],
    retainOnDelete: false,
    aliases: [],
    provider: null,
    inputs,
    dependencies: [],
    propertyDependencies: {},
  };
}
