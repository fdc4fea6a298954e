import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { UsageError } from "../../scripts/lib/cli";
import { Evaluation } from "../../scripts/lib/evaluate";
import { checkEvaluation } from "../../scripts/lib/policyCheck";
import { PolicyThreadError, startPolicyThread } from "../../scripts/lib/policyThread";
import { evaluatePreview } from "../app/deployed";
import { PROJECT_DIR, planned } from "../helpers";

// `npm run plan` checks the program's resources on a worker thread that loads the pack and the
// schemas while the program runs. What the thread answers must be what the check on the main
// thread answers, errors included.

/** A dev plan with one Deployment that breaks the pack (no limits, root, a tag) and its schema. */
const DEFECTIVE: Evaluation = {
  project: "platform",
  stack: "dev",
  outputs: {},
  resources: [
    planned("kubernetes:apps/v1:Deployment", "web", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "app" },
      spec: {
        replicas: "two",
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:latest", ports: [{ containerPort: 80 }] }] },
        },
      },
    }),
  ],
};

describe("the plan's policy thread", () => {
  it("gives the violations the main thread's check gives, mandatory schema and pack ones among them", async () => {
    const thread = startPolicyThread("dev");
    thread.add(DEFECTIVE.resources[0]);
    const [onThread, inProcess] = await Promise.all([thread.check(DEFECTIVE), checkEvaluation(DEFECTIVE)]);
    assert.deepEqual(onThread, inProcess);
    const mandatory = new Set(
      onThread.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy),
    );
    assert.ok(
      mandatory.has("kubernetes-schema"),
      `schema violation expected, got ${[...mandatory].join(", ")}`,
    );
    assert.ok(
      mandatory.size > 1,
      `pack violations expected besides the schema's, got ${[...mandatory].join(", ")}`,
    );
  });

  it("gives the main thread's violations, in its order, for the prod plan's resources added one at a time", async () => {
    const prod = await evaluatePreview("prod");
    const thread = startPolicyThread("prod");
    prod.resources.forEach((resource) => thread.add(resource));
    const [onThread, inProcess] = await Promise.all([thread.check(prod), checkEvaluation(prod)]);
    assert.deepEqual(onThread, inProcess);
    // Several of the pack's policies on several resources, so that the answer has an order to keep.
    const pack = onThread.filter((v) => v.policy !== "kubernetes-schema");
    assert.ok(new Set(pack.map((v) => v.policy)).size > 1, JSON.stringify(pack));
    assert.ok(new Set(pack.map((v) => v.resource)).size > 1, JSON.stringify(pack));
  });

  it("reports a stack without a policy config as the UsageError the plan exits 2 on, naming the file", async () => {
    const thread = startPolicyThread("no-such-stack");
    thread.add(DEFECTIVE.resources[0]);
    await assert.rejects(thread.check({ ...DEFECTIVE, stack: "no-such-stack" }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(
        error.message,
        /policies\/config\/no-such-stack\.json: no policy config for stack "no-such-stack"/,
      );
      return true;
    });
  });

  it("answers one check only: a second call is refused, not answered with the first one's result", async () => {
    const thread = startPolicyThread("dev");
    const first = thread.check(DEFECTIVE);
    await assert.rejects(thread.check(DEFECTIVE), PolicyThreadError);
    assert.ok((await first).length > 0);
  });

  it("refuses to check an evaluation of another stack than the thread's", async () => {
    const thread = startPolicyThread("prod");
    thread.add(DEFECTIVE.resources[0]);
    await assert.rejects(
      thread.check(DEFECTIVE),
      /the thread checks stack "prod", not the evaluation's stack "dev"/,
    );
  });

  it("refuses to check an evaluation whose resources are not the ones added", async () => {
    const thread = startPolicyThread("dev");
    thread.add(planned("kubernetes:core/v1:Namespace", "other", { metadata: { name: "other" } }));
    await assert.rejects(thread.check(DEFECTIVE), /the resources added are not the evaluation's/);
  });

  it("lets the process exit when the check is never asked for (the program failed first)", () => {
    const resource = JSON.stringify(
      planned("kubernetes:core/v1:Namespace", "shop", { metadata: { name: "shop" } }),
    );
    const script = `require("./scripts/lib/policyThread").startPolicyThread("dev").add(${resource});`;
    const run = spawnSync(process.execPath, ["-r", "./scripts/register.cjs", "-e", script], {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      timeout: 15_000,
    });
    assert.equal(run.signal, null, "the process was still running after 15 s");
    assert.equal(run.status, 0, run.stderr);
  });
});
