// Offline bundle: everything a stack needs to come up without a network, derived from its plan.
//   npm run bundle -- --stack dev [--out bundle/]
// Pulls (or builds) every image the stack runs and saves it with `docker save`, fetches every Helm
// chart with `helm pull`, lists the images the charts run (`helm template` with the program's
// values) and the k0s node's own images (`k0s airgap list-images`), and writes bundle.json with
// each archive's reference, digest and size. Then `pulumi config set platform:offlineBundle <dir>`.
// Exit codes: 0 written, 1 a step failed (a pull, a build), 2 bad usage, an invalid configuration
// or a plan that cannot be bundled (an unpinned image), 3 docker or helm missing.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { BundleError } from "../offline";
import { ConfigError, parseConfig, readStackConfig, StackFileError } from "../config";
import { HelpRequested, isHelp, UsageError } from "./lib/cli";
import { planArtifacts } from "./lib/bundle/artifacts";
import { evaluateOnline, OFFLINE_BUNDLE_KEY } from "./lib/bundle/evaluateOnline";
import { makeBundle, Run } from "./lib/bundle/make";

const PROJECT_DIR = path.resolve(__dirname, "..");
const USAGE = "usage: npm run bundle -- --stack <name> [--out <dir>]";

class MissingTool extends Error {}

/** `--stack` (required) and `--out` (default `bundle/`). */
export function parseBundleArgs(argv: readonly string[]): { stack: string; out: string } {
  let stack: string | undefined;
  let out = "bundle";
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (isHelp(flag)) throw new HelpRequested(USAGE);
    if (value === undefined || value.startsWith("--"))
      throw new UsageError(`${flag}: expected a value\n${USAGE}`);
    if (flag === "--stack") stack = value;
    else if (flag === "--out") out = value;
    else throw new UsageError(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!stack) throw new UsageError(`--stack is required\n${USAGE}`);
  return { stack, out };
}

const run: Run = (program, args) => {
  try {
    return execFileSync(program, args, {
      encoding: "utf8",
      maxBuffer: 256 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT")
      throw new MissingTool(`${program} is not on the PATH (the bundle needs docker and helm)`, {
        cause: error,
      });
    throw new Error(`${program} ${args.join(" ")} failed: ${(e.stderr ?? e.message).trim()}`, {
      cause: error,
    });
  }
};

async function download(url: string, file: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBundleArgs(argv);
  // The stack first: a bundle is for the k0s stack, and a broken stack file needs no Docker to say so.
  const { values } = readStackConfig(PROJECT_DIR, options.stack);
  const config = parseConfig(
    Object.fromEntries(Object.entries(values).filter(([key]) => key !== OFFLINE_BUNDLE_KEY)),
    options.stack,
    `Pulumi.${options.stack}.yaml`,
  );
  if (config.cluster.provider !== "k0s")
    throw new UsageError(
      `--stack ${options.stack}: its clusterProvider is ${config.cluster.provider}; a bundle is for a k0s stack (platform:offlineBundle applies only there)`,
    );
  for (const [program, args] of [
    ["docker", ["version", "--format", "{{.Server.Version}}"]],
    ["helm", ["version", "--short"]],
  ] as const) {
    try {
      run(program, args);
    } catch (error) {
      throw new MissingTool(`${program} does not answer: ${(error as Error).message}`, { cause: error });
    }
  }
  const evaluation = await evaluateOnline(PROJECT_DIR, options.stack);
  const out = path.resolve(options.out);
  const manifest = await makeBundle(options.stack, planArtifacts(evaluation), out, {
    run,
    download,
    log: (line) => process.stderr.write(`bundle: ${line}\n`),
  });
  const bytes = [...manifest.images, ...manifest.charts, ...manifest.manifests].reduce(
    (sum, entry) => sum + entry.size,
    0,
  );
  process.stdout.write(
    `bundle: ${manifest.images.length} images, ${manifest.charts.length} charts and ${manifest.manifests.length} manifests (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${out}\n` +
      `use it: pulumi config set --stack ${options.stack} platform:offlineBundle ${options.out}\n`,
  );
  return 0;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof HelpRequested) {
    process.stdout.write(`${error.usage}\n`);
    return 0;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bundle: ${message}\n`);
  if (error instanceof MissingTool) return 3;
  if (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof StackFileError ||
    error instanceof BundleError
  )
    return 2;
  return 1;
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: unknown) => process.stdout.write("", () => process.exit(exitCodeFor(error))),
  );
