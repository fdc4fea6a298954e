// Monthly cost per shipped stack as a Markdown table, from the offline evaluation and the price table.
//   npm run cost:table                      print the table
//   npm run cost:table -- --check README.md exit 1 when the README's table is out of date
//   npm run cost:table -- --write README.md rewrite the README's table between its markers
// Exit codes: 0 ok, 1 out of date, 2 bad usage or missing markers, 3 the program failed.
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, StackFileError } from "../config";
import { UsageError } from "./lib/cli";
import {
  costTable,
  estimateCapacity,
  estimateCost,
  generatedSection,
  MarkerError,
  replaceSection,
} from "../cost";
import { evaluateStack } from "./lib/evaluate";
import { minHeadroomPercent } from "./lib/capacity";

const PROJECT_DIR = path.resolve(__dirname, "..");
/** The shipped stacks, in the order the README lists them. */
const STACKS = ["dev", "staging", "prod"];
const USAGE = "usage: npm run cost:table [-- --check <file> | --write <file>]";

interface Options {
  readonly mode: "print" | "check" | "write";
  readonly file?: string;
}

function parseArgs(argv: readonly string[]): Options {
  if (argv.length === 0) return { mode: "print" };
  const [flag, file, ...rest] = argv;
  if ((flag !== "--check" && flag !== "--write") || !file || file.startsWith("--") || rest.length > 0)
    throw new UsageError(`unexpected arguments "${argv.join(" ")}"\n${USAGE}`);
  return { mode: flag === "--check" ? "check" : "write", file };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as Error).message})`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  const estimates = [];
  for (const stack of STACKS) {
    const evaluation = await evaluateStack(PROJECT_DIR, stack);
    const capacity = { report: estimateCapacity(evaluation), minHeadroomPercent: minHeadroomPercent(stack) };
    estimates.push({ stack, estimate: estimateCost(evaluation), capacity });
  }
  const table = costTable(estimates);
  if (options.mode === "print") {
    process.stdout.write(`${table}\n`);
    return 0;
  }
  const file = options.file!;
  const text = read(file);
  if (options.mode === "check") {
    if (generatedSection(text, file) === table) return 0;
    process.stderr.write(`cost-table: ${file} is out of date; run npm run cost:table -- --write ${file}\n`);
    return 1;
  }
  const updated = replaceSection(text, table, file);
  if (updated !== text) fs.writeFileSync(file, updated);
  process.stdout.write(`cost-table: ${file} ${updated === text ? "already up to date" : "updated"}\n`);
  return 0;
}

function exitCodeFor(error: unknown): number {
  if (
    error instanceof UsageError ||
    error instanceof MarkerError ||
    error instanceof StackFileError ||
    error instanceof ConfigError
  ) {
    process.stderr.write(`cost-table: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `cost-table: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 3;
}

main(process.argv.slice(2)).then(
  (code) => process.stdout.write("", () => process.exit(code)),
  (error: unknown) => process.stdout.write("", () => process.exit(exitCodeFor(error))),
);
