import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_DIR } from "../helpers";
import { matrixCombinations, resolve } from "./expressions";
import { readWorkflow, stepsUsing, workflowFiles } from "./workflows";

/** What prod's jobs run on without the `PROD_RUNNER_LABELS` repository variable (docs/ci.md). */
const PROD_RUNNER_DEFAULT = ["self-hosted", "platform-prod"];
/** A value the variable could have. */
const CONFIGURED = ["self-hosted", "linux", "x64", "prod-fra1"];
const VARIABLES: Record<string, string>[] = [{}, { PROD_RUNNER_LABELS: JSON.stringify(CONFIGURED) }];

/** One job of one workflow in one matrix combination. */
interface Placement {
  readonly where: string;
  /** Whether it holds the DigitalOcean token (the kubeconfig's doctl gets a cluster token with it). */
  readonly credentials: boolean;
  /** The stacks its `pulumi/actions` steps preview or deploy. */
  readonly stacks: string[];
  /** Its `runs-on`, resolved with these repository variables. */
  readonly runsOn: (vars: Record<string, string>) => unknown;
}

function placements(): Placement[] {
  return workflowFiles().flatMap((file) =>
    Object.entries(readWorkflow(file).jobs).flatMap(([id, job]) =>
      matrixCombinations(job.strategy?.matrix).map((matrix) => {
        const values = Object.values(matrix);
        return {
          where: `${file} ${id}${values.length > 0 ? ` (${values.join(", ")})` : ""}`,
          credentials: /secrets\.DIGITALOCEAN_TOKEN/.test(JSON.stringify(job)),
          // A deploy job runs two `up`s of its stack (the images, then everything).
          stacks: [
            ...new Set(
              stepsUsing(job, "pulumi/actions").map((s) =>
                String(resolve(s.with?.["stack-name"], { matrix, vars: {} }))
                  .split("/")
                  .pop()!,
              ),
            ),
          ],
          runsOn: (vars) => resolve(job["runs-on"], { matrix, vars }),
        };
      }),
    ),
  );
}

/** Whether the stack's file restricts its Kubernetes API to `platform:apiAllowList`. */
function allowListed(stack: string): boolean {
  const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
  const config = (parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> }).config;
  const list = config?.["platform:apiAllowList"];
  return Array.isArray(list) && list.length > 0;
}

/** A GitHub-hosted runner image label, alone. */
function hosted(runsOn: unknown): boolean {
  const labels = Array.isArray(runsOn) ? runsOn : [runsOn];
  return labels.length === 1 && /^(ubuntu|windows|macos)-/.test(String(labels[0]));
}

describe("workflow runners and prod's API allow-list", () => {
  const all = placements();
  const cloud = all.filter((p) => p.credentials || p.stacks.length > 0);
  const behindAllowList = cloud.filter((p) => p.stacks.some(allowListed));

  it("every job with cloud credentials previews or deploys exactly one stack", () => {
    assert.ok(cloud.length > 0);
    for (const p of cloud) assert.equal(p.stacks.length, 1, `${p.where}: ${p.stacks.join(", ")}`);
  });

  it("jobs that reach an allow-listed API run on the configured runner: PROD_RUNNER_LABELS or its default", () => {
    assert.ok(behindAllowList.length > 0, "no job reaches an allow-listed stack");
    for (const p of behindAllowList) {
      assert.deepEqual(p.runsOn({}), PROD_RUNNER_DEFAULT, p.where);
      assert.deepEqual(p.runsOn(VARIABLES[1]), CONFIGURED, p.where);
    }
  });

  it("the other stacks and every job without credentials run on GitHub-hosted runners, whatever the variable", () => {
    const rest = all.filter((p) => !behindAllowList.includes(p));
    assert.ok(rest.some((p) => p.stacks.length > 0) && rest.some((p) => !p.credentials));
    for (const p of rest)
      for (const vars of VARIABLES)
        assert.ok(hosted(p.runsOn(vars)), `${p.where}: ${JSON.stringify(p.runsOn(vars))}`);
  });

  it("the default is a self-hosted runner, and docs/ci.md documents it and the variable", () => {
    assert.ok(PROD_RUNNER_DEFAULT.includes("self-hosted") && !hosted(PROD_RUNNER_DEFAULT));
    const docs = fs.readFileSync(path.join(PROJECT_DIR, "docs", "ci.md"), "utf8");
    assert.ok(docs.includes("`PROD_RUNNER_LABELS`"));
    assert.ok(docs.includes(JSON.stringify(PROD_RUNNER_DEFAULT)));
  });
});
