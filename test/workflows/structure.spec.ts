import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Job, readWorkflow, stepsUsing, WORKFLOWS_DIR, workflowFiles } from "./workflows";

const PULUMI = "pulumi/actions";

describe("workflow pins", () => {
  for (const file of workflowFiles()) {
    it(`${file}: every action is pinned to a full commit SHA with its version in a comment`, () => {
      const lines = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8").split("\n");
      const uses = lines.filter((l) => /^\s*(-\s+)?uses:/.test(l));
      assert.ok(uses.length > 0);
      for (const line of uses)
        assert.match(
          line,
          /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/,
          `not pinned: ${line.trim()}`,
        );
    });

    it(`${file}: the same action is pinned to the same commit everywhere`, () => {
      const pins = new Map<string, Set<string>>();
      for (const job of Object.values(readWorkflow(file).jobs))
        for (const step of job.steps.filter((s) => s.uses)) {
          const [action, sha] = step.uses!.split("@");
          pins.set(action, (pins.get(action) ?? new Set()).add(sha));
        }
      for (const [action, shas] of pins) assert.equal(shas.size, 1, `${action}: ${[...shas].join(", ")}`);
    });
  }
});

describe("pull-request workflow", () => {
  const workflow = readWorkflow("pull-request.yml");
  const { checks, comment, preview } = workflow.jobs;
  const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

  it("runs on pull requests, one run per pull request, with no token permissions by default", () => {
    assert.deepEqual(Object.keys(workflow.on), ["pull_request"]);
    assert.deepEqual(workflow.permissions, {});
    assert.equal(workflow.concurrency?.["cancel-in-progress"], true);
    assert.match(workflow.concurrency?.group ?? "", /github\.event\.pull_request\.number/);
  });

  it("checks without secrets and with a read-only token", () => {
    assert.deepEqual(checks.permissions, { contents: "read" });
    assert.doesNotMatch(JSON.stringify(checks), /secrets\./);
    assert.deepEqual(stepsUsing(checks, "actions/checkout")[0].with, {
      "fetch-depth": 0,
      "persist-credentials": false,
    });
  });

  it("lints, builds and tests with a database, the way CI=true demands", () => {
    for (const command of ["npm ci", "npm run lint", "npm run build", "npm test"])
      assert.ok(runs(checks).includes(command), command);
    assert.equal(checks.env?.CI, "true");
    assert.match(checks.env?.TEST_DATABASE_URL ?? "", /^postgresql:\/\/.*@localhost:5432\//);
    assert.ok(checks.services?.postgres);
  });

  it("runs the offline plan with the policy pack for dev, staging and prod, and the manifest check", () => {
    assert.match(
      runs(checks),
      /for stack in dev staging prod; do\n.*\n\s*npm run -s plan -- --stack "\$stack" \|\| status=1/,
    );
    assert.match(
      runs(checks),
      /npm run -s policy -- --stack prod test\/fixtures\/manifests\/compliant\.yaml/,
    );
  });

  it("diffs every stack against the base branch and hands the Markdown to the comment job", () => {
    const diff = checks.steps.find((s) => s.run?.includes("--diff"));
    assert.equal(diff?.env?.BASE_REF, "origin/${{ github.base_ref }}");
    assert.match(diff?.run ?? "", /for stack in dev staging prod;/);
    assert.match(
      diff?.run ?? "",
      /npm run -s plan -- --stack "\$stack" --diff "\$BASE_REF" >"report\/\$stack\.md"/,
    );
    assert.equal(stepsUsing(checks, "actions/upload-artifact")[0].with?.name, "plan-report");
    assert.equal(stepsUsing(comment, "actions/download-artifact")[0].with?.name, "plan-report");
  });

  it("comments from a job that can write to the pull request and runs none of its code", () => {
    assert.equal(comment.needs, "checks");
    assert.deepEqual(comment.permissions, { "pull-requests": "write" });
    assert.deepEqual(stepsUsing(comment, "actions/checkout"), []);
    assert.equal(runs(comment).trim(), "");
    assert.match(
      String(stepsUsing(comment, "actions/github-script")[0].with?.script),
      /<!-- k8s-platform:plan-report -->/,
    );
  });

  it("previews staging and prod with pulumi/actions, the policy pack, its config and a PR comment", () => {
    assert.equal(preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
    assert.deepEqual(preview.strategy?.matrix, { stack: ["staging", "prod"] });
    assert.deepEqual(preview.permissions, { contents: "read", "pull-requests": "write" });
    const [step] = stepsUsing(preview, PULUMI);
    assert.deepEqual(step.with, {
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      diff: true,
      policyPacks: "policies",
      policyPackConfigs: "policies/config/${{ matrix.stack }}.json",
      "comment-on-pr": true,
      "github-token": "${{ secrets.GITHUB_TOKEN }}",
      "suppress-outputs": true,
    });
    assert.equal(preview.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    assert.equal(preview.env?.DIGITALOCEAN_TOKEN, "${{ secrets.DIGITALOCEAN_TOKEN }}");
    assert.equal(stepsUsing(preview, "digitalocean/action-doctl").length, 1);
  });
});

describe("deploy workflow", () => {
  const workflow = readWorkflow("deploy.yml");

  it("runs on pushes to main and by hand, with no token permissions by default", () => {
    assert.deepEqual(workflow.on, { push: { branches: ["main"] }, workflow_dispatch: null });
    assert.deepEqual(workflow.permissions, {});
  });

  it("deploys staging, then prod", () => {
    assert.deepEqual(Object.keys(workflow.jobs), ["staging", "prod"]);
    assert.equal(workflow.jobs.prod.needs, "staging");
  });

  for (const stack of ["staging", "prod"]) {
    it(`${stack}: pulumi up with the policy pack, behind the ${stack} environment, one deploy at a time`, () => {
      const job = workflow.jobs[stack];
      assert.deepEqual(job.environment, { name: stack });
      assert.deepEqual(job.concurrency, { group: `deploy-${stack}`, "cancel-in-progress": false });
      assert.deepEqual(job.permissions, { contents: "read" });
      const [up] = stepsUsing(job, PULUMI);
      assert.deepEqual(
        [up.with?.command, up.with?.["stack-name"], up.with?.policyPacks, up.with?.policyPackConfigs],
        ["up", stack, "policies", `policies/config/${stack}.json`],
      );
      assert.ok(job.steps.some((s) => s.run === `npm run -s plan -- --stack ${stack}`));
      assert.equal(stepsUsing(job, "docker/setup-buildx-action").length, 1);
      assert.equal(stepsUsing(job, "digitalocean/action-doctl").length, 1);
    });
  }
});

describe("secrets in workflows", () => {
  for (const file of workflowFiles()) {
    it(`${file}: never puts a secret into a shell script (only into env and inputs)`, () => {
      for (const job of Object.values(readWorkflow(file).jobs))
        for (const step of job.steps) assert.doesNotMatch(step.run ?? "", /secrets\./, step.name ?? step.run);
    });

    it(`${file}: every job that reaches DigitalOcean also has the Spaces key the backup buckets need`, () => {
      for (const [name, job] of Object.entries(readWorkflow(file).jobs)) {
        if (job.env?.DIGITALOCEAN_TOKEN === undefined) continue;
        assert.deepEqual(
          [job.env.SPACES_ACCESS_KEY_ID, job.env.SPACES_SECRET_ACCESS_KEY],
          ["${{ secrets.SPACES_ACCESS_KEY_ID }}", "${{ secrets.SPACES_SECRET_ACCESS_KEY }}"],
          name,
        );
      }
    });
  }
});
