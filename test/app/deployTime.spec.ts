import * as assert from "node:assert/strict";
import { WEBHOOK_CA_BUNDLE_WAIT } from "../../components/ingress";
import { newerOffered, SYSTEM_POOL } from "../../components/cluster/doks";
import { diffPlans, PlanResource } from "../../scripts/lib/diff";
import { Evaluation } from "../../scripts/lib/evaluate";
import { planDocument } from "../../scripts/lib/render";
import { allOf, only } from "../helpers";
import { deployedOutputs, evaluateDeployedWith } from "./deployed";

// Defects that only a real `pulumi up` shows (issue 10), held here by the property that matters.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLUSTER = "digitalocean:index/kubernetesCluster:KubernetesCluster";
const CHART = "kubernetes:helm.sh/v4:Chart";

const plan = (e: Evaluation): PlanResource[] => planDocument(e, []).resources;
const chartNamed = (e: Evaluation, chart: string) => allOf(e, CHART).find((c) => c.inputs.chart === chart);

/** DigitalOcean's answer to getKubernetesVersions with these versions on offer. */
function offering(offered: string[]) {
  return (token: string, inputs: Record<string, unknown>) =>
    token === "digitalocean:index/getKubernetesVersions:getKubernetesVersions"
      ? { latestVersion: offered.at(-1), validVersions: offered, versionPrefix: inputs.versionPrefix }
      : undefined;
}

