// Fault kinds 4 and 5 for the manifest check: nothing passes silently (how many objects were
// checked, an input without objects fails unless --allow-empty, YAML errors name file and document,
// alias bombs included), and the stack-only budget policy does not run on manifests.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadPolicyConfig } from "../../policies/engine";
import { runTool } from "../helpers";
import { checkManifests, ManifestError, manifestPolicies } from "../../policies/manifest";

const ROOT = path.join(__dirname, "..", "..");
const COMPLIANT = path.join(ROOT, "test", "fixtures", "manifests", "compliant.yaml");
const LOAD_BALANCER = path.join(ROOT, "test", "fixtures", "manifests", "load-balancer.yaml");

const run = (args: string[], input?: string) => runTool(ROOT, "scripts/policy.ts", args, input);

const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
].join("\n");

describe("manifest check: nothing passed silently", function () {
  this.timeout(60_000);

  it("counts the objects it checked, in --json and in the readable report", () => {
    const json = run(["--json", COMPLIANT]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { objects: number }).objects, 10);
    assert.match(run([COMPLIANT]).stdout, /^10 object\(s\) checked with the prod policy config/m);
  });

  for (const [what, text] of [
    ["an empty input (an empty helm template render)", ""],
    ["comments and empty documents only", "# nothing rendered\n---\n---\n"],
    ["an empty List", "apiVersion: v1\nkind: List\nitems: []\n"],
  ] as const) {
    it(`exits 2 on ${what}, unless --allow-empty`, () => {
      const r = run(["--json", "-"], text);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(
        r.stderr,
        /^policy: <stdin>: no Kubernetes objects, so nothing was checked \(pass --allow-empty/,
      );
      const allowed = run(["--json", "--allow-empty", "-"], text);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.deepEqual(JSON.parse(allowed.stdout), { objects: 0, violations: [] });
      assert.match(run(["--allow-empty", "-"], text).stdout, /^0 object\(s\) checked/m);
    });
  }

  it("names the empty input among several", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    const empty = path.join(dir, "empty.yaml");
    fs.writeFileSync(empty, "# rendered nothing\n");
    const r = run([COMPLIANT, empty]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.split("\n")[0].startsWith(`policy: ${empty}: no Kubernetes objects`),
      true,
      r.stderr,
    );
  });

  it("names the file and document of a YAML error", () => {
    const r = run(["-"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^policy: <stdin>: document 2: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("names the file and document of an alias bomb", () => {
    const r = run(["-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n${ALIAS_BOMB}\n`);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^policy: <stdin>: document 2: Excessive alias count/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("throws a ManifestError in-process for the alias bomb", async () => {
    await assert.rejects(
      checkManifests([{ source: "bomb.yaml", text: ALIAS_BOMB }], loadPolicyConfig("prod")),
      (e: unknown) => e instanceof ManifestError && e.message.startsWith("bomb.yaml: document 1: "),
    );
  });

  it("counts the objects of each input and the items of a List one by one", async () => {
    const list =
      "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n";
    const report = await checkManifests(
      [
        { source: "list.yaml", text: list },
        { source: "none.yaml", text: "" },
      ],
      loadPolicyConfig("dev"),
    );
    assert.equal(report.objects, 2);
    assert.deepEqual(report.inputs, [
      { source: "list.yaml", objects: 2 },
      { source: "none.yaml", objects: 0 },
    ]);
  });
});

describe("manifest check: the budget applies to stacks only (issue 11, kind 5)", function () {
  this.timeout(60_000);

  it("does not run the budget policy on manifests", () =>
    assert.ok(!manifestPolicies.some((p) => p.name === "budget")));

  it("gives no budget violation for a LoadBalancer Service on prod", () => {
    const r = run(["--stack", "prod", "--json", LOAD_BALANCER]);
    const { violations } = JSON.parse(r.stdout) as {
      violations: { policy: string; enforcementLevel: string }[];
    };
    assert.deepEqual(
      violations.filter((v) => v.policy === "budget"),
      [],
    );
    assert.equal(r.code, 0, r.stdout);
  });

  it("still checks the Service itself (its load balancer policy runs)", async () => {
    const text = fs.readFileSync(LOAD_BALANCER, "utf8");
    const report = await checkManifests([{ source: LOAD_BALANCER, text }], loadPolicyConfig("prod"));
    assert.equal(report.objects, 1);
    assert.ok(manifestPolicies.some((p) => p.name === "restrict-load-balancer-services"));
  });
});
