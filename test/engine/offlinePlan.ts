// The offline plan of a stack whose files live outside the project (an Automation API workspace),
// as `npm run plan -- --json` computes it: run in a process of its own, because the SDK's mock
// runtime and the real engine cannot share one.
//   node -r ./scripts/register.cjs test/engine/offlinePlan.ts <config-dir> <stack> <policy-config-stack>
// Prints {"resources": [...], "violations": [...]} on stdout.
import * as path from "node:path";
import { evaluateStack } from "../../scripts/lib/evaluate";
import { checkEvaluation } from "../../scripts/lib/policyCheck";
import { planDocument } from "../../scripts/lib/render";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

async function main([configDir, stack, policyConfigStack]: string[]): Promise<void> {
  if (!configDir || !stack || !policyConfigStack)
    throw new Error("usage: offlinePlan.ts <config-dir> <stack> <policy-config-stack>");
  const evaluation = await evaluateStack(PROJECT_DIR, stack, { configDir });
  const violations = await checkEvaluation(evaluation, policyConfigStack);
  const { resources } = planDocument(evaluation, violations);
  process.stdout.write(JSON.stringify({ resources, violations }), () => process.exit(0));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`offline plan: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
