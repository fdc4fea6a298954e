import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config";
import { Cluster, DoksCluster } from "../cluster";
import { AppDatabase, InClusterPostgres, ManagedPostgres } from "../database";
import { IngressLayer } from "../ingress";
import { Registry } from "../registry";
import { AppImage } from "./appImage";
import { AppStack } from "./appStack";

/** Where the sample app's sources are: one build context per service. */
const APP_DIR = path.join(__dirname, "..", "..", "app");

/** What the stack exports about the app. */
export interface AppLayer {
  readonly url: string;
  readonly images: { readonly api: pulumi.Output<string>; readonly web: pulumi.Output<string> };
}

/**
 * Builds and pushes the app's images (or takes them by digest from the configuration), then runs
 * the app and its database on the cluster.
 */
export function createApp(
  config: PlatformConfig,
  platform: { cluster: Cluster; registry: Registry; ingress: IngressLayer },
): AppLayer {
  const name = `platform-${config.stack}`;
  const { cluster, registry, ingress } = platform;
  const images = appImages(config, name, registry);

  const database = config.database;
  const app = new AppStack(`${name}-app`, {
    provider: cluster.provider,
    namespace: "app",
    app: config.app,
    images,
    pullDockerConfigJson: registry.pullDockerConfigJson,
    protect: config.protect,
    ingress: { ...ingress, clusterIssuer: ingress.clusterIssuer },
    database: (namespace, parent): AppDatabase => {
      if (database.mode === "in-cluster") {
        const { mode: _mode, ...settings } = database;
        return new InClusterPostgres(
          `${name}-postgres`,
          { ...settings, provider: cluster.provider, namespace, protect: config.protect },
          { parent },
        );
      }
      if (!(cluster instanceof DoksCluster))
        throw new pulumi.RunError("platform:databaseMode: managed needs a DOKS cluster");
      const { mode: _mode, ...settings } = database;
      return new ManagedPostgres(
        `${name}-postgres`,
        {
          ...settings,
          provider: cluster.provider,
          namespace,
          clusterId: cluster.clusterId,
          vpcId: cluster.vpcId,
          tags: config.tags,
          protect: config.protect,
        },
        { parent },
      );
    },
  });

  // On a laptop the ingress is the port the k0s node publishes on 127.0.0.1.
  const url = config.cluster.provider === "k0s" ? `${app.url}:${config.cluster.ingressHttpPort}` : app.url;
  return { url, images };
}

/** The images by digest: as configured, or built from `app/` and pushed to the stack's registry. */
function appImages(config: PlatformConfig, name: string, registry: Registry): AppLayer["images"] {
  const configured = config.app.images;
  if (configured.source === "reference") {
    return { api: pulumi.output(configured.api), web: pulumi.output(configured.web) };
  }
  const server = registry.server;
  if (server === undefined)
    throw new pulumi.RunError("platform:registryServer: required to build the app's images");
  const image = (service: string) =>
    new AppImage(`${name}-${service}`, {
      context: path.join(APP_DIR, service),
      registryServer: server,
      repository: service,
      auth: registry.pushAuth,
      // DigitalOcean nodes are amd64; a laptop's node runs whatever the laptop runs.
      ...(config.cluster.provider === "doks" ? { platform: "linux/amd64" } : {}),
    });
  return { api: image("api").ref, web: image("web").ref };
}
