// End-to-end test of the dev platform on this machine (see test/e2e/README.md):
//   node -r ./scripts/register.cjs test/e2e/e2e.ts     (npm run test:e2e)
// Brings up a throwaway copy of the dev stack with the Automation API and a local state backend in a
// temp directory, checks the app through the ingress, checks that a second preview with the policy
// pack shows no changes, and destroys everything. Exit codes: 0 passed, 1 failed, 3 not run (no
// Pulumi CLI or Docker engine), 130 interrupted.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  type EngineEvent,
  LocalWorkspace,
  type OpMap,
  type OutputMap,
  type Stack,
} from "@pulumi/pulumi/automation";
import { readStackConfig } from "../../config";
import { createAndReadItem, expectStatus, request, type Target, targetFromUrl, waitForStatus } from "./http";
import { log, seconds, Steps } from "./log";
import { pickFreePorts } from "./ports";
import { decide, EXIT, probeMachine, skipMessage } from "./preconditions";
import { changesOf, describeError, destroyForCleanup, isChange, manualCleanup, workspaceEnv } from "./pulumi";
import { e2eStackName, PORT_KEYS, renderE2eStackFile, stackFileName, stackPorts } from "./stackFile";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const SOURCE_STACK = "dev";
const POLICY_PACKS = [path.join(PROJECT_DIR, "policies")];
const POLICY_PACK_CONFIGS = [path.join(PROJECT_DIR, "policies", "config", `${SOURCE_STACK}.json`)];
/** Name of the stack output holding the app's URL. */
const APP_URL_OUTPUT = "appUrl";
const READY_PATH = "/api/readyz";
const READY_TIMEOUT_MS = 10 * 60_000;
const READY_INTERVAL_MS = 5_000;

/** Raised when a SIGINT/SIGTERM stops the run between or inside steps. */
class Interrupted extends Error {}

/** One run: the throwaway stack, its files and what cleanup has to undo. */
class Run {
  readonly suffix = crypto.randomBytes(4).toString("hex");
  readonly stackName = e2eStackName(this.suffix);
  readonly stackFile = path.join(PROJECT_DIR, stackFileName(this.stackName));
  readonly tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-platform-e2e-"));
  readonly backendDir = path.join(this.tempDir, "state");
  readonly passphraseFile = path.join(this.tempDir, "passphrase");
  private readonly passphrase = crypto.randomBytes(24).toString("base64url");
  private readonly steps = new Steps(6);
  private readonly output = {
    onOutput: (out: string) => void process.stdout.write(out),
    onError: (err: string) => void process.stderr.write(err),
    color: process.stdout.isTTY ? ("always" as const) : ("never" as const),
  };

  private stackFileWritten = false;
  private stack: Stack | undefined;
  /** Set once `pulumi up` has started: from then on there may be resources to destroy. */
  private deployed = false;
  private controller: AbortController | undefined;
  interruptedBy: NodeJS.Signals | undefined;

  /** The test proper; throws on the first failed check. */
  async execute(): Promise<void> {
    const stack = await this.step(`throwaway stack ${this.stackName} (copy of ${SOURCE_STACK})`, () =>
      this.createStack(),
    );

    const outputs = await this.step("pulumi up with the policy pack", async () => {
      this.deployed = true;
      const result = await stack.up({
        ...this.output,
        policyPacks: POLICY_PACKS,
        policyPackConfigs: POLICY_PACK_CONFIGS,
        signal: this.signal(),
      });
      if (result.summary.result !== "succeeded")
        throw new Error(`pulumi up ended "${result.summary.result}"`);
      log(`up: ${changesOf(result.summary.resourceChanges).join(", ") || "no changes"}`);
      return result.outputs;
    });

    const target = await this.step(`stack output ${APP_URL_OUTPUT}`, async () => appTarget(outputs));

    await this.step(`wait for GET ${READY_PATH} → 200 (up to ${seconds(READY_TIMEOUT_MS)})`, async () => {
      const { attempts, elapsedMs } = await waitForStatus(target, READY_PATH, 200, {
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: READY_INTERVAL_MS,
        onChange: (observation, elapsed) => log(`  ${READY_PATH} after ${seconds(elapsed)}: ${observation}`),
        cancelled: () => this.interruptedBy !== undefined,
      });
      log(`  ${READY_PATH} answered 200 after ${attempts} attempt(s), ${seconds(elapsedMs)}`);
    });

    await this.step("create and read an item through the ingress; GET / (web)", async () => {
      const name = `e2e item ${this.suffix}`;
      const item = await createAndReadItem(target, name);
      log(`  POST /api/items → 201 id ${item.id}; GET /api/items/${item.id} → 200 "${item.name}"`);
      const page = await request(target, "GET", "/");
      expectStatus("GET / (web)", page, 200);
      log(`  GET / → 200 (${page.headers["content-type"] ?? "no content-type"})`);
    });

    await this.step("second pulumi preview with the policy pack must show no changes", () =>
      this.previewExpectingNoChanges(stack),
    );
  }

