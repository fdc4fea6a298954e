// The README cost table: generated from estimates, checked and rewritten between its markers.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  costTable,
  END_MARKER,
  estimateCapacity,
  estimateCost,
  generatedSection,
  MarkerError,
  replaceSection,
  START_MARKER,
} from "../../cost";
import { minHeadroomPercent } from "../../scripts/lib/capacity";
import { evaluatePreview } from "../app/deployed";
import { PROJECT_DIR } from "../helpers";
import { autoscalingCluster, cluster, NODE_POOL, registry, resource } from "./fixtures";

const estimates = () => [
  { stack: "dev", estimate: estimateCost([]) },
  { stack: "staging", estimate: estimateCost([cluster("s-2vcpu-4gb", 2), registry("basic")]) },
  {
    stack: "prod",
    estimate: estimateCost([
      autoscalingCluster("s-4vcpu-8gb", 2, 5, true),
      resource("aws:s3/bucket:Bucket", "logs", {}),
    ]),
  },
];

describe("README cost table", () => {
  it("lists each stack's monthly cost and what makes it up", () => {
    const lines = costTable(estimates()).split("\n");
    assert.deepEqual(lines.slice(0, 5), [
      "| stack | per month (USD) | made up of |",
      "| --- | --- | --- |",
      "| `dev` | $0.00 | nothing billable |",
      "| `staging` | $53.00 | default node pool $48.00 (2 × s-2vcpu-4gb at $24.00); registry (basic) $5.00 (basic tier) |",
      "| `prod` | $136.00–$280.00 + unpriced | default node pool $96.00–$240.00 (2–5 × s-4vcpu-8gb at $48.00); " +
        'HA control plane $40.00 ($40.00 per cluster); unpriced: logs (provider "aws" has no price table) |',
    ]);
    assert.match(
      lines.slice(5).join(" "),
      /Generated from `pricing\/digitalocean\.json` \(prices read 2026-11-30\)/,
    );
  });

  it("shows capacity beside the price, and the cheapest node size that keeps the stack's headroom", () => {
    // 2 × s-2vcpu-4gb: 4000m, 5 GiB. One Deployment of 2 × 500m/1Gi: 1000m (75% free), 2 GiB (60% free).
    // 2 × s-1vcpu-2gb ($12) and 2 × s-2vcpu-2gb ($18) leave 1 GiB per node: 2 GiB of 2 GiB, 0% free, so
    // at 20% the cheapest size that fits is the current one, 2 × s-2vcpu-4gb ($24).
    const deployment = resource("kubernetes:apps/v1:Deployment", "api", {
      metadata: { name: "api", namespace: "app" },
      spec: {
        replicas: 2,
        template: {
          spec: { containers: [{ name: "api", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] },
        },
      },
    });
    const staging = [
      resource(NODE_POOL, "workers", { size: "s-2vcpu-4gb", autoScale: false, nodeCount: 2 }),
      deployment,
    ];
    const rows = [
      {
        stack: "dev",
        estimate: estimateCost([]),
        capacity: { report: estimateCapacity([deployment]), minHeadroomPercent: 20 },
      },
      {
        stack: "staging",
        estimate: estimateCost(staging),
        capacity: { report: estimateCapacity(staging), minHeadroomPercent: 20 },
      },
    ];
    const lines = costTable(rows).split("\n");
    assert.deepEqual(lines.slice(0, 4), [
      "| stack | per month (USD) | made up of | pods' requests / nodes' allocatable | cheapest node size that fits |",
      "| --- | --- | --- | --- | --- |",
      "| `dev` | $0.00 | nothing billable | CPU 1 vCPU, memory 2 GiB requested; node capacity not known offline | — |",
      "| `staging` | $48.00 | node pool $48.00 (2 × s-2vcpu-4gb at $24.00) | 2 nodes: CPU 1 vCPU of 4 vCPU (75.0% free), " +
        "memory 2 GiB of 5 GiB (60.0% free) | 2 × s-2vcpu-4gb (the current size), $48.00 (CPU 75.0% free, memory 60.0% free) at 20% headroom |",
    ]);
    assert.match(
      lines.join(" "),
      /The cheapest node size keeps the pool's node count and the stack's `require-capacity` headroom/,
    );
  });

  const readme = (section: string) => `# title\n\n${START_MARKER}\n${section}\n${END_MARKER}\n\nmore\n`;

  it("reads the section between the markers", () => {
    assert.equal(generatedSection(readme("| a |"), "README.md"), "| a |");
  });

  it("rewrites only the section between the markers", () => {
    const table = costTable(estimates());
    const updated = replaceSection(readme("old"), table, "README.md");
    assert.equal(updated, readme(table));
    assert.equal(generatedSection(updated, "README.md"), table);
    assert.equal(replaceSection(updated, table, "README.md"), updated);
  });

  it("refuses a file without both markers, naming it", () => {
    assert.throws(
      () => generatedSection("# title\n", "README.md"),
      (e: unknown) =>
        e instanceof MarkerError && /^README\.md: expected <!-- cost-table:start -->/.test(e.message),
    );
    assert.throws(() => replaceSection(`${END_MARKER}\n${START_MARKER}\n`, "t", "README.md"), MarkerError);
    assert.throws(() => generatedSection(readme("x") + readme("y"), "README.md"), /more than once/);
  });
});

describe("the README's cost table", () => {
  it("is the table the estimate of the shipped stacks gives (run `npm run cost:table -- --write README.md`)", async () => {
    const shipped = [];
    for (const stack of ["dev", "staging", "prod"]) {
      const evaluation = await evaluatePreview(stack);
      const capacity = {
        report: estimateCapacity(evaluation),
        minHeadroomPercent: minHeadroomPercent(stack),
      };
      shipped.push({ stack, estimate: estimateCost(evaluation), capacity });
    }
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    assert.equal(generatedSection(readme, "README.md"), costTable(shipped));
  });
});
