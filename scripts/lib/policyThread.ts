import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Violation } from "../../policies/engine";
import { UsageError } from "./cli";
import type { Evaluation, PlannedResource } from "./evaluate";

/** What the main thread sends the policy thread (see policyWorker.ts). */
export type PolicyRequest =
  { readonly kind: "resource"; readonly resource: PlannedResource } | { readonly kind: "check" };

/** What the policy thread starts with: the stack whose policy config it applies. */
export interface PolicyThreadData {
  readonly stack: string;
}

/** The policy thread's answer to a `check`. */
export type PolicyReply =
  | { readonly kind: "violations"; readonly violations: Violation[] }
  | { readonly kind: "error"; readonly name: string; readonly message: string; readonly stack?: string };

/** A policy check running on its own thread, started before the evaluation it checks. */
export interface PolicyThread {
  /**
   * Sends the thread a resource as the program registers it (an evaluation's `onResource`), so that
   * its schema and the pack's resource policies check it while the program still runs.
   */
  add(resource: PlannedResource): void;
  /**
   * The schema's and the pack's violations for `evaluation`, as {@link checkEvaluation} gives them
   * with the thread's policy config (a bad one is a {@link UsageError}); its resources not yet added
   * are sent now. An evaluation of another stack than the thread's is refused. Once per thread: the
   * thread ends with its answer.
   */
  check(evaluation: Evaluation): Promise<Violation[]>;
}

/** The policy check itself failed (a defect in the pack or its thread, not in the input). */
export class PolicyThreadError extends Error {
  constructor(message: string, stack?: string) {
    super(`the policy check failed: ${message}`);
    this.name = "PolicyThreadError";
    if (stack) this.stack = `${this.name}: ${this.message}\n${stack.split("\n").slice(1).join("\n")}`;
  }
}

/**
 * Starts the policy pack and the Kubernetes schemas loading on a worker thread, which checks each
 * resource's schema, and runs the pack's resource policies on it, as it is added, with the policy
 * config of `stack` (`policies/config/<stack>.json`): on a machine with a second core, that happens
 * while the program is evaluated rather than after it (about a fifth of the prod plan's time). The
 * thread never keeps the process alive on its own: if the evaluation fails, the process exits
 * without waiting for it. `check` may be called once; a second call, or one after the thread ended,
 * rejects with a {@link PolicyThreadError}.
 */
export function startPolicyThread(stack: string): PolicyThread {
  // The worker loads TypeScript through the same loader as this process.
  const loader = path.join(__dirname, "..", "register.cjs");
  const entry = path.join(__dirname, "policyWorker.ts");
  const worker = new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: { stack } satisfies PolicyThreadData,
  });
  worker.unref();
  // What ended the thread before anyone asked for its answer (it failed to load, or crashed).
  let ended: Error | undefined;
  worker.on("error", (error) => (ended ??= new PolicyThreadError(error.message, error.stack)));
  worker.on("exit", (code) => (ended ??= new PolicyThreadError(`its thread exited with code ${code}`)));
  let asked = false;
  const sent: PlannedResource[] = [];
  const send = (resource: PlannedResource) => {
    sent.push(resource);
    worker.postMessage({ kind: "resource", resource } satisfies PolicyRequest);
  };
  return {
    add: (resource) => {
      if (!asked && !ended) send(resource);
    },
    check: (evaluation) =>
      new Promise<Violation[]>((resolve, reject) => {
        if (asked) return reject(new PolicyThreadError("check() was called twice on one thread"));
        asked = true;
        if (ended) return reject(ended);
        if (evaluation.stack !== stack)
          return reject(
            new PolicyThreadError(
              `the thread checks stack "${stack}", not the evaluation's stack "${evaluation.stack}"`,
            ),
          );
        // What the thread has must be the evaluation's resources, in order, with nothing left out.
        if (sent.some((resource, i) => evaluation.resources[i] !== resource))
          return reject(new PolicyThreadError("the resources added are not the evaluation's"));
        worker.ref(); // the answer is awaited now
        const onMessage = (reply: PolicyReply) =>
          settle(() => (reply.kind === "violations" ? resolve(reply.violations) : reject(asError(reply))));
        const onError = (error: Error) =>
          settle(() => reject(new PolicyThreadError(error.message, error.stack)));
        const onMessageError = () =>
          settle(() => reject(new PolicyThreadError("its answer could not be read")));
        const onExit = (code: number) =>
          settle(() =>
            reject(new PolicyThreadError(`its thread exited with code ${code} before it answered`)),
          );
        const settle = (outcome: () => void) => {
          worker.off("message", onMessage).off("error", onError).off("messageerror", onMessageError);
          worker.off("exit", onExit);
          void worker.terminate();
          outcome();
        };
        worker
          .on("message", onMessage)
          .on("error", onError)
          .on("messageerror", onMessageError)
          .on("exit", onExit);
        evaluation.resources.slice(sent.length).forEach(send);
        worker.postMessage({ kind: "check" } satisfies PolicyRequest);
      }),
  };
}

/** The thread's error as this thread's: an input problem stays a UsageError (exit 2). */
function asError(reply: Extract<PolicyReply, { kind: "error" }>): Error {
  return reply.name === "UsageError"
    ? new UsageError(reply.message)
    : new PolicyThreadError(reply.message, reply.stack);
}
