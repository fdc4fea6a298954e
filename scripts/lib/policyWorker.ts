// The policy thread's side of policyThread.ts: loads the pack and the schemas, checks each resource
// against its schema and runs the pack's resource policies on it as the main thread sends it, and
// answers one check with the schema's violations followed by the pack's, as checkEvaluation gives
// them.
import { parentPort, workerData } from "node:worker_threads";
import { PolicyRun, type Violation } from "../../policies/engine";
import { prefetchSchemas, validateKubernetesSchema } from "../../policies/schema";
import { stackPolicyConfig, underTest } from "./policyCheck";
import type { PolicyReply, PolicyRequest, PolicyThreadData } from "./policyThread";

const port = parentPort;
if (!port) throw new Error("policyWorker.ts runs on a worker thread started by policyThread.ts");
const reply = (message: PolicyReply) => port.postMessage(message);

// The pack's run with the stack's policy config. A config that cannot be read (a UsageError naming
// the file), or a run that failed on a resource, is the check's answer.
const { stack } = workerData as PolicyThreadData;
let pack: PolicyRun | undefined;
let failure: { readonly error: unknown } | undefined;
try {
  pack = new PolicyRun(stackPolicyConfig(stack));
} catch (error) {
  failure = { error };
}
// The first resource comes once the program's configuration and code are loaded, several hundred
// milliseconds after this thread is ready: meanwhile, the models most others share load
// (Namespace's brings the models' runtime, Deployment's the Pod template schema of every workload).
void prefetchSchemas(["kubernetes:core/v1:Namespace", "kubernetes:apps/v1:Deployment"]);
// Each resource's schema check, in the order the program registered them, started on arrival.
const schemaChecks: Promise<Violation[]>[] = [];

async function check(): Promise<Violation[]> {
  if (!pack) throw failure?.error;
  // One resource at a time gives the same violations, in the same order, as all of them at once.
  const schema = (await Promise.all(schemaChecks)).flat();
  if (failure) throw failure.error;
  return [...schema, ...pack.finish()];
}

port.on("message", (request: PolicyRequest) => {
  if (request.kind === "resource") {
    const resource = underTest(request.resource);
    const validation = validateKubernetesSchema([resource]);
    validation.catch(() => undefined); // awaited, and its error reported, by the check
    schemaChecks.push(validation);
    try {
      if (!failure) pack?.add(resource);
    } catch (error) {
      failure = { error };
    }
    return;
  }
  check().then(
    (violations) => reply({ kind: "violations", violations }),
    (error: unknown) =>
      reply(
        error instanceof Error
          ? { kind: "error", name: error.name, message: error.message, stack: error.stack }
          : { kind: "error", name: "Error", message: String(error) },
      ),
  );
});