  private async createStack(): Promise<Stack> {
    const devConfig = readStackConfig(PROJECT_DIR, SOURCE_STACK).values;
    const devPorts = new Set(PORT_KEYS.map((key) => Number(devConfig[`platform:${key}`])));
    const ports = stackPorts(await pickFreePorts(PORT_KEYS.length, devPorts));
    const devText = fs.readFileSync(path.join(PROJECT_DIR, stackFileName(SOURCE_STACK)), "utf8");
    const text = renderE2eStackFile(devText, ports, stackFileName(SOURCE_STACK));
    // "wx": never overwrite an existing file (the name is random, so one would not be ours).
    fs.writeFileSync(this.stackFile, text, { flag: "wx" });
    this.stackFileWritten = true;
    fs.mkdirSync(this.backendDir);
    fs.writeFileSync(this.passphraseFile, `${this.passphrase}\n`, { mode: 0o600 });
    log(`  ports: ${PORT_KEYS.map((key) => `${key} ${ports[key]}`).join(", ")}`);
    log(`  state: file://${this.backendDir}`);

    this.stack = await LocalWorkspace.createOrSelectStack(
      { stackName: this.stackName, workDir: PROJECT_DIR },
      {
        envVars: workspaceEnv(this.backendDir, this.passphrase, this.passphraseFile),
        secretsProvider: "passphrase",
      },
    );
    return this.stack;
  }

  private async previewExpectingNoChanges(stack: Stack): Promise<void> {
    const changed: string[] = [];
    let summary: OpMap | undefined;
    const onEvent = (event: EngineEvent) => {
      const step = event.resourcePreEvent?.metadata;
      if (step && isChange(step.op)) changed.push(`${step.op} ${step.urn}`);
      if (event.summaryEvent) summary = event.summaryEvent.resourceChanges;
    };
    let failure: unknown;
    try {
      const result = await stack.preview({
        ...this.output,
        diff: true,
        expectNoChanges: true,
        policyPacks: POLICY_PACKS,
        policyPackConfigs: POLICY_PACK_CONFIGS,
        onEvent,
        signal: this.signal(),
      });
      summary = result.changeSummary;
    } catch (error) {
      failure = error;
    }
    const changes = changesOf(summary);
    if (changes.length > 0 || changed.length > 0) {
      const listed =
        changed.slice(0, 10).join("; ") + (changed.length > 10 ? `; … ${changed.length - 10} more` : "");
      throw new Error(
        `the second preview shows changes (${changes.join(", ") || "see the diff above"})` +
          (listed ? `: ${listed}` : ""),
      );
    }
    if (failure !== undefined) throw failure;
    log(
      `  preview: no changes (${Object.entries(summary ?? {})
        .map(([op, n]) => `${op} ${n}`)
        .join(", ")})`,
    );
  }

