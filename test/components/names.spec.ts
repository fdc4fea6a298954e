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
    const earlier = new Set(
      Object.values(RENAMED_BY_65402E6).flatMap((r) => r.map(([urn]) => anyStack(urn))),
    );
    for (const [stack, evaluation] of stacks)
      for (const r of evaluation.resources)
        // Aliases that keep the name are the provider packages' own: earlier type tokens (docker's
        // `docker:image:Image`, Kubernetes' `apps/v1beta1` and the like).
        for (const alias of r.aliases.filter((urn) => !urn.endsWith(`::${r.name}`)))
          assert.ok(earlier.has(anyStack(alias)), `${stack}: ${r.name} has an alias no stack had: ${alias}`);
  });
});

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** A URN with its stack's name left out, so that the same resource of two stacks compares equal. */
function anyStack(urn: string): string {
  const stack = urn.split("::")[0].slice("urn:pulumi:".length);
  return urn.replaceAll(`:${stack}::`, ":<stack>::").replaceAll(`platform-${stack}-`, "platform-<stack>-");
}

const traefik = (stack: string, role: string) =>
  `urn:pulumi:${stack}::platform::platform:ingress:Traefik$${NETWORK_POLICY}::platform-${stack}-traefik-${role}`;
const certManager = (stack: string, role: string) =>
  `urn:pulumi:${stack}::platform::platform:ingress:CertManager$${NETWORK_POLICY}::platform-${stack}-cert-manager-${role}`;
const metricsServer = (stack: string, role: string) =>
  `urn:pulumi:${stack}::platform::platform:metrics:MetricsServer$${NETWORK_POLICY}::platform-${stack}-metrics-server-${role}`;

/**
 * The resources whose URNs 65402e6 changed when child names stopped repeating words, per shipped
 * stack: the URN before it, the object's name and namespace. Recorded by comparing
 * `npm run plan -- --stack <stack> --json` at 65402e6^ and at 65402e6; every one is a network policy.
 * Left out: prod's `platform-prod-metrics-server-metrics-api`, which 65402e6 renamed together with
 * its object (`metrics-api` to `metrics-server-api`), a replacement no alias avoids; the deploy
 * workflow has made it since, and the stacks hold the new name.
 */
const RENAMED_BY_65402E6: Record<string, [urn: string, objectName: string, namespace: string][]> = {
  dev: [
    [traefik("dev", "traefik-entrypoints"), "traefik-entrypoints", "traefik"],
    [traefik("dev", "traefik-egress"), "traefik-egress", "traefik"],
  ],
  staging: [
    [traefik("staging", "traefik-entrypoints"), "traefik-entrypoints", "traefik"],
    [traefik("staging", "traefik-egress"), "traefik-egress", "traefik"],
    [certManager("staging", "cert-manager-egress"), "cert-manager-egress", "cert-manager"],
    [certManager("staging", "cert-manager-webhook"), "cert-manager-webhook", "cert-manager"],
  ],
  prod: [
    [traefik("prod", "traefik-entrypoints"), "traefik-entrypoints", "traefik"],
    [traefik("prod", "traefik-egress"), "traefik-egress", "traefik"],
    [certManager("prod", "cert-manager-egress"), "cert-manager-egress", "cert-manager"],
    [certManager("prod", "cert-manager-webhook"), "cert-manager-webhook", "cert-manager"],
    [metricsServer("prod", "metrics-server-egress"), "metrics-server-egress", "metrics-server"],
  ],
  existing: [
    [traefik("existing", "traefik-entrypoints"), "traefik-entrypoints", "traefik"],
    [traefik("existing", "traefik-egress"), "traefik-egress", "traefik"],
  ],
};
