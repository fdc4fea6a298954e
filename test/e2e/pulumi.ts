// Helpers around the Automation API: the throwaway workspace's environment, what counts as a
// change in a preview, short reasons from CLI errors, the manual cleanup command, and destroy as a
// cleanup step.
import {
  CommandError,
  type DestroyOptions,
  type OpMap,
  type OpType,
  type Stack,
} from "@pulumi/pulumi/automation";
import { errorMessage, type Steps } from "./log";

/** Environment for every Pulumi command of the run: a throwaway file backend and passphrase. */
export function workspaceEnv(
  backendDir: string,
  passphrase: string,
  passphraseFile: string,
): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    // Both, so a PULUMI_CONFIG_PASSPHRASE_FILE in the caller's environment cannot point elsewhere.
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

/**
 * Operations that are not changes to the stack: unchanged resources and reads of existing
 * resources, which `--expect-no-changes` does not count either.
 */
const NOT_CHANGES: ReadonlySet<OpType> = new Set<OpType>([
  "same",
  "read",
  "read-replacement",
  "discard",
  "discard-replaced",
]);

/** The non-zero change counts of a change summary, in a stable order: `["create 2", "update 1"]`. */
export function changesOf(summary: OpMap | undefined): string[] {
  if (!summary) return [];
  return (Object.entries(summary) as [OpType, number | undefined][])
    .filter(([op, count]) => !NOT_CHANGES.has(op) && (count ?? 0) > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, count]) => `${op} ${count}`);
}

/** True when an operation on one resource is a change (see {@link changesOf}). */
export function isChange(op: OpType): boolean {
  return !NOT_CHANGES.has(op);
}

/**
 * A short reason from an Automation API CommandError message. The CLI's output has already been
 * streamed to the console; the message repeats it (`code: -2\n stdout: \n stderr: Command failed
 * with exit code 255: pulumi up …\n<stderr>\n<stdout>\n err?: …`, execa's error wrapped once
 * more), so this keeps its distinct `error:` lines, else which command failed with which code.
 */
export function summarizeCommandError(message: string): string {
  const head = message.split("\n err?: ")[0];
  const lines = head
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const errors = [...new Set(lines.filter((line) => line.startsWith("error:")))];
  if (errors.length > 0) return errors.slice(0, 3).join(" | ");
  const failed = /Command failed with exit code (-?\d+): (?:\S*\/)?(\S+) (\S+)/.exec(head);
  if (failed) return `\`${failed[2]} ${failed[3]}\` exited with code ${failed[1]}`;
  const code = /^code: (-?\d+)/.exec(message)?.[1];
  if (code !== undefined) return `exit code ${code}`;
  return lines[0] ?? "unknown error";
}

/** What the throwaway stack is made of, for the cleanup instructions. */
export interface ThrowawayStack {
  readonly projectDir: string;
  readonly stack: string;
  readonly backendDir: string;
  readonly passphraseFile: string;
  readonly tempDir: string;
}

/** Shell commands that finish the cleanup by hand when the test could not. */
export function manualCleanup(t: ThrowawayStack): string {
  const env = `PULUMI_BACKEND_URL=${sh(`file://${t.backendDir}`)} PULUMI_CONFIG_PASSPHRASE_FILE=${sh(t.passphraseFile)}`;
  return [
    `cd ${sh(t.projectDir)}`,
    `${env} pulumi destroy --stack ${sh(t.stack)} --yes`,
    `${env} pulumi stack rm --stack ${sh(t.stack)} --yes`,
    `rm -rf ${sh(t.tempDir)} ${sh(`Pulumi.${t.stack}.yaml`)}`,
  ].join(" && \\\n  ");
}

/** Quotes a word for a POSIX shell when it needs it. */
export function sh(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `pulumi destroy` as the first step of a cleanup. Never throws: a failure comes back as a
 * one-line problem. `track` receives the operation's AbortController, so that a SIGTERM can
 * cancel it.
 */
export async function destroyForCleanup(
  stack: Stack,
  steps: Steps,
  output: Pick<DestroyOptions, "onOutput" | "onError" | "color">,
  track: (controller: AbortController) => void,
): Promise<string | undefined> {
  try {
    await steps.run("pulumi destroy", async () => {
      const controller = new AbortController();
      track(controller);
      await stack.destroy({ ...output, signal: controller.signal });
    });
    return undefined;
  } catch (error) {
    return `pulumi destroy failed: ${describeError(error)}`;
  }
}

/** A one-line reason: the `error:` lines of a failed Pulumi command, or the error's message. */
export function describeError(error: unknown): string {
  if (error instanceof CommandError) return `${summarizeCommandError(error.message)} (full output above)`;
  return errorMessage(error);
}
