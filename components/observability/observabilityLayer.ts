import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config";
import {
  Velero,
  VELERO_METRICS_PORT,
  VELERO_NAMESPACE,
  VELERO_SCHEDULE,
  VELERO_SERVER_LABELS,
} from "../backup";
import { Cluster } from "../cluster";
import { CERT_MANAGER_CONTROLLER_LABELS, IngressLayer } from "../ingress";
import { MetricsServer } from "../metrics";
import { MonitoringStack, ScrapedApi } from "./monitoringStack";

/** What the stack exports about monitoring. */
export interface ObservabilityLayer {
  /** Grafana's URL, with `full`. */
  readonly grafanaUrl?: string;
  /** Grafana's admin password (secret), with `full`. */
  readonly grafanaAdminPassword?: pulumi.Output<string>;
}

/**
 * What the stack's `observability` asks for: metrics-server where the cluster has none (with `metrics`
 * and `full`; the app's HPAs read it), and with `full` the monitoring stack, which scrapes the app's
 * api and, where the program installs it, cert-manager.
 */
export function createObservability(
  config: PlatformConfig,
  platform: {
    cluster: Cluster;
    ingress: IngressLayer;
    api: ScrapedApi;
    /** Velero, where the stack runs it: scraped, and alerted on when its backups stop. */
    clusterBackup?: Velero;
  },
): ObservabilityLayer {
  const name = `platform-${config.stack}`;
  const { cluster, ingress } = platform;
  const offlineBundle = "offlineBundle" in config ? config.offlineBundle : undefined;
  if (config.installMetricsServer) {
    // Two replicas (and a PodDisruptionBudget) where nodes come and go.
    const replicas = config.cluster.provider === "doks" && config.cluster.nodePool.autoScale ? 2 : 1;
    new MetricsServer(`${name}-metrics-server`, {
      provider: cluster.provider,
      replicas,
      ...(offlineBundle ? { offlineBundle } : {}),
    });
  }
  const observability = config.observability;
  if (observability.level !== "full") return {};

  const zone = config.ingress.dnsZone;
  const stack = new MonitoringStack(`${name}-monitoring`, {
    provider: cluster.provider,
    metrics: observability.metrics,
    logs: observability.logs,
    grafana: {
      host: observability.grafana.host,
      ...(observability.grafana.adminPassword
        ? { adminPassword: pulumi.secret(observability.grafana.adminPassword.reveal()) }
        : {}),
      ...(config.cluster.provider === "k0s" ? { httpPort: config.cluster.ingressHttpPort } : {}),
    },
    ingress: {
      className: ingress.className,
      controllerNamespace: ingress.controllerNamespace,
      controllerLabels: ingress.controllerLabels,
      ...(ingress.clusterIssuer ? { clusterIssuer: ingress.clusterIssuer } : {}),
      ...(ingress.controller ? { controller: ingress.controller } : {}),
      ...(ingress.gateway ? { gateway: ingress.gateway } : {}),
    },
    ...(zone && ingress.loadBalancerIp ? { dns: { zone, ip: ingress.loadBalancerIp } } : {}),
    api: platform.api,
    database: config.database.mode,
    ...(ingress.certManagerNamespace
      ? {
          certManager: {
            namespace: { name: "cert-manager", output: ingress.certManagerNamespace },
            labels: CERT_MANAGER_CONTROLLER_LABELS,
          },
        }
      : {}),
    ...(platform.clusterBackup && "velero" in config && config.velero
      ? {
          velero: {
            namespace: { name: VELERO_NAMESPACE, output: platform.clusterBackup.namespace },
            labels: VELERO_SERVER_LABELS,
            metricsPort: VELERO_METRICS_PORT,
            schedule: VELERO_SCHEDULE,
          },
        }
      : {}),
    // The program's own clusters: DOKS manages the control plane; k0s runs it outside any pod.
    scrapeControlPlane: false,
    ...(offlineBundle ? { offlineBundle } : {}),
  });
  return { grafanaUrl: stack.grafanaUrl, grafanaAdminPassword: stack.grafanaAdminPassword };
}
