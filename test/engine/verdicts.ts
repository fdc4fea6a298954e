// The policy pack's verdicts on the engine's preview against the offline plan's, and the offline
// plan itself, computed in a child process (the mock runtime cannot share a process with the engine).
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Violation } from "../../policies/engine";

/** One policy event of the engine (`policyEvent` in the Automation API's event stream). */
export interface PolicyVerdict {
  readonly policy: string;
  readonly resource: string;
  readonly enforcementLevel: string;
  readonly message: string;
}

/** What the offline plan of a stack says: its resources (as `plan --json`) and its violations. */
export interface OfflinePlan {
  readonly resources: unknown[];
  readonly violations: Violation[];
}

// The offline checks that are not policies of the pack, and notes about unknown values, which a
// preview with known inputs does not have.
const OFFLINE_ONLY = new Set(["kubernetes-schema"]);
const isUnknownNote = (message: string) => message.startsWith("cannot be checked during preview");

/** Verdicts on one side only, as `level policy resource` lines; empty when both agree. */
export function sameVerdicts(offline: readonly Violation[], engine: readonly PolicyVerdict[]): string[] {
  const key = (level: string, policy: string, resource: string) => `${level} ${policy} ${resource}`;
  const mine = new Set(
    offline
      .filter((v) => !OFFLINE_ONLY.has(v.policy) && !isUnknownNote(v.message))
      .map((v) => key(v.enforcementLevel, v.policy, v.resource)),
  );
  const theirs = new Set(engine.map((v) => key(v.enforcementLevel, v.policy, v.resource)));
  return [
    ...[...mine].filter((k) => !theirs.has(k)).map((k) => `only offline: ${k}`),
    ...[...theirs].filter((k) => !mine.has(k)).map((k) => `only on the engine: ${k}`),
  ].sort();
}

/** The policy verdict an engine event carries, if any. */
export function verdictOf(event: EngineEvent): PolicyVerdict | undefined {
  const p = event.policyEvent;
  if (!p) return undefined;
  return {
    policy: p.policyName,
    resource: p.resourceUrn ?? "",
    enforcementLevel: p.enforcementLevel,
    message: p.message,
  };
}

/** Verdicts of one engine run that the other lacks (policy, resource, level), as lines. */
export function differentVerdicts(a: readonly PolicyVerdict[], b: readonly PolicyVerdict[]): string[] {
  const key = (v: PolicyVerdict) => `${v.enforcementLevel} ${v.policy} ${v.resource}`;
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return [
    ...[...left].filter((k) => !right.has(k)).map((k) => `only with the executable pack: ${k}`),
    ...[...right].filter((k) => !left.has(k)).map((k) => `only with --policy-pack policies: ${k}`),
  ].sort();
}

/** Runs test/engine/offlinePlan.ts for a stack whose Pulumi.yaml and stack file are in `configDir`. */
export function runOfflinePlan(
  projectDir: string,
  configDir: string,
  stack: string,
  policyConfigStack: string,
): Promise<OfflinePlan> {
  const args = [
    "-r",
    path.join(projectDir, "scripts", "register.cjs"),
    path.join(projectDir, "test", "engine", "offlinePlan.ts"),
    configDir,
    stack,
    policyConfigStack,
  ];
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      args,
      { cwd: projectDir, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`the offline plan failed: ${stderr.trim() || error.message}`))
          : resolve(JSON.parse(stdout) as OfflinePlan),
    ),
  );
}