describe("deploy-time behaviour", () => {
  describe("cert-manager under helm.v4.Chart, which runs no Helm hooks", () => {
    it("makes the ClusterIssuer wait for the CA bundle cainjector writes into both webhook configurations", async () => {
      const e = await evaluateDeployedWith("staging", {});
      const chart = chartNamed(e, "cert-manager")!;
      const webhook = (chart.inputs.values as Json).webhook;
      assert.deepEqual(webhook.validatingWebhookConfigurationAnnotations, WEBHOOK_CA_BUNDLE_WAIT);
      assert.deepEqual(webhook.mutatingWebhookConfigurationAnnotations, WEBHOOK_CA_BUNDLE_WAIT);
      assert.equal(
        WEBHOOK_CA_BUNDLE_WAIT["pulumi.com/waitFor"],
        "jsonpath={.webhooks[0].clientConfig.caBundle}",
      );
      const issuer = only(e, "kubernetes:cert-manager.io/v1:ClusterIssuer");
      assert.ok(
        issuer.dependencies.includes(chart.urn),
        "the issuer waits for the chart, and so for its webhooks",
      );
    });

    it("turns off the startupapicheck hook job, which helm.v4.Chart would never run anyway", async () => {
      const e = await evaluateDeployedWith("staging", {});
      assert.deepEqual((chartNamed(e, "cert-manager")!.inputs.values as Json).startupapicheck, {
        enabled: false,
      });
    });

    it("keeps the CRDs on delete: crds.keep, which helm.v4.Chart turns into retainOnDelete", async () => {
      // pulumi-kubernetes provider/pkg/provider/helm/v4/chart.go, preregister: an object annotated
      // `helm.sh/resource-policy: keep` (the chart's crds.keep) is registered with RetainOnDelete.
      const e = await evaluateDeployedWith("staging", {});
      assert.deepEqual((chartNamed(e, "cert-manager")!.inputs.values as Json).crds, {
        enabled: true,
        keep: true,
      });
    });

    it("creates the issuer once the webhook's network policies let the API server reach it", async () => {
      const e = await evaluateDeployedWith("staging", {});
      const webhookPolicy = allOf(e, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
        (p) => p.name === "platform-staging-cert-manager-webhook",
      )!;
      assert.ok(
        only(e, "kubernetes:cert-manager.io/v1:ClusterIssuer").dependencies.includes(webhookPolicy.urn),
      );
    });
  });

  describe("the DOKS version", () => {
    it("is the newest patch of the prefix for a new cluster, and ignored afterwards", async () => {
      const cluster = only(
        await evaluateDeployedWith("prod", {}, offering(["1.33.6-do.1", "1.33.8-do.0"])),
        CLUSTER,
      );
      assert.equal(cluster.inputs.version, "1.33.8-do.0");
      assert.ok(cluster.ignoreChanges.includes("version"));
    });

    it("changes nothing when DigitalOcean publishes a newer patch", async () => {
      const before = await evaluateDeployedWith("prod", {}, offering(["1.33.6-do.1"]));
      const after = await evaluateDeployedWith("prod", {}, offering(["1.33.6-do.1", "1.33.8-do.0"]));
      assert.deepEqual(diffPlans(plan(before), plan(after)).changed, []);
    });

    it("does not break the preview of a running cluster when its prefix is no longer offered", async () => {
      const e = await evaluateDeployedWith("prod", {}, offering([]));
      assert.equal(only(e, CLUSTER).inputs.version, "1.33.");
    });

    it("names the version to upgrade to: a newer patch, or the prefix's newer minor", () => {
      const offered = ["1.32.9-do.0", "1.33.6-do.1", "1.33.10-do.0", "1.34.2-do.0"];
      assert.equal(newerOffered("1.33.6-do.1", "1.33.", offered), "1.33.10-do.0");
      assert.equal(newerOffered("1.33.10-do.0", "1.33.", offered), undefined);
      assert.equal(newerOffered("1.33.10-do.0", "1.34.", offered), "1.34.2-do.0");
    });
  });

  describe("metrics-server for the HPAs", () => {
    const metrics = (e: Evaluation) => allOf(e, "platform:metrics:MetricsServer").length;

    it("is installed where an HPA exists and the cluster has none: prod on DOKS", async () => {
      const prod = await evaluateDeployedWith("prod", {});
      assert.ok(allOf(prod, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length > 0);
      assert.equal(metrics(prod), 1);
      const values = chartNamed(prod, "metrics-server")!.inputs.values as Json;
      assert.deepEqual(Object.keys(values.resources.limits).sort(), ["cpu", "memory"]);
      assert.deepEqual(values.podDisruptionBudget, { enabled: true, maxUnavailable: 1 });
    });

    it("is installed on DOKS without an HPA too (staging: kubectl top, Prometheus's neighbour), never on k0s, which ships its own", async () => {
      assert.equal(metrics(await evaluateDeployedWith("staging", {})), 1);
      const dev = await evaluateDeployedWith("dev", { appAutoscale: "true" });
      assert.ok(allOf(dev, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length > 0);
      assert.equal(metrics(dev), 0);
    });

    it("is installed on an existing cluster only when the stack says it lacks one", async () => {
      const inherited = await evaluateDeployedWith("existing", { appAutoscale: "true" });
      assert.equal(metrics(inherited), 0);
      const installed = await evaluateDeployedWith("existing", {
        appAutoscale: "true",
        metricsServer: "install",
      });
      assert.equal(metrics(installed), 1);
    });
  });

  describe("settings reach running pods", () => {
    it("changing one setting changes the api's pod template (a new ConfigMap name), and not the web's", async () => {
      const template = (e: Evaluation, app: string) =>
        JSON.stringify(
          (
            allOf(e, "kubernetes:apps/v1:Deployment").find((d) => (d.inputs.metadata as Json).name === app)!
              .inputs as Json
          ).spec.template,
        );
      const info = await evaluateDeployedWith("dev", { appLogLevel: "info" });
      const debug = await evaluateDeployedWith("dev", { appLogLevel: "debug" });
      assert.notEqual(template(debug, "api"), template(info, "api"));
      assert.equal(template(debug, "web"), template(info, "web"));
    });

    it("names every ConfigMap and Secret of the app automatically, so a change replaces it", async () => {
      const e = await evaluateDeployedWith("staging", {});
      for (const r of [...allOf(e, "kubernetes:core/v1:ConfigMap"), ...allOf(e, "kubernetes:core/v1:Secret")])
        if ((r.inputs.metadata as Json).namespace === "app")
          assert.equal((r.inputs.metadata as Json).name, undefined, r.name);
    });
  });

  describe("ordering and cleanup", () => {
    it("creates the app's Ingress once the ingress controller runs", async () => {
      const e = await evaluateDeployedWith("staging", {});
      const ingress = allOf(e, "kubernetes:networking.k8s.io/v1:Ingress").find(
        (i) => (i.inputs.metadata as Json).name === "app",
      )!;
      // Depending on the Traefik component means depending on everything in it, its chart first.
      const chart = chartNamed(e, "traefik")!;
      assert.ok(ingress.dependencies.includes(chart.urn), JSON.stringify(ingress.dependencies));
    });

    it("fails clearly when Traefik's chart renders no Service for the DNS record, instead of an empty address", async () => {
      await assert.rejects(
        evaluateDeployedWith("prod", {}, undefined, (type, name, inputs) =>
          type === CHART ? { resources: [] } : deployedOutputs(type, name, inputs),
        ),
        /rendered no Service, so the app's DNS record has no load balancer address/,
      );
    });

    it("destroys the load balancers and volumes DigitalOcean made for the cluster, unless the stack protects data", async () => {
      assert.equal(
        only(await evaluateDeployedWith("staging", {}), CLUSTER).inputs.destroyAllAssociatedResources,
        true,
      );
      assert.equal(
        only(await evaluateDeployedWith("prod", {}), CLUSTER).inputs.destroyAllAssociatedResources,
        false,
      );
    });
  });

  describe("changes that must not destroy what they update", () => {
    it("a new node size replaces the workers pool (created before the old one goes), never the cluster", async () => {
      const before = await evaluateDeployedWith("staging", {});
      const after = await evaluateDeployedWith("staging", { nodeSize: "s-4vcpu-8gb" });
      // The default pool does not follow nodeSize (its size would replace the cluster).
      assert.equal((only(after, CLUSTER).inputs.nodePool as Json).size, SYSTEM_POOL.size);
      const diff = diffPlans(plan(before), plan(after));
      assert.deepEqual(
        diff.changed.map((c) => [c.type, c.replacedBecause]),
        [["digitalocean:index/kubernetesNodePool:KubernetesNodePool", ["size"]]],
      );
    });

    it("a larger database volume grows the claims and leaves the StatefulSet alone; a smaller one is flagged as refused", async () => {
      const five = await evaluateDeployedWith("staging", {});
      const eight = await evaluateDeployedWith("staging", { databaseStorageGi: "8" });
      const grow = diffPlans(plan(five), plan(eight));
      // The backup and restore pods get room for a larger dump (their emptyDir), updated in place.
      assert.deepEqual(
        grow.changed
          .map((c) => c.name)
          .filter((n) => n.includes("postgres"))
          .sort(),
        [
          "platform-staging-postgres-backup",
          "platform-staging-postgres-data-size",
          "platform-staging-postgres-restore",
        ],
      );
      assert.ok(grow.changed.every((c) => !c.replacedBecause && !c.refused));
      const shrink = diffPlans(plan(eight), plan(five));
      // Volumes cannot shrink; the backup pods' emptyDir can.
      const volumes = shrink.changed.filter((c) => !c.type.endsWith(":CronJob"));
      assert.ok(
        volumes.length > 0 && volumes.every((c) => c.refused?.[0]?.startsWith("a volume cannot shrink")),
        JSON.stringify(shrink.changed),
      );
    });

    it("says which changes replace what: a new region replaces the VPC, the cluster and the registry, and through them all", async () => {
      const before = await evaluateDeployedWith("staging", {});
      const after = await evaluateDeployedWith("staging", { region: "ams3" });
      const changes = diffPlans(plan(before), plan(after)).changed;
      const direct = changes
        .filter((c) => c.replacedBecause?.every((reason) => !reason.includes("is replaced")))
        .map((c) => `${c.type.split(":").pop()} ${c.replacedBecause!.join(",")}`);
      assert.deepEqual(direct.sort(), ["ContainerRegistry region", "KubernetesCluster region", "Vpc region"]);
      // The cluster's provider follows the cluster, and every Kubernetes object its provider.
      const objects = allOf(after, "kubernetes:apps/v1:Deployment").map((d) => d.urn);
      assert.ok(
        objects.every((urn) =>
          changes.find((c) => c.urn === urn)?.replacedBecause?.[0]?.startsWith("provider ("),
        ),
      );
    });

    it("follows a replacement through the IDs it changes: a new VPC range replaces the cluster (vpcUuid)", async () => {
      const before = await evaluateDeployedWith("staging", {});
      const after = await evaluateDeployedWith("staging", { vpcIpRange: "10.121.0.0/20" });
      const cluster = diffPlans(plan(before), plan(after)).changed.find((c) => c.type === CLUSTER);
      assert.deepEqual(cluster?.replacedBecause, ["vpcUuid (platform-staging-vpc is replaced)"]);
    });
  });
});
