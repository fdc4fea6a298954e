// Docker containers and images, DOKS, DOCR and managed databases.
import { disallowPrivilegedDockerContainers } from "../../policies/resources/disallowPrivilegedDockerContainers";
import { requireDatabaseStandby } from "../../policies/resources/requireDatabaseStandby";
import { requireDoksResilience } from "../../policies/resources/requireDoksResilience";
import { requirePinnedDockerImages } from "../../policies/resources/requirePinnedDockerImages";
import { requirePinnedDoksVersion } from "../../policies/resources/requirePinnedDoksVersion";
import { restrictDocrTier } from "../../policies/resources/restrictDocrTier";
import type { ResourceUnderTest } from "../../policies/engine";
import { assertMessages, urnOf, withField } from "./fixtures";

function resource(type: string, name: string, props: Record<string, unknown>): ResourceUnderTest {
  return { urn: urnOf(type, name), type, name, props };
}

const CONTAINER = "docker:index/container:Container";
const container = () => resource(CONTAINER, "dev-registry", { image: "registry:2.8.3", privileged: false });

describe("disallow-privileged-docker-containers", () => {
  it("passes an unprivileged container", () =>
    assertMessages(disallowPrivilegedDockerContainers, container(), []));
  it("reports a privileged container", () => {
    assertMessages(disallowPrivilegedDockerContainers, withField(container(), "privileged", true), [
      "privileged is true and the container is not exempted",
    ]);
  });
  it("accepts a privileged container exempted by name glob with a reason", () => {
    const node = {
      ...withField(container(), "privileged", true),
      name: "dev-k0s-node",
      urn: urnOf(CONTAINER, "dev-k0s-node"),
    };
    assertMessages(disallowPrivilegedDockerContainers, node, [], {
      exemptions: [{ resource: "*k0s-node*", reason: "k0s runs Kubernetes in the container" }],
    });
  });
  it("accepts a privileged container exempted by URN suffix", () => {
    const node = {
      ...withField(container(), "privileged", true),
      name: "dev-k0s-node",
      urn: urnOf(CONTAINER, "dev-k0s-node"),
    };
    assertMessages(disallowPrivilegedDockerContainers, node, [], {
      exemptions: [
        { resource: `${CONTAINER}::dev-k0s-node`, reason: "k0s runs Kubernetes in the container" },
      ],
    });
  });
  it("still reports a privileged container the exemption does not name", () => {
    assertMessages(
      disallowPrivilegedDockerContainers,
      withField(container(), "privileged", true),
      ["privileged is true and the container is not exempted"],
      { exemptions: [{ resource: "k0s-node", reason: "k0s" }] },
    );
  });
});

describe("require-pinned-docker-images", () => {
  const remote = () =>
    resource("docker:index/remoteImage:RemoteImage", "k0s", {
      name: "docker.io/k0sproject/k0s:v1.33.4-k0s.0",
    });
  it("passes pinned images", () => {
    assertMessages(requirePinnedDockerImages, [remote(), container()], []);
  });
  it("reports a RemoteImage without a tag", () => {
    assertMessages(requirePinnedDockerImages, withField(remote(), "name", "localhost:5000/app"), [
      'name: image "localhost:5000/app" has no tag (it means latest)',
    ]);
  });
  it("reports a Container running latest", () => {
    assertMessages(requirePinnedDockerImages, withField(container(), "image", "registry:latest"), [
      'image: image "registry:latest" uses the latest tag',
    ]);
  });
  it("accepts an image ID", () => {
    assertMessages(
      requirePinnedDockerImages,
      withField(container(), "image", `sha256:${"0a".repeat(32)}`),
      [],
    );
  });
});

const cluster = () =>
  resource("digitalocean:index/kubernetesCluster:KubernetesCluster", "prod-doks", {
    version: "1.33.1-do.3",
    ha: true,
    autoUpgrade: true,
    surgeUpgrade: true,
    maintenancePolicy: { day: "sunday", startTime: "03:00" },
    nodePool: { size: "s-2vcpu-4gb", autoScale: true, minNodes: 2, maxNodes: 4 },
  });

