// The estimate and the change between two estimates, as people read them.
import * as assert from "node:assert/strict";
import { costDelta, estimateCost, renderCost, renderCostDelta } from "../../cost";
import { autoscalingCluster, cluster, pvc, registry, resource } from "./fixtures";

describe("cost rendering and delta", () => {
  it("renders the total, the items by cost and the unpriced resources", () => {
    const estimate = estimateCost([
      autoscalingCluster("s-4vcpu-8gb", 2, 5, true),
      registry("basic"),
      resource("digitalocean:index/droplet:Droplet", "bastion", {}),
    ]);
    assert.equal(
      renderCost(estimate),
      [
        "Monthly cost estimate: $141.00–$285.00",
        "  $96.00–$240.00  default node pool (doks)  2–5 × s-4vcpu-8gb at $48.00",
        "  $40.00          HA control plane (doks)   $40.00 per cluster",
        "  $5.00           registry (basic) (docr)   basic tier",
        "Unpriced, not in the total (1):",
        "  - bastion (digitalocean:index/droplet:Droplet): DigitalOcean resource type not in the price table",
        "Prices: pricing/digitalocean.json (read 2026-11-30). Not included: bandwidth overage, Spaces storage beyond the subscription's 250 GiB, extra registry storage.",
      ].join("\n"),
    );
  });

  it("renders an empty estimate", () => {
    assert.match(renderCost(estimateCost([])), /^Monthly cost estimate: \$0\.00\n {2}nothing billable\n/);
  });

  it("computes the change item by item", () => {
    const before = estimateCost([cluster("s-2vcpu-4gb", 2), registry("basic"), pvc("5Gi")]);
    const after = estimateCost([cluster("s-2vcpu-4gb", 3, true), registry("basic")]);
    const delta = costDelta(before, after);
    assert.deepEqual(delta.before, { min: 53.5, max: 53.5 });
    assert.deepEqual(delta.after, { min: 117, max: 117 });
    assert.deepEqual(delta.changeUsd, { min: 63.5, max: 63.5 });
    assert.deepEqual(
      delta.added.map((i) => i.description),
      ["HA control plane"],
    );
    assert.deepEqual(
      delta.removed.map((i) => i.description),
      ["volume backups"],
    );
    assert.deepEqual(
      delta.changed.map((c) => [c.after.description, c.changeUsd]),
      [["default node pool", { min: 24, max: 24 }]],
    );
    assert.equal(
      renderCostDelta(delta),
      [
        "Monthly cost: $53.50 → $117.00 (+$63.50)",
        "  + HA control plane (doks): $40.00, $40.00 per cluster",
        "  - volume backups (backups): $0.50, 5 GiB at $0.10/GiB",
        "  ~ default node pool (doks): +$24.00, 2 × s-2vcpu-4gb at $24.00 → 3 × s-2vcpu-4gb at $24.00",
      ].join("\n"),
    );
  });

  it("shows a move to autoscaling as a range of change, and unpriced changes", () => {
    const before = estimateCost([cluster("s-4vcpu-8gb", 2, true)]);
    const after = estimateCost([
      autoscalingCluster("s-4vcpu-8gb", 2, 5, true),
      resource("aws:s3/bucket:Bucket", "b", {}),
    ]);
    const delta = costDelta(before, after);
    assert.deepEqual(delta.changeUsd, { min: 0, max: 144 });
    assert.equal(
      renderCostDelta(delta),
      [
        "Monthly cost: $136.00 → $136.00–$280.00 (+$0.00–+$144.00)",
        "  ~ default node pool (doks): +$0.00–+$144.00, 2 × s-4vcpu-8gb at $48.00 → 2–5 × s-4vcpu-8gb at $48.00",
        '  ? newly unpriced b: provider "aws" has no price table',
      ].join("\n"),
    );
  });

  it("reports no change for equal estimates", () => {
    const e = estimateCost([cluster()]);
    const delta = costDelta(e, e);
    assert.deepEqual([delta.added, delta.removed, delta.changed], [[], [], []]);
    assert.equal(renderCostDelta(delta), "Monthly cost: $48.00 → $48.00 (+$0.00)");
  });
});
