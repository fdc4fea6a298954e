// One Kubernetes platform per stack. Everything that differs between stacks comes from the
// stack's configuration, which is validated as a whole before any resource is declared.
import { createApp } from "./components/app";
import { createClusterBackup } from "./components/backup";
import { createIngress } from "./components/ingress";
import { createObservability } from "./components/observability";
import { createPlatform } from "./components/platform";
import { loadConfig } from "./config";

const config = loadConfig();
const { cluster, registry } = createPlatform(config);
const ingress = createIngress(config, cluster);
const app = createApp(config, { cluster, registry, ingress });
// Daily backups of the whole cluster into a Spaces bucket, where the stack turns Velero on.
const clusterBackup = createClusterBackup(config, cluster);
// metrics-server where the cluster has none; with `observability: full` Prometheus, Grafana and Loki,
// watching the app and the cluster's backups.
const observability = createObservability(config, {
  cluster,
  ingress,
  api: app.apiMetrics,
  ...(clusterBackup ? { clusterBackup } : {}),
});

/** The stack's outputs. A stack without a value leaves the output out (no engine warning). */
const outputs = {
  clusterName: cluster.clusterName,
  /** URL of the Kubernetes API; absent on an existing cluster (its kubeconfig says it). */
  clusterEndpoint: cluster.endpoint,
  /** Admin kubeconfig (secret): `pulumi stack output kubeconfig --show-secrets > kubeconfig`; absent on an existing cluster. */
  kubeconfig: cluster.kubeconfig,
  /** Prefix of the app's image references: push to it, the cluster pulls from it; absent with images by digest. */
  registryServer: registry.server,
  /** Where the app answers: `/` the web front end, `/api` the api. */
  appUrl: app.url,
  /** The bucket the in-cluster database's nightly dumps go to; absent where they stay in the cluster. */
  databaseBackupBucket: app.databaseBackupBucket,
  /** The bucket Velero keeps the cluster's backups in; absent without Velero. */
  clusterBackupBucket: clusterBackup?.bucketName,
  /** The images the app runs, by digest. */
  appImages: app.images,
  /** Grafana (user `admin`); absent unless `observability` is `full`. */
  grafanaUrl: observability.grafanaUrl,
  /** Grafana's admin password (secret): `pulumi stack output grafanaAdminPassword --show-secrets`. */
  grafanaAdminPassword: observability.grafanaAdminPassword,
};
export = Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
