import * as assert from "node:assert/strict";
import { Evaluation, UNKNOWN } from "../../scripts/lib/evaluate";
import { evaluatePreview } from "../app/deployed";
import { allOf, only } from "../helpers";

describe("the program per stack", () => {
  const evaluations = new Map<string, Evaluation>();
  before(async () => {
    for (const stack of ["dev", "staging", "prod"]) evaluations.set(stack, await evaluatePreview(stack));
  });

  it("builds dev from a local registry and a k0s node, with no cloud resource", () => {
    const dev = evaluations.get("dev")!;
    assert.ok(!dev.resources.some((r) => r.type.startsWith("digitalocean:")));
    only(dev, "platform:cluster:K0sCluster", "platform-dev");
    only(dev, "platform:registry:LocalRegistry", "platform-dev-registry");
    assert.deepEqual(dev.outputs, {
      clusterName: "platform-dev-node",
      clusterEndpoint: "https://localhost:6443",
      kubeconfig: "[secret]",
      registryServer: "localhost:5001",
      appUrl: "http://app.localhost:8080",
      appImages: { api: UNKNOWN, web: UNKNOWN },
    });
  });

  it("builds staging and prod on DigitalOcean, using Docker only to build the app's images", () => {
    for (const stack of ["staging", "prod"]) {
      const evaluation = evaluations.get(stack)!;
      const docker = evaluation.resources.filter((r) => r.type.startsWith("docker:")).map((r) => r.type);
      assert.deepEqual(docker, ["docker:index/image:Image", "docker:index/image:Image"], stack);
      only(evaluation, "platform:cluster:DoksCluster", `platform-${stack}`);
      only(evaluation, "platform:registry:DigitalOceanRegistry", `platform-${stack}-registry`);
      assert.equal(evaluation.outputs.kubeconfig, "[secret]");
    }
  });

  it("integrates the registry with the cluster", () => {
    const cluster = only(evaluations.get("prod")!, "digitalocean:index/kubernetesCluster:KubernetesCluster");
    assert.equal(cluster.inputs.registryIntegration, true);
  });

  it("protects prod's cluster, VPC, registry, database, Velero's bucket and app namespace, and nothing in staging", () => {
    const protectedIn = (stack: string) =>
      evaluations
        .get(stack)!
        .resources.filter((r) => r.protect)
        .map((r) => `${r.type} ${r.name}`)
        .sort();
    assert.deepEqual(protectedIn("prod"), [
      "digitalocean:index/containerRegistry:ContainerRegistry platform-prod-registry-docr",
      "digitalocean:index/databaseCluster:DatabaseCluster platform-prod-postgres-pg",
      "digitalocean:index/kubernetesCluster:KubernetesCluster platform-prod-doks",
      "digitalocean:index/spacesBucket:SpacesBucket platform-prod-velero-backups-bucket",
      "digitalocean:index/vpc:Vpc platform-prod-vpc",
      "kubernetes:core/v1:Namespace platform-prod-app-ns",
    ]);
    assert.deepEqual(protectedIn("staging"), []);
  });

  it("declares what each resource waits for: the registry (cluster), the node (its kubeconfig), the cert-manager chart (the issuer)", () => {
    // Dependencies as the program declares them; that the engine honours them in this order is
    // Pulumi's own behaviour, and the issuer's wait for the webhooks is in test/app/deployTime.spec.ts.
    const prod = evaluations.get("prod")!;
    const docr = only(prod, "digitalocean:index/containerRegistry:ContainerRegistry");
    assert.ok(
      only(prod, "digitalocean:index/kubernetesCluster:KubernetesCluster").dependencies.includes(docr.urn),
    );
    const certManagerChart = allOf(prod, "kubernetes:helm.sh/v4:Chart").find(
      (c) => c.inputs.chart === "cert-manager",
    )!;
    assert.ok(
      only(prod, "kubernetes:cert-manager.io/v1:ClusterIssuer").dependencies.includes(certManagerChart.urn),
    );
    const dev = evaluations.get("dev")!;
    const node = only(dev, "docker:index/container:Container", "platform-dev-node");
    assert.ok(only(dev, "command:local:Command").dependencies.includes(node.urn));
  });
});
