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

/** The policy check itself failed (a defect in the pack or its thread, not in the input). */
export class PolicyThreadError extends Error {
  constructor(message: string, stack?: string) {
    super(`the policy check failed: ${message}`);
    this.name = "PolicyThreadError";
    if (stack) this.stack = `${this.name}: ${this.message}\n${stack.split("\n").slice(1).join("\n")}`;
  }
}

/**
 * Starts the policy pack and the Kubernetes schemas loading on a worker thread, so that on a machine
 * with a second core they load while the program is evaluated rather than after it (about a fifth
 * of the prod plan's time). The thread never keeps the process alive on its own: if the evaluation
 * fails, the process exits without waiting for it. `check` may be called once; a second call, or
 * one after the thread ended, rejects with a {@link PolicyThreadError}.
 */
export function startPolicyThread(): PolicyThread {
  // The worker loads TypeScript through the same loader as this process.
  const loader = path.join(__dirname, "..", "register.cjs");
  const entry = path.join(__dirname, "policyWorker.ts");
  const worker = new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, {
    eval: true,
  });
  worker.unref();
  // What ended the thread before anyone asked for its answer (it failed to load, or crashed).
  let ended: Error | undefined;
  worker.on("error", (error) => (ended ??= new PolicyThreadError(error.message, error.stack)));
  worker.on("exit", (code) => (ended ??= new PolicyThreadError(`its thread exited with code ${code}`)));
  let asked = false;
  return {
    prefetch: (type) => {
      if (!asked && !ended) worker.postMessage({ kind: "prefetch", type } satisfies PolicyRequest);
    },
    check: (evaluation, policyConfigStack) =>
      new Promise<Violation[]>((resolve, reject) => {
        if (asked) return reject(new PolicyThreadError("check() was called twice on one thread"));
        asked = true;
        if (ended) return reject(ended);
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
        const request: PolicyRequest = {
          kind: "check",
          evaluation,
          ...(policyConfigStack ? { policyConfigStack } : {}),
        };
        worker.postMessage(request);
      }),
  };
}

/** The thread's error as this thread's: an input problem stays a UsageError (exit 2). */
function asError(reply: Extract<PolicyReply, { kind: "error" }>): Error {
  return reply.name === "UsageError"
    ? new UsageError(reply.message)
    : new PolicyThreadError(reply.message, reply.stack);
}
