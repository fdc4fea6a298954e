import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { K0sCluster, LOCAL_INGRESS_NODE_PORTS } from "../../components/cluster";
import { runUnderMocks, SECRET } from "../../scripts/lib/evaluate";
import { only, unwrap } from "../helpers";

const ADMIN_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0E=
    server: https://172.18.0.3:6443
  name: local
contexts:
- context:
    cluster: local
    user: admin
  name: Default
current-context: Default
kind: Config
users:
- name: admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
`;

async function build(k0sVersion = "v1.36.3+k0s.2") {
  let cluster!: K0sCluster;
  const evaluation = await runUnderMocks(
    {
      project: "platform",
      stack: "dev",
      config: {},
      preview: false,
      outputsOf: (type) => (type === "command:local:Command" ? { stdout: ADMIN_KUBECONFIG } : undefined),
    },
    () => {
      cluster = new K0sCluster("platform-dev", {
        k0sVersion,
        image: `docker.io/k0sproject/k0s:${k0sVersion.replace("+", "-")}`,
        apiPort: 16443,
        ingressHttpPort: 18080,
        ingressHttpsPort: 18443,
        networkName: "platform-dev-registry-network",
        registryMirror: { host: "localhost:5001", endpoint: "http://platform-dev-registry-server:5000" },
      });
      return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
    },
  );
  return { cluster, evaluation };
}

describe("K0sCluster", () => {
  it("pulls the pinned k0s image and runs it from that reference", async () => {
    const { evaluation } = await build();
    assert.deepEqual(only(evaluation, "docker:index/remoteImage:RemoteImage").inputs, {
      name: "docker.io/k0sproject/k0s:v1.36.3-k0s.2",
      keepLocally: true,
    });
    assert.equal(
      only(evaluation, "docker:index/container:Container").inputs.image,
      "docker.io/k0sproject/k0s:v1.36.3-k0s.2",
    );
  });

  it("runs a privileged controller with a worker and without taints", async () => {
    const node = only((await build()).evaluation, "docker:index/container:Container").inputs;
    assert.deepEqual(node.command, ["k0s", "controller", "--enable-worker", "--no-taints"]);
    assert.equal(node.privileged, true);
    assert.equal(node.restart, "unless-stopped");
  });

  it("keeps /var/lib/k0s and pod logs in volumes and /run in tmpfs", async () => {
    const { evaluation } = await build();
    const node = only(evaluation, "docker:index/container:Container").inputs;
    assert.deepEqual(node.volumes, [
      { volumeName: "platform-dev-data", containerPath: "/var/lib/k0s" },
      { volumeName: "platform-dev-pod-logs", containerPath: "/var/log/pods" },
    ]);
    assert.deepEqual(node.tmpfs, { "/run": "" });
    assert.deepEqual(only(evaluation, "docker:index/volume:Volume", "platform-dev-data").inputs, {
      name: "platform-dev-data",
    });
  });

  it("publishes the API and the ingress NodePorts on 127.0.0.1 only", async () => {
    const node = only((await build()).evaluation, "docker:index/container:Container").inputs;
    assert.deepEqual(node.ports, [
      { internal: 6443, external: 16443, ip: "127.0.0.1", protocol: "tcp" },
      { internal: LOCAL_INGRESS_NODE_PORTS.http, external: 18080, ip: "127.0.0.1", protocol: "tcp" },
      { internal: LOCAL_INGRESS_NODE_PORTS.https, external: 18443, ip: "127.0.0.1", protocol: "tcp" },
    ]);
  });

  it("joins the registry's network and points containerd at the registry over HTTP (containerd 2 form)", async () => {
    const node = only((await build()).evaluation, "docker:index/container:Container").inputs;
    assert.deepEqual(node.networksAdvanced, [{ name: "platform-dev-registry-network" }]);
    assert.deepEqual(node.uploads, [
      {
        file: "/etc/k0s/containerd.d/cri-registry.toml",
        content:
          'version = 3\n\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/k0s/containerd.d/certs.d"\n',
      },
      {
        file: "/etc/k0s/containerd.d/certs.d/localhost:5001/hosts.toml",
        content:
          'server = "http://platform-dev-registry-server:5000"\n\n[host."http://platform-dev-registry-server:5000"]\n  capabilities = ["pull", "resolve"]\n',
      },
    ]);
  });

  it("uses the containerd 1.7 drop-in form for k0s releases before 1.36", async () => {
    const node = only((await build("v1.35.7+k0s.0")).evaluation, "docker:index/container:Container").inputs;
    const [dropIn] = node.uploads as { content: string }[];
    assert.equal(
      dropIn.content,
      'version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/k0s/containerd.d/certs.d"\n',
    );
  });

  it("waits for the API to answer before reading the admin kubeconfig", async () => {
    const { evaluation } = await build();
    const node = only(evaluation, "docker:index/container:Container").inputs;
    assert.deepEqual((node.healthcheck as { tests: string[] }).tests, [
      "CMD",
      "k0s",
      "kubectl",
      "get",
      "--raw=/readyz",
    ]);
    assert.equal(node.wait, true);
    assert.equal(node.waitTimeout, 300);
    assert.deepEqual(only(evaluation, "command:local:Command").inputs, {
      create: "docker exec platform-dev-node k0s kubeconfig admin",
      triggers: ["platform-dev-node-id"],
      logging: "stderr",
    });
  });

  it("exposes the kubeconfig as a secret, its server rewritten to the published port", async () => {
    const { cluster, evaluation } = await build();
    assert.equal(evaluation.outputs.kubeconfig, SECRET);
    assert.equal(evaluation.outputs.endpoint, "https://localhost:16443");
    const kubeconfig = parse(await unwrap(cluster.kubeconfig)) as {
      clusters: { cluster: { server: string } }[];
    };
    assert.equal(kubeconfig.clusters[0].cluster.server, "https://localhost:16443");
    assert.equal(only(evaluation, "pulumi:providers:kubernetes").inputs.kubeconfig, SECRET);
  });

  it("publishes the local-registry-hosting ConfigMap (KEP-1755)", async () => {
    const configMap = only((await build()).evaluation, "kubernetes:core/v1:ConfigMap").inputs;
    assert.deepEqual(configMap.metadata, { name: "local-registry-hosting", namespace: "kube-public" });
    const hosting = parse((configMap.data as Record<string, string>)["localRegistryHosting.v1"]) as {
      host: string;
    };
    assert.equal(hosting.host, "localhost:5001");
  });

  it("names every child after the component, so two instances cannot collide", async () => {
    const { evaluation } = await build();
    for (const resource of evaluation.resources.filter((r) => r.parent))
      assert.match(resource.name, /^platform-dev-/);
  });
});
