import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Evaluation } from "../../scripts/lib/evaluate";
import { helmChartAdvisories, OFFLINE_COVERAGE } from "../../scripts/lib/render";
import { inBatches, planned, PROJECT_DIR, runTool, runToolAsync, ToolRun } from "../helpers";

// The plan runs as a user runs it, in a copy of the project, so that broken stack files can be tried.
const COPIED = [
  ".gitignore",
  "Pulumi.yaml",
  "Pulumi.dev.yaml",
  "Pulumi.staging.yaml",
  "Pulumi.prod.yaml",
  "Pulumi.existing.yaml",
  "index.ts",
  "tsconfig.json",
  "package.json",
];
const COPIED_DIRS = [
  "config",
  "components",
  "cost",
  "offline",
  "reference",
  "scripts",
  "policies",
  "pricing",
  "app",
];

function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
  for (const file of COPIED) fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
  for (const sub of COPIED_DIRS) {
    if (fs.existsSync(path.join(PROJECT_DIR, sub)))
      fs.cpSync(path.join(PROJECT_DIR, sub), path.join(dir, sub), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

const plan = (dir: string, ...args: string[]) => runTool(dir, "scripts/plan.ts", args);

// The shipped stacks' plans do not change while the spec runs: each is run once, two at a time, before
// the tests, and read by many of them.
const SHIPPED = ["dev", "staging", "prod", "existing"] as const;
const shippedRuns = new Map<string, ToolRun>();
const shippedKey = (stack: string, json: boolean) => `${stack} ${json}`;
async function runShippedPlans(dir: string): Promise<void> {
  const runs = SHIPPED.flatMap((stack) => [true, false].map((json) => ({ stack, json })));
  const results = await inBatches(
    runs.map(
      ({ stack, json }) =>
        () =>
          runToolAsync(dir, "scripts/plan.ts", ["--stack", stack, ...(json ? ["--json"] : [])]),
    ),
    Math.max(1, Math.min(2, os.availableParallelism())),
  );
  runs.forEach(({ stack, json }, i) => shippedRuns.set(shippedKey(stack, json), results[i]));
}
function shippedPlan(stack: (typeof SHIPPED)[number], json: boolean): ToolRun {
  return shippedRuns.get(shippedKey(stack, json))!;
}

describe("npm run plan", function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = projectCopy();
    await runShippedPlans(dir);
  });

  for (const [stack, expected] of [
    ["dev", ["docker:index/container:Container", "command:local:Command", "kubernetes:core/v1:ConfigMap"]],
    [
      "staging",
      [
        "digitalocean:index/kubernetesCluster:KubernetesCluster",
        "digitalocean:index/containerRegistry:ContainerRegistry",
      ],
    ],
    ["prod", ["digitalocean:index/kubernetesCluster:KubernetesCluster", "digitalocean:index/vpc:Vpc"]],
  ] as const) {
    it(`prints ${stack}'s resources as one JSON document`, () => {
      const { code, stdout, stderr } = shippedPlan(stack, true);
      assert.equal(code, 0, stderr);
      const doc = JSON.parse(stdout) as {
        stack: string;
        resources: { type: string; urn: string; inputs: unknown }[];
        violations: unknown[];
      };
      assert.equal(doc.stack, stack);
      const types = new Set(doc.resources.map((r) => r.type));
      for (const type of expected) assert.ok(types.has(type), `${stack} has no ${type}`);
      assert.ok(Array.isArray(doc.violations));
      for (const r of doc.resources) assert.match(r.urn, new RegExp(`^urn:pulumi:${stack}::platform::`));
      assert.ok(
        !stdout.includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
        "unknowns are marked, not printed as the sentinel",
      );
    });
  }

  it("marks values unknown until deploy instead of inventing them", () => {
    const doc = JSON.parse(shippedPlan("prod", true).stdout) as {
      resources: { type: string; inputs: Record<string, unknown> }[];
    };
    const cluster = doc.resources.find(
      (r) => r.type === "digitalocean:index/kubernetesCluster:KubernetesCluster",
    );
    assert.equal(cluster?.inputs.version, "(unknown until deploy)");
  });

  it("carries each resource's dependencies and property dependencies, as preview steps do", () => {
    const doc = JSON.parse(shippedPlan("prod", true).stdout) as {
      resources: {
        type: string;
        urn: string;
        dependencies: string[];
        propertyDependencies: Record<string, string[]>;
      }[];
    };
    const urnOf = (type: string) => doc.resources.find((r) => r.type === type)!.urn;
    const firewall = doc.resources.find(
      (r) => r.type === "digitalocean:index/databaseFirewall:DatabaseFirewall",
    )!;
    // The stack policy that requires a firewall finds the database through these.
    assert.deepEqual(firewall.propertyDependencies.clusterId, [
      urnOf("digitalocean:index/databaseCluster:DatabaseCluster"),
    ]);
    assert.ok(firewall.dependencies.includes(urnOf("digitalocean:index/databaseCluster:DatabaseCluster")));
  });

  it("names nested resources by the engine's URNs: every ancestor's type, not only the parent's", () => {
    const doc = JSON.parse(shippedPlan("existing", true).stdout) as {
      resources: { name: string; urn: string }[];
    };
    const api = doc.resources.find((r) => r.name === "platform-existing-app-api-deployment")!;
    assert.equal(
      api.urn,
      "urn:pulumi:existing::platform::platform:app:AppStack$platform:app:AppService$kubernetes:apps/v1:Deployment::platform-existing-app-api-deployment",
    );
  });

  it("prints a readable tree by default", () => {
    const { code, stdout } = shippedPlan("dev", false);
    assert.equal(code, 0);
    assert.match(stdout, /^stack dev \(project platform\): \d+ resources$/m);
    assert.match(stdout, /^├─ platform:cluster:K0sCluster {2}platform-dev$/m);
    assert.match(stdout, /^│ {2}├─ docker:index\/container:Container {2}platform-dev-node$/m);
    assert.match(stdout, /^ {2}kubeconfig: \[secret\]$/m);
  });

  it("runs the policy pack with the stack's policy config and exits 1 on a mandatory violation", () => {
    // A prod-like stack without HA: valid configuration, but prod's policies require HA.
    const prod = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.noha.yaml"),
      prod.replace("platform:haControlPlane: true", "platform:haControlPlane: false"),
    );
    fs.copyFileSync(
      path.join(dir, "policies", "config", "prod.json"),
      path.join(dir, "policies", "config", "noha.json"),
    );
    const { code, stdout } = plan(dir, "--stack", "noha", "--json");
    assert.equal(code, 1);
    const doc = JSON.parse(stdout) as {
      violations: { policy: string; enforcementLevel: string; resource: string; message: string }[];
    };
    const mandatory = doc.violations.filter((v) => v.enforcementLevel === "mandatory");
    assert.deepEqual(
      mandatory.map((v) => [v.policy, v.resource]),
      [
        [
          "require-doks-resilience",
          "urn:pulumi:noha::platform::platform:cluster:DoksCluster$digitalocean:index/kubernetesCluster:KubernetesCluster::platform-noha-doks",
        ],
      ],
    );
    assert.match(mandatory[0].message, /ha/i);
  });

  it("reports no mandatory violation for the shipped stacks, and lists the advisory ones", () => {
    for (const stack of ["dev", "staging", "prod", "existing"] as const) {
      const { code, stdout } = shippedPlan(stack, false);
      assert.equal(code, 0, stack);
      assert.match(stdout, /^policies: 0 mandatory, \d+ advisory$/m);
    }
  });

  it("estimates the monthly cost: JSON per item and in total, and in the readable report", () => {
    const doc = JSON.parse(shippedPlan("prod", true).stdout) as {
      cost: {
        monthlyUsd: { min: number; max: number };
        items: { name: string; description: string }[];
        unpriced: unknown[];
      };
    };
    // HA 40 + system pool 1 × s-1vcpu-2gb 12 + workers 2..5 × s-4vcpu-8gb 48 + LB 12 + DOCR professional 20
    // + PostgreSQL 2 × 60 + the Spaces subscription of Velero's bucket 5 + the monitoring charts'
    // volumes (Prometheus 20 GiB, Loki 20 GiB, Alertmanager 1 GiB at $0.10) 4.10.
    assert.deepEqual(doc.cost.monthlyUsd, {
      min: 40 + 12 + 2 * 48 + 12 + 20 + 120 + 5 + 4.1,
      max: 40 + 12 + 5 * 48 + 12 + 20 + 120 + 5 + 4.1,
    });
    assert.deepEqual(doc.cost.unpriced, []);
    assert.deepEqual(doc.cost.items.map((i) => i.description).sort(), [
      "HA control plane",
      "PostgreSQL cluster",
      "Spaces subscription",
      "default node pool",
      "load balancer",
      "node pool",
      "registry (professional)",
      "volume alertmanager per replica",
      "volume loki per replica",
      "volume prometheus per replica",
    ]);
    assert.match(shippedPlan("prod", false).stdout, /^Monthly cost estimate: \$309\.10–\$453\.10$/m);
  });

  it("reports capacity: requests, allocatable and headroom, at the pool's minimum and maximum", () => {
    type Requests = { cpuMillis: number; memoryBytes: number };
    type End = { nodes: number; requests: Requests; allocatable: Requests; headroom: Requests };
    const capacityOf = (stack: "dev" | "prod") =>
      (
        JSON.parse(shippedPlan(stack, true).stdout) as {
          capacity: {
            workloads: { min: Requests; max: Requests };
            perNode: Requests;
            pools: { size: string; nodes: { min: number; max: number }; perNode: Requests }[];
            capacityUnknown?: string;
            min?: End;
            max?: End;
          };
        }
      ).capacity;
    const prod = capacityOf("prod");
    // The workers pool, 2–5 × s-4vcpu-8gb: 4 vCPU and 6 GiB allocatable each (the tainted system pool is left out).
    const node = { cpuMillis: 4000, memoryBytes: 6 * 2 ** 30 };
    assert.deepEqual(
      prod.pools.map((p) => [p.size, p.nodes, p.perNode]),
      [["s-4vcpu-8gb", { min: 2, max: 5 }, node]],
    );
    for (const [end, nodes, workloads] of [
      [prod.min!, 2, prod.workloads.min],
      [prod.max!, 5, prod.workloads.max],
    ] as const) {
      assert.equal(end.nodes, nodes);
      assert.deepEqual(end.allocatable, {
        cpuMillis: nodes * node.cpuMillis,
        memoryBytes: nodes * node.memoryBytes,
      });
      assert.deepEqual(end.requests, {
        cpuMillis: workloads.cpuMillis + nodes * prod.perNode.cpuMillis,
        memoryBytes: workloads.memoryBytes + nodes * prod.perNode.memoryBytes,
      });
      assert.deepEqual(end.headroom, {
        cpuMillis: end.allocatable.cpuMillis - end.requests.cpuMillis,
        memoryBytes: end.allocatable.memoryBytes - end.requests.memoryBytes,
      });
    }
    const dev = capacityOf("dev");
    assert.equal(dev.max, undefined);
    assert.match(String(dev.capacityUnknown), /^k0s runs as one Docker container/);
    const readable = shippedPlan("prod", false).stdout;
    assert.match(readable, /^Capacity: pod requests against what the nodes leave to pods$/m);
    assert.match(
      readable,
      /^ {2}at 5 nodes, every HPA at its maximum: CPU .+ of 20 vCPU \(\d+\.\d% free\), memory .+ of 30 GiB/m,
    );
    assert.match(readable, /^ {2}at 2 nodes, every HPA at its minimum: CPU .+ of 8 vCPU/m);
  });

  it("shows what a change costs in the desired-state diff", () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
    fs.cpSync(dir, repo, { recursive: true, verbatimSymlinks: true });
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
    const stackFile = path.join(repo, "Pulumi.prod.yaml");
    fs.writeFileSync(
      stackFile,
      fs.readFileSync(stackFile, "utf8").replace("platform:nodeMaxCount: 5", "platform:nodeMaxCount: 6"),
    );
    const result = plan(repo, "--stack", "prod", "--diff", "HEAD", "--json");
    // A sixth node lifts the maximum to $497, over prod's $460 budget: a mandatory violation.
    assert.equal(result.code, 1, result.stderr);
    const doc = JSON.parse(result.stdout) as {
      cost: { before: object; after: object; changeUsd: object };
      violations: { policy: string; enforcementLevel: string }[];
    };
    assert.deepEqual(doc.cost, {
      before: { min: 309.1, max: 453.1 },
      after: { min: 309.1, max: 501.1 },
      changeUsd: { min: 0, max: 48 },
    });
    assert.ok(doc.violations.some((v) => v.policy === "budget" && v.enforcementLevel === "mandatory"));
  });

  it("refuses a misspelt key with exit code 2, naming the file and the key, without a stack trace", () => {
    fs.writeFileSync(
      path.join(dir, "Pulumi.typo.yaml"),
      "config:\n  platform:clusterProvider: k0s\n  platform:registyPort: 5002\n",
    );
    const { code, stderr, stdout } = plan(dir, "--stack", "typo", "--json");
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      "plan: invalid configuration in Pulumi.typo.yaml:\n  - platform:registyPort: unknown key (did you mean platform:registryPort?)\n",
    );
  });

  it("refuses a wrong type with exit code 2", () => {
    fs.writeFileSync(
      path.join(dir, "Pulumi.types.yaml"),
      "config:\n  platform:clusterProvider: k0s\n  platform:k0sApiPort: high\n",
    );
    const { code, stderr } = plan(dir, "--stack", "types");
    assert.equal(code, 2);
    assert.match(stderr, /platform:k0sApiPort: expected an integer from 1024 to 65535, got high/);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  });

  it("refuses broken YAML with exit code 2, naming the file", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  platform:clusterProvider: [k0s\n");
    const { code, stderr } = plan(dir, "--stack", "broken");
    assert.equal(code, 2);
    assert.match(
      stderr,
      new RegExp(
        `^plan: ${path.join(dir, "Pulumi.broken.yaml").replace(/[.]/g, "\\.")}:\\d+:\\d+: invalid YAML`,
      ),
    );
  });

  it("says, for each Helm chart, that its rendered objects are not checked offline (tree and --json)", () => {
    const doc = JSON.parse(shippedPlan("prod", true).stdout) as {
      resources: { urn: string; type: string; inputs: { chart: string; version: string } }[];
      violations: { policy: string; enforcementLevel: string; resource: string; message: string }[];
    };
    const charts = doc.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
    assert.ok(charts.length >= 3, "prod has the traefik, cert-manager and metrics-server charts");
    for (const chart of charts) {
      const notes = doc.violations.filter((v) => v.policy === OFFLINE_COVERAGE && v.resource === chart.urn);
      assert.equal(notes.length, 1, chart.urn);
      assert.equal(notes[0].enforcementLevel, "advisory");
      assert.match(
        notes[0].message,
        new RegExp(
          `^Helm chart "${chart.inputs.chart}" version ${chart.inputs.version.replace(/[.]/g, "\\.")} \\(stack prod\\): its rendered objects are not checked offline; \`pulumi preview --stack prod --policy-pack policies --policy-pack-config policies/config/prod\\.json\` renders and checks them$`,
        ),
      );
    }
    const { code, stdout } = shippedPlan("prod", false);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /kubernetes:helm\.sh\/v4:Chart {2}platform-prod-traefik-chart {2}\[rendered objects not checked offline\]$/m,
    );
    assert.match(
      stdout,
      /\[advisory\] offline-coverage: .*platform-prod-cert-manager-chart\n {6}Helm chart "cert-manager" version v1\.21\.1 \(stack prod\)/,
    );
  });

  it("says that a helm.v3.Release is not checked by the policy pack either", () => {
    const release = planned("kubernetes:helm.sh/v3:Release", "redis", {
      chart: "oci://registry.example.com/charts/redis",
    });
    const evaluation: Evaluation = { project: "platform", stack: "prod", resources: [release], outputs: {} };
    assert.deepEqual(helmChartAdvisories(evaluation), [
      {
        policy: OFFLINE_COVERAGE,
        enforcementLevel: "advisory",
        resource: release.urn,
        message:
          'Helm chart "oci://registry.example.com/charts/redis" (no version pinned) (stack prod), deployed as a helm.v3.Release: ' +
          "its objects are not checked offline, and `pulumi preview --stack prod --policy-pack policies " +
          "--policy-pack-config policies/config/prod.json` does not see them either (a Release is opaque to policy packs); " +
          "check the output of `helm template` with `npm run policy -- --stack prod -`",
      },
    ]);
  });

  it("says that the objects of a yaml.v2 manifest (the Gateway API's CRDs) are not checked offline", () => {
    const file =
      "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml";
    const manifest = planned("kubernetes:yaml/v2:ConfigFile", "crds", { file });
    const evaluation: Evaluation = { project: "platform", stack: "prod", resources: [manifest], outputs: {} };
    assert.deepEqual(helmChartAdvisories(evaluation), [
      {
        policy: OFFLINE_COVERAGE,
        enforcementLevel: "advisory",
        resource: manifest.urn,
        message:
          `manifest ${file} (stack prod): its objects are not checked offline; ` +
          "`pulumi preview --stack prod --policy-pack policies --policy-pack-config policies/config/prod.json` reads and checks them",
      },
    ]);
  });

  it("refuses bad usage with exit code 2", async () => {
    const [none, noValue, unknownFlag, missing] = await Promise.all(
      [[], ["--stack"], ["--stack", "dev", "--yaml"], ["--stack", "missing"]].map((args) =>
        runToolAsync(dir, "scripts/plan.ts", args),
      ),
    );
    assert.deepEqual([none.code, noValue.code, unknownFlag.code, missing.code], [2, 2, 2, 2]);
    assert.match(missing.stderr, /Pulumi\.missing\.yaml: no such stack file \(stacks here: /);
  });
});
