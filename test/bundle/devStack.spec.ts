import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { KEYS } from "../../config";
import { K0S_IMAGES_DIR, readBundle } from "../../offline";
import { planArtifacts } from "../../scripts/lib/bundle/artifacts";
import { missingFromBundle } from "../../scripts/lib/bundle/compare";
import { evaluateOnline } from "../../scripts/lib/bundle/evaluateOnline";
import { chartPods } from "../../cost/chartPods";
import { Evaluation } from "../../scripts/lib/evaluate";
import { checkEvaluation } from "../../scripts/lib/policyCheck";
import { evaluateDeployed, evaluateDeployedWith, FIXTURE_DIGEST } from "../app/deployed";
import { allOf, only, PROJECT_DIR } from "../helpers";
import { tempDir, writeBundle } from "./fixtures";

const CHART = "kubernetes:helm.sh/v4:Chart";
const COMMAND = "command:local:Command";

/** The dev stack with `offlineBundle` pointing at a bundle of exactly what its plan needs. */
async function devWithBundle(dir: string, changes: Record<string, string> = {}): Promise<Evaluation> {
  const extra = Object.fromEntries(Object.entries(changes).map(([k, v]) => [`platform:${k}`, v]));
  const planned = planArtifacts(await evaluateOnline(PROJECT_DIR, "dev", extra));
  writeBundle(dir, planned);
  return evaluateDeployedWith("dev", { ...changes, offlineBundle: dir }, undefined, (type, _name, inputs) => {
    const target = (inputs.environment as { TARGET?: string } | undefined)?.TARGET;
    // What the push prints: the registry's digest of the pushed image.
    return type === COMMAND && target
      ? { stdout: `${target.replace(/:[^:/]+$/, "")}@${FIXTURE_DIGEST}\n` }
      : undefined;
  });
}

const node = (evaluation: Evaluation) =>
  only(evaluation, "docker:index/container:Container", "platform-dev-node");

