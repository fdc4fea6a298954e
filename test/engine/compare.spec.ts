import * as assert from "node:assert/strict";
import { differences, inputDifferences, type PlanResource, type StateResource } from "./compare";

const STACK = "urn:pulumi:s::platform::pulumi:pulumi:Stack::platform-s";
const NS = "urn:pulumi:s::platform::platform:app:AppStack$kubernetes:core/v1:Namespace::ns";
const APP = "urn:pulumi:s::platform::platform:app:AppStack::app";
const SECRET_IN_EXPORT = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext: "x",
};

/** A resource under APP with no dependencies, as both the plan and the state write it. */
function resource<T extends PlanResource | StateResource>(
  urn: string,
  inputs: Record<string, unknown>,
  extra: Partial<T> = {},
): T {
  const base = {
    urn,
    type: urn.split("::")[2].split("$").pop()!,
    parent: APP,
    inputs,
    dependencies: [],
    propertyDependencies: {},
  };
  return { ...base, ...extra } as unknown as T;
}
const planned = (urn: string, inputs: Record<string, unknown>, extra: Partial<PlanResource> = {}) =>
  resource<PlanResource>(urn, inputs, extra);
const stored = (urn: string, inputs: Record<string, unknown>, extra: Partial<StateResource> = {}) =>
  resource<StateResource>(urn, inputs, extra);

describe("engine test: the offline plan against the engine's state", () => {
  it("finds nothing when they agree, leaving out the stack and inputs the provider adds", () => {
    const state = [
      { urn: STACK, type: "pulumi:pulumi:Stack" },
      { ...stored(APP, {}), parent: STACK },
      stored(NS, { metadata: { name: "app", labels: { a: "b" } }, apiVersion: "v1", kind: "Namespace" }),
    ];
    const plan = [
      { ...planned(APP, {}), parent: null },
      planned(NS, { metadata: { name: "app", labels: { a: "b" } } }),
    ];
    assert.deepEqual(differences(plan, state), []);
  });

  it("names a resource on one side only, another type and another parent", () => {
    const other = "urn:pulumi:s::platform::platform:app:AppStack$kubernetes:core/v1:Secret::s";
    const plan = [planned(NS, {}, { parent: null }), planned(other, {})];
    const state = [stored(NS, {}, { type: "kubernetes:core/v1:ConfigMap" })];
    assert.deepEqual(differences(plan, state), [
      `only in the offline plan: ${other}`,
      `${NS}: type kubernetes:core/v1:Namespace in the plan, kubernetes:core/v1:ConfigMap in the state`,
      `${NS}: parent null in the plan, ${APP} in the state`,
    ]);
  });

  it("refuses a default provider: some resource was registered without the stack's provider", () => {
    const provider = "urn:pulumi:s::platform::pulumi:providers:kubernetes::default_4_25_0";
    assert.deepEqual(differences([], [{ urn: provider, type: "pulumi:providers:kubernetes" }]), [
      `${provider}: a resource was registered without an explicit provider`,
    ]);
  });

  it("counts list items: a list in the state with more items than the plan's differs", () => {
    assert.deepEqual(inputDifferences({ args: ["x"] }, { args: ["x", "--debug"] }), [
      "args: 1 items in the plan, 2 in the state",
    ]);
  });

  it("compares every input the plan knows, path by path, with both values", () => {
    assert.deepEqual(
      inputDifferences(
        { spec: { replicas: 2, ports: [{ port: 80 }, { port: 443 }] } },
        { spec: { replicas: 3, ports: [{ port: 80 }] } },
      ),
      ["spec.replicas: 2 in the plan, 3 in the state", "spec.ports: 2 items in the plan, 1 in the state"],
    );
  });

  it("skips what the plan does not know (unknown, secret) and what the state keeps secret", () => {
    assert.deepEqual(
      inputDifferences(
        { image: "(unknown until deploy)", stringData: { URL: "[secret]" }, data: { a: "1" } },
        { image: "x@sha256:1", data: SECRET_IN_EXPORT },
      ),
      [],
    );
  });

  it("treats an empty map or list in the plan as the absent field the provider stores", () => {
    assert.deepEqual(inputDifferences({ metadata: { annotations: {} }, env: [] }, { metadata: {} }), []);
    assert.deepEqual(inputDifferences({ env: [{ name: "A" }] }, {}), [
      'env: [{"name":"A"}] in the plan, nothing in the state',
    ]);
  });

  it("compares dependencies and property dependencies as sets", () => {
    const plan = [planned(NS, {}, { dependencies: [APP, STACK], propertyDependencies: { metadata: [APP] } })];
    const state = [
      stored(NS, {}, { dependencies: [STACK], propertyDependencies: { metadata: [APP], spec: [STACK] } }),
    ];
    assert.deepEqual(differences(plan, state), [
      `${NS}: dependencies only in the plan: ${APP}`,
      `${NS}: propertyDependencies.spec only in the state: ${STACK}`,
    ]);
  });
});
