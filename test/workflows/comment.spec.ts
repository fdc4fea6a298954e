import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readWorkflow, stepsUsing } from "./workflows";

// The comment job's github-script, run against a fake GitHub API: the part of the workflow that
// actionlint cannot see into.

const MARKER = "<!-- k8s-platform:plan-report -->";
const BOT = { login: "github-actions[bot]" };

interface Call {
  readonly method: string;
  readonly args: Record<string, unknown>;
}

type Script = (require: NodeRequire, github: unknown, context: unknown, core: unknown) => Promise<void>;

function commentScript(): Script {
  const step = stepsUsing(readWorkflow("pull-request.yml").jobs.comment, "actions/github-script")[0];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => Script;
  return new AsyncFunction("require", "github", "context", "core", String(step.with?.script));
}

interface Run {
  readonly calls: Call[];
  readonly summary: string[];
  readonly notices: string[];
}

async function runScript(options: {
  reports?: Record<string, string>;
  comments?: { id: number; user: { login: string }; body: string }[];
  fork?: boolean;
  failWith?: number;
}): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "comment-"));
  fs.mkdirSync(path.join(dir, "report"));
  for (const [stack, text] of Object.entries(options.reports ?? {}))
    fs.writeFileSync(path.join(dir, "report", `${stack}.md`), text);
  const run: Run = { calls: [], summary: [], notices: [] };
  const api = (method: string) => async (args: Record<string, unknown>) => {
    if (options.failWith) throw Object.assign(new Error("denied"), { status: options.failWith });
    run.calls.push({ method, args });
    return { data: {} };
  };
  const listComments = api("listComments");
  const github = {
    paginate: async (fn: unknown, args: Record<string, unknown>) => {
      assert.equal(fn, listComments);
      await listComments(args);
      return options.comments ?? [];
    },
    rest: {
      issues: { listComments, updateComment: api("updateComment"), createComment: api("createComment") },
    },
  };
  const context = {
    repo: { owner: "acme", repo: "platform" },
    serverUrl: "https://github.com",
    runId: 42,
    payload: {
      pull_request: {
        number: 7,
        head: {
          sha: "abcdef0123456789abcdef",
          repo: { full_name: options.fork ? "someone/platform" : "acme/platform" },
        },
      },
    },
  };
  const core = {
    notice: (m: string) => run.notices.push(m),
    summary: { addRaw: (t: string) => ({ write: async () => void run.summary.push(t) }) },
  };
  const cwd = process.cwd();
  process.env.CHECKS_RESULT = "success";
  process.chdir(dir);
  try {
    await commentScript()(require, github, context, core);
  } finally {
    process.chdir(cwd);
    delete process.env.CHECKS_RESULT;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return run;
}

const REPORTS = { prod: "## prod report", dev: "## dev report", staging: "## staging report" };

describe("the pull-request comment", () => {
  it("creates one comment with the marker and the stacks' reports in order", async () => {
    const { calls } = await runScript({ reports: REPORTS });
    assert.deepEqual(
      calls.map((c) => c.method),
      ["listComments", "createComment"],
    );
    const body = String(calls[1].args.body);
    assert.ok(body.startsWith(`${MARKER}\n\n# Offline plan and policy report\n\nChecks: **success**`));
    assert.match(body, /\[run\]\(https:\/\/github\.com\/acme\/platform\/actions\/runs\/42\) · abcdef012345/);
    assert.ok(body.endsWith("## dev report\n\n---\n\n## staging report\n\n---\n\n## prod report"));
    assert.equal(calls[1].args.issue_number, 7);
  });

  it("updates its own earlier comment instead of adding another, and ignores a user's copy of the marker", async () => {
    const { calls } = await runScript({
      reports: REPORTS,
      comments: [
        { id: 1, user: { login: "mallory" }, body: MARKER },
        { id: 2, user: BOT, body: "unrelated" },
        { id: 3, user: BOT, body: `${MARKER}\nold` },
      ],
    });
    assert.deepEqual(
      calls.map((c) => [c.method, c.args.comment_id]),
      [
        ["listComments", undefined],
        ["updateComment", 3],
      ],
    );
  });

  it("writes the report to the run's summary for a fork, without calling the API", async () => {
    const run = await runScript({ reports: REPORTS, fork: true });
    assert.deepEqual(run.calls, []);
    assert.equal(run.summary.length, 1);
    assert.match(run.summary[0], /## prod report/);
    assert.match(run.notices[0], /fork/);
  });

  it("falls back to the summary when the token cannot write (403)", async () => {
    const run = await runScript({ reports: REPORTS, failWith: 403 });
    assert.equal(run.summary.length, 1);
  });

  it("fails on any other API error", async () => {
    await assert.rejects(runScript({ reports: REPORTS, failWith: 500 }), /denied/);
  });

  it("says so when there is no report, and stays under GitHub's size limit when the report is huge", async () => {
    const empty = await runScript({});
    assert.match(String(empty.calls[1].args.body), /The checks stopped before the desired-state diff/);
    const huge = await runScript({ reports: { dev: "x".repeat(100_000) } });
    const body = String(huge.calls[1].args.body);
    assert.ok(body.length < 65_536, `${body.length}`);
    assert.match(body, /cut here; the whole report is in the run's summary\.$/);
  });
});
