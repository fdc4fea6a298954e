// The estimate per resource kind: prices from pricing/digitalocean.json, ranges, volumes, unpriced.
import * as assert from "node:assert/strict";
import { type CostResource, estimateCost, loadPrices } from "../../cost";
import { UNKNOWN } from "../../scripts/lib/evaluate";
import {
  autoscalingCluster,
  cluster,
  database,
  DOCR,
  loadBalancerService,
  NODE_POOL,
  pvc,
  registry,
  resource,
  statefulSet,
  traefikChart,
  urnOf,
} from "./fixtures";

/** The items of an estimate as [description, min, max, basis]. */
function lines(resources: CostResource[]): [string, number, number, string][] {
  return estimateCost(resources).items.map((i) => [
    i.description,
    i.monthlyUsd.min,
    i.monthlyUsd.max,
    i.basis,
  ]);
}

function reasons(resources: CostResource[]): string[] {
  return estimateCost(resources).unpriced.map((u) => `${u.name}: ${u.reason}`);
}

describe("cost estimate", () => {
  describe("DOKS clusters and node pools", () => {
    it("prices a fixed pool as count × the Droplet price of its size", () => {
      assert.deepEqual(lines([cluster("s-2vcpu-4gb", 3)]), [
        ["default node pool", 72, 72, "3 × s-2vcpu-4gb at $24.00"],
      ]);
    });
    it("adds the HA control plane when ha is true", () => {
      assert.deepEqual(lines([cluster("s-1vcpu-2gb", 1, true)]), [
        ["HA control plane", 40, 40, "$40.00 per cluster"],
        ["default node pool", 12, 12, "1 × s-1vcpu-2gb at $12.00"],
      ]);
    });
    it("shows an autoscaling pool as min–max nodes", () => {
      const estimate = estimateCost([autoscalingCluster("s-4vcpu-8gb", 2, 5, false)]);
      assert.deepEqual(estimate.items[0].monthlyUsd, { min: 96, max: 240 });
      assert.equal(estimate.items[0].basis, "2–5 × s-4vcpu-8gb at $48.00");
      assert.deepEqual(estimate.monthlyUsd, { min: 96, max: 240 });
    });
    it("prices a separate node pool, fixed or autoscaling", () => {
      const fixed = resource(NODE_POOL, "workers", { size: "s-2vcpu-2gb", nodeCount: 2 });
      const auto = resource(NODE_POOL, "burst", {
        size: "s-2vcpu-2gb",
        autoScale: true,
        minNodes: 0,
        maxNodes: 3,
      });
      assert.deepEqual(lines([fixed, auto]), [
        ["node pool", 36, 36, "2 × s-2vcpu-2gb at $18.00"],
        ["node pool", 0, 54, "0–3 × s-2vcpu-2gb at $18.00"],
      ]);
    });
    it("lists a size missing from the table as unpriced, never as zero", () => {
      const estimate = estimateCost([cluster("g-8vcpu-32gb", 2)]);
      assert.deepEqual(estimate.items, []);
      assert.deepEqual(estimate.monthlyUsd, { min: 0, max: 0 });
      assert.deepEqual(reasons([cluster("g-8vcpu-32gb", 2)]), [
        'doks: default node pool: Droplet size "g-8vcpu-32gb" is not in the price table',
      ]);
    });
    it("lists a node count or ha unknown until deploy as unpriced", () => {
      const unknownCount = resource("digitalocean:index/kubernetesCluster:KubernetesCluster", "doks", {
        ha: UNKNOWN,
        nodePool: { size: "s-2vcpu-4gb", autoScale: false, nodeCount: UNKNOWN },
      });
      assert.deepEqual(reasons([unknownCount]), [
        "doks: ha is unknown until deploy",
        "doks: default node pool: nodeCount is unknown until deploy",
      ]);
    });
    it("does not take an unset ha for free (DOKS turns HA on by default from 1.36)", () => {
      const noHa = resource("digitalocean:index/kubernetesCluster:KubernetesCluster", "doks", {
        nodePool: { size: "s-2vcpu-4gb", nodeCount: 1 },
      });
      assert.deepEqual(reasons([noHa]), [
        "doks: ha is not set, and DOKS turns the HA control plane on by default from 1.36",
      ]);
    });
  });

  describe("container registry", () => {
    for (const [tier, price] of [
      ["starter", 0],
      ["basic", 5],
      ["professional", 20],
    ] as const) {
      it(`prices the ${tier} tier at $${price}`, () => {
        assert.deepEqual(lines([registry(tier)]), [[`registry (${tier})`, price, price, `${tier} tier`]]);
      });
    }
    it("lists an unknown tier as unpriced", () => {
      assert.deepEqual(reasons([registry("enterprise")]), [
        'docr: registry tier "enterprise" is not in the price table',
      ]);
    });
  });

  describe("managed PostgreSQL", () => {
    it("prices a single node at the size's price", () => {
      assert.deepEqual(lines([database("db-s-1vcpu-1gb")]), [
        ["PostgreSQL cluster", 15, 15, "1 × db-s-1vcpu-1gb at $15.00"],
      ]);
    });
    it("prices standby nodes at the node price (factor 1 in the table)", () => {
      assert.equal(loadPrices().postgresqlStandbyNode.factor, 1);
      assert.deepEqual(lines([database("db-s-2vcpu-4gb", 3)]), [
        ["PostgreSQL cluster", 180, 180, "primary + 2 standby × db-s-2vcpu-4gb at $60.00"],
      ]);
    });
    it("lists other engines and unknown sizes as unpriced", () => {
      assert.deepEqual(reasons([database("db-s-1vcpu-1gb", 1, "mysql"), database("db-s-64vcpu-256gb")]), [
        'pg: database engine "mysql" is not in the price table',
        'pg: PostgreSQL size "db-s-64vcpu-256gb" is not in the price table',
      ]);
    });
  });

  describe("block storage", () => {
    it("prices a PVC on do-block-storage from its request, per GiB", () => {
      assert.deepEqual(lines([pvc("5Gi")]), [["volume backups", 0.5, 0.5, "5 GiB at $0.10/GiB"]]);
    });
    it("rounds a request up to whole GiB, at least 1", () => {
      assert.deepEqual(lines([pvc("10G")]), [["volume backups", 1, 1, "10 GiB at $0.10/GiB"]]); // 9.31 GiB
      assert.deepEqual(lines([pvc("500Mi")]), [["volume backups", 0.1, 0.1, "1 GiB at $0.10/GiB"]]);
      assert.deepEqual(lines([pvc("1Ti")]), [["volume backups", 102.4, 102.4, "1024 GiB at $0.10/GiB"]]);
    });
    it("counts StatefulSet volumeClaimTemplates × replicas", () => {
      const set = statefulSet(3, [
        { name: "data", storage: "20Gi" },
        { name: "wal", storage: "2Gi" },
      ]);
      assert.deepEqual(lines([set]), [
        ["volume data per replica", 6, 6, "3 replicas × 20 GiB at $0.10/GiB"],
        ["volume wal per replica", 0.6, 0.6, "3 replicas × 2 GiB at $0.10/GiB"],
      ]);
    });
    it("takes one replica when replicas is unset", () => {
      assert.deepEqual(lines([statefulSet(undefined, [{ name: "data", storage: "5Gi" }])]), [
        ["volume data per replica", 0.5, 0.5, "1 replica × 5 GiB at $0.10/GiB"],
      ]);
    });
    it("lists claims it cannot price as unpriced", () => {
      assert.deepEqual(reasons([pvc("5Gi", null), pvc("5Gi", "local-path"), pvc("lots")]), [
        "backups: volume backups: no storageClassName, so the cluster's default class decides its price",
        'backups: volume backups: storage class "local-path" is not a priced block-storage class',
        'backups: volume backups: storage request is "lots"',
      ]);
    });
  });

  describe("load balancers", () => {
    it("prices a LoadBalancer Service per node (size unit, default 1) when the stack has DOKS", () => {
      assert.deepEqual(lines([cluster(), loadBalancerService()]).slice(1), [
        ["load balancer", 12, 12, "1 node at $12.00"],
      ]);
      const three = loadBalancerService({ "service.beta.kubernetes.io/do-loadbalancer-size-unit": "3" });
      assert.deepEqual(lines([cluster(), three]).slice(1), [["load balancer", 36, 36, "3 nodes at $12.00"]]);
    });
    it("ignores Services of other types", () => {
      const clusterIp = resource("kubernetes:core/v1:Service", "api", { spec: { type: "ClusterIP" } });
      assert.deepEqual(lines([clusterIp]), []);
    });
    it("prices the Traefik chart's Service from its values", () => {
      const chart = traefikChart({
        annotations: { "service.beta.kubernetes.io/do-loadbalancer-size-unit": "2" },
        spec: { type: "LoadBalancer" },
      });
      assert.deepEqual(lines([cluster(), chart]).slice(1), [["load balancer", 24, 24, "2 nodes at $12.00"]]);
      assert.deepEqual(lines([cluster(), traefikChart({})]).slice(1), [
        ["load balancer", 12, 12, "1 node at $12.00"],
      ]);
      assert.deepEqual(lines([cluster(), traefikChart({ spec: { type: "NodePort" } })]).slice(1), []);
    });
    it("prices a chart's load balancer once when the real CLI shows the chart's rendered Service too", () => {
      const chart = traefikChart({});
      const service = {
        ...loadBalancerService(),
        urn: "urn:pulumi:test::k8s-platform::kubernetes:helm.sh/v4:Chart$kubernetes:core/v1:Service::traefik",
      };
      assert.deepEqual(lines([cluster(), chart, service]).slice(1), [
        ["load balancer", 12, 12, "1 node at $12.00"],
      ]);
    });
    it("lists a load balancer without a DOKS cluster, or of an unknown size, as unpriced", () => {
      assert.deepEqual(reasons([loadBalancerService()]), [
        "ingress: LoadBalancer Service without a DigitalOcean Kubernetes cluster in the stack",
      ]);
      const slug = loadBalancerService({
        "service.beta.kubernetes.io/do-loadbalancer-size-slug": "lb-large",
      });
      assert.deepEqual(reasons([cluster(), slug]), [
        "ingress: legacy service.beta.kubernetes.io/do-loadbalancer-size-slug is not in the price table; use service.beta.kubernetes.io/do-loadbalancer-size-unit",
      ]);
    });
    it("lists a chart it cannot see into as unpriced, and knows cert-manager is free", () => {
      const other = resource("kubernetes:helm.sh/v4:Chart", "kafka", { chart: "kafka" });
      const certManager = resource("kubernetes:helm.sh/v4:Chart", "cm", { chart: "cert-manager" });
      assert.deepEqual(reasons([other, certManager]), [
        'kafka: Helm chart "kafka" is opaque offline: its Services and volumes are not priced',
      ]);
    });
  });

  describe("free and unknown types", () => {
    it("leaves free resources out of the items", () => {
      const free = [
        resource("digitalocean:index/vpc:Vpc", "vpc", {}),
        resource("digitalocean:index/dnsRecord:DnsRecord", "dns", {}),
        resource("digitalocean:index/databaseFirewall:DatabaseFirewall", "fw", {}),
        resource("kubernetes:core/v1:ConfigMap", "cm", {}),
        resource("kubernetes:apps/v1:Deployment", "web", { spec: { replicas: 3 } }),
        resource("docker:index/image:Image", "image", {}),
        resource("random:index/randomPassword:RandomPassword", "pw", {}),
        resource("pulumi:providers:kubernetes", "k8s", {}),
        resource("platform:cluster:DoksCluster", "platform", {}),
      ];
      assert.deepEqual(estimateCost(free), { monthlyUsd: { min: 0, max: 0 }, items: [], unpriced: [] });
    });
    it("reports a DigitalOcean type missing from the table as unpriced rather than free", () => {
      const estimate = estimateCost([
        resource("digitalocean:index/droplet:Droplet", "bastion", { size: "s-1vcpu-1gb" }),
      ]);
      assert.deepEqual(estimate.unpriced, [
        {
          urn: urnOf("digitalocean:index/droplet:Droplet", "bastion"),
          type: "digitalocean:index/droplet:Droplet",
          name: "bastion",
          reason: "DigitalOcean resource type not in the price table",
        },
      ]);
    });
    it("reports other cloud providers as unpriced", () => {
      assert.deepEqual(reasons([resource("aws:s3/bucket:Bucket", "logs", {})]), [
        'logs: provider "aws" has no price table',
      ]);
    });
  });

  it("sums the items into the stack's range, to the cent", () => {
    const estimate = estimateCost([
      autoscalingCluster("s-4vcpu-8gb", 2, 5, true),
      registry("basic"),
      pvc("3Gi"),
      resource(DOCR.replace("containerRegistry:ContainerRegistry", "vpc:Vpc"), "vpc", {}),
    ]);
    assert.deepEqual(estimate.monthlyUsd, { min: 40 + 96 + 5 + 0.3, max: 40 + 240 + 5 + 0.3 });
  });

  it("accepts an evaluation (inputs) as well as a resource list (props)", () => {
    const planned = {
      urn: "u",
      type: DOCR,
      name: "docr",
      inputs: { subscriptionTierSlug: "basic" },
      custom: true,
    };
    assert.deepEqual(estimateCost({ resources: [planned] }).monthlyUsd, { min: 5, max: 5 });
  });
});
