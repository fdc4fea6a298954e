import * as assert from "node:assert/strict";
import { diffPlans, diffValues, relativePaths } from "../../scripts/lib/diff";
import { SECRET, UNKNOWN } from "../../scripts/lib/evaluate";
import { base, CLUSTER, DEPLOYMENT, planned, planOf } from "./fixtures";

/** The base with the resource `name` replaced by `change(resource inputs)`. */
function withInputs(name: string, change: (inputs: Record<string, unknown>) => Record<string, unknown>) {
  return base().map((r) => (r.name === name ? { ...r, inputs: change(structuredClone(r.inputs)) } : r));
}

describe("diffPlans", () => {
  it("finds nothing between two equal plans", () => {
    assert.deepEqual(diffPlans(planOf(...base()), planOf(...base())), {
      added: [],
      removed: [],
      changed: [],
      unchanged: 4,
    });
  });

  it("reports an added resource by URN, type and name", () => {
    const after = [...base(), planned("kubernetes:core/v1:ConfigMap", "new", { data: {} })];
    const diff = diffPlans(planOf(...base()), planOf(...after));
    assert.deepEqual(diff.added, [
      {
        urn: "urn:pulumi:dev::platform::kubernetes:core/v1:ConfigMap::new",
        type: "kubernetes:core/v1:ConfigMap",
        name: "new",
      },
    ]);
    assert.deepEqual([diff.removed, diff.changed, diff.unchanged], [[], [], 4]);
  });

  it("reports a removed resource", () => {
    const diff = diffPlans(planOf(...base()), planOf(...base().filter((r) => r.name !== "old")));
    assert.deepEqual(
      diff.removed.map((r) => r.urn),
      ["urn:pulumi:dev::platform::kubernetes:core/v1:ConfigMap::old"],
    );
    assert.deepEqual([diff.added, diff.changed, diff.unchanged], [[], [], 3]);
  });

  it("reports changed fields with their property paths and both values", () => {
    const after = withInputs("api", (inputs) => {
      const spec = inputs.spec as {
        replicas: number;
        template: { spec: { containers: { image: string }[] } };
      };
      spec.replicas = 3;
      spec.template.spec.containers[0].image = "api:2";
      (inputs.metadata as { labels: Record<string, string> }).labels["app.kubernetes.io/name"] = "api-v2";
      return inputs;
    });
    const diff = diffPlans(planOf(...base()), planOf(...after));
    assert.deepEqual(diff.changed, [
      {
        urn: `urn:pulumi:dev::platform::${DEPLOYMENT}::api`,
        type: DEPLOYMENT,
        name: "api",
        fields: [
          { path: 'metadata.labels["app.kubernetes.io/name"]', before: "api", after: "api-v2" },
          { path: "spec.replicas", before: 1, after: 3 },
          { path: "spec.template.spec.containers[0].image", before: "api:1", after: "api:2" },
        ],
      },
    ]);
    assert.equal(diff.unchanged, 3);
  });

  it("reports a change of protect alone", () => {
    const after = base().map((r) => (r.name === "doks" ? { ...r, protect: false } : r));
    assert.deepEqual(diffPlans(planOf(...base()), planOf(...after)).changed, [
      {
        urn: `urn:pulumi:dev::platform::${CLUSTER}::doks`,
        type: CLUSTER,
        name: "doks",
        fields: [],
        protect: { before: true, after: false },
      },
    ]);
  });

  describe("a resource renamed with an alias to its earlier URN (the engine keeps its state)", () => {
    const OLD_URN = "urn:pulumi:dev::platform::kubernetes:core/v1:ConfigMap::old";
    const renamed = (inputs: Record<string, unknown>, aliases = [OLD_URN]) => [
      ...base().filter((r) => r.name !== "old"),
      { ...planned("kubernetes:core/v1:ConfigMap", "renamed", inputs), aliases },
    ];

    it("is neither added nor removed, and unchanged when its inputs are", () => {
      const diff = diffPlans(planOf(...base()), planOf(...renamed({ data: { a: "1" } })));
      assert.deepEqual(diff, { added: [], removed: [], changed: [], unchanged: 4 });
    });

    it("is a change under its new URN when its inputs changed too", () => {
      const diff = diffPlans(planOf(...base()), planOf(...renamed({ data: { a: "2" } })));
      assert.deepEqual([diff.added, diff.removed, diff.unchanged], [[], [], 3]);
      assert.deepEqual(diff.changed, [
        {
          urn: "urn:pulumi:dev::platform::kubernetes:core/v1:ConfigMap::renamed",
          type: "kubernetes:core/v1:ConfigMap",
          name: "renamed",
          fields: [{ path: "data.a", before: "1", after: "2" }],
          // The provider replaces a ConfigMap whose data changes, renamed or not.
          replacedBecause: ["data"],
        },
      ]);
    });

    it("carries its state to one resource only when two claim the alias (the plan reports the conflict)", () => {
      const after = [
        ...renamed({ data: { a: "1" } }),
        { ...planned("kubernetes:core/v1:ConfigMap", "second", { data: { a: "1" } }), aliases: [OLD_URN] },
      ];
      const diff = diffPlans(planOf(...base()), planOf(...after));
      assert.deepEqual(
        diff.added.map((r) => r.name),
        ["second"],
      );
      assert.deepEqual([diff.removed, diff.changed, diff.unchanged], [[], [], 4]);
    });

    it("is a delete and a create without the alias", () => {
      const diff = diffPlans(planOf(...base()), planOf(...renamed({ data: { a: "1" } }, [])));
      assert.deepEqual(
        [diff.added.map((r) => r.name), diff.removed.map((r) => r.name)],
        [["renamed"], ["old"]],
      );
    });
  });

  it("orders every list by URN whatever the registration order", () => {
    const after = [planned("b:b:B", "z", {}), planned("a:a:A", "y", {}), ...base().reverse()];
    const diff = diffPlans(planOf(...base()), planOf(...after));
    assert.deepEqual(
      diff.added.map((r) => r.type),
      ["a:a:A", "b:b:B"],
    );
  });
});

