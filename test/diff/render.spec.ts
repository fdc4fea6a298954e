import * as assert from "node:assert/strict";
import type { Violation } from "../../policies/engine";
import { diffPlans } from "../../scripts/lib/diff";
import { code, diffDocument, DiffReport, renderDiffMarkdown } from "../../scripts/lib/diffRender";
import { SECRET, UNKNOWN } from "../../scripts/lib/evaluate";
import { base, planned, planOf } from "./fixtures";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

const VIOLATIONS: Violation[] = [
  {
    policy: "require-probes",
    enforcementLevel: "advisory",
    resource: "urn:pulumi:dev::platform::kubernetes:apps/v1:Deployment::api",
    message: "container api has no readiness_probe",
  },
  {
    policy: "require-resource-limits",
    enforcementLevel: "mandatory",
    resource: "urn:pulumi:dev::platform::kubernetes:apps/v1:Deployment::api",
    message: "container <api> has no CPU limit",
  },
];

/** Every kind of change at once: added, removed, changed fields, secret, unknown, protect, a long list. */
function report(): DiffReport {
  const before = [
    ...base(),
    planned(CONFIG_MAP, "big", {
      data: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "x"])),
    }),
  ];
  const after = base()
    .filter((r) => r.name !== "old")
    .map((r) => {
      if (r.name === "api") {
        const container = { name: "api", image: "api:2", args: ["--a`b"] };
        return {
          ...r,
          inputs: { ...r.inputs, spec: { replicas: 3, template: { spec: { containers: [container] } } } },
        };
      }
      if (r.name === "db") return { ...r, inputs: { stringData: { password: SECRET, user: SECRET } } };
      if (r.name === "doks")
        return { ...r, protect: false, inputs: { ...r.inputs, region: UNKNOWN, ha: true } };
      return r;
    });
  after.push(planned(CONFIG_MAP, "new", { data: {} }), planned(CONFIG_MAP, "big", { data: {} }));
  return {
    stack: "dev",
    base: "origin/main",
    baseCommit: COMMIT,
    baseHasStack: true,
    diff: diffPlans(planOf(...before), planOf(...after)),
    violations: VIOLATIONS,
  };
}

const EXPECTED = `## Desired state of \`dev\` against \`origin/main\` (\`0123456789ab\`)

**1 to add, 4 to change, 1 to delete** (0 unchanged)

Estimated cost: +$12/month

### To add

- \`new\` · \`kubernetes:core/v1:ConfigMap\`

### To change

#### \`doks\` · \`digitalocean:index/kubernetesCluster:KubernetesCluster\`

- ⚠️ **replaced** (deleted and created again) because of \`region\`
- protect: \`true\` → \`false\`
- \`ha\`: \`false\` → \`true\`
- \`region\`: \`"fra1"\` → (unknown until deploy)

#### \`api\` · \`kubernetes:apps/v1:Deployment\`

- \`spec.replicas\`: \`1\` → \`3\`
- \`spec.template.spec.containers[0].args\`: (not set) → \`\`["--a\`b"]\`\`
- \`spec.template.spec.containers[0].image\`: \`"api:1"\` → \`"api:2"\`

#### \`big\` · \`kubernetes:core/v1:ConfigMap\`

<details><summary>10 fields changed</summary>

- ⚠️ **replaced** (deleted and created again) because of \`data\`
- \`data.k0\`: \`"x"\` → (not set)
- \`data.k1\`: \`"x"\` → (not set)
- \`data.k2\`: \`"x"\` → (not set)
- \`data.k3\`: \`"x"\` → (not set)
- \`data.k4\`: \`"x"\` → (not set)
- \`data.k5\`: \`"x"\` → (not set)
- \`data.k6\`: \`"x"\` → (not set)
- \`data.k7\`: \`"x"\` → (not set)
- \`data.k8\`: \`"x"\` → (not set)
- \`data.k9\`: \`"x"\` → (not set)

</details>

#### \`db\` · \`kubernetes:core/v1:Secret\`

- ⚠️ **replaced** (deleted and created again) because of \`stringData\`
- \`stringData.user\`: changed (secret)

### To delete

- \`old\` · \`kubernetes:core/v1:ConfigMap\`

### Policies

**1 mandatory** (fails the check), 1 advisory

- \`require-resource-limits\` on \`api\`: container &lt;api&gt; has no CPU limit

<details><summary>1 advisory</summary>

- \`require-probes\` on \`api\`: container api has no readiness\\_probe

</details>
`;

