// Offline plan: the desired state of a stack with no Pulumi CLI, cloud account or Docker.
// Exit codes: 0 ok, 1 policy or schema failure, 2 invalid config, unreadable stack file or bad usage,
// 3 the program itself failed.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackFileError } from "../config";
import { UsageError, parsePlanArgs } from "./lib/cli";
import { evaluateStack } from "./lib/evaluate";
import { checkEvaluation } from "./lib/policyCheck";
import { planDocument, renderTree, renderViolations } from "./lib/render";

const PROJECT_DIR = path.resolve(__dirname, "..");

async function main(argv: readonly string[]): Promise<number> {
  const options = parsePlanArgs(argv);
  const evaluation = await evaluateStack(PROJECT_DIR, options.stack);
  const violations = await checkEvaluation(evaluation);
  if (options.json)
    process.stdout.write(`${JSON.stringify(planDocument(evaluation, violations), null, 2)}\n`);
  else process.stdout.write(`${renderTree(evaluation)}\n${renderViolations(violations)}\n`);
  return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

/** Input problems get their message alone; anything else is a bug and keeps its stack trace. */
function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof StackFileError || error instanceof ConfigError) {
    process.stderr.write(`plan: ${error.message}\n`);
    return 2;
  }
  if (error instanceof pulumi.RunError) {
    process.stderr.write(`plan: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `plan: the program failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 3;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(exitCodeFor(error)),
);
