// One Kubernetes platform per stack. Everything that differs between stacks comes from the
// stack's configuration, which is validated as a whole before any resource is declared.
import { createApp } from "./components/app";
import { createIngress } from "./components/ingress";
import { MetricsServer } from "./components/metrics";
import { createPlatform } from "./components/platform";
import { loadConfig } from "./config";

const config = loadConfig();
const { cluster, registry } = createPlatform(config);
const ingress = createIngress(config, cluster);
// The app's HPAs read metrics-server; installed only where the cluster has none (see the config).
if (config.installMetricsServer) {
  const replicas = config.cluster.provider === "doks" && config.cluster.nodePool.autoScale ? 2 : 1;
  new MetricsServer(`platform-${config.stack}-metrics-server`, { provider: cluster.provider, replicas });
}
const app = createApp(config, { cluster, registry, ingress });

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
  /** The images the app runs, by digest. */
  appImages: app.images,
};
export = Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
