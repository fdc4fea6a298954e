// The manifest check end to end: every fixture bundle in-process, and the CLI in a child process.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPolicyConfig } from "../../policies/engine";
import { runTool } from "../helpers";
import { checkManifests } from "../../policies/manifest";
import { COMPLIANT_FILE, DEFECTS, defectManifest } from "../fixtures/manifests";

const ROOT = path.join(__dirname, "..", "..");
const COMPLIANT = COMPLIANT_FILE;

const run = (args: string[], input?: string) => runTool(ROOT, "scripts/policy.ts", args, input);

async function check(source: string, text: string, stack: string) {
  return (await checkManifests([{ source, text }], loadPolicyConfig(stack))).violations;
}

describe("manifest check", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`finds nothing in the compliant bundle on ${stack}`, async () =>
      assert.deepEqual(await check(COMPLIANT, fs.readFileSync(COMPLIANT, "utf8"), stack), []));
  }

  for (const [name, { description, policy, level }] of Object.entries(DEFECTS)) {
    // The level of an advisory rule is each stack's choice (policies/config): not asserted here.
    const levels = level === "mandatory" ? ", mandatory on both" : "";
    it(`${name} (${description}): ${policy} on dev and prod${levels}`, async () => {
      for (const stack of ["dev", "prod"]) {
        const found = (await check(name, defectManifest(name), stack)).filter((v) => v.policy === policy);
        assert.ok(found.length > 0, `${policy} not reported on ${stack}`);
        if (level === "mandatory")
          assert.ok(
            found.every((v) => v.enforcementLevel === "mandatory"),
            stack,
          );
      }
    });
  }

  describe("npm run policy", function () {
    this.timeout(60000);

    it("exits 0 on the compliant bundle and prints a summary", () => {
      const r = run([COMPLIANT]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "10 object(s) checked with the prod policy config: 0 mandatory, 0 advisory\n");
    });

    it("exits 1 on a mandatory violation and prints --json as one document", () => {
      const r = run(["--stack", "dev", "--json", "-"], defectManifest("latest-image"));
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        objects: 10,
        violations: [
          {
            policy: "disallow-unpinned-images",
            enforcementLevel: "mandatory",
            resource: "Deployment/shop/web",
            message:
              'spec.template.spec.containers[0] "web": image "registry.example.com:443/shop/web:latest" uses the latest tag',
          },
        ],
      });
    });

    it("exits 0 when only advisory violations remain", () => {
      const r = run(["--stack", "dev", "-"], defectManifest("no-probes"));
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^ADVISORY {2}Deployment\/shop\/web {2}\[require-probes\] {2}spec\.template\.spec\.containers\[0\] "web": missing readinessProbe$/m,
      );
    });

    it("reads stdin and flattens kind: List", () => {
      const list = [
        "apiVersion: v1",
        "kind: List",
        "items:",
        "  - apiVersion: v1",
        "    kind: Pod",
        "    metadata: { name: debug, namespace: shop }",
        "    spec:",
        "      containers: [{ name: sh, image: 'busybox' }]",
      ].join("\n");
      const r = run(["--json", "-"], list);
      assert.equal(r.code, 1, r.stderr);
      const { violations } = JSON.parse(r.stdout) as {
        violations: { policy: string; resource: string; message: string }[];
      };
      assert.ok(violations.every((v) => v.resource === "Pod/shop/debug"));
      assert.ok(
        violations.some(
          (v) => v.message === 'spec.containers[0] "sh": image "busybox" has no tag (it means latest)',
        ),
      );
    });

    for (const [name, args, input, stderr] of [
      ["broken YAML", ["-"], "kind: [", /^policy: <stdin>: document 1: /],
      ["a missing file", ["nope.yaml"], undefined, /^policy: nope\.yaml: cannot read \(ENOENT\)\n$/],
      [
        "a List whose items are not a list",
        ["-"],
        "apiVersion: v1\nkind: List\nitems: 3\n",
        /^policy: <stdin>: document 1: items of a List must be a list\n$/,
      ],
      [
        "a document without kind",
        ["-"],
        "apiVersion: v1\nmetadata: {}\n",
        /^policy: <stdin>: document 1: apiVersion and kind are required\n$/,
      ],
      [
        "an unknown stack",
        ["--stack", "qa", COMPLIANT],
        undefined,
        /^policy: .*qa\.json: no policy config for stack "qa"\n$/,
      ],
      ["an unknown option", ["--strict", COMPLIANT], undefined, /^unknown option --strict\nusage: /],
      ["no input", [], undefined, /^no input files \(use - for stdin\)\nusage: /],
    ] as const) {
      it(`exits 2 on ${name}, without a stack trace`, () => {
        const r = run([...args], input);
        assert.equal(r.code, 2);
        assert.match(r.stderr, stderr);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      });
    }
  });
});
