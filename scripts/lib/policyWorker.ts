// The policy thread's side of policyThread.ts: loads the pack and the schemas, validates each
// resource against its schema as the main thread sends it, and answers one check with the schema's
// violations followed by the pack's, as checkEvaluation gives them.
import { parentPort } from "node:worker_threads";
import { runPolicies, type ResourceUnderTest, type Violation } from "../../policies/engine";
import { validateKubernetesSchema } from "../../policies/schema";
import { stackPolicyConfig, underTest } from "./policyCheck";
import type { PolicyReply, PolicyRequest } from "./policyThread";

const port = parentPort;
if (!port) throw new Error("policyWorker.ts runs on a worker thread started by policyThread.ts");
const reply = (message: PolicyReply) => port.postMessage(message);

// Each resource in the order the program registered it, and its schema check, started on arrival.
const resources: ResourceUnderTest[] = [];
const schemaChecks: Promise<Violation[]>[] = [];

async function check(stack: string): Promise<Violation[]> {
  const config = stackPolicyConfig(stack);
  // One resource at a time gives the same violations, in the same order, as all of them at once.
  const schema = (await Promise.all(schemaChecks)).flat();
  return [...schema, ...runPolicies(resources, config)];
}

port.on("message", (request: PolicyRequest) => {
  if (request.kind === "resource") {
    const resource = underTest(request.resource);
    resources.push(resource);
    const validation = validateKubernetesSchema([resource]);
    validation.catch(() => undefined); // awaited, and its error reported, by the check
    schemaChecks.push(validation);
    return;
  }
  check(request.stack).then(
    (violations) => reply({ kind: "violations", violations }),
    (error: unknown) =>
      reply(
        error instanceof Error
          ? { kind: "error", name: error.name, message: error.message, stack: error.stack }
          : { kind: "error", name: "Error", message: String(error) },
      ),
  );
});
