// Offline plan: the desired state of a stack with no Pulumi CLI, cloud account or Docker; with
// `--diff <ref>`, what changes against that git ref's desired state.
// Exit codes: 0 ok, 1 policy or schema failure, 2 invalid config, unreadable stack file, bad ref or
// bad usage, 3 the program itself failed (or the policy check did: a defect in the pack).
import { realpathSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Violation } from "../policies/engine";
import { ConfigError, StackFileError } from "../config";
import { PlanOptions, UsageError, parsePlanArgs } from "./lib/cli";
import { diffPlans, PlanResource, relativePaths } from "./lib/diff";
import { BasePlan, BaseProgramError, planAtCommit } from "./lib/diffBase";
import { DiffReport, diffDocument, renderDiffMarkdown } from "./lib/diffRender";
import { Evaluation, evaluateStack } from "./lib/evaluate";
import {
  CostResource,
  costDelta,
  estimateCapacity,
  estimateCost,
  loadPrices,
  PriceTableError,
  renderCapacity,
  renderCost,
  renderCostDelta,
} from "../cost";
import { aliasConflicts } from "./lib/aliases";
import { PolicyThreadError, startPolicyThread } from "./lib/policyThread";
import { helmChartAdvisories, planDocument, renderTree, renderViolations } from "./lib/render";
import { resolveCommit } from "./lib/worktree";

const PROJECT_DIR = path.resolve(__dirname, "..");

async function main(argv: readonly string[]): Promise<number> {
  const options = parsePlanArgs(argv);
  loadPrices(); // a broken price table is an input error (exit 2), before any policy needs it
  // A bad ref fails before the program runs.
  const baseCommit = options.diff === undefined ? undefined : resolveCommit(PROJECT_DIR, options.diff);
  // The base's plan runs in a child process beside this evaluation; awaited (and its errors seen)
  // once the working tree's evaluation is done.
  const basePlan =
    options.diff === undefined || baseCommit === undefined
      ? undefined
      : settled(planAtCommit(PROJECT_DIR, options.diff, baseCommit, options.stack));
  try {
    return await report(options, baseCommit, basePlan);
  } catch (error) {
    // A failure here waits for the base's child, whose worktree is removed once it ends.
    await basePlan;
    throw error;
  }
}

/** Evaluates the working tree, checks it and prints the plan, or the diff against `basePlan`. */
async function report(
  options: PlanOptions,
  baseCommit: string | undefined,
  basePlan: Promise<() => BasePlan> | undefined,
): Promise<number> {
  // The pack and the schemas load on their own thread while the program runs.
  const policies = startPolicyThread(options.stack);
  const evaluation = await evaluateStack(PROJECT_DIR, options.stack, {
    onResource: (resource) => policies.add(resource),
  });
  // The pack's last run goes on in its thread while this one estimates cost and capacity.
  const checked = policies.check(evaluation);
  checked.catch(() => undefined); // awaited below: an estimate that throws first leaves no unhandled rejection
  const cost = estimateCost(evaluation);
  const capacity = estimateCapacity(evaluation);
  // The policies' verdicts, aliases the engine may refuse, then what the plan could not check
  // (Helm charts' rendered objects).
  const violations = [
    ...(await checked),
    ...aliasConflicts(evaluation.resources),
    ...helmChartAdvisories(evaluation),
  ];
  if (options.diff !== undefined && baseCommit !== undefined && basePlan !== undefined) {
    const before = await basePlan.then((r) => r());
    const report = diffReport(options, options.diff, baseCommit, before, evaluation, violations);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(diffDocument(report), null, 2)}\n`
        : renderDiffMarkdown(report, { summaryLines: report.cost ? costMarkdown(report.cost) : [] }),
    );
  } else if (options.json)
    process.stdout.write(
      `${JSON.stringify(planDocument(evaluation, violations, cost, capacity), null, 2)}\n`,
    );
  else
    process.stdout.write(
      `${renderTree(evaluation)}\n${renderViolations(violations)}\n${renderCost(cost)}\n${renderCapacity(capacity)}\n`,
    );
  return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

/** The working tree's desired state against the base's, both in `plan --json` form. */
function diffReport(
  options: PlanOptions,
  base: string,
  baseCommit: string,
  before: BasePlan,
  evaluation: Evaluation,
  violations: readonly Violation[],
): DiffReport {
  const after = relativePaths(planDocument(evaluation, violations).resources, [
    PROJECT_DIR,
    realpathSync(PROJECT_DIR),
  ]);
  return {
    stack: options.stack,
    base,
    baseCommit,
    baseHasStack: before.hasStack,
    diff: diffPlans(before.resources, after),
    violations,
    // Both sides at today's prices, so the change is what the code change costs.
    cost: costDelta(estimateCost(before.resources.map(asCostResource)), estimateCost(evaluation)),
  };
}

/**
 * A promise that never rejects: its result, or its error rethrown when read. A rejection nobody awaits
 * yet (the base failing while the working tree is still evaluated) is not an unhandled one.
 */
function settled<T>(promise: Promise<T>): Promise<() => T> {
  return promise.then(
    (value) => () => value,
    (error: unknown) => () => {
      throw error;
    },
  );
}

function asCostResource(r: PlanResource): CostResource {
  return { urn: r.urn, type: r.type, name: r.name, inputs: r.inputs as Record<string, unknown> };
}

/** The cost change as a paragraph, with the items that changed as a diff block. */
function costMarkdown(delta: ReturnType<typeof costDelta>): string[] {
  const [headline, ...items] = renderCostDelta(delta).split("\n");
  return [
    `**${headline}**`,
    ...(items.length > 0 ? ["```diff\n" + items.map((l) => l.trim()).join("\n") + "\n```"] : []),
  ];
}

/** Input problems get their message alone; anything else is a bug and keeps its stack trace. */
function exitCodeFor(error: unknown): number {
  if (
    error instanceof UsageError ||
    error instanceof StackFileError ||
    error instanceof ConfigError ||
    error instanceof PriceTableError
  ) {
    process.stderr.write(`plan: ${error.message}\n`);
    return 2;
  }
  if (error instanceof pulumi.RunError) {
    process.stderr.write(`plan: ${error.message}\n`);
    return 2;
  }
  if (error instanceof BaseProgramError) {
    process.stderr.write(`plan: ${error.message}\n`);
    return 3;
  }
  if (error instanceof PolicyThreadError) {
    process.stderr.write(`plan: ${error.stack ?? error.message}\n`);
    return 3;
  }
  process.stderr.write(
    `plan: the program failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 3;
}

// Exit only once stdout is flushed: a large plan written to a pipe would otherwise be cut short.
const exitAfterFlush = (code: number) => process.stdout.write("", () => process.exit(code));
main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => exitAfterFlush(exitCodeFor(error)));
