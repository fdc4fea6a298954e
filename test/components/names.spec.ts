import * as assert from "node:assert/strict";
import { childName } from "../../components/kube";
import { Evaluation } from "../../scripts/lib/evaluate";
import { allOf } from "../helpers";
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

  it("never repeat a word in a row of words, in any stack", () => {
    for (const [stack, evaluation] of stacks) {
      for (const r of evaluation.resources) {
        const words = r.name.split("-");
        const repeated = words.find((word, i) => word.length > 2 && words.indexOf(word) !== i);
        assert.equal(repeated, undefined, `${stack}: ${r.name} repeats "${repeated}"`);
      }
    }
  });

  it("keep the state of the earlier, repeating names through aliases: a deployed stack sees no replacement", () => {
    const policies = allOf(stacks.get("staging")!, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const aliased = Object.fromEntries(
      policies.filter((p) => p.aliases.length > 0).map((p) => [p.name, p.aliases]),
    );
    assert.deepEqual(aliased, {
      "platform-staging-traefik-entrypoints": ["platform-staging-traefik-traefik-entrypoints"],
      "platform-staging-traefik-egress": ["platform-staging-traefik-traefik-egress"],
      "platform-staging-cert-manager-egress": ["platform-staging-cert-manager-cert-manager-egress"],
      "platform-staging-cert-manager-webhook": ["platform-staging-cert-manager-cert-manager-webhook"],
      // metrics-server came to staging with observability (its policies' names repeat "metrics-server").
      "platform-staging-metrics-server-api": ["platform-staging-metrics-server-metrics-server-api"],
      "platform-staging-metrics-server-egress": ["platform-staging-metrics-server-metrics-server-egress"],
    });
  });
});