describe("diffValues: secrets", () => {
  it("sees no change where a secret stays a secret (the masked values are equal)", () => {
    assert.deepEqual(diffValues({ password: SECRET }, { password: SECRET }), []);
  });

  it("shows a field that became secret only as a secret change, without the old value", () => {
    const after = withInputs("db", (inputs) => ({
      stringData: { ...(inputs.stringData as object), user: SECRET },
    }));
    const diff = diffPlans(planOf(...base()), planOf(...after));
    assert.deepEqual(diff.changed[0].fields, [
      { path: "stringData.user", before: SECRET, after: SECRET, secret: true },
    ]);
    assert.ok(!JSON.stringify(diff).includes('"app"'), "the old value is not shown");
  });

  it("shows a secret that stopped being secret without its new value", () => {
    assert.deepEqual(diffValues({ token: SECRET }, { token: "plain" }), [
      { path: "token", before: SECRET, after: SECRET, secret: true },
    ]);
  });

  it("shows an added or removed secret without a value on the side where it is not set", () => {
    assert.deepEqual(diffValues({}, { data: { key: SECRET } }), [
      { path: "data", after: SECRET, secret: true },
    ]);
    assert.deepEqual(diffValues({ data: { key: SECRET } }, {}), [
      { path: "data", before: SECRET, secret: true },
    ]);
  });

  it("treats a secret array whose length changed as a secret change per element", () => {
    assert.deepEqual(diffValues({ keys: [SECRET] }, { keys: [SECRET, SECRET] }), [
      { path: "keys[1]", after: SECRET, secret: true },
    ]);
  });
});

describe("diffValues: unknowns and unset fields", () => {
  const marked = "(unknown until deploy)";

  it("marks a value that becomes known only at deploy time", () => {
    const after = withInputs("doks", (inputs) => ({ ...inputs, region: UNKNOWN, version: UNKNOWN }));
    const diff = diffPlans(planOf(...base()), planOf(...after));
    assert.deepEqual(diff.changed[0].fields, [{ path: "region", before: "fra1", after: marked }]);
  });

  it("sees no change between two unknowns (nothing can be said about them)", () => {
    assert.deepEqual(diffValues({ version: marked }, { version: marked }), []);
  });

  it("treats null as not set, and reports a field that appears or disappears with one side only", () => {
    assert.deepEqual(diffValues({ a: null }, {}), []);
    assert.deepEqual(diffValues({ a: null }, { a: 1 }), [{ path: "a", after: 1 }]);
    assert.deepEqual(diffValues({ a: [1, 2] }, { a: [1] }), [{ path: "a[1]", before: 2 }]);
  });

  it("reports a value whose shape changed as one field", () => {
    assert.deepEqual(diffValues({ a: { b: 1 } }, { a: [1] }), [{ path: "a", before: { b: 1 }, after: [1] }]);
  });
});

describe("relativePaths", () => {
  it("replaces the project directory in every string so two checkouts compare equal", () => {
    const inputs = {
      build: { context: "/tmp/wt/app/api", dockerfile: "/tmp/wt/app/api/Dockerfile" },
      dir: "/tmp/wt",
    };
    assert.deepEqual(relativePaths(inputs, ["/tmp/wt"]), {
      build: { context: "./app/api", dockerfile: "./app/api/Dockerfile" },
      dir: ".",
    });
    assert.deepEqual(relativePaths({ other: "/tmp/wtx/a" }, ["/tmp/wt"]), { other: "/tmp/wtx/a" });
  });
});
