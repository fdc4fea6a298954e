// The shipped stacks' monthly cost, checked against a hand calculation from pricing/digitalocean.json.
import * as assert from "node:assert/strict";
import { estimateCost, loadPrices } from "../../cost";
import { evaluatePreview } from "../app/deployed";

const p = loadPrices();
const droplet = (size: string) => p.droplets[size].monthlyUsd;
const lb = p.loadBalancer.perNode.monthlyUsd;
const gib = p.blockStorage.perGiB.monthlyUsd;

describe("monthly cost of the shipped stacks", () => {
  const estimates = new Map<string, ReturnType<typeof estimateCost>>();
  before(async () => {
    for (const stack of ["dev", "staging", "prod"])
      estimates.set(stack, estimateCost(await evaluatePreview(stack)));
  });

  it("dev costs nothing: everything runs in Docker on the laptop", () => {
    assert.deepEqual(estimates.get("dev"), { monthlyUsd: { min: 0, max: 0 }, items: [], unpriced: [] });
  });

  it("staging: 2 fixed worker nodes and the 1-node system pool, one load balancer node, basic registry, a 5 GiB volume, Spaces for the dumps", () => {
    const system = droplet("s-1vcpu-2gb"); // the cluster's default pool: 1 × $12
    const nodes = 2 * droplet("s-2vcpu-4gb"); // the workers pool: 2 × $24
    const loadBalancer = 1 * lb; // Traefik's Service, size unit 1
    const registry = p.containerRegistry.basic.monthlyUsd; // $5
    const volumes = 1 * 5 * gib; // StatefulSet data 5Gi × 1 replica (the dumps no longer have a volume)
    const spaces = p.spaces.subscription.monthlyUsd; // $5: the dumps' bucket, the account's one subscription
    // The monitoring charts' claims: Prometheus 5Gi, Loki 5Gi, Alertmanager 1Gi (observability full).
    const monitoring = { prometheus: 5 * gib, loki: 5 * gib, alertmanager: 1 * gib };
    const total =
      system +
      nodes +
      loadBalancer +
      registry +
      volumes +
      spaces +
      monitoring.prometheus +
      monitoring.loki +
      monitoring.alertmanager;
    assert.equal(Math.round(total * 100) / 100, 12 + 48 + 12 + 5 + 0.5 + 5 + 0.5 + 0.5 + 0.1);
    const estimate = estimates.get("staging")!;
    const cents = Math.round(total * 100) / 100;
    assert.deepEqual(estimate.monthlyUsd, { min: cents, max: cents });
    assert.deepEqual(estimate.unpriced, []);
    assert.deepEqual(
      estimate.items.map((i) => [i.name, i.description, i.monthlyUsd.max]).sort(),
      [
        ["platform-staging-registry-docr", "registry (basic)", registry],
        ["platform-staging-doks", "default node pool", system],
        ["platform-staging-workers", "node pool", nodes],
        ["platform-staging-postgres-backups-bucket", "Spaces subscription", spaces],
        ["platform-staging-traefik-chart", "load balancer", loadBalancer],
        ["platform-staging-postgres-statefulset", "volume data per replica", 5 * gib],
        [
          "platform-staging-monitoring-kube-prometheus-stack",
          "volume prometheus per replica",
          monitoring.prometheus,
        ],
        [
          "platform-staging-monitoring-kube-prometheus-stack",
          "volume alertmanager per replica",
          monitoring.alertmanager,
        ],
        ["platform-staging-monitoring-loki", "volume loki per replica", monitoring.loki],
      ].sort(),
    );
  });

  it("prod: HA control plane, the 1-node system pool, 2–5 autoscaled workers, load balancer, professional registry, PostgreSQL with a standby, Spaces for Velero", () => {
    const ha = p.kubernetes.haControlPlane.monthlyUsd; // $40
    const system = droplet("s-1vcpu-2gb"); // $12
    const nodes = { min: 2 * droplet("s-4vcpu-8gb"), max: 5 * droplet("s-4vcpu-8gb") }; // 2–5 × $48
    const loadBalancer = 1 * lb;
    const registry = p.containerRegistry.professional.monthlyUsd; // $20
    const db = p.postgresql["db-s-2vcpu-4gb"].monthlyUsd * (1 + 1 * p.postgresqlStandbyNode.factor); // primary + 1 standby
    // Velero's bucket: the Spaces subscription; no volume snapshots without a DigitalOcean token.
    const spaces = p.spaces.subscription.monthlyUsd;
    // The monitoring charts' claims: Prometheus 20Gi, Loki 20Gi, Alertmanager 1Gi (observability full).
    const monitoring = (20 + 20 + 1) * gib;
    const fixed = Math.round((ha + system + loadBalancer + registry + db + spaces + monitoring) * 100) / 100;
    const total = { min: fixed + nodes.min, max: fixed + nodes.max };
    assert.deepEqual(total, {
      min: 40 + 12 + 96 + 12 + 20 + 120 + 5 + 4.1,
      max: 40 + 12 + 240 + 12 + 20 + 120 + 5 + 4.1,
    });
    const estimate = estimates.get("prod")!;
    assert.deepEqual(estimate.monthlyUsd, total);
    assert.deepEqual(estimate.unpriced, []);
  });

  it("stays within the budgets in the policy config", () => {
    assert.ok(estimates.get("staging")!.monthlyUsd.max <= 85);
    assert.ok(estimates.get("prod")!.monthlyUsd.max <= 460);
  });
});
