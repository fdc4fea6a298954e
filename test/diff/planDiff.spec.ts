import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DiffDocument } from "../../scripts/lib/diffRender";
import { PROJECT_DIR, runTool } from "../helpers";

// `plan --diff` runs as a user runs it, in a git repository of its own holding a copy of the project
// (every file git would commit), so that commits and stack-file edits are the test's to make.

function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

function projectRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-test-"));
  const files = git(PROJECT_DIR, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0");
  for (const file of files.filter((f) => f && fs.existsSync(path.join(PROJECT_DIR, f)))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  git(dir, "init", "--quiet");
  // A symlink is not a directory: .gitignore's `node_modules/` does not cover it.
  fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "node_modules\n");
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "-m", "base");
  return dir;
}

const plan = (dir: string, ...args: string[]) => runTool(dir, "scripts/plan.ts", args);

function diffJson(dir: string, ref: string, stack = "dev"): DiffDocument {
  const { code, stdout, stderr } = plan(dir, "--stack", stack, "--diff", ref, "--json");
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as DiffDocument;
}

function setKeys(dir: string, stack: string, lines: string[]): void {
  fs.appendFileSync(path.join(dir, `Pulumi.${stack}.yaml`), lines.map((l) => `  ${l}\n`).join(""));
}

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

describe("npm run plan -- --diff", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = projectRepo();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    git(dir, "checkout", "--quiet", "--", ".");
    assert.equal(
      git(dir, "worktree", "list", "--porcelain").match(/^worktree /gm)?.length,
      1,
      "worktree removed",
    );
  });

  it("finds nothing to do on a clean tree", () => {
    const { code, stdout, stderr } = plan(dir, "--stack", "dev", "--diff", "HEAD");
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^## Desired state of `dev` against `HEAD` \(`[0-9a-f]{12}`\)$/m);
    assert.match(stdout, /^\*\*0 to add, 0 to change, 0 to delete\*\* \(\d+ unchanged\)$/m);
    assert.match(stdout, /^No changes to the desired state\.$/m);
  });

  it("reports a changed stack-file value as the changed fields, with before and after", () => {
    setKeys(dir, "dev", ["platform:appReplicas: 3"]);
    const doc = diffJson(dir, "HEAD");
    // Two replicas or more get a PodDisruptionBudget each.
    assert.deepEqual(
      doc.added.map((r) => r.name),
      ["platform-dev-app-api-pdb", "platform-dev-app-web-pdb"],
    );
    assert.deepEqual(doc.removed, []);
    assert.deepEqual(
      doc.changed.map((c) => [c.type, c.name, c.fields]),
      ["api", "web"].map((app) => [
        DEPLOYMENT,
        `platform-dev-app-${app}-deployment`,
        [{ path: "spec.replicas", before: 1, after: 3 }],
      ]),
    );
    assert.equal(doc.stack, "dev");
    assert.equal(doc.base, "HEAD");
    assert.equal(doc.baseCommit, git(dir, "rev-parse", "HEAD").trim());
  });

  it("reports resources added by the working tree and removed from the base", () => {
    setKeys(dir, "dev", ["platform:appAutoscale: true"]);
    const added = diffJson(dir, "HEAD").added.filter((r) => r.type === HPA);
    assert.deepEqual(
      added.map((r) => r.name),
      ["platform-dev-app-api-hpa", "platform-dev-app-web-hpa"],
    );
    git(dir, "commit", "--quiet", "--all", "-m", "autoscale");
    git(dir, "checkout", "--quiet", "HEAD~1", "--", "Pulumi.dev.yaml");
    const removed = diffJson(dir, "HEAD").removed.filter((r) => r.type === HPA);
    assert.deepEqual(
      removed.map((r) => r.name),
      ["platform-dev-app-api-hpa", "platform-dev-app-web-hpa"],
    );
    git(dir, "reset", "--quiet", "--hard", "HEAD~1");
  });

  it("treats every resource as added when the base has no such stack", () => {
    fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.qa.yaml"));
    fs.copyFileSync(path.join(dir, "policies/config/dev.json"), path.join(dir, "policies/config/qa.json"));
    try {
      const { code, stdout, stderr } = plan(dir, "--stack", "qa", "--diff", "HEAD", "--json");
      assert.equal(code, 0, stderr);
      const doc = JSON.parse(stdout) as DiffDocument;
      assert.ok(doc.added.length > 10, `${doc.added.length} added`);
      assert.deepEqual([doc.changed, doc.removed, doc.unchanged], [[], [], 0]);
    } finally {
      fs.rmSync(path.join(dir, "Pulumi.qa.yaml"));
      fs.rmSync(path.join(dir, "policies/config/qa.json"));
    }
  });

  it("refuses an unknown ref with exit code 2 and a clear message, before running anything", () => {
    const { code, stdout, stderr } = plan(dir, "--stack", "dev", "--diff", "nope");
    assert.deepEqual(
      { code, stdout, stderr },
      { code: 2, stdout: "", stderr: 'plan: --diff: unknown git ref "nope"\n' },
    );
  });

  it("exits 2 naming the ref when the base's configuration is invalid", () => {
    setKeys(dir, "dev", ["platform:appReplicaz: 3"]);
    git(dir, "commit", "--quiet", "--all", "-m", "typo");
    git(dir, "checkout", "--quiet", "HEAD~1", "--", "Pulumi.dev.yaml");
    const { code, stderr } = plan(dir, "--stack", "dev", "--diff", "HEAD");
    git(dir, "reset", "--quiet", "--hard", "HEAD~1");
    assert.equal(code, 2);
    assert.match(stderr, /^plan: --diff: at HEAD: invalid configuration in Pulumi\.dev\.yaml:/);
    assert.match(stderr, /platform:appReplicaz: unknown key/);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  });

  it("works on this repository's own history", () => {
    const { code, stderr } = plan(PROJECT_DIR, "--stack", "prod", "--diff", "HEAD");
    assert.equal(code, 0, stderr);
  });
});
