import * as assert from "node:assert/strict";
import { evaluate, matrixCombinations, resolve } from "./expressions";

// The runner and image specs trust this evaluator: these cases pin the rules they rely on.
describe("workflow expressions (test helper)", () => {
  const runsOn =
    "${{ matrix.stack == 'prod' && fromJSON(vars.LABELS || '[\"self-hosted\"]') || 'ubuntu-latest' }}";

  it("&& and || return operands, as GitHub does: the condition-and-value idiom", () => {
    assert.deepEqual(resolve(runsOn, { matrix: { stack: "prod" }, vars: {} }), ["self-hosted"]);
    assert.deepEqual(resolve(runsOn, { matrix: { stack: "PROD" }, vars: { LABELS: '["a","b"]' } }), [
      "a",
      "b",
    ]);
    assert.equal(
      resolve(runsOn, { matrix: { stack: "staging" }, vars: { LABELS: '["a"]' } }),
      "ubuntu-latest",
    );
    assert.equal(evaluate("!(1 < 2) || ''", {}), "");
  });

  it("interpolates within text and leaves values without expressions alone", () => {
    assert.equal(
      resolve("app/${{ matrix.service }}/Dockerfile", { matrix: { service: "api" } }),
      "app/api/Dockerfile",
    );
    assert.deepEqual(resolve({ push: false, n: [1] }, {}), { push: false, n: [1] });
  });

  it("refuses what it does not know instead of guessing", () => {
    assert.throws(() => evaluate("secrets.TOKEN", { vars: {} }), /context secrets is not given/);
    assert.throws(() => evaluate("hashFiles('x')", {}), /hashFiles is not supported/);
    assert.throws(() => matrixCombinations({ stack: ["a"], exclude: [{ stack: "a" }] }), /exclude/);
  });

  it("crosses matrix axes and applies include as GitHub does", () => {
    assert.deepEqual(
      matrixCombinations({
        stack: ["staging", "prod"],
        include: [{ stack: "prod", runner: "x" }, { extra: 1 }],
      }),
      [
        { stack: "staging", extra: 1 },
        { stack: "prod", runner: "x", extra: 1 },
      ],
    );
    assert.deepEqual(matrixCombinations(undefined), [{}]);
  });
});
