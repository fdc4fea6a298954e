import * as assert from "node:assert/strict";
import * as path from "node:path";
import { readStackConfig } from "../../config";
import { validateKubernetesSchema } from "../../policies/schema";
import { Evaluation, loadProgram, runUnderMocks } from "../../scripts/lib/evaluate";
import { checkEvaluation } from "../../scripts/lib/policyCheck";
import { PROJECT_DIR } from "../helpers";

// The offline plan of `routing: gateway` on a staging-like and a prod-like stack (the shipped stack
// files with the one key changed), checked as `npm run plan` checks it: the pack with the stack's
// policy config, and every object against its schema — the Gateway API kinds against the Gateway
// API's own (`@kubernetes-models/gateway-api`, generated from the release the program installs).

/** The stack as `npm run plan` evaluates it (a preview), with `routing: gateway`. */
function previewWithGateway(stack: string): Promise<Evaluation> {
  const { project, values, secretKeys } = readStackConfig(PROJECT_DIR, stack);
  return runUnderMocks(
    { project, stack, config: { ...values, "platform:routing": "gateway" }, secretKeys, preview: true },
    () => loadProgram(path.join(PROJECT_DIR, "index.ts")),
  );
}

const isGatewayApi = (type: string) => type.startsWith("kubernetes:gateway.networking.k8s.io/");

for (const stack of ["staging", "prod"]) {
  describe(`the offline plan of ${stack} with routing: gateway`, () => {
    let plan: Evaluation;
    before(async () => {
      plan = await previewWithGateway(stack);
    });

    it("has no mandatory violation under the stack's policy config", async () => {
      const mandatory = (await checkEvaluation(plan)).filter((v) => v.enforcementLevel === "mandatory");
      assert.deepEqual(mandatory, []);
    });

    it("declares Gateway API objects that the Gateway API schemas accept", async () => {
      const objects = plan.resources.filter((r) => isGatewayApi(r.type));
      assert.deepEqual([...new Set(objects.map((r) => r.type.split(":").pop()))].sort(), [
        "Gateway",
        "GatewayClass",
        "HTTPRoute",
      ]);
      const violations = await validateKubernetesSchema(
        objects.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs })),
      );
      assert.deepEqual(violations, []);
    });
  });
}

describe("the Gateway API schemas in the pack's schema check", () => {
  const gateway = {
    urn: "urn:pulumi:s::p::kubernetes:gateway.networking.k8s.io/v1:Gateway::gw",
    type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    name: "gw",
    props: {
      metadata: { name: "gw", namespace: "traefik" },
      spec: { gatewayClassName: "traefik", listeners: [{ name: "http", protocol: "HTTP", port: 8000 }] },
    },
  };

  it("accepts a valid Gateway", async () => {
    assert.deepEqual(await validateKubernetesSchema([gateway]), []);
  });

  it("reports an unknown field as for built-in kinds", async () => {
    const spec = {
      ...gateway.props.spec,
      listeners: [{ ...gateway.props.spec.listeners[0], hostnames: ["a.example.com"] }],
    };
    const violations = await validateKubernetesSchema([{ ...gateway, props: { ...gateway.props, spec } }]);
    assert.deepEqual(
      violations.map((v) => [v.enforcementLevel, v.message]),
      [
        [
          "mandatory",
          'unknown field "spec.listeners[0].hostnames" (the API server\'s strict field validation refuses it)',
        ],
      ],
    );
  });

  it("reports a value the schema refuses (a port out of range)", async () => {
    const spec = { ...gateway.props.spec, listeners: [{ ...gateway.props.spec.listeners[0], port: 70000 }] };
    const violations = await validateKubernetesSchema([{ ...gateway, props: { ...gateway.props, spec } }]);
    assert.equal(violations.length, 1);
    assert.match(violations[0].message, /spec\.listeners\[0\]\.port/);
  });
});
