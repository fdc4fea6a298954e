import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { DoksCluster, DoksClusterArgs } from "../../components/cluster";
import { runUnderMocks, SECRET } from "../../scripts/lib/evaluate";
import { only, unwrap } from "../helpers";

const PROD: DoksClusterArgs = {
  region: "fra1",
  versionPrefix: "1.33.",
  ha: true,
  autoUpgrade: true,
  maintenance: { day: "sunday", startTime: "03:00" },
  surgeUpgrade: true,
  nodePool: { size: "s-4vcpu-8gb", autoScale: true, minNodes: 2, maxNodes: 5 },
  vpcIpRange: "10.130.0.0/20",
  apiAllowList: ["203.0.113.0/24"],
  tags: ["prod", "production"],
  protect: true,
};

async function build(args: DoksClusterArgs, latestVersion = "1.33.6-do.1") {
  const invokes: { token: string; inputs: Record<string, unknown> }[] = [];
  let cluster!: DoksCluster;
  const evaluation = await runUnderMocks(
    {
      project: "platform",
      stack: "prod",
      config: {},
      preview: false,
      invoke: (token, inputs) => {
        invokes.push({ token, inputs });
        if (token !== "digitalocean:index/getKubernetesVersions:getKubernetesVersions")
          throw new Error(`unexpected invoke ${token}`);
        return {
          latestVersion,
          validVersions: latestVersion ? [latestVersion] : ["1.32.9-do.0"],
          versionPrefix: inputs.versionPrefix,
        };
      },
      outputsOf: (type) =>
        type === "digitalocean:index/kubernetesCluster:KubernetesCluster"
          ? {
              endpoint: "https://abc.k8s.ondigitalocean.com",
              kubeConfigs: [{ clusterCaCertificate: "Q0EtUEVN" }],
            }
          : undefined,
    },
    () => {
      cluster = new DoksCluster("platform-prod", args);
      return { kubeconfig: cluster.kubeconfig };
    },
  );
  return { cluster, evaluation, invokes };
}