describe("renderDiffMarkdown", () => {
  it("renders every kind of change exactly, with extra summary lines under the summary", () => {
    assert.equal(renderDiffMarkdown(report(), { summaryLines: ["Estimated cost: +$12/month"] }), EXPECTED);
  });

  it("gives the same text whatever order the violations came in", () => {
    const shuffled = { ...report(), violations: [...VIOLATIONS].reverse() };
    assert.equal(renderDiffMarkdown(shuffled, { summaryLines: ["Estimated cost: +$12/month"] }), EXPECTED);
  });

  it("says so when nothing changes and there are no violations", () => {
    const same = { ...report(), diff: diffPlans(planOf(...base()), planOf(...base())), violations: [] };
    assert.equal(
      renderDiffMarkdown(same),
      [
        "## Desired state of `dev` against `origin/main` (`0123456789ab`)",
        "**0 to add, 0 to change, 0 to delete** (4 unchanged)",
        "No changes to the desired state.",
        "### Policies",
        "No violations.",
      ].join("\n\n") + "\n",
    );
  });

  it("says that a stack new in the working tree has everything to add", () => {
    const fresh = {
      ...report(),
      baseHasStack: false,
      diff: diffPlans([], planOf(...base())),
      violations: [],
    };
    const text = renderDiffMarkdown(fresh);
    assert.match(text, /^\*\*4 to add, 0 to change, 0 to delete\*\* \(0 unchanged\)$/m);
    assert.match(text, /^`Pulumi\.dev\.yaml` does not exist at `origin\/main`: every resource is new\.$/m);
  });

  it("collapses a resource whose values are long", () => {
    const long = "x".repeat(100);
    const diff = diffPlans(
      planOf(planned(CONFIG_MAP, "c", { data: { a: "" } })),
      planOf(planned(CONFIG_MAP, "c", { data: { a: long } })),
    );
    assert.match(
      renderDiffMarkdown({ ...report(), diff }),
      /<details><summary>1 field changed<\/summary>\n\n- ⚠️ \*\*replaced\*\* \(deleted and created again\) because of `data`\n- `data\.a`/,
    );
  });

  it("never prints a secret's value", () => {
    const before = planOf(planned(CONFIG_MAP, "c", { data: { token: "hunter2" } }));
    const after = planOf(planned(CONFIG_MAP, "c", { data: { token: SECRET } }));
    const secretReport = { ...report(), diff: diffPlans(before, after) };
    assert.doesNotMatch(renderDiffMarkdown(secretReport), /hunter2/);
    assert.doesNotMatch(JSON.stringify(diffDocument(secretReport)), /hunter2/);
  });
});

describe("diffDocument", () => {
  it("has the stack, the base, the three lists and the violations", () => {
    const doc = diffDocument(report());
    assert.deepEqual(Object.keys(doc), [
      "stack",
      "base",
      "baseCommit",
      "added",
      "removed",
      "changed",
      "unchanged",
      "violations",
    ]);
    assert.deepEqual(doc.removed, [
      { urn: `urn:pulumi:dev::platform::${CONFIG_MAP}::old`, type: CONFIG_MAP, name: "old" },
    ]);
    assert.deepEqual(doc.changed.find((c) => c.name === "db")?.fields, [
      { path: "stringData.user", before: SECRET, after: SECRET, secret: true },
    ]);
  });
});

describe("code", () => {
  it("fences text that holds backticks with a longer run", () => {
    assert.equal(code("a`b"), "``a`b``");
    assert.equal(code("`a"), "`` `a ``");
    assert.equal(code("plain"), "`plain`");
  });
});
