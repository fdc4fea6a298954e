// `npm run test:alerts`: the alert rules the program deploys, evaluated by promtool (the Prometheus
// release the kube-prometheus-stack chart runs, built from the Go module proxy by
// scripts/alerts/build-promtool.sh). The rule file is the PrometheusRule the staging stack declares
// (every group: an in-cluster database, cert-manager), read from the program's own evaluation.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AlertRuleGroup } from "../../components/observability";
import { evaluateDeployed } from "../app/deployed";
import { only, PROJECT_DIR } from "../helpers";
import { ALERT_CASES } from "./cases";
import { ruleFile, testFile } from "./render";

const BUILD_SCRIPT = path.join(PROJECT_DIR, "scripts", "alerts", "build-promtool.sh");

/** promtool from PROMTOOL, or where build-promtool.sh puts it; with the reason when there is none. */
function findPromtool(): { path: string } | { reason: string } {
  const candidate =
    process.env.PROMTOOL ?? execFileSync("bash", [BUILD_SCRIPT, "--print-path"], { encoding: "utf8" }).trim();
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return { path: candidate };
  } catch {
    return {
      reason: `promtool not found at ${candidate}: build it with \`bash scripts/alerts/build-promtool.sh\` (Go >= 1.21 or curl, and the Go module proxy; about 5 minutes cold) or point PROMTOOL at one`,
    };
  }
}

function run(promtool: string, args: string[], cwd: string) {
  const result = spawnSync(promtool, args, { cwd, encoding: "utf8" });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("alert rules under promtool", function () {
  this.timeout(60_000);
  let promtool: string;
  let dir: string;
  let groups: AlertRuleGroup[];

  before(async function () {
    const found = findPromtool();
    if ("reason" in found) {
      // CI builds promtool before this runs (.ci/run): there, a missing one is a failure.
      if (process.env.CI === "true") throw new Error(found.reason);
      console.log(`    skipped: ${found.reason}`);
      this.skip();
    }
    promtool = found.path;
    // The rules as the program deploys them: staging's (its in-cluster database) and the groups only
    // prod has (Velero's backups; prod's managed database has no PostgresDown).
    const deployed = async (stack: string) =>
      (
        only(await evaluateDeployed(stack), "kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs
          .spec as { groups: AlertRuleGroup[] }
      ).groups;
    const staging = await deployed("staging");
    const prod = await deployed("prod");
    groups = [...staging, ...prod.filter((g) => !staging.some((s) => s.name === g.name))];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-alerts-"));
    fs.writeFileSync(path.join(dir, "rules.yaml"), ruleFile(groups));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("uses the Prometheus release the chart deploys", () => {
    const version = run(promtool, ["--version"], dir).output;
    const pinned = fs
      .readFileSync(path.join(PROJECT_DIR, "scripts", "alerts", "versions.env"), "utf8")
      .match(/^PROMETHEUS_MODULE_VERSION=0\.(\d+)\.(\d+)$/m)!;
    const release = `${Math.floor(Number(pinned[1]) / 100)}.${Number(pinned[1]) % 100}.${pinned[2]}`;
    assert.match(version, new RegExp(`version ${release.replace(/\./g, "\\.")} `));
  });

  it("accepts the rule file (promtool check rules: syntax, PromQL and templates)", () => {
    const { code, output } = run(promtool, ["check", "rules", "rules.yaml"], dir);
    assert.equal(code, 0, output);
  });

  it("has a firing and a silent case for every alert the program deploys", () => {
    const alerts = groups.flatMap((g) => g.rules.map((r) => r.alert)).sort();
    for (const fires of [true, false]) {
      const covered = new Set(ALERT_CASES.filter((c) => c.fires === fires).map((c) => c.alert));
      assert.deepEqual(
        alerts.filter((a) => !covered.has(a)),
        [],
        fires ? "firing" : "silent",
      );
    }
  });

  for (const c of ALERT_CASES) {
    it(`${c.alert} ${c.name}`, () => {
      const file = `${c.alert}-${ALERT_CASES.indexOf(c)}.test.yaml`;
      fs.writeFileSync(path.join(dir, file), testFile(groups, [c], "rules.yaml"));
      const { code, output } = run(promtool, ["test", "rules", file], dir);
      assert.equal(code, 0, output);
    });
  }
});
