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
