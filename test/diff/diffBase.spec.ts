import * as assert from "node:assert/strict";
import { parsePlan, withoutStack } from "../../scripts/lib/diffBase";

describe("plan --diff: the base commit's output", () => {
  it("reports a base that crashed by its error line, naming a missing package as such", () => {
    const crash = [
      "node:internal/modules/cjs/loader:1433",
      "  throw err;",
      "  ^",
      "",
      "Error: Cannot find module '@swimlane/docker-reference'",
      "Require stack:",
      "- /tmp/wt/config/schema.ts",
      "    at Function._resolveFilename (node:internal/modules/cjs/loader:1430:15)",
    ].join("\n");
    assert.equal(
      withoutStack(crash),
      "Error: Cannot find module '@swimlane/docker-reference' (a package that commit needs and this checkout's node_modules lacks)",
    );
    assert.equal(
      withoutStack("TypeError: x is not a function\n    at main (plan.ts:1:1)"),
      "TypeError: x is not a function",
    );
  });

  it("leaves the base's own messages as they are", () => {
    const message = "invalid configuration in Pulumi.dev.yaml:\n  platform:appReplicaz: unknown key";
    assert.equal(withoutStack(message), message);
  });

  it("refuses output that is not a plan document", () => {
    assert.throws(() => parsePlan("warning: x\n", "HEAD"), /the plan at HEAD did not print a JSON document/);
    assert.throws(() => parsePlan('{"resources": [{"urn": 1}]}', "HEAD"), /printed no resource list/);
  });
});
