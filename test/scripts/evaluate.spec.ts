import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PlannedResource, runUnderMocks } from "../../scripts/lib/evaluate";

// What `npm run plan` hands its policy thread as the program runs: every resource, as it registers.

class Thing extends pulumi.CustomResource {
  constructor(name: string, size: number, opts: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, { size }, opts);
  }
}

describe("the evaluation's onResource callback", () => {
  it("sees every registered resource once, as the evaluation records it, in registration order", async () => {
    const seen: PlannedResource[] = [];
    const evaluation = await runUnderMocks(
      { project: "p", stack: "s", config: {}, onResource: (resource) => seen.push(resource) },
      () => {
        const parent = new pulumi.ComponentResource("test:index:Group", "group");
        new Thing("first", 1, { parent });
        new Thing("second", 2, { parent });
        return {};
      },
    );
    assert.deepEqual(
      seen.map((r) => r.name),
      ["group", "first", "second"],
    );
    assert.deepEqual(seen, evaluation.resources);
  });
});

describe("the evaluation's aliases", () => {
  /** A `test:index:Group` component named `name`, aliased to what it was before (`earlier`). */
  const renamedGroup = (name: string, earlier: pulumi.Alias) =>
    new pulumi.ComponentResource("test:index:Group", name, {}, { aliases: [earlier] });

  it("resolve to URNs, and a child inherits its renamed parent's earlier URN, name prefix included", async () => {
    const evaluation = await runUnderMocks({ project: "p", stack: "s", config: {} }, () => {
      const group = renamedGroup("group-new", { name: "group-old" });
      new Thing("group-new-first", 1, { parent: group });
      new Thing("other", 2, { parent: group, aliases: [{ name: "other-old" }] });
      return {};
    });
    const aliases = Object.fromEntries(evaluation.resources.map((r) => [r.name, r.aliases]));
    assert.deepEqual(aliases, {
      "group-new": ["urn:pulumi:s::p::test:index:Group::group-old"],
      // Under the parent's earlier URN, with the parent's earlier name as its prefix.
      "group-new-first": ["urn:pulumi:s::p::test:index:Group$test:index:Thing::group-old-first"],
      // A child's URN holds its parent's type, not its name: only its own alias is left.
      other: ["urn:pulumi:s::p::test:index:Group$test:index:Thing::other-old"],
    });
  });

  it("pass a renamed parent's earlier name down to grandchildren", async () => {
    const evaluation = await runUnderMocks({ project: "p", stack: "s", config: {} }, () => {
      const group = renamedGroup("g-new", { name: "g-old" });
      const sub = new pulumi.ComponentResource("test:index:Sub", "g-new-sub", {}, { parent: group });
      new Thing("g-new-sub-x", 1, { parent: sub });
      return {};
    });
    assert.deepEqual(evaluation.resources.find((r) => r.name === "g-new-sub-x")!.aliases, [
      "urn:pulumi:s::p::test:index:Group$test:index:Sub$test:index:Thing::g-old-sub-x",
    ]);
  });

  it("move a child's own aliases under its parent's earlier type", async () => {
    const evaluation = await runUnderMocks({ project: "p", stack: "s", config: {} }, () => {
      const group = renamedGroup("g", { type: "test:index:OldGroup" });
      new Thing("x", 1, { parent: group, aliases: [{ name: "x-old" }] });
      return {};
    });
    assert.deepEqual(evaluation.resources.find((r) => r.name === "x")!.aliases, [
      "urn:pulumi:s::p::test:index:Group$test:index:Thing::x-old",
      "urn:pulumi:s::p::test:index:OldGroup$test:index:Thing::x",
      "urn:pulumi:s::p::test:index:OldGroup$test:index:Thing::x-old",
    ]);
  });
});
