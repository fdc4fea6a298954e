import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Violation } from "../../policies/engine";
import { UsageError } from "./cli";
import type { Evaluation } from "./evaluate";

/** What the main thread asks of the policy thread (see policyWorker.ts). */
export type PolicyRequest =
  | { readonly kind: "prefetch"; readonly type: string }
  | { readonly kind: "check"; readonly evaluation: Evaluation; readonly policyConfigStack?: string };

/** The policy thread's answer to a `check`. */
export type PolicyReply =
  | { readonly kind: "violations"; readonly violations: Violation[] }
  | { readonly kind: "error"; readonly name: string; readonly message: string; readonly stack?: string };

/** A policy check running on its own thread, started before the evaluation it checks. */
export interface PolicyThread {
  /** Has the thread load what checks resources of this type while the program still runs. */
  prefetch(type: string): void;
  /**
   * The pack's and the schema's violations for `evaluation`, as {@link checkEvaluation} gives them
   * (a bad policy config is a {@link UsageError}). Once per thread: the thread ends with its answer.
   */
  check(evaluation: Evaluation, policyConfigStack?: string): Promise<Violation[]>;
}

/**
 * Starts the policy pack and the Kubernetes schemas loading on a worker thread, so that on a machine
 * with a second core they load while the program is evaluated rather than after it (about a fifth
 * of the prod plan's time). The thread never keeps the process alive on its own: if the evaluation
 * fails, the process exits without waiting for it.
 */
export function startPolicyThread(): PolicyThread {
  // The worker loads TypeScript through the same loader as this process.
  const loader = path.join(__dirname, "..", "register.cjs");
  const entry = path.join(__dirname, "policyWorker.ts");
  const worker = new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, {
    eval: true,
  });
  worker.unref();
  let failure: Error | undefined; // the thread failed before anyone asked for its answer
  worker.on("error", (error) => (failure ??= error));
  const post = (request: PolicyRequest) => worker.postMessage(request);
  return {
    prefetch: (type) => post({ kind: "prefetch", type }),
    check: (evaluation, policyConfigStack) =>
      new Promise<Violation[]>((resolve, reject) => {
        if (failure) return reject(failure);
        worker.ref(); // the answer is awaited now
        const settle = (outcome: () => void) => {
          worker.removeAllListeners();
          void worker.terminate();
          outcome();
        };
        worker.on("message", (reply: PolicyReply) =>
          settle(() => (reply.kind === "violations" ? resolve(reply.violations) : reject(asError(reply)))),
        );
        worker.on("error", (error) => settle(() => reject(error)));
        worker.on("exit", (code) =>
          settle(() => reject(new Error(`the policy thread exited with code ${code} before it answered`))),
        );
        post({ kind: "check", evaluation, ...(policyConfigStack ? { policyConfigStack } : {}) });
      }),
  };
}

/** The thread's error as this thread's: an input problem stays a UsageError (exit 2). */
function asError(reply: Extract<PolicyReply, { kind: "error" }>): Error {
  const error = reply.name === "UsageError" ? new UsageError(reply.message) : new Error(reply.message);
  if (reply.name !== "UsageError" && reply.stack) error.stack = reply.stack;
  return error;
}
