import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readBundle, verifyBundle } from "../../offline";
import { listStacks, readStackConfig } from "../../config";
import { TRAEFIK_CHART_VERSION } from "../../components/ingress/versions";
import { dockerfileBaseImages, isPinned, planArtifacts } from "../../scripts/lib/bundle/artifacts";
import { missingFromBundle } from "../../scripts/lib/bundle/compare";
import { evaluateOnline } from "../../scripts/lib/bundle/evaluateOnline";
import { Evaluation, PlannedResource } from "../../scripts/lib/evaluate";
import { planned, PROJECT_DIR } from "../helpers";
import { tempDir, writeBundle } from "./fixtures";

/** The stacks that can use a bundle: those whose cluster is the local k0s node. */
const BUNDLE_STACKS = listStacks(PROJECT_DIR).filter(
  (stack) => readStackConfig(PROJECT_DIR, stack).values["platform:clusterProvider"] === "k0s",
);

/** A bundle holding exactly what the plan lists (as `npm run bundle` would, minus charts' images). */
function bundleFor(evaluation: Evaluation, dir: string) {
  const planned = planArtifacts(evaluation);
  assert.deepEqual(planned.problems, []);
  return writeBundle(dir, planned, evaluation.stack);
}

/** A Deployment in the app namespace running `image`, as a new component would add it. */
function deployment(image: string): PlannedResource {
  return planned("kubernetes:apps/v1:Deployment", "cache", {
    spec: { template: { spec: { containers: [{ name: "cache", image }] } } },
  });
}

describe("offline bundle: its artifacts, from the plan", () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is made for the k0s stacks (dev)", () =>
    assert.ok(BUNDLE_STACKS.includes("dev"), BUNDLE_STACKS.join()));

  for (const stack of BUNDLE_STACKS) {
    it(`lists what ${stack} pulls and builds, each from the resource that needs it`, async () => {
      const evaluation = await evaluateOnline(PROJECT_DIR, stack);
      const planned = planArtifacts(evaluation);
      assert.deepEqual(planned.problems, []);
      const byTarget = (target: string) => planned.images.filter((i) => i.target === target);
      // Docker containers (the node and the registry) and their RemoteImages: loaded on the host.
      const containers = evaluation.resources
        .filter((r) => r.type === "docker:index/container:Container")
        .map((r) => r.inputs.image as string);
      assert.deepEqual(
        byTarget("host")
          .filter((i) => i.sources.some((s) => !s.includes("FROM")))
          .map((i) => i.ref)
          .sort(),
        [...containers].sort(),
      );
      // The app's images: built from app/ and pushed to the local registry; their base images by FROM line.
      const builds = byTarget("registry");
      assert.deepEqual(builds.map((i) => path.relative(PROJECT_DIR, i.build!.context)).sort(), [
        "app/api",
        "app/web",
      ]);
      for (const file of ["app/api/Dockerfile", "app/web/Dockerfile"])
        for (const base of dockerfileBaseImages(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")))
          assert.ok(
            planned.images.some((i) => i.ref === base && i.target === "host"),
            `${file}: ${base}`,
          );
      // Pods with known images (PostgreSQL) run on the node; charts by name, version and repository.
      assert.ok(byTarget("node").some((i) => i.ref.includes("/postgres:")));
      assert.ok(planned.charts.some((c) => c.chart === "traefik" && c.version === TRAEFIK_CHART_VERSION));
      // A bundle of exactly that covers the plan.
      assert.deepEqual(missingFromBundle(planned, bundleFor(evaluation, dir)), []);
    });
  }

  it("fails the comparison when the program gains an image the bundle lacks", async () => {
    const evaluation = await evaluateOnline(PROJECT_DIR, "dev");
    const manifest = bundleFor(evaluation, dir);
    const grown: Evaluation = {
      ...evaluation,
      resources: [...evaluation.resources, deployment("docker.io/library/redis:8.2.1")],
    };
    assert.deepEqual(missingFromBundle(planArtifacts(grown), manifest), [
      'image docker.io/library/redis:8.2.1 (node; for urn:pulumi:dev::platform::kubernetes:apps/v1:Deployment::cache spec.template.spec.containers[0] "cache") is not in the bundle',
    ]);
  });

  it("fails the comparison for a new chart, or a chart version the bundle does not have", async () => {
    const evaluation = await evaluateOnline(PROJECT_DIR, "dev");
    const manifest = bundleFor(evaluation, dir);
    const resources = evaluation.resources.map((r) =>
      r.type === "kubernetes:helm.sh/v4:Chart" ? { ...r, inputs: { ...r.inputs, version: "99.0.0" } } : r,
    );
    assert.match(
      missingFromBundle(planArtifacts({ ...evaluation, resources }), manifest).join("\n"),
      /chart traefik 99\.0\.0 .* is not in the bundle/,
    );
  });

  it("carries a manifest the program reads from a URL at deployment (the Gateway API's CRDs)", async () => {
    const evaluation = await evaluateOnline(PROJECT_DIR, "dev");
    const url =
      "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0/standard-install.yaml";
    const crds: PlannedResource = {
      ...deployment("unused:1"),
      urn: "urn:pulumi:dev::platform::kubernetes:yaml/v2:ConfigFile::crds",
      type: "kubernetes:yaml/v2:ConfigFile",
      inputs: { file: url },
    };
    const grown = planArtifacts({ ...evaluation, resources: [...evaluation.resources, crds] });
    assert.deepEqual(grown.downloads, [{ url, source: crds.urn }]);
    const without = bundleFor(evaluation, dir);
    assert.deepEqual(missingFromBundle(grown, without), [
      `manifest ${url} (for ${crds.urn}) is not in the bundle`,
    ]);
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    assert.deepEqual(missingFromBundle(grown, writeBundle(dir, grown)), []);
  });

  it("refuses unpinned and unknown images, naming the resource", async () => {
    const evaluation = await evaluateOnline(PROJECT_DIR, "dev");
    const resources = [
      ...evaluation.resources,
      deployment("docker.io/library/redis"),
      deployment("redis:latest"),
    ];
    const where =
      'urn:pulumi:dev::platform::kubernetes:apps/v1:Deployment::cache spec.template.spec.containers[0] "cache"';
    const unpinned = "is not pinned (an exact tag or a digest); the bundle takes pinned references only";
    assert.deepEqual(planArtifacts({ ...evaluation, resources }).problems, [
      `${where}: image docker.io/library/redis ${unpinned}`,
      `${where}: image redis:latest ${unpinned}`,
    ]);
    assert.ok(isPinned("postgres:17.11-bookworm") && isPinned(`app@sha256:${"a".repeat(64)}`));
    assert.ok(!isPinned("localhost:5000/app") && !isPinned("nginx:latest"));
  });

  it("reads base images from FROM lines, leaving out build stages and scratch", () => {
    const dockerfile = [
      "# syntax=docker/dockerfile:1",
      "FROM --platform=$BUILDPLATFORM node:22.23.4-trixie-slim AS build",
      "FROM build AS test",
      "from gcr.io/distroless/nodejs22-debian12:nonroot",
      "FROM scratch",
    ].join("\n");
    assert.deepEqual(dockerfileBaseImages(dockerfile), [
      "node:22.23.4-trixie-slim",
      "gcr.io/distroless/nodejs22-debian12:nonroot",
    ]);
  });

  it("written bundles pass their own digest check", async () => {
    bundleFor(await evaluateOnline(PROJECT_DIR, "dev"), dir);
    assert.doesNotThrow(() => verifyBundle(readBundle(dir)));
  });
});
