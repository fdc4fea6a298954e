import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, parseConfig, readStackConfig } from "../../config";
import type { LocalPlatformConfig, PlatformConfig } from "../../config";
import { tempDir, writeBundle } from "../bundle/fixtures";
import { PROJECT_DIR } from "../helpers";

/** A shipped stack's values (project defaults applied), with `changes` on top. */
function stackWith(stack: string, changes: Record<string, string>): Record<string, string> {
  const values = { ...readStackConfig(PROJECT_DIR, stack).values };
  for (const [key, value] of Object.entries(changes)) values[`platform:${key}`] = value;
  return values;
}

function problemsOf(run: () => PlatformConfig): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return assert.fail("expected a ConfigError");
}

const dev = (offlineBundle: string) =>
  parseConfig(stackWith("dev", { offlineBundle }), "dev", "Pulumi.dev.yaml") as LocalPlatformConfig;

describe("platform:offlineBundle", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
    writeBundle(dir, {
      images: [{ ref: "docker.io/library/registry:3.1.1", target: "host" }],
      charts: [{ chart: "traefik", version: "41.3.0", repo: "https://traefik.github.io/charts" }],
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is off by default: the shipped dev stack pulls from the network", () => {
    const config = parseConfig(readStackConfig(PROJECT_DIR, "dev").values, "dev", "Pulumi.dev.yaml");
    assert.equal((config as LocalPlatformConfig).offlineBundle, undefined);
  });

  it("reads the bundle's manifest on the dev stack, its directory made absolute", () => {
    const config = dev(dir);
    assert.equal(config.offlineBundle?.dir, path.resolve(dir));
    assert.deepEqual(
      config.offlineBundle?.manifest.charts.map((c) => `${c.chart} ${c.version}`),
      ["traefik 41.3.0"],
    );
  });

  it("names the key and the path when the directory is missing, and declares nothing", () => {
    const missing = path.join(dir, "absent");
    assert.deepEqual(
      problemsOf(() => dev(missing)),
      [
        `platform:offlineBundle: no bundle directory at ${missing}; make one with \`npm run bundle -- --stack <stack> --out ${missing}\``,
      ],
    );
  });

  it("is refused with observability full, whose operator starts images no bundle can list", () => {
    const values = stackWith("dev", { offlineBundle: dir, observability: "full" });
    assert.deepEqual(
      problemsOf(() => parseConfig(values, "dev", "Pulumi.dev.yaml")),
      [
        "platform:offlineBundle: not with platform:observability full (the Prometheus operator starts images a bundle cannot list from the chart); use metrics or off",
      ],
    );
  });

  it("names the key and the file when bundle.json is missing, or not a bundle's", () => {
    fs.writeFileSync(path.join(dir, "bundle.json"), '{"version": 1, "stack": "dev"}');
    assert.deepEqual(
      problemsOf(() => dev(dir)),
      [
        `platform:offlineBundle: ${path.join(dir, "bundle.json")}: images: expected a list; charts: expected a list`,
      ],
    );
    fs.rmSync(path.join(dir, "bundle.json"));
    assert.deepEqual(
      problemsOf(() => dev(dir)),
      [`platform:offlineBundle: no bundle.json in ${dir}; is it a bundle directory?`],
    );
  });

  it("is reported beside the stack's other problems, all at once", () => {
    const values = stackWith("dev", { offlineBundle: path.join(dir, "absent"), registryPort: "70000" });
    const problems = problemsOf(() => parseConfig(values, "dev", "Pulumi.dev.yaml"));
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.startsWith("platform:registryPort:")));
    assert.ok(problems.some((p) => p.startsWith("platform:offlineBundle: no bundle directory")));
  });

  it("is refused on the cloud and existing-cluster stacks, which pull from their registries", () => {
    for (const stack of ["staging", "prod", "existing"]) {
      const values = stackWith(stack, { offlineBundle: dir });
      const secrets = new Set(readStackConfig(PROJECT_DIR, stack).secretKeys);
      const problems = problemsOf(() => parseConfig(values, stack, `Pulumi.${stack}.yaml`, secrets));
      assert.ok(
        problems.includes("platform:offlineBundle: applies only when platform:clusterProvider is k0s"),
        `${stack}: ${problems.join("; ")}`,
      );
    }
  });

  it("refuses a value that is blank around the path", () => {
    assert.match(
      problemsOf(() => dev(` ${dir}`)).join(),
      /platform:offlineBundle: expected the path of a directory written by npm run bundle/,
    );
  });
});
