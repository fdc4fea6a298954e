// The README cost table: generated from estimates, checked and rewritten between its markers.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  costTable,
  END_MARKER,
  estimateCost,
  generatedSection,
  MarkerError,
  replaceSection,
  START_MARKER,
} from "../../cost";
import { evaluatePreview } from "../app/deployed";
import { PROJECT_DIR } from "../helpers";
import { autoscalingCluster, cluster, registry, resource } from "./fixtures";

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
      /Generated from `pricing\/digitalocean\.json` \(prices read 2026-11-25\)/,
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
      shipped.push({ stack, estimate: estimateCost(await evaluatePreview(stack)) });
    }
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    assert.equal(generatedSection(readme, "README.md"), costTable(shipped));
  });
});
