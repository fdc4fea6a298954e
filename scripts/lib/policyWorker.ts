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

// The pack's run with the stack's policy config; a config that cannot be read is the check's answer.
const { stack } = workerData as PolicyThreadData;
let pack: PolicyRun | { readonly configError: unknown };
try {
  pack = new PolicyRun(stackPolicyConfig(stack));
} catch (configError) {
  pack = { configError };
}
// The first resource comes once the program's configuration and code are loaded, a third of the
// plan's time later: meanwhile, the models most others share load (Namespace's brings the models'
// runtime, Deployment's the Pod template schema that every workload kind has).
void prefetchSchemas(["kubernetes:core/v1:Namespace", "kubernetes:apps/v1:Deployment"]);
// Each resource's schema check, in the order the program registered them, started on arrival.
const schemaChecks: Promise<Violation[]>[] = [];

async function check(): Promise<Violation[]> {
  if (!(pack instanceof PolicyRun)) throw pack.configError;
  // One resource at a time gives the same violations, in the same order, as all of them at once.
  const schema = (await Promise.all(schemaChecks)).flat();
  return [...schema, ...pack.finish()];
}

port.on("message", (request: PolicyRequest) => {
  if (request.kind === "resource") {
    const resource = underTest(request.resource);
    const validation = validateKubernetesSchema([resource]);
    validation.catch(() => undefined); // awaited, and its error reported, by the check
    schemaChecks.push(validation);
    if (pack instanceof PolicyRun) pack.add(resource);
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