describe("require-pinned-doks-version", () => {
  it("passes an exact version slug", () => assertMessages(requirePinnedDoksVersion, cluster(), []));
  it("reports latest", () => {
    assertMessages(requirePinnedDoksVersion, withField(cluster(), "version", "latest"), [
      'version "latest" is not an exact DOKS version slug like "1.33.1-do.0"',
    ]);
  });
});

describe("require-doks-resilience", () => {
  it("passes a resilient cluster", () => assertMessages(requireDoksResilience, cluster(), []));
  it("reports a cluster without HA", () => {
    assertMessages(requireDoksResilience, withField(cluster(), "ha", false), ["ha is not true"]);
  });
  it("reports a missing maintenance window", () => {
    assertMessages(requireDoksResilience, withField(cluster(), "maintenancePolicy", undefined), [
      "maintenancePolicy.day and maintenancePolicy.startTime are not both set",
    ]);
  });
  it("reports surge upgrades off", () => {
    assertMessages(requireDoksResilience, withField(cluster(), "surgeUpgrade", false), [
      "surgeUpgrade is not true",
    ]);
  });
  const pool = () =>
    resource("digitalocean:index/kubernetesNodePool:KubernetesNodePool", "prod-doks-workers", {
      size: "s-2vcpu-4gb",
      autoScale: true,
      minNodes: 2,
      maxNodes: 4,
    });
  it("passes a workloads pool of two nodes or more", () => assertMessages(requireDoksResilience, pool(), []));
  it("reports an autoscaled workloads pool that can shrink to one node", () => {
    assertMessages(requireDoksResilience, withField(pool(), "minNodes", 1), [
      "minNodes is 1; the stack requires at least 2 nodes",
    ]);
  });
  it("reports a fixed workloads pool of one node", () => {
    const fixed = resource("digitalocean:index/kubernetesNodePool:KubernetesNodePool", "w", {
      size: "s-2vcpu-4gb",
      nodeCount: 1,
    });
    assertMessages(requireDoksResilience, fixed, ["nodeCount is 1; the stack requires at least 2 nodes"]);
  });
  it("leaves the cluster's default pool out: the program keeps it at one small node for system pods", () => {
    const system = withField(cluster(), "nodePool", { size: "s-1vcpu-2gb", nodeCount: 1 });
    assertMessages(requireDoksResilience, system, []);
  });
  it("follows a stack config that relaxes HA and node count", () => {
    assertMessages(requireDoksResilience, withField(cluster(), "ha", false), [], {
      requireHa: false,
      minNodes: 1,
    });
    assertMessages(requireDoksResilience, withField(pool(), "minNodes", 1), [], {
      requireHa: false,
      minNodes: 1,
    });
  });
});

describe("restrict-docr-tier", () => {
  const registry = () =>
    resource("digitalocean:index/containerRegistry:ContainerRegistry", "docr", {
      subscriptionTierSlug: "basic",
    });
  it("passes an allowed tier", () => assertMessages(restrictDocrTier, registry(), []));
  it("reports a tier the stack does not allow", () => {
    assertMessages(restrictDocrTier, withField(registry(), "subscriptionTierSlug", "starter"), [
      'subscriptionTierSlug "starter" is not one of basic, professional',
    ]);
  });
});

describe("require-database-standby", () => {
  const db = () =>
    resource("digitalocean:index/databaseCluster:DatabaseCluster", "db", { engine: "pg", nodeCount: 2 });
  it("passes a primary with a standby", () => assertMessages(requireDatabaseStandby, db(), []));
  it("reports a single node", () => {
    assertMessages(requireDatabaseStandby, withField(db(), "nodeCount", 1), [
      "nodeCount is 1; the stack requires at least 2",
    ]);
  });
  it("accepts a single node where the stack allows it", () => {
    assertMessages(requireDatabaseStandby, withField(db(), "nodeCount", 1), [], { minNodes: 1 });
  });
});
