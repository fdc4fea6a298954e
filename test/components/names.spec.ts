import * as assert from "node:assert/strict";
import { childName } from "../../components/kube";
import { Evaluation } from "../../scripts/lib/evaluate";
import { evaluateDeployed, evaluateDeployedWith } from "../app/deployed";

describe("resource names", () => {
  const stacks = new Map<string, Evaluation>();
  before(async () => {
    for (const stack of ["dev", "staging", "prod", "existing"])
      stacks.set(stack, await evaluateDeployed(stack));
    // The Gateway API's objects, which no shipped stack declares.
    for (const stack of ["dev", "prod"])
      stacks.set(`${stack} with routing: gateway`, await evaluateDeployedWith(stack, { routing: "gateway" }));
  });

  it("derive a child's name from its parent's and its role, without repeating the words they share", () => {
    assert.equal(childName("platform-prod-traefik", "traefik-egress"), "platform-prod-traefik-egress");
    assert.equal(
      childName("platform-prod-cert-manager", "cert-manager-webhook"),
      "platform-prod-cert-manager-webhook",
    );
    assert.equal(childName("platform-prod-app", "default-deny"), "platform-prod-app-default-deny");
    // A role is never swallowed whole.
    assert.equal(childName("platform-prod-app", "app"), "platform-prod-app-app");
  });

  it("never repeat a word, in any stack", () => {
    for (const [stack, evaluation] of stacks) {
      for (const r of evaluation.resources) {
        const words = r.name.split("-");
        const repeated = words.find((word, i) => words.indexOf(word) !== i);
        assert.equal(repeated, undefined, `${stack}: ${r.name} repeats "${repeated}"`);
      }
    }
  });

  it("keep every renamed policy's state and object through an alias: a deployed stack sees no replacement", () => {
    for (const [stack, renamed] of Object.entries(RENAMED_BY_65402E6)) {
      const resources = stacks.get(stack)!.resources;
      for (const [urn, objectName, namespace] of renamed) {
        const now = resources.filter((r) => r.urn === urn || r.aliases.includes(urn));
        assert.equal(now.length, 1, `${stack}: ${urn} is neither kept nor aliased by exactly one resource`);
        const [policy] = now;
        assert.equal(policy.type, NETWORK_POLICY);
        // A new object name would replace the object whatever the alias.
        assert.deepEqual(policy.inputs.metadata, { name: objectName, namespace }, urn);
      }
    }
  });

  it("alias only names that the same resource had in some shipped stack", () => {
    // Each earlier URN, stack left out, with the name of the object it held.
    const earlier = new Map(
      Object.values(RENAMED_BY_65402E6).flatMap((r) =>
        r.map(([urn, objectName]) => [anyStack(urn), objectName]),
      ),
    );
    for (const [stack, evaluation] of stacks)
      for (const r of evaluation.resources)
        // Aliases that keep the name are the provider packages' own: earlier type tokens (docker's
        // `docker:image:Image`, Kubernetes' `apps/v1beta1` and the like).
        for (const alias of r.aliases.filter((urn) => !urn.endsWith(`::${r.name}`))) {
          assert.ok(earlier.has(anyStack(alias)), `${stack}: ${r.name} has an alias no stack had: ${alias}`);
          const { metadata } = r.inputs as { metadata?: { name?: string } };
          assert.equal(
            metadata?.name,
            earlier.get(anyStack(alias)),
            `${stack}: ${r.name} aliases another object`,
          );
        }
  });
});

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** A URN with its stack's name left out, so that the same resource of two stacks compares equal. */
function anyStack(urn: string): string {
  const stack = urn.split("::")[0].slice("urn:pulumi:".length);
  return urn.replaceAll(`:${stack}::`, ":<stack>::").replaceAll(`platform-${stack}-`, "platform-<stack>-");
}

/** A component whose network policies 65402e6 renamed: its type, name, namespace and those policies. */
interface RenamedComponent {
  readonly type: string;
  readonly name: string;
  readonly namespace: string;
  /** The policies' roles, which are also their objects' names. */
  readonly roles: readonly string[];
}
const TRAEFIK: RenamedComponent = {
  type: "platform:ingress:Traefik",
  name: "traefik",
  namespace: "traefik",
  roles: ["traefik-entrypoints", "traefik-egress"],
};
const CERT_MANAGER: RenamedComponent = {
  type: "platform:ingress:CertManager",
  name: "cert-manager",
  namespace: "cert-manager",
  roles: ["cert-manager-egress", "cert-manager-webhook"],
};
const METRICS_SERVER: RenamedComponent = {
  type: "platform:metrics:MetricsServer",
  name: "metrics-server",
  namespace: "metrics-server",
  roles: ["metrics-server-egress"],
};

/**
 * The resources whose URNs 65402e6 changed when child names stopped repeating words, per shipped
 * stack: the URN before it, the object's name and namespace. Recorded by comparing
 * `npm run plan -- --stack <stack> --json` at 65402e6^ and at 65402e6; every one is a network policy
 * named `platform-<stack>-<component>-<role>`.
 * Left out: prod's `platform-prod-metrics-server-metrics-api`, which 65402e6 renamed together with
 * its object (`metrics-api` to `metrics-server-api`), a replacement no alias avoids; the deploy
 * workflow has made it since, and the stacks hold the new name.
 */
const RENAMED_BY_65402E6 = Object.fromEntries(
  Object.entries({
    dev: [TRAEFIK],
    staging: [TRAEFIK, CERT_MANAGER],
    prod: [TRAEFIK, CERT_MANAGER, METRICS_SERVER],
    existing: [TRAEFIK],
  }).map(([stack, components]) => [
    stack,
    components.flatMap((c) =>
      c.roles.map((role): [urn: string, objectName: string, namespace: string] => [
        `urn:pulumi:${stack}::platform::${c.type}$${NETWORK_POLICY}::platform-${stack}-${c.name}-${role}`,
        role,
        c.namespace,
      ]),
    ),
  ]),
);
