import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { Registry, RegistryAuth } from "./types";

/** Arguments of {@link DigitalOceanRegistry}. */
export interface DigitalOceanRegistryArgs {
  /** Registry name, unique across DigitalOcean. */
  readonly registryName: string;
  /** Subscription tier. */
  readonly tier: "starter" | "basic" | "professional";
  readonly region: string;
  /** Protect the registry (and the images in it) from deletion. Default: false. */
  readonly protect?: boolean;
}

/** A DigitalOcean Container Registry with read-only credentials for the cluster and push credentials. */
export class DigitalOceanRegistry extends pulumi.ComponentResource implements Registry {
  public readonly server: pulumi.Output<string>;
  public readonly pushAuth: pulumi.Output<RegistryAuth>;
  public readonly pullDockerConfigJson: pulumi.Output<string>;
  /** The registry resource, which a DOKS cluster with registry integration must wait for. */
  public readonly registry: digitalocean.ContainerRegistry;

  constructor(name: string, args: DigitalOceanRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:registry:DigitalOceanRegistry", name, {}, opts);

    this.registry = new digitalocean.ContainerRegistry(
      `${name}-docr`,
      { name: args.registryName, subscriptionTierSlug: args.tier, region: args.region },
      { parent: this, protect: args.protect ?? false },
    );
    const credentials = (suffix: string, write: boolean) =>
      new digitalocean.ContainerRegistryDockerCredentials(
        `${name}-${suffix}`,
        { registryName: this.registry.name, write },
        { parent: this, additionalSecretOutputs: ["dockerCredentials"] },
      );
    const pull = credentials("pull", false);
    const push = credentials("push", true);

    this.server = this.registry.endpoint;
    this.pullDockerConfigJson = pulumi.secret(pull.dockerCredentials);
    this.pushAuth = pulumi.secret(
      pulumi
        .all([this.registry.serverUrl, push.dockerCredentials])
        .apply(([server, json]) => authFromDockerConfig(server, json)),
    );
    this.registerOutputs({ server: this.server });
  }
}

/** Username and password for `server` from a `.dockerconfigjson` document. */
export function authFromDockerConfig(server: string, dockerConfigJson: string): RegistryAuth {
  const auths = (JSON.parse(dockerConfigJson) as { auths?: Record<string, { auth?: string }> }).auths ?? {};
  const encoded = auths[server]?.auth;
  if (!encoded) throw new Error(`docker credentials hold no entry for ${server}`);
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return { server, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
