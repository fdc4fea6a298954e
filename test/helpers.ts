import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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
