// The floor under `npm run bench:plan`: what the plan would cost if the program did nothing but
// register its resources. It loads the SDK and the provider packages the prod plan's resources
// come from, then registers every resource of a `plan --json` document (same types, names, parents,
// dependencies and inputs) under the same mock runtime as the plan
// (`runUnderMocks`), with no configuration, components' logic, policy check or cost estimate.
// Whatever the plan takes beyond this is the project's own work.
// Usage: node -r ./scripts/register.cjs scripts/bench-plan-floor.ts <plan.json>
import { readFileSync } from "node:fs";
// The provider packages a program declaring the prod plan's resources loads.
import "@pulumi/digitalocean";
import "@pulumi/docker";
import "@pulumi/kubernetes";
import "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import type { PlanDocument } from "./lib/render";
import { runUnderMocks } from "./lib/evaluate";

const file = process.argv[2];
if (!file) {
  console.error("usage: bench-plan-floor.ts <plan.json>");
  process.exit(2);
}
const plan = JSON.parse(readFileSync(file, "utf8")) as PlanDocument;

// The plan document does not say which resources are components: the project's own types are,
// and so is a Helm chart (a component the provider expands).
const isComponent = (type: string) => type.startsWith("platform:") || type === "kubernetes:helm.sh/v4:Chart";
const PROVIDER = "pulumi:providers:";
// The SDK's base classes are abstract; a provider package's classes add nothing to a registration.
class Provider extends pulumi.ProviderResource {}
class Component extends pulumi.ComponentResource {}
class Custom extends pulumi.CustomResource {}

void runUnderMocks({ project: "platform", stack: plan.stack, config: {} }, () => {
  const byUrn = new Map<string, pulumi.Resource>();
  const find = (urn: string | null) => (urn === null ? undefined : byUrn.get(urn));
  for (const r of plan.resources) {
    const opts: pulumi.CustomResourceOptions = {
      parent: find(r.parent),
      dependsOn: r.dependencies.flatMap((urn) => find(urn) ?? []),
      provider: find(r.provider) as pulumi.ProviderResource | undefined,
    };
    const resource = r.type.startsWith(PROVIDER)
      ? new Provider(r.type.slice(PROVIDER.length), r.name, r.inputs as pulumi.Inputs, opts)
      : isComponent(r.type)
        ? new Component(r.type, r.name, {}, opts)
        : new Custom(r.type, r.name, r.inputs as pulumi.Inputs, opts);
    byUrn.set(r.urn, resource);
  }
  return {};
}).then((evaluation) => {
  // A faithful replay registers exactly the planned URNs (the order follows when each one's
  // parent and dependencies resolve, in the replay as in the program).
  const planned = new Set(plan.resources.map((r) => r.urn));
  const registered = new Set(evaluation.resources.map((r) => r.urn));
  const extra = [...registered].filter((urn) => !planned.has(urn));
  const missing = [...planned].filter((urn) => !registered.has(urn));
  if (extra.length + missing.length > 0 || registered.size !== evaluation.resources.length) {
    console.error(
      `bench-plan-floor: the replay differs from the plan: registered ${extra.join(", ") || "nothing extra"}; ` +
        `not registered ${missing.join(", ") || "none missing"}`,
    );
    process.exit(1);
  }
});
