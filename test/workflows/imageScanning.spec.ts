// Image scanning: the pull-request workflow scans and inventories (SBOM) exactly the images it
// builds; the deploy workflow pushes the images first, scans exactly what it pushed, by digest, and
// only then deploys.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePreview } from "../app/deployed";
import { PROJECT_DIR } from "../helpers";
import { matrixCombinations, resolve } from "./expressions";
import { type Job, readWorkflow, type Step, stepsUsing, WORKFLOWS_DIR, workflowFiles } from "./workflows";

const TRIVY = "aquasecurity/trivy-action";
/** aquasecurity/trivy-action v0.36.0: the signed tag's commit, on the repository's master branch. */
const TRIVY_PIN = "ed142fd0673e97e23eac54620cfb913e5ce36c25 # v0.36.0";
const PULUMI = "pulumi/actions";
const SBOM_FORMATS = ["cyclonedx", "spdx", "spdx-json"];

/** The settings every vulnerability scan must have: fixable CRITICAL and HIGH findings fail it. */
const SCAN = {
  "scan-type": "image",
  scanners: "vuln",
  severity: "CRITICAL,HIGH",
  "ignore-unfixed": true,
  "exit-code": "1",
  trivyignores: ".trivyignore.yaml",
};

const isSbom = (s: Step) => SBOM_FORMATS.includes(String(s.with?.format));
const vulnerabilityScans = (job: Job) => stepsUsing(job, TRIVY).filter((s) => !isSbom(s));
const indexOf = (job: Job, step: Step) => job.steps.indexOf(step);

function assertScanSettings(step: Step, where: string): void {
  for (const [key, value] of Object.entries(SCAN)) assert.equal(step.with?.[key], value, `${where}: ${key}`);
  assert.ok(fs.existsSync(path.join(PROJECT_DIR, String(step.with?.trivyignores))), `${where}: ignore file`);
}

describe("image scanning: trivy-action", () => {
  for (const file of workflowFiles()) {
    it(`${file}: pins aquasecurity/trivy-action to v0.36.0's commit`, () => {
      const lines = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8").split("\n");
      const uses = lines.filter((l) => l.includes(`uses: ${TRIVY}@`));
      assert.ok(uses.length > 0, `${file} does not use ${TRIVY}`);
      for (const line of uses) assert.equal(line.trim().replace(/^- /, ""), `uses: ${TRIVY}@${TRIVY_PIN}`);
    });
  }
});

describe("pull-request workflow: image scans and SBOMs", () => {
  const jobs = Object.values(readWorkflow("pull-request.yml").jobs).filter(
    (job) => stepsUsing(job, "docker/build-push-action").length > 0,
  );
  /** Per job and matrix combination: the image tags built, and the trivy steps resolved. */
  const combinations = jobs.flatMap((job) =>
    matrixCombinations(job.strategy?.matrix).map((matrix) => {
      const contexts = { matrix, vars: {} };
      const built = stepsUsing(job, "docker/build-push-action").flatMap((s) =>
        String(resolve(s.with?.tags ?? "", contexts))
          .split(/[,\n]/)
          .map((t) => t.trim())
          .filter(Boolean),
      );
      const trivy = stepsUsing(job, TRIVY).map((s) => ({
        step: s,
        with: resolve(s.with, contexts) as Step["with"],
      }));
      return { job, matrix, contexts, built, trivy };
    }),
  );

  it("builds each image into the runner's Docker engine under a tag, and pushes it nowhere", () => {
    assert.ok(combinations.length >= 2);
    for (const { job, built } of combinations) {
      const [build] = stepsUsing(job, "docker/build-push-action");
      assert.equal(build.with?.load, true, job.name);
      assert.equal(build.with?.push, false, job.name);
      assert.equal(built.length, 1, `${job.name}: one tag per build`);
    }
  });

  it("scans exactly the image it built, after building it, from the local engine", () => {
    for (const { job, matrix, built, trivy } of combinations) {
      const where = `${job.name} ${JSON.stringify(matrix)}`;
      const scans = trivy.filter((t) => !isSbom(t.step));
      assert.equal(scans.length, 1, `${where}: one vulnerability scan`);
      assert.deepEqual(
        trivy.map((t) => t.with?.["image-ref"]),
        trivy.map(() => built[0]),
        `${where}: every trivy step reads the image built`,
      );
      const [build] = stepsUsing(job, "docker/build-push-action");
      for (const { step } of trivy) {
        assert.ok(indexOf(job, step) > indexOf(job, build), `${where}: ${step.name} runs before the build`);
        // A tag that is not in the local engine must not be fetched from a registry instead.
        assert.equal(step.env?.TRIVY_IMAGE_SRC, "docker", `${where}: ${step.name}`);
      }
    }
  });

  it("fails on fixable CRITICAL and HIGH vulnerabilities, minus the accepted ones", () => {
    for (const { job, trivy } of combinations)
      for (const { step, with: inputs } of trivy.filter((t) => !isSbom(t.step)))
        assertScanSettings({ ...step, with: inputs }, String(job.name));
  });

  it("publishes an SBOM of each image as an artifact of its own, even when the scan fails", () => {
    const names = new Set<string>();
    for (const { job, matrix, contexts, trivy } of combinations) {
      const where = `${job.name} ${JSON.stringify(matrix)}`;
      const sboms = trivy.filter((t) => isSbom(t.step));
      assert.equal(sboms.length, 1, `${where}: one SBOM`);
      const output = String(sboms[0].with?.output ?? "");
      assert.notEqual(output, "", `${where}: the SBOM is written to a file`);
      const uploads = stepsUsing(job, "actions/upload-artifact").map((s) => ({
        step: s,
        with: resolve(s.with, contexts) as Record<string, unknown>,
      }));
      const upload = uploads.find((u) => u.with.path === output);
      assert.ok(upload, `${where}: ${output} is not uploaded`);
      assert.equal(upload.with["if-no-files-found"], "error", where);
      names.add(String(upload.with.name));
      // Before the scan that may fail, so that the SBOM is there to look into the findings with.
      const [scan] = vulnerabilityScans(job);
      assert.ok(
        indexOf(job, upload.step) < indexOf(job, scan),
        `${where}: the SBOM is uploaded after the scan`,
      );
      assert.ok(indexOf(job, sboms[0].step) < indexOf(job, upload.step), where);
    }
    assert.equal(names.size, combinations.length, "each image's SBOM needs an artifact name of its own");
  });
});

