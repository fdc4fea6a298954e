// The estimate of backups: the Spaces subscription and Velero's volume snapshots, by hand.
import * as assert from "node:assert/strict";
import { type CostResource, estimateCost, loadPrices } from "../../cost";
import { UNKNOWN } from "../../scripts/lib/evaluate";
import { CHART, pvc, resource, statefulSet } from "./fixtures";

const BUCKET = "digitalocean:index/spacesBucket:SpacesBucket";
const KEY = "digitalocean:index/spacesKey:SpacesKey";
const SCHEDULE = "kubernetes:velero.io/v1:Schedule";
const p = loadPrices();

function lines(resources: CostResource[]): [string, string, number, number, string][] {
  return estimateCost(resources).items.map((i) => [
    i.name,
    i.description,
    i.monthlyUsd.min,
    i.monthlyUsd.max,
    i.basis,
  ]);
}

const bucket = (name: string) => resource(BUCKET, name, { region: "fra1", acl: "private" });
const schedule = (template: Record<string, unknown>) =>
  resource(SCHEDULE, "daily", { metadata: { name: "daily" }, spec: { schedule: "0 3 * * *", template } });

describe("cost estimate: backups", () => {
  it("counts the Spaces subscription once, on the first bucket: buckets and their keys share it", () => {
    assert.equal(p.spaces.subscription.monthlyUsd, 5);
    const estimate = estimateCost([bucket("dumps"), resource(KEY, "dumps-key", {}), bucket("velero")]);
    assert.deepEqual(lines([bucket("dumps"), resource(KEY, "dumps-key", {}), bucket("velero")]), [
      [
        "dumps",
        "Spaces subscription",
        5,
        5,
        "$5.00 per account, all buckets (250 GiB and 1 TiB transfer included)",
      ],
    ]);
    assert.deepEqual(estimate.unpriced, []);
  });

  it("prices Velero's volume snapshots from nothing to every retained snapshot at the claims' full size", () => {
    // 14 days of daily snapshots of a 5 GiB claim and a 10 GiB StatefulSet volume (1 replica):
    // 14 × 15 GiB × $0.06 = $12.60 at most; snapshots are billed on their size, so empty volumes cost nothing.
    const claims = [pvc("5Gi"), statefulSet(1, [{ name: "data", storage: "10Gi" }])];
    const snapshots = schedule({ ttl: "336h0m0s", snapshotVolumes: true });
    const item = estimateCost([...claims, snapshots]).items.find((i) => i.description === "volume snapshots");
    assert.deepEqual(item?.monthlyUsd, { min: 0, max: 12.6 });
    assert.equal(item?.basis, "up to 14 daily snapshots × 15 GiB of claims at $0.06/GiB");
  });

  it("keeps at most 25 snapshots per volume (DigitalOcean's limit), and none without snapshotVolumes", () => {
    const claims = [pvc("10Gi")];
    const month = estimateCost([...claims, schedule({ ttl: "720h0m0s", snapshotVolumes: true })]);
    assert.deepEqual(month.items.at(-1)?.monthlyUsd, { min: 0, max: 25 * 10 * 0.06 });
    const objectsOnly = estimateCost([...claims, schedule({ ttl: "720h0m0s", snapshotVolumes: false })]);
    // The claim itself, and no snapshots.
    assert.deepEqual(
      objectsOnly.items.map((i) => i.description),
      ["volume backups"],
    );
  });

  it("lists a schedule whose snapshots or TTL are unknown as unpriced, never as free", () => {
    const unknown = estimateCost([schedule({ ttl: "336h0m0s", snapshotVolumes: UNKNOWN })]);
    assert.deepEqual(
      unknown.unpriced.map((u) => u.reason),
      ["snapshotVolumes is unknown until deploy"],
    );
    const noTtl = estimateCost([schedule({ ttl: "two weeks", snapshotVolumes: true })]);
    assert.deepEqual(
      noTtl.unpriced.map((u) => u.reason),
      ['backup TTL is "two weeks"'],
    );
  });

  it("knows Velero's chart has no load balancer and no volume without its node agent", () => {
    const values = { metrics: { service: { type: "ClusterIP" } }, deployNodeAgent: false };
    assert.deepEqual(estimateCost([resource(CHART, "velero", { chart: "velero", values })]).unpriced, []);
    const withAgent = resource(CHART, "velero", {
      chart: "velero",
      values: { ...values, deployNodeAgent: true },
    });
    assert.equal(estimateCost([withAgent]).unpriced.length, 1);
  });
});
