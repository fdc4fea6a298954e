import * as assert from "node:assert/strict";
import { ConfigError, KEY_DEFAULTS, parseConfig, readStackConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";

/** A shipped stack's values (project defaults applied) with `changes` on top. */
function parse(stack: string, changes: Record<string, string> = {}) {
  const values = { ...readStackConfig(PROJECT_DIR, stack).values };
  for (const [key, value] of Object.entries(changes)) values[`platform:${key}`] = value;
  return parseConfig(values, stack, `Pulumi.${stack}.yaml`);
}

function problemsOf(stack: string, changes: Record<string, string>): readonly string[] {
  try {
    parse(stack, changes);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.match(error.message, new RegExp(`Pulumi\\.${stack}\\.yaml`), "the message names the file");
    return error.problems;
  }
  assert.fail("expected the configuration to be refused");
}

describe("platform:routing", () => {
  it("defaults to ingress on every shipped stack", () => {
    assert.equal(KEY_DEFAULTS.routing, "ingress");
    for (const stack of ["dev", "staging", "prod", "existing"])
      assert.equal(parse(stack).ingress.routing, "ingress");
  });

  it("takes gateway on every cluster provider with the Traefik the program installs", () => {
    for (const stack of ["dev", "staging", "prod", "existing"])
      assert.equal(parse(stack, { routing: "gateway" }).ingress.routing, "gateway", stack);
  });

  it("refuses another value, naming the key and the allowed values", () => {
    assert.deepEqual(problemsOf("staging", { routing: "gateway-api" }), [
      "platform:routing: expected one of ingress, gateway, got gateway-api",
    ]);
  });

  it("refuses gateway with the cluster's own ingress controller, whose GatewayClass the program does not know", () => {
    const own = {
      ingressController: "existing",
      ingressClassName: "nginx",
      ingressControllerNamespace: "ingress-nginx",
    };
    assert.equal(parse("existing", own).ingress.routing, "ingress");
    assert.deepEqual(problemsOf("existing", { ...own, routing: "gateway" }), [
      "platform:routing: gateway needs the Traefik the program installs (platform:ingressController traefik); with the cluster's own controller use ingress",
    ]);
  });
});