// ---- deploy ------------------------------------------------------------------------------------

/** Pulumi's `--target` glob (pkg/resource/deploy: UrnTargets): `**` any text, `*` any text without `:`. */
function pulumiGlob(glob: string): RegExp {
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = glob
    .split("**")
    .map((segment) => segment.split("*").map(quote).join("[^:]*"))
    .join(".*");
  return new RegExp(`^${pattern}$`);
}

/** The deploy jobs: stack, the targeted push, the two scans, the full up. */
function deployJobs() {
  return Object.entries(readWorkflow("deploy.yml").jobs).map(([id, job]) => {
    const ups = stepsUsing(job, PULUMI);
    const push = ups.find((s) => s.with?.target !== undefined);
    const up = ups.find((s) => s.with?.target === undefined);
    assert.ok(push && up, `${id}: a targeted up that pushes the images, then a full up`);
    return { id, job, stack: String(up.with?.["stack-name"]), push, up, scans: vulnerabilityScans(job) };
  });
}

describe("deploy workflow: the pushed images are scanned before the deploy", () => {
  const jobs = deployJobs();
  const digests = {
    api: "registry.example/api@sha256:" + "a".repeat(64),
    web: "registry.example/web@sha256:" + "b".repeat(64),
  };

  it("deploys staging and prod, each in the same order: push, scan, deploy, compare", () => {
    assert.deepEqual(
      jobs.map((j) => j.stack),
      ["staging", "prod"],
    );
    for (const { id, job, push, up, scans } of jobs) {
      assert.equal(scans.length, 2, id);
      for (const scan of scans) {
        assert.ok(indexOf(job, push) < indexOf(job, scan), `${id}: ${scan.name} before the push`);
        assert.ok(indexOf(job, scan) < indexOf(job, up), `${id}: ${scan.name} after the deploy`);
      }
      const check = job.steps.find((s) => s.env?.SCANNED !== undefined);
      assert.ok(
        check && indexOf(job, check) > indexOf(job, up),
        `${id}: compares deployed and scanned after the up`,
      );
      assert.equal(check.env?.SCANNED, `\${{ steps.${push.id}.outputs.appImages }}`);
      assert.equal(check.env?.DEPLOYED, `\${{ steps.${up.id}.outputs.appImages }}`);
    }
  });

  it("pushes with the policy pack like every up of the stack", () => {
    for (const { stack, push } of jobs)
      assert.deepEqual(
        [push.with?.command, push.with?.["stack-name"], push.with?.policyPacks, push.with?.policyPackConfigs],
        ["up", stack, "policies", `policies/config/${stack}.json`],
      );
  });

  it("scans exactly the two digests the push reported, from the registry, with the same settings", () => {
    for (const { id, push, scans } of jobs) {
      const contexts = { steps: { [push.id!]: { outputs: { appImages: JSON.stringify(digests) } } } };
      assert.deepEqual(
        scans.map((s) => resolve(s.with?.["image-ref"], contexts)).sort(),
        [digests.api, digests.web],
        id,
      );
      for (const scan of scans) {
        assertScanSettings(scan, `${id}: ${scan.name}`);
        assert.equal(scan.env?.TRIVY_IMAGE_SRC, "remote", `${id}: ${scan.name}`);
        // No dependency cache in a job that holds secrets (docs/ci.md).
        assert.equal(scan.with?.cache, false, `${id}: ${scan.name}`);
      }
    }
  });

  for (const stack of ["staging", "prod"]) {
    it(`${stack}: the push targets the images and everything they need, and nothing that runs on the cluster`, async () => {
      const { push } = jobs.find((j) => j.stack === stack)!;
      const globs = String(push.with?.target)
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .map(pulumiGlob);
      const { resources } = await evaluatePreview(stack);
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const targeted = resources.filter((r) => globs.some((g) => g.test(r.urn)));
      const images = resources.filter((r) => r.type === "docker:index/image:Image");
      assert.equal(images.length, 2);
      for (const image of images) assert.ok(targeted.includes(image), `${image.name} is not targeted`);
      // Pulumi refuses a targeted up whose targets need a resource it would not create ("untargeted
      // create"): every dependency, parent and explicit provider of a target is a target too.
      for (const r of targeted) {
        const needs = [
          ...r.dependencies,
          ...Object.values(r.propertyDependencies).flat(),
          r.parent,
          r.provider,
        ];
        for (const urn of needs)
          if (urn && byUrn.has(urn))
            assert.ok(targeted.includes(byUrn.get(urn)!), `${r.name} needs ${urn}, which is not targeted`);
      }
      assert.deepEqual(
        targeted.filter((r) => r.type.startsWith("kubernetes:") || /kubernetesCluster|NodePool/.test(r.type)),
        [],
      );
    });
  }
});
