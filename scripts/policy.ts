// Manifest check: runs the policy pack and the Kubernetes schema over YAML that never passes through
// the Pulumi program. Usage: npm run policy -- [--stack <name>] [--json] [--allow-empty] <file.yaml ...|->
// Exit 0: no mandatory violation; 1: a mandatory violation; 2: unreadable input, an input without any
// object (unless --allow-empty), or bad usage.
import * as fs from "node:fs";
import { loadPolicyConfig, type Violation } from "../policies/engine";
import { checkManifests, ManifestError } from "../policies/manifest";

const USAGE = "usage: npm run policy -- [--stack <name>] [--json] [--allow-empty] <file.yaml ...|->";

class UsageError extends Error {}
class HelpRequested extends Error {}

interface Options {
  stack: string;
  json: boolean;
  /** Accept an input without any Kubernetes object (an empty render) instead of failing. */
  allowEmpty: boolean;
  files: string[];
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { stack: "prod", json: false, allowEmpty: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") opts.json = true;
    else if (arg === "--allow-empty") opts.allowEmpty = true;
    else if (arg === "--stack") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) throw new UsageError("--stack needs a stack name");
      opts.stack = value;
    } else if (arg.startsWith("--stack=")) opts.stack = arg.slice("--stack=".length);
    else if (arg === "-h" || arg === "--help") throw new HelpRequested();
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else opts.files.push(arg);
  }
  if (opts.files.length === 0) throw new UsageError("no input files (use - for stdin)");
  return opts;
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    throw new ManifestError(
      `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

function report(violations: readonly Violation[], objects: number, stack: string): string {
  const lines = violations.map(
    (v) => `${v.enforcementLevel.toUpperCase()}  ${v.resource}  [${v.policy}]  ${v.message}`,
  );
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = violations.length - mandatory;
  lines.push(
    `${objects} object(s) checked with the ${stack} policy config: ${mandatory} mandatory, ${advisory} advisory`,
  );
  return `${lines.join("\n")}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const opts = parseArgs(argv);
  const config = loadPolicyConfig(opts.stack);
  const inputs = opts.files.map((f) => ({ source: f === "-" ? "<stdin>" : f, text: readInput(f) }));
  const result = await checkManifests(inputs, config);
  const empty = result.inputs.filter((i) => i.objects === 0).map((i) => i.source);
  // An empty render (a chart whose values switch everything off, a failed kustomize step) must not
  // pass a CI gate as "no violations".
  if (empty.length > 0 && !opts.allowEmpty) {
    throw new ManifestError(
      `${empty.join(", ")}: no Kubernetes objects, so nothing was checked ` +
        "(pass --allow-empty if an empty input is expected)",
    );
  }
  const { objects, violations } = result;
  process.stdout.write(
    opts.json
      ? `${JSON.stringify({ objects, violations }, null, 2)}\n`
      : report(violations, objects, opts.stack),
  );
  return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof UsageError) process.stderr.write(`${message}\n${USAGE}\n`);
    else process.stderr.write(`policy: ${message}\n`);
    process.exitCode = 2;
  },
);
