import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseBackupConfig, PlatformConfig } from "../../config";
import { Cluster, DoksCluster } from "../cluster";
import { SpacesBackupBucket } from "../backup";
import { AppDatabase, DatabaseBackupTarget, InClusterPostgres, ManagedPostgres } from "../database";
import { IngressLayer } from "../ingress";
import { Registry } from "../registry";
import { AppImage } from "./appImage";
import { ApiMetricsEndpoint, AppStack } from "./appStack";

/** Where the sample app's sources are: one build context per service. */
const APP_DIR = path.join(__dirname, "..", "..", "app");

/** What the stack exports about the app. */
export interface AppLayer {
  readonly url: string;
  readonly images: { readonly api: pulumi.Output<string>; readonly web: pulumi.Output<string> };
  /** The bucket of the in-cluster database's dumps, where the program created one. */
  readonly databaseBackupBucket?: pulumi.Output<string>;
  /** Where the api serves its metrics, for the monitoring stack. */
  readonly apiMetrics: ApiMetricsEndpoint;
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
  const backup =
    database.mode === "in-cluster"
      ? databaseBackupTarget(`${name}-postgres`, database.backup, config.protect)
      : undefined;
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
        const { mode: _mode, backup: _backup, ...settings } = database;
        return new InClusterPostgres(
          `${name}-postgres`,
          {
            ...settings,
            backup: backup!.target,
            // The backup tool is the api image's (dist/backup.js), pinned by digest like the api.
            toolsImage: images.api,
            provider: cluster.provider,
            namespace,
            protect: config.protect,
          },
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
  return {
    url,
    images,
    apiMetrics: app.apiMetrics,
    ...(backup?.bucket ? { databaseBackupBucket: backup.bucket } : {}),
  };
}

/**
 * Where the in-cluster database's dumps go. On DigitalOcean the program creates a Spaces bucket for
 * them, outside the cluster: private, versioned, its dumps expiring after the stack's retention, with
 * a key that reaches this bucket only.
 */
function databaseBackupTarget(
  name: string,
  backup: DatabaseBackupConfig,
  protect: boolean,
): { target: DatabaseBackupTarget; bucket?: pulumi.Output<string> } {
  switch (backup.store) {
    case "volume":
      return { target: { kind: "volume", retentionDays: backup.retentionDays } };
    case "spaces": {
      const bucket = new SpacesBackupBucket(`${name}-backups`, {
        region: backup.region,
        prefix: "postgres/",
        expireAfterDays: backup.retentionDays,
        protect,
      });
      return {
        target: {
          kind: "s3",
          endpoint: bucket.endpoint,
          // Spaces signs requests for the bucket's region (the endpoint's).
          region: backup.region,
          bucket: bucket.bucketName,
          forcePathStyle: false,
          accessKeyId: bucket.accessKeyId,
          secretAccessKey: bucket.secretAccessKey,
        },
        bucket: bucket.bucketName,
      };
    }
    case "s3":
      return {
        target: {
          kind: "s3",
          endpoint: backup.endpoint,
          region: backup.region,
          bucket: backup.bucket,
          // Path-style requests: MinIO, Ceph, Garage and most S3-compatible servers need them; AWS
          // S3 still serves them.
          forcePathStyle: true,
          accessKeyId: pulumi.secret(backup.accessKeyId.reveal()),
          secretAccessKey: pulumi.secret(backup.secretAccessKey.reveal()),
        },
      };
  }
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
      ...("offlineBundle" in config && config.offlineBundle ? { offlineBundle: config.offlineBundle } : {}),
    });
  return { api: image("api").ref, web: image("web").ref };
}