  /**
   * Destroys what the run created and removes the stack and its files. Returns problems; on a
   * failed destroy the state and stack file are kept and the manual commands are printed.
   */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    const cleanupSteps = new Steps(2, "cleanup ");
    let destroyed = !this.deployed;
    if (this.stack && this.deployed) {
      const problem = await destroyForCleanup(this.stack, cleanupSteps, this.output, (c) => {
        this.controller = c;
      });
      if (problem) problems.push(problem);
      destroyed = problem === undefined;
    }
    if (!destroyed) {
      log("cleanup: resources may be left behind; state and stack file kept. To finish by hand:");
      process.stdout.write(`  ${manualCleanup(this.throwaway())}\n`);
      return problems;
    }
    await cleanupSteps.run("remove the stack, its stack file and the temp backend", async () => {
      if (this.stack) {
        try {
          await this.stack.workspace.removeStack(this.stackName);
        } catch (error) {
          problems.push(`pulumi stack rm failed: ${describeError(error)}`);
        }
      }
      if (this.stackFileWritten) fs.rmSync(this.stackFile, { force: true });
      fs.rmSync(this.tempDir, { recursive: true, force: true });
    });
    return problems;
  }

  /** Called for SIGINT/SIGTERM (see {@link main}). */
  interrupt(signal: NodeJS.Signals): void {
    this.interruptedBy = signal;
    // Ctrl-C in a terminal reaches the Pulumi CLI too (same process group), which then cancels
    // gracefully; a second SIGINT from here would make it terminate at once. A SIGTERM is sent to
    // this process only, so it is passed on (the Automation API sends the CLI one SIGINT).
    if (signal === "SIGTERM") this.controller?.abort();
  }

  /** Prints the manual cleanup and reports whether any was needed (used on a forced exit). */
  printLeftovers(): void {
    if (!this.deployed && !this.stackFileWritten) {
      fs.rmSync(this.tempDir, { recursive: true, force: true });
      return;
    }
    log("resources and files may be left behind. To clean up by hand:");
    process.stdout.write(`  ${manualCleanup(this.throwaway())}\n`);
  }

  private throwaway() {
    return {
      projectDir: PROJECT_DIR,
      stack: this.stackName,
      backendDir: this.backendDir,
      passphraseFile: this.passphraseFile,
      tempDir: this.tempDir,
    };
  }

  /** A fresh abort signal for the next Pulumi operation. */
  private signal(): AbortSignal {
    this.controller = new AbortController();
    return this.controller.signal;
  }

  /** Runs a numbered step unless the run has been interrupted. */
  private step<T>(title: string, fn: () => Promise<T>): Promise<T> {
    if (this.interruptedBy) throw new Interrupted(`interrupted by ${this.interruptedBy}`);
    return this.steps.run(title, fn);
  }
}

/** Where to send requests for the stack's app URL output. */
function appTarget(outputs: OutputMap): Target {
  const output = outputs[APP_URL_OUTPUT];
  if (!output) {
    const names = Object.keys(outputs).sort().join(", ") || "none";
    throw new Error(`the stack has no "${APP_URL_OUTPUT}" output (outputs: ${names})`);
  }
  if (typeof output.value !== "string") {
    throw new Error(`stack output ${APP_URL_OUTPUT} is not a string: ${JSON.stringify(output.value)}`);
  }
  const target = targetFromUrl(output.value);
  log(
    `  ${APP_URL_OUTPUT} = ${output.value} → connecting to ${target.connectHost}:${target.port}, Host: ${target.hostHeader}`,
  );
  return target;
}

async function main(): Promise<number> {
  const started = Date.now();
  const decision = decide(await probeMachine());
  if (!decision.run) {
    process.stdout.write(`${skipMessage(decision.reasons)}\n`);
    return EXIT.notRun;
  }
  log(`${decision.pulumiVersion} (Pulumi CLI); Docker engine reachable; project ${PROJECT_DIR}`);

  const run = new Run();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      log(`${signal} received: stopping, then destroying what was created (send it again to exit at once)`);
      run.interrupt(signal);
      return;
    }
    log(`${signal} received again: exiting without finishing the cleanup`);
    run.printLeftovers();
    process.stdout.write(`e2e: INTERRUPTED (not passed): cleanup skipped\n`);
    process.exit(EXIT.interrupted);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let failure: string | undefined;
  try {
    await run.execute();
  } catch (error) {
    failure = describeError(error);
  }
  const problems = await run.cleanup();
  const total = `total ${seconds(Date.now() - started)}`;

  if (run.interruptedBy) {
    const cleanup = problems.length > 0 ? `; ${problems.join("; ")}` : "; cleanup done";
    process.stdout.write(`e2e: INTERRUPTED (not passed) by ${run.interruptedBy}${cleanup} (${total})\n`);
    return EXIT.interrupted;
  }
  const reasons = [...(failure === undefined ? [] : [failure]), ...problems.map((p) => `cleanup: ${p}`)];
  if (reasons.length > 0) {
    process.stdout.write(`e2e: FAILED: ${reasons.join("; ")} (${total})\n`);
    return EXIT.failed;
  }
  process.stdout.write(`e2e: PASSED (${total})\n`);
  return EXIT.passed;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Only a bug in the test itself gets here; it must never look like a pass.
    process.stdout.write(
      `e2e: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT.failed);
  },
);