describe("the dev stack with and without an offline bundle", () => {
  let dir: string;
  let offline: Evaluation;
  before(async () => {
    dir = tempDir();
    offline = await devWithBundle(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("without one, installs charts from their repositories, builds the app and mounts no images", async () => {
    const online = await evaluateDeployed("dev");
    for (const chart of allOf(online, CHART))
      assert.ok((chart.inputs.repositoryOpts as { repo: string }).repo.startsWith("https://"));
    assert.equal(allOf(online, "docker:index/image:Image").length, 2);
    assert.ok(!JSON.stringify(node(online).inputs.volumes).includes(K0S_IMAGES_DIR));
    assert.ok(!allOf(online, COMMAND).some((c) => String(c.inputs.create).includes("docker load")));
  });

  it("installs every chart from the bundle's archive, with no repository", () => {
    const bundle = readBundle(dir);
    const charts = allOf(offline, CHART);
    assert.ok(charts.length > 0);
    for (const chart of charts) {
      assert.equal(chart.inputs.repositoryOpts, undefined, chart.name);
      const file = chart.inputs.chart as string;
      assert.ok(path.isAbsolute(file) && file.startsWith(`${bundle.dir}${path.sep}charts${path.sep}`), file);
    }
    // No repository URL anywhere in the plan's inputs.
    assert.ok(!/https:\/\/[^"]*charts/.test(JSON.stringify(offline.resources.map((r) => r.inputs))));
  });

  it("mounts the bundle's node images where k0s imports them, read-only, and turns telemetry off", () => {
    const inputs = node(offline).inputs;
    assert.deepEqual(
      (inputs.volumes as Record<string, unknown>[]).find((v) => v.containerPath === K0S_IMAGES_DIR),
      {
        hostPath: path.join(readBundle(dir).dir, "images", "node"),
        containerPath: K0S_IMAGES_DIR,
        readOnly: true,
      },
    );
    assert.ok((inputs.command as string[]).includes("--config=/etc/k0s/k0s.yaml"));
    const config = (inputs.uploads as { file: string; content: string }[]).find(
      (u) => u.file === "/etc/k0s/k0s.yaml",
    );
    assert.match(config!.content, /telemetry:\n {4}enabled: false/);
  });

  it("loads the node's and the registry's images from the bundle before the Docker provider looks for them", () => {
    for (const [remote, load] of [
      ["platform-dev-image", "platform-dev-image-load"],
      ["platform-dev-registry-image", "platform-dev-registry-image-load"],
    ]) {
      const command = only(offline, COMMAND, load);
      assert.equal(command.inputs.create, 'docker load --input "$ARCHIVE"');
      const archive = (command.inputs.environment as { ARCHIVE: string }).ARCHIVE;
      const entry = readBundle(dir).manifest.images.find(
        (i) => path.join(readBundle(dir).dir, i.file) === archive,
      );
      assert.equal(entry?.target, "host");
      assert.deepEqual(command.inputs.triggers, [entry.fileDigest]);
      assert.ok(
        only(offline, "docker:index/remoteImage:RemoteImage", remote).dependencies.includes(command.urn),
      );
    }
  });

  it("pushes the bundle's builds of the app into the local registry instead of building, and runs them by digest", () => {
    assert.deepEqual(allOf(offline, "docker:index/image:Image"), []);
    for (const service of ["api", "web"]) {
      const push = only(offline, COMMAND, `platform-dev-${service}-push`);
      const env = push.inputs.environment as { BUNDLED: string; TARGET: string };
      assert.match(env.BUNDLED, new RegExp(`^localhost:5001/${service}:src-[0-9a-f]{12}$`));
      assert.equal(env.TARGET, env.BUNDLED);
      const deployment = only(
        offline,
        "kubernetes:apps/v1:Deployment",
        `platform-dev-app-${service}-deployment`,
      );
      const image = (deployment.inputs.spec as { template: { spec: { containers: { image: string }[] } } })
        .template.spec.containers[0].image;
      assert.equal(image, `localhost:5001/${service}@${FIXTURE_DIGEST}`);
    }
  });

  it("counts the charts' pods in the capacity estimate as it does with their repositories", async () => {
    const online = await evaluateDeployed("dev");
    const counted = (evaluation: Evaluation) =>
      allOf(evaluation, CHART).map((c) => chartPods(c.inputs.chart, c.inputs.values));
    assert.deepEqual(counted(offline), counted(online));
    assert.ok(counted(offline).every((pods) => !("reason" in pods)));
  });

  it("passes the policy pack with no mandatory violation (the bind mount and the load commands included)", async () => {
    const mandatory = (await checkEvaluation(offline)).filter((v) => v.enforcementLevel === "mandatory");
    assert.deepEqual(mandatory, []);
  });

  it("needs nothing the bundle lacks: the bundled plan's images and charts are all in bundle.json", () => {
    const bundle = readBundle(dir);
    assert.deepEqual(missingFromBundle(planArtifacts(offline), bundle.manifest, bundle.dir), []);
  });

  it("stops with an error naming both builds when the app's sources changed since the bundle was made", async () => {
    const stale = tempDir();
    try {
      const planned = planArtifacts(await evaluateOnline(PROJECT_DIR, "dev"));
      const images = planned.images.map((i) =>
        i.target === "registry" ? { ...i, ref: i.ref.replace(/src-\w+$/, "src-000000000000") } : i,
      );
      writeBundle(stale, { ...planned, images });
      await assert.rejects(
        evaluateDeployedWith("dev", { offlineBundle: stale }),
        /has no build of app\/api at src-[0-9a-f]{12} \(it has localhost:5001\/api:src-000000000000\): the sources changed/,
      );
    } finally {
      fs.rmSync(stale, { recursive: true, force: true });
    }
  });
  it("reads the Gateway API's CRDs from the bundle with routing: gateway, and needs nothing else", async () => {
    const gatewayDir = tempDir();
    try {
      const gateway = await devWithBundle(gatewayDir, { routing: "gateway" });
      const bundle = readBundle(gatewayDir);
      const crds = only(gateway, "kubernetes:yaml/v2:ConfigFile");
      const file = crds.inputs.file as string;
      assert.ok(path.isAbsolute(file) && file.startsWith(`${bundle.dir}${path.sep}`), file);
      assert.deepEqual(missingFromBundle(planArtifacts(gateway), bundle.manifest, bundle.dir), []);
    } finally {
      fs.rmSync(gatewayDir, { recursive: true, force: true });
    }
  });
  it("stops as a configuration error, naming the key and the missing image, when the bundle lacks one", async () => {
    const empty = tempDir();
    try {
      writeBundle(empty, { images: [], charts: [], downloads: [] });
      await assert.rejects(
        evaluateDeployedWith("dev", { offlineBundle: empty }),
        (error: Error) =>
          error instanceof pulumi.RunError &&
          // The fact, then the remedy once.
          error.message ===
            `platform:offlineBundle: image ${KEYS.registryImage.default} is not in the offline bundle ${empty}; ` +
              "make the bundle again with `npm run bundle`",
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