describe("DoksCluster", () => {
  it("creates the cluster at the newest patch of the configured prefix, never latest", async () => {
    const { evaluation, invokes } = await build(PROD);
    // The second call, without a prefix, looks for newer versions than the cluster runs (a warning).
    assert.deepEqual(
      invokes.map((i) => [i.token, i.inputs.versionPrefix]),
      [
        ["digitalocean:index/getKubernetesVersions:getKubernetesVersions", "1.33."],
        ["digitalocean:index/getKubernetesVersions:getKubernetesVersions", undefined],
      ],
    );
    assert.equal(
      only(evaluation, "digitalocean:index/kubernetesCluster:KubernetesCluster").inputs.version,
      "1.33.6-do.1",
    );
  });

  it("gives prod an HA control plane, auto-upgrades in a window, surge upgrades and registry integration", async () => {
    const inputs = only(
      (await build(PROD)).evaluation,
      "digitalocean:index/kubernetesCluster:KubernetesCluster",
    ).inputs;
    assert.equal(inputs.name, "platform-prod");
    assert.equal(inputs.region, "fra1");
    assert.equal(inputs.ha, true);
    assert.equal(inputs.autoUpgrade, true);
    assert.deepEqual(inputs.maintenancePolicy, { day: "sunday", startTime: "03:00" });
    assert.equal(inputs.surgeUpgrade, true);
    assert.equal(inputs.registryIntegration, false, "no registry was given to integrate");
    assert.deepEqual(inputs.tags, ["prod", "production"]);
    assert.deepEqual(inputs.controlPlaneFirewall, { enabled: true, allowedAddresses: ["203.0.113.0/24"] });
  });

  it("keeps the default pool to one small node and autoscales the workers pool between its bounds", async () => {
    const { evaluation } = await build(PROD);
    const cluster = only(evaluation, "digitalocean:index/kubernetesCluster:KubernetesCluster");
    assert.deepEqual(cluster.inputs.nodePool, {
      name: "platform-prod-system",
      size: "s-1vcpu-2gb",
      nodeCount: 1,
      autoScale: false,
      tags: ["prod", "production"],
      labels: { "platform/pool": "system" },
      taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }],
    });
    assert.deepEqual(cluster.ignoreChanges, ["version", "nodePool"]);
    // Nothing reaches the cluster before the workers pool exists.
    const provider = only(evaluation, "pulumi:providers:kubernetes");
    const pool = only(evaluation, "digitalocean:index/kubernetesNodePool:KubernetesNodePool");
    assert.ok(provider.dependencies.includes(pool.urn));
    const workers = only(evaluation, "digitalocean:index/kubernetesNodePool:KubernetesNodePool");
    assert.deepEqual(workers.inputs, {
      clusterId: "platform-prod-doks-id",
      name: "platform-prod-workers-s-4vcpu-8gb",
      size: "s-4vcpu-8gb",
      tags: ["prod", "production"],
      labels: { "platform/pool": "workers" },
      autoScale: true,
      minNodes: 2,
      maxNodes: 5,
    });
    assert.equal(workers.protect, false, "a protected pool could not be replaced by a new size");
  });

  it("uses a fixed pool, no HA and no firewall when the stack says so", async () => {
    const staging: DoksClusterArgs = {
      ...PROD,
      ha: false,
      autoUpgrade: false,
      nodePool: { size: "s-2vcpu-4gb", autoScale: false, nodeCount: 2 },
      apiAllowList: [],
      protect: false,
    };
    const { evaluation } = await build(staging);
    const cluster = only(evaluation, "digitalocean:index/kubernetesCluster:KubernetesCluster");
    assert.equal(cluster.inputs.ha, false, "HA must be set explicitly: DOKS defaults it on from 1.36");
    assert.equal(cluster.inputs.controlPlaneFirewall, undefined);
    const workers = only(evaluation, "digitalocean:index/kubernetesNodePool:KubernetesNodePool");
    assert.equal(workers.inputs.nodeCount, 2);
    assert.equal(workers.inputs.autoScale, false);
    assert.equal(cluster.protect, false);
  });

  it("places the cluster in its own VPC and protects both in prod", async () => {
    const { evaluation } = await build(PROD);
    const vpc = only(evaluation, "digitalocean:index/vpc:Vpc");
    assert.deepEqual(vpc.inputs, { name: "platform-prod-vpc", region: "fra1", ipRange: "10.130.0.0/20" });
    assert.equal(vpc.protect, true);
    const cluster = only(evaluation, "digitalocean:index/kubernetesCluster:KubernetesCluster");
    assert.equal(cluster.inputs.vpcUuid, "platform-prod-vpc-id");
    assert.equal(cluster.protect, true);
  });

  it("exposes a secret kubeconfig that authenticates with doctl, not with a 7-day token", async () => {
    const { cluster, evaluation } = await build(PROD);
    assert.equal(evaluation.outputs.kubeconfig, SECRET);
    assert.equal(only(evaluation, "pulumi:providers:kubernetes").inputs.kubeconfig, SECRET);
    const kubeconfig = parse(await unwrap(cluster.kubeconfig)) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { exec: { command: string; args: string[] }; token?: string } }[];
    };
    assert.equal(kubeconfig.clusters[0].cluster.server, "https://abc.k8s.ondigitalocean.com");
    assert.equal(kubeconfig.clusters[0].cluster["certificate-authority-data"], "Q0EtUEVN");
    assert.equal(kubeconfig.users[0].user.token, undefined);
    assert.equal(kubeconfig.users[0].user.exec.command, "doctl");
    assert.deepEqual(kubeconfig.users[0].user.exec.args, [
      "kubernetes",
      "cluster",
      "kubeconfig",
      "exec-credential",
      "--version=v1beta1",
      "platform-prod-doks-id",
    ]);
  });
});
