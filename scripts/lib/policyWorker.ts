// The policy thread's side of policyThread.ts: loads the pack and the schemas, starts loading each
// resource type's schema as the main thread announces it, and answers one check.
import { parentPort } from "node:worker_threads";
import { prefetchSchema } from "../../policies/schema";
import { checkEvaluation } from "./policyCheck";
import type { PolicyReply, PolicyRequest } from "./policyThread";

const port = parentPort;
if (!port) throw new Error("policyWorker.ts runs on a worker thread started by policyThread.ts");
const reply = (message: PolicyReply) => port.postMessage(message);

port.on("message", (request: PolicyRequest) => {
  if (request.kind === "prefetch") {
    prefetchSchema(request.type);
    return;
  }
  checkEvaluation(request.evaluation, request.policyConfigStack).then(
    (violations) => reply({ kind: "violations", violations }),
    (error: unknown) =>
      reply(
        error instanceof Error
          ? { kind: "error", name: error.name, message: error.message, stack: error.stack }
          : { kind: "error", name: "Error", message: String(error) },
      ),
  );
});
