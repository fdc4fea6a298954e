import * as assert from "node:assert/strict";
import { parsePlanArgs, UsageError } from "../../scripts/lib/cli";

describe("parsePlanArgs --diff", () => {
  it("takes a ref as the next argument or after =", () => {
    assert.deepEqual(parsePlanArgs(["--stack", "dev", "--diff", "origin/main"]), {
      stack: "dev",
      json: false,
      diff: "origin/main",
    });
    assert.deepEqual(parsePlanArgs(["--diff=HEAD~1", "--json", "--stack=prod"]), {
      stack: "prod",
      json: true,
      diff: "HEAD~1",
    });
  });

  it("leaves diff out without --diff", () => {
    assert.deepEqual(parsePlanArgs(["--stack", "dev"]), { stack: "dev", json: false });
  });

  it("refuses a missing ref, and a ref that reads as an option (git would take it as one)", () => {
    for (const argv of [
      ["--stack", "dev", "--diff"],
      ["--stack", "dev", "--diff", "--json"],
      ["--stack", "dev", "--diff=-x"],
    ])
      assert.throws(
        () => parsePlanArgs(argv),
        (e: Error) => e instanceof UsageError && /--diff needs a git ref/.test(e.message),
      );
  });
});
