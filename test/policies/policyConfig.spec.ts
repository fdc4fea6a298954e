import * as assert from "node:assert/strict";
import { enforcementLevelOf, loadPolicyConfig, parsePolicyConfig, runPolicies } from "../../policies/engine";
import { policies } from "../../policies/policies";
import { disallowPrivilegedDockerContainers } from "../../policies/resources/disallowPrivilegedDockerContainers";
import { urnOf } from "./fixtures";

const STACKS = ["dev", "staging", "prod"];
const CORE = ["require-resource-limits", "require-non-root", "disallow-unpinned-images"];

describe("policy config", () => {
  it("names every policy in kebab-case, once, with a config schema that accepts exemptions", () => {
    const names = policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const p of policies) {
      // `budget` is the one-word name the cost issue gives the budget policy.
      assert.match(p.name, p.name === "budget" ? /^budget$/ : /^[a-z]+(-[a-z0-9]+)+$/);
      assert.ok(p.configSchema?.properties.exemptions, `${p.name} has no exemptions setting`);
    }
  });

  for (const stack of STACKS) {
    it(`loads ${stack}.json, with the core rules mandatory`, () => {
      const config = loadPolicyConfig(stack);
      for (const name of CORE) {
        const policy = policies.find((p) => p.name === name);
        assert.ok(policy);
        assert.equal(enforcementLevelOf(policy, config), "mandatory", `${name} on ${stack}`);
      }
    });
  }

  it("refuses an exemption without a reason, naming the file and the key", () => {
    const raw = { "disallow-privileged-docker-containers": { exemptions: [{ resource: "k0s-node" }] } };
    assert.throws(
      () => parsePolicyConfig(raw, "policies/config/dev.json"),
      new Error(
        'policies/config/dev.json: "disallow-privileged-docker-containers".exemptions[0].reason is required',
      ),
    );
  });

  it("refuses an exemption with a blank reason", () => {
    const raw = { "require-non-root": { exemptions: [{ resource: "x", reason: "  " }] } };
    assert.throws(
      () => parsePolicyConfig(raw, "c.json"),
      new Error('c.json: "require-non-root".exemptions[0].reason must match \\S'),
    );
  });

  it("refuses unknown policies, unknown settings, wrong types and bad levels", () => {
    const raw = {
      all: "strict",
      "no-such-policy": "advisory",
      "require-resource-limits": { requireCpuLimits: true, enforcementLevel: "warn" },
      "disallow-unpinned-images": { requireDigest: "yes" },
    };
    assert.throws(
      () => parsePolicyConfig(raw, "c.json"),
      new Error(
        'c.json: "all" must be one of advisory, mandatory, remediate, disabled; ' +
          '"no-such-policy" is not a policy of this pack; ' +
          '"require-resource-limits".enforcementLevel must be one of advisory, mandatory, remediate, disabled; ' +
          '"require-resource-limits".requireCpuLimits is not a known setting; ' +
          '"disallow-unpinned-images".requireDigest must be boolean, got string',
      ),
    );
  });

  it("names the missing file for an unknown stack", () => {
    assert.throws(() => loadPolicyConfig("qa"), /config[/]qa\.json: no policy config for stack "qa"/);
  });

  it("exempts the k0s node container (by its URN within the K0sCluster component) on dev only", () => {
    const type = "docker:index/container:Container";
    const urn = `urn:pulumi:dev::platform::platform:cluster:K0sCluster$${type}::platform-dev-node`;
    const node = { urn, type, name: "platform-dev-node", props: { privileged: true } };
    const registry = {
      ...node,
      name: "platform-dev-registry-server",
      urn: urnOf(type, "platform-dev-registry-server"),
    };
    const check = (stack: string) =>
      runPolicies([node, registry], loadPolicyConfig(stack), [disallowPrivilegedDockerContainers]).map(
        (v) => `${v.enforcementLevel} ${v.resource}`,
      );
    assert.deepEqual(check("dev"), [`mandatory ${registry.urn}`]);
    assert.deepEqual(check("prod"), [`mandatory ${urn}`, `mandatory ${registry.urn}`]);
  });
});
