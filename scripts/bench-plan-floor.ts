// The floor under `npm run bench:plan`: what the plan would cost if the program did nothing but
// register its resources. It loads the SDK and the provider packages the prod plan's resources
// come from, then registers every resource of a `plan --json` document (same types, names, inputs,
// parents, providers, dependencies and aliases; checked for each one) under the same mock runtime as
// the plan (`runUnderMocks`), with no configuration, components' logic, policy check or cost
// estimate. Whatever the plan takes beyond this is the project's own work.
// Usage: node -r ./scripts/register.cjs scripts/bench-plan-floor.ts <plan.json>
import { readFileSync } from "node:fs";
// The provider packages a program declaring the prod plan's resources loads.
import "@pulumi/digitalocean";
import "@pulumi/docker";
import "@pulumi/kubernetes";
import "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import type { PlanDocument } from "./lib/render";
import { PlannedResource, runUnderMocks } from "./lib/evaluate";

const file = process.argv[2];
if (!file) {
  console.error("usage: bench-plan-floor.ts <plan.json>");
  process.exit(2);
}
const plan = JSON.parse(readFileSync(file, "utf8")) as PlanDocument;

// The plan document does not say which resources are components: the project's own types are
// (registered here), and so is a Helm chart (remote: the provider expands it, from its inputs).
const isLocalComponent = (type: string) => type.startsWith("platform:");
const REMOTE_COMPONENTS = new Set(["kubernetes:helm.sh/v4:Chart"]);
const PROVIDER = "pulumi:providers:";
// The SDK's base classes are abstract. What a provider package's class adds to a registration (its
// earlier type tokens as aliases) is in the plan's aliases, which the replay passes on.
class Provider extends pulumi.ProviderResource {}
class Component extends pulumi.ComponentResource {}
class Custom extends pulumi.CustomResource {}

void runUnderMocks({ project: "platform", stack: plan.stack, config: {} }, () => {
  const byUrn = new Map<string, pulumi.Resource>();
  const find = (urn: string | null) => (urn === null ? undefined : byUrn.get(urn));
  for (const r of plan.resources) {
    const inputs = r.inputs as pulumi.Inputs;
    const opts: pulumi.CustomResourceOptions = {
      parent: find(r.parent),
      dependsOn: r.dependencies.flatMap((urn) => find(urn) ?? []),
      provider: find(r.provider) as pulumi.ProviderResource | undefined,
      aliases: [...r.aliases],
    };
    const resource = r.type.startsWith(PROVIDER)
      ? new Provider(r.type.slice(PROVIDER.length), r.name, inputs, opts)
      : isLocalComponent(r.type)
        ? new Component(r.type, r.name, {}, opts)
        : REMOTE_COMPONENTS.has(r.type)
          ? new Component(r.type, r.name, inputs, opts, true)
          : new Custom(r.type, r.name, inputs, opts);
    byUrn.set(r.urn, resource);
  }
  return {};
}).then((evaluation) => {
  // A faithful replay registers the planned resources, each with the planned parent, provider,
  // dependencies, aliases and inputs (the order follows when each one's parent and dependencies resolve).
  const shape = (r: PlanDocument["resources"][number] | PlannedResource) =>
    JSON.stringify([r.parent, r.provider, [...r.dependencies].sort(), [...r.aliases].sort(), r.inputs]);
  const planned = new Map(plan.resources.map((r) => [r.urn, shape(r)]));
  const registered = new Map(evaluation.resources.map((r) => [r.urn, shape(r)]));
  const differences = [
    ...[...registered.keys()].filter((urn) => !planned.has(urn)).map((urn) => `${urn} is not in the plan`),
    ...[...planned].flatMap(([urn, expected]) =>
      !registered.has(urn)
        ? [`${urn} is not registered`]
        : registered.get(urn) !== expected
          ? [
              `${urn}: [parent, provider, dependencies, aliases, inputs] ${registered.get(urn)}, planned ${expected}`,
            ]
          : [],
    ),
  ];
  if (differences.length > 0 || registered.size !== evaluation.resources.length) {
    console.error(`bench-plan-floor: the replay differs from the plan:\n  ${differences.join("\n  ")}`);
    process.exit(1);
  }
});
