import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { OfflineBundle } from "../../offline";
import { RegistryMirror } from "../cluster/containerd";
import { hostImage } from "../cluster/hostImage";
import { Registry } from "./types";

const REGISTRY_PORT = 5000;

/** Arguments of {@link LocalRegistry}. */
export interface LocalRegistryArgs {
  /** Registry image, pinned by exact version tag. */
  readonly image: string;
  /** Port on 127.0.0.1 where the registry is published. */
  readonly port: number;
  /** Load the registry's image from this offline bundle instead of pulling it. Default: pull. */
  readonly offlineBundle?: OfflineBundle;
}

/**
 * A registry container for a laptop cluster, after kind's local-registry pattern: published on
 * 127.0.0.1:<port> for pushes, and reachable by the node on a Docker network they share, so that
 * the same image name (`localhost:<port>/app`) works from both sides.
 */
export class LocalRegistry extends pulumi.ComponentResource implements Registry {
  public readonly server: pulumi.Output<string>;
  /** Docker network the cluster node joins to reach the registry. */
  public readonly networkName: pulumi.Output<string>;
  /** How the node reaches the registry under the name image references use. */
  public readonly mirror: RegistryMirror;

  constructor(name: string, args: LocalRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:registry:LocalRegistry", name, {}, opts);
    const child = { parent: this };

    const network = new docker.Network(
      `${name}-network`,
      { name: `${name}-network`, driver: "bridge" },
      child,
    );
    const bundle = args.offlineBundle;
    const image = hostImage(`${name}-image`, args.image, bundle, this);
    // Pushed images live in a volume, so they survive the container being recreated.
    const data = new docker.Volume(`${name}-data`, { name: `${name}-data` }, child);
    const containerName = `${name}-server`;
    const server = new docker.Container(
      containerName,
      {
        name: containerName,
        // The pinned reference (not the image ID), so previews and policies see what runs.
        image: image.name,
        restart: "unless-stopped",
        ports: [{ internal: REGISTRY_PORT, external: args.port, ip: "127.0.0.1", protocol: "tcp" }],
        volumes: [{ volumeName: data.name, containerPath: "/var/lib/registry" }],
        networksAdvanced: [{ name: network.name, aliases: [containerName] }],
        envs: ["REGISTRY_STORAGE_DELETE_ENABLED=true"],
      },
      child,
    );

    this.networkName = network.name;
    this.mirror = { host: `localhost:${args.port}`, endpoint: `http://${containerName}:${REGISTRY_PORT}` };
    // Derived from the container, so that pushes wait until the registry runs.
    this.server = server.name.apply(() => this.mirror.host);
    this.registerOutputs({ server: this.server, networkName: this.networkName });
  }
}
