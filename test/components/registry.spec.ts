import * as assert from "node:assert/strict";
import { authFromDockerConfig, DigitalOceanRegistry, LocalRegistry } from "../../components/registry";
import { runUnderMocks, SECRET } from "../../scripts/lib/evaluate";
import { only, unwrap } from "../helpers";

const DOCKER_CONFIG = JSON.stringify({
  auths: { "registry.digitalocean.com": { auth: Buffer.from("token-user:token-pass").toString("base64") } },
});

describe("LocalRegistry", () => {
  // Any image: the stack's pinned one is the config's business (config/keys.ts), not this component's.
  const IMAGE = "docker.io/library/registry:3.0.0";

  async function build() {
    let registry!: LocalRegistry;
    const evaluation = await runUnderMocks(
      { project: "platform", stack: "dev", config: {}, preview: false },
      () => {
        registry = new LocalRegistry("platform-dev-registry", {
          image: IMAGE,
          port: 5001,
        });
        return { server: registry.server };
      },
    );
    return { registry, evaluation };
  }

  it("runs the image it is given, published on 127.0.0.1, with its data in a volume", async () => {
    const { evaluation } = await build();
    const server = only(evaluation, "docker:index/container:Container").inputs;
    assert.equal(server.image, IMAGE);
    assert.deepEqual(server.ports, [{ internal: 5000, external: 5001, ip: "127.0.0.1", protocol: "tcp" }]);
    assert.deepEqual(server.volumes, [
      { volumeName: "platform-dev-registry-data", containerPath: "/var/lib/registry" },
    ]);
    assert.equal(server.privileged, undefined);
  });

  it("joins a network it shares with the cluster, under a name the node can resolve", async () => {
    const { evaluation, registry } = await build();
    assert.deepEqual(only(evaluation, "docker:index/network:Network").inputs, {
      name: "platform-dev-registry-network",
      driver: "bridge",
    });
    const server = only(evaluation, "docker:index/container:Container").inputs;
    assert.deepEqual(server.networksAdvanced, [
      { name: "platform-dev-registry-network", aliases: ["platform-dev-registry-server"] },
    ]);
    assert.deepEqual(registry.mirror, {
      host: "localhost:5001",
      endpoint: "http://platform-dev-registry-server:5000",
    });
  });

  it("is the prefix image references start with", async () => {
    assert.equal((await build()).evaluation.outputs.server, "localhost:5001");
  });
});

describe("DigitalOceanRegistry", () => {
  async function build(protect: boolean) {
    let registry!: DigitalOceanRegistry;
    const evaluation = await runUnderMocks(
      {
        project: "platform",
        stack: "prod",
        config: {},
        preview: false,
        outputsOf: (type, _name, inputs) => {
          if (type === "digitalocean:index/containerRegistry:ContainerRegistry") {
            return {
              endpoint: `registry.digitalocean.com/${String(inputs.name)}`,
              serverUrl: "registry.digitalocean.com",
            };
          }
          if (type.endsWith(":ContainerRegistryDockerCredentials"))
            return { dockerCredentials: DOCKER_CONFIG };
          return undefined;
        },
      },
      () => {
        registry = new DigitalOceanRegistry("platform-prod-registry", {
          registryName: "k8s-platform-prod",
          tier: "professional",
          region: "fra1",
          protect,
        });
        return { server: registry.server, pull: registry.pullDockerConfigJson, push: registry.pushAuth };
      },
    );
    return { registry, evaluation };
  }

  it("creates the registry at the configured tier, protected when asked", async () => {
    const docr = only(
      (await build(true)).evaluation,
      "digitalocean:index/containerRegistry:ContainerRegistry",
    );
    assert.deepEqual(docr.inputs, {
      name: "k8s-platform-prod",
      subscriptionTierSlug: "professional",
      region: "fra1",
    });
    assert.equal(docr.protect, true);
    const unprotected = only(
      (await build(false)).evaluation,
      "digitalocean:index/containerRegistry:ContainerRegistry",
    );
    assert.equal(unprotected.protect, false);
  });

  it("issues read-only credentials for the cluster and write credentials for pushes, both secret", async () => {
    const { evaluation, registry } = await build(true);
    assert.deepEqual(
      evaluation.resources
        .filter((r) => r.type.endsWith(":ContainerRegistryDockerCredentials"))
        .map((r) => [r.name, r.inputs]),
      [
        ["platform-prod-registry-pull", { registryName: "k8s-platform-prod", write: false }],
        ["platform-prod-registry-push", { registryName: "k8s-platform-prod", write: true }],
      ],
    );
    assert.equal(evaluation.outputs.pull, SECRET);
    assert.equal(evaluation.outputs.push, SECRET);
    assert.deepEqual(await unwrap(registry.pushAuth), {
      server: "registry.digitalocean.com",
      username: "token-user",
      password: "token-pass",
    });
    assert.equal(evaluation.outputs.server, "registry.digitalocean.com/k8s-platform-prod");
  });

  it("refuses docker credentials without an entry for the registry", () => {
    assert.throws(
      () => authFromDockerConfig("registry.example.com", DOCKER_CONFIG),
      /no entry for registry.example.com/,
    );
  });
});
