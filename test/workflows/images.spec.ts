import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePreview } from "../app/deployed";
import { PROJECT_DIR } from "../helpers";
import { matrixCombinations, resolve } from "./expressions";
import { Job, readWorkflow, stepsUsing } from "./workflows";

const BUILD = "docker/build-push-action";

/** One image build: paths relative to the repository; no platforms means the builder's own. */
interface Build {
  readonly context: string;
  readonly dockerfile: string;
  readonly platforms: string[];
}

const describeBuild = (b: Build) => `${b.context} (${b.dockerfile}, ${b.platforms.join(",") || "native"})`;
const relative = (file: string) => path.relative(PROJECT_DIR, path.resolve(PROJECT_DIR, file));

/** Every build step of the pull-request workflow, once per matrix combination, with its inputs resolved. */
function pullRequestBuilds(): { job: Job; inputs: Record<string, unknown>; build: Build }[] {
  return Object.values(readWorkflow("pull-request.yml").jobs).flatMap((job) =>
    matrixCombinations(job.strategy?.matrix).flatMap((matrix) =>
      stepsUsing(job, BUILD).map((step) => {
        const inputs = resolve(step.with ?? {}, { matrix, vars: {} }) as Record<string, unknown>;
        // Without `context` the action builds the Git ref, not the checked-out folder the program uses.
        assert.equal(typeof inputs.context, "string", `${BUILD} without a context`);
        const context = relative(String(inputs.context));
        const dockerfile = relative(String(inputs.file ?? path.join(context, "Dockerfile")));
        const platforms = String(inputs.platforms ?? "")
          .split(/[,\n]/)
          .map((p) => p.trim())
          .filter(Boolean);
        return { job, inputs, build: { context, dockerfile, platforms } };
      }),
    ),
  );
}

/** The stacks deploy.yml runs `pulumi up` on. */
function deployedStacks(): string[] {
  return Object.values(readWorkflow("deploy.yml").jobs).flatMap((job) =>
    stepsUsing(job, "pulumi/actions").map((s) => String(s.with?.["stack-name"]).split("/").pop()!),
  );
}

/** The images the program builds for `stack`, as `pulumi up` would build them. */
async function programBuilds(stack: string): Promise<Build[]> {
  const evaluation = await evaluatePreview(stack);
  return evaluation.resources
    .filter((r) => r.type === "docker:index/image:Image")
    .map((r) => {
      const build = r.inputs.build as { context: string; dockerfile?: string; platform?: string };
      return {
        context: relative(build.context),
        dockerfile: relative(build.dockerfile ?? path.join(build.context, "Dockerfile")),
        platforms: build.platform ? [build.platform] : [],
      };
    });
}

const unique = (builds: Build[]) => [...new Set(builds.map(describeBuild))].sort();

describe("pull-request workflow: the app's images", () => {
  const builds = pullRequestBuilds();

  it("builds every image the deployed stacks build: same context, same Dockerfile, same platform", async () => {
    const stacks = deployedStacks();
    assert.ok(stacks.length > 0);
    const deployed: Build[] = [];
    for (const stack of stacks) deployed.push(...(await programBuilds(stack)));
    assert.deepEqual(unique(builds.map((b) => b.build)), unique(deployed));
  });

  it("builds each service under app/ from its own folder and Dockerfile, for linux/amd64", () => {
    const services = fs
      .readdirSync(path.join(PROJECT_DIR, "app"))
      .filter((d) => fs.existsSync(path.join(PROJECT_DIR, "app", d, "Dockerfile")))
      .sort();
    assert.ok(services.includes("api") && services.includes("web"), services.join(", "));
    assert.deepEqual(
      unique(builds.map((b) => b.build)),
      unique(
        services.map((s) => ({
          context: `app/${s}`,
          dockerfile: `app/${s}/Dockerfile`,
          platforms: ["linux/amd64"],
        })),
      ),
    );
  });

  it("pushes nothing: push off, no registry output, no registry login", () => {
    assert.ok(builds.length > 0);
    for (const { job, inputs, build } of builds) {
      const where = describeBuild(build);
      assert.ok([undefined, false, "false"].includes(inputs.push as string), `${where}: push`);
      assert.doesNotMatch(String(inputs.outputs ?? ""), /type=registry|push=true/, `${where}: outputs`);
      assert.deepEqual(stepsUsing(job, "docker/login-action"), [], where);
      assert.ok(!job.steps.some((s) => /\bdocker\b.*\b(push|login)\b/.test(s.run ?? "")), where);
    }
  });

  it("needs no secret and no write token, and runs for forks too", () => {
    const jobs = new Set(builds.map((b) => b.job));
    assert.ok(jobs.size > 0);
    for (const job of jobs) {
      assert.doesNotMatch(JSON.stringify(job), /secrets\./, job.name);
      assert.deepEqual(job.permissions, { contents: "read" }, job.name);
      // A job condition or a dependency on a skipped job would leave forks without the build.
      assert.equal(job.if, undefined, job.name);
      assert.equal(job.needs, undefined, job.name);
      for (const checkout of stepsUsing(job, "actions/checkout"))
        assert.equal(checkout.with?.["persist-credentials"], false, job.name);
    }
  });
});
