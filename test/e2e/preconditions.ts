// What the end-to-end test needs from the machine, and the decision to run or not. The probes run
// commands; the decision is a pure function of their results, so it can be unit-tested.
import { execFile } from "node:child_process";

/** Exit codes of `npm run test:e2e`. */
export const EXIT = {
  /** Every step ran and every check held. */
  passed: 0,
  /** A step or a check failed (or cleanup did not complete). */
  failed: 1,
  /** Not run: the Pulumi CLI or the Docker engine is missing. Never a pass. */
  notRun: 3,
  /** Interrupted by SIGINT/SIGTERM; cleanup was attempted. Never a pass. */
  interrupted: 130,
} as const;

/** Outcome of running one probe command (`pulumi version`, `docker info`). */
export type ProbeResult =
  | { readonly status: "ok"; readonly output: string }
  /** The command could not be started: not on the PATH. */
  | { readonly status: "missing" }
  /** The command started but exited non-zero or timed out. */
  | { readonly status: "failed"; readonly detail: string };

/** The two probes the decision is made from. */
export interface Probes {
  readonly pulumi: ProbeResult;
  readonly docker: ProbeResult;
}

/** Run with this CLI version, or skip for these reasons (each names what is missing and why it matters). */
export type Decision =
  | { readonly run: true; readonly pulumiVersion: string }
  | { readonly run: false; readonly reasons: readonly string[] };

/** Decides from the probe results whether the end-to-end test can run on this machine. */
export function decide(probes: Probes): Decision {
  const reasons: string[] = [];
  const { pulumi, docker } = probes;
  if (pulumi.status === "missing") {
    reasons.push(
      "the Pulumi CLI is not on the PATH (`pulumi version` could not be started); " +
        "install it from https://www.pulumi.com/docs/install/",
    );
  } else if (pulumi.status === "failed") {
    reasons.push(`\`pulumi version\` failed: ${firstLine(pulumi.detail)}`);
  }
  if (docker.status === "missing") {
    reasons.push(
      "the docker CLI is not on the PATH (`docker info` could not be started); " +
        "the dev stack runs k0s and its registry as Docker containers",
    );
  } else if (docker.status === "failed") {
    reasons.push(`the Docker engine is not reachable (\`docker info\` failed: ${firstLine(docker.detail)})`);
  }
  if (reasons.length > 0 || pulumi.status !== "ok") return { run: false, reasons };
  return { run: true, pulumiVersion: firstLine(pulumi.output) };
}

/** The one line printed when the test does not run; it never reads like a pass. */
export function skipMessage(reasons: readonly string[]): string {
  return `e2e: SKIPPED (not run): ${reasons.join("; ")}`;
}

/** First non-empty line of a command's output, trimmed (or a placeholder when there is none). */
export function firstLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? "(no output)";
}

/** Runs `command args` and classifies the outcome; never throws. */
export function probe(command: string, args: readonly string[], timeoutMs = 30_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ status: "ok", output: String(stdout) });
          return;
        }
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          resolve({ status: "missing" });
          return;
        }
        const output = `${String(stderr)}\n${String(stdout)}`.trim();
        const why = error.killed
          ? `timed out after ${timeoutMs / 1000} s`
          : `exit code ${String(error.code)}`;
        resolve({ status: "failed", detail: output ? `${firstLine(output)} (${why})` : why });
      },
    );
  });
}

/** Probes this machine: `pulumi version` and `docker info`, in parallel. */
export async function probeMachine(): Promise<Probes> {
  const [pulumi, docker] = await Promise.all([probe("pulumi", ["version"]), probe("docker", ["info"])]);
  return { pulumi, docker };
}
