import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_DIR } from "../helpers";

/** The directory GitHub reads workflows from. */
export const WORKFLOWS_DIR = path.join(PROJECT_DIR, ".github", "workflows");

/** One step of a job, as far as the specs look at it. */
export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

/** One job, as far as the specs look at it. */
export interface Job {
  readonly name?: string;
  /** Labels, a group, or an expression that yields them. */
  readonly "runs-on": unknown;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly environment?: { name: string } | string;
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly env?: Record<string, string>;
  readonly services?: Record<string, unknown>;
  readonly steps: Step[];
}

/** A workflow file, parsed. */
export interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
  readonly jobs: Record<string, Job>;
}

/** The workflow files, by file name. */
export function workflowFiles(): string[] {
  return fs
    .readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function readWorkflow(file: string): Workflow {
  return parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as Workflow;
}

/** The steps of `job` that use `action` (owner/repo, any ref). */
export function stepsUsing(job: Job, action: string): Step[] {
  return job.steps.filter((s) => s.uses?.split("@")[0] === action);
}
