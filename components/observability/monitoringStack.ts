import * as digitalocean from "@pulumi/digitalocean";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { TelemetryStoreConfig } from "../../config";
import type { OfflineBundle } from "../../offline";
import {
  chartSource,
  childName,
  createNetworkPolicies,
  hostAccessNamespace,
  podsIn,
  restrictedNamespace,
} from "../kube";
import type { IngressTarget } from "../ingress";
import { alertRuleGroups } from "./alerts";
import { appDashboard } from "./dashboard";
import { grafanaRoutes } from "./grafanaRoute";
import {
  DASHBOARD_LABEL,
  KPS_RELEASE,
  ALLOY_RELEASE,
  LOKI_RELEASE,
  MONITORING_NAMESPACE,
  NODE_AGENTS_NAMESPACE,
  RELEASE_LABEL,
} from "./names";
import {
  apiMetricsPolicy,
  certManagerMetricsPolicy,
  monitoringNetworkPolicies,
  nodeAgentsNetworkPolicies,
  ScrapeTargets,
  veleroMetricsPolicy,
} from "./networkPolicies";
import { alloyValues, kubePrometheusStackValues, LOKI_PUSH_URL, lokiValues } from "./values";
import {
  ALLOY_CHART_REPO,
  ALLOY_CHART_VERSION,
  KUBE_PROMETHEUS_STACK_CHART_REPO,
  KUBE_PROMETHEUS_STACK_CHART_VERSION,
  LOKI_CHART_REPO,
  LOKI_CHART_VERSION,
} from "./versions";

/**
 * A namespace of another component: its name, for queries and selectors, and the output of its
 * Namespace's name, so that what is placed in it waits for it.
 */
export interface NamespaceRef {
  readonly name: string;
  readonly output: pulumi.Input<string>;
}

/** The app's api as Prometheus scrapes it. */
export interface ScrapedApi {
  readonly namespace: NamespaceRef;
  /** Name of the api's Service: the Prometheus job of its metrics. */
  readonly serviceName: string;
  /** Labels of the api's Service and pods. */
  readonly labels: Record<string, string>;
  /** Name and number of the Service port that serves `/metrics`. */
  readonly portName: string;
  readonly port: number;
}

/** Arguments of {@link MonitoringStack}. */
export interface MonitoringStackArgs {
  readonly provider: k8s.Provider;
  /** Prometheus's retention and volume (Alertmanager's small volume follows its storage class). */
  readonly metrics: TelemetryStoreConfig;
  /** Loki's retention and volume. */
  readonly logs: TelemetryStoreConfig;
  readonly grafana: {
    readonly host: string;
    /** A password the team manages; absent: one is generated and kept in the state. */
    readonly adminPassword?: pulumi.Input<string>;
    /** Port the ingress serves plain HTTP on, when not 80 (the laptop's published port). */
    readonly httpPort?: number;
  };
  /** How Grafana is reached: the ingress controller, and the ClusterIssuer where the stack serves TLS. */
  readonly ingress: IngressTarget;
  /** An A record for Grafana's host, in a DigitalOcean DNS zone. Default: none. */
  readonly dns?: { readonly zone: string; readonly ip: pulumi.Input<string> };
  readonly api: ScrapedApi;
  /** Where PostgreSQL runs, for its alert. */
  readonly database: "in-cluster" | "managed";
  /** cert-manager's controller, when the program installs it: scraped for certificate expiry. */
  readonly certManager?: { readonly namespace: NamespaceRef; readonly labels: Record<string, string> };
  /** Velero, when the stack backs the cluster up: scraped for its last successful backup. */
  readonly velero?: {
    readonly namespace: NamespaceRef;
    readonly labels: Readonly<Record<string, string>>;
    /** The metrics Service's port name and the server's container port. */
    readonly metricsPort: { readonly name: string; readonly port: number };
    /** The schedule whose backups the alert watches. */
    readonly schedule: string;
  };
  /** Scrape etcd, the scheduler and the controller manager: never on a managed control plane. Default: false. */
  readonly scrapeControlPlane?: boolean;
  /** Install the charts from this offline bundle instead of their repositories. Default: the repositories. */
  readonly offlineBundle?: OfflineBundle;
}

/**
 * Prometheus (with the operator, Alertmanager, kube-state-metrics and node-exporter), Grafana and Loki
 * with Alloy, each from its pinned chart; a ServiceMonitor and alert rules for the app; the app's
 * dashboard as code; Grafana behind the ingress, with TLS where the stack has it.
 *
 * Two namespaces: `monitoring` (restricted, like every other namespace of the platform) and
 * `monitoring-node` for node-exporter and Alloy, which read the nodes themselves (privileged; the
 * policy pack's exemptions name exactly these two DaemonSets and this namespace).
 */
export class MonitoringStack extends pulumi.ComponentResource {
  /** Grafana's URL. */
  public readonly grafanaUrl: string;
  /** Grafana's admin password (secret); the user is `admin`. */
  public readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:MonitoringStack", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const tls = args.ingress.clusterIssuer !== undefined;
    const port =
      !tls && args.grafana.httpPort && args.grafana.httpPort !== 80 ? `:${args.grafana.httpPort}` : "";
    this.grafanaUrl = `${tls ? "https" : "http"}://${args.grafana.host}${port}`;

    const monitoring = restrictedNamespace(`${name}-ns`, MONITORING_NAMESPACE, k8sOpts);
    // node-exporter needs the host's network and PID namespaces and hostPath mounts, Alloy hostPath:
    // both beyond baseline, so the namespace is privileged (and holds nothing else).
    const nodeAgents = hostAccessNamespace(`${name}-node-ns`, NODE_AGENTS_NAMESPACE, "privileged", k8sOpts);
    const ns = monitoring.metadata.name;
    const inMonitoring = { ...k8sOpts, dependsOn: [monitoring] };

    // Given, or generated once and kept in the state; a Kubernetes Secret the chart reads it from.
    this.grafanaAdminPassword = pulumi.secret(
      args.grafana.adminPassword ??
        new random.RandomPassword(
          `${name}-grafana-password`,
          { length: 32, special: false },
          { parent: this },
        ).result,
    );
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        // Auto-named: a new password gets a new Secret, which changes Grafana's pod template.
        metadata: { namespace: ns, labels: { "app.kubernetes.io/part-of": "platform" } },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": this.grafanaAdminPassword },
      },
      { ...inMonitoring, additionalSecretOutputs: ["stringData", "data"] },
    );

    const stack = new k8s.helm.v4.Chart(
      `${name}-kube-prometheus-stack`,
      {
        name: KPS_RELEASE,
        ...chartSource(
          {
            chart: "kube-prometheus-stack",
            version: KUBE_PROMETHEUS_STACK_CHART_VERSION,
            repo: KUBE_PROMETHEUS_STACK_CHART_REPO,
          },
          args.offlineBundle,
        ),
        namespace: ns,
        values: kubePrometheusStackValues({
          metrics: args.metrics,
          grafanaUrl: `${this.grafanaUrl}/`,
          grafanaAdminSecret: adminSecret.metadata.name,
          tls,
          scrapeControlPlane: args.scrapeControlPlane ?? false,
        }),
      },
      {
        ...k8sOpts,
        dependsOn: [monitoring, nodeAgents],
        // The operator's CRDs are kept when the stack goes, as cert-manager's are: deleting them
        // would delete every ServiceMonitor and rule of other owners in the cluster with them.
        transforms: [retainCustomResourceDefinitions],
      },
    );
    const loki = new k8s.helm.v4.Chart(
      `${name}-loki`,
      {
        name: LOKI_RELEASE,
        ...chartSource(
          { chart: "loki", version: LOKI_CHART_VERSION, repo: LOKI_CHART_REPO },
          args.offlineBundle,
        ),
        namespace: ns,
        values: lokiValues({ logs: args.logs }),
      },
      inMonitoring,
    );
    new k8s.helm.v4.Chart(
      `${name}-alloy`,
      {
        name: ALLOY_RELEASE,
        ...chartSource(
          { chart: "alloy", version: ALLOY_CHART_VERSION, repo: ALLOY_CHART_REPO },
          args.offlineBundle,
        ),
        namespace: nodeAgents.metadata.name,
        values: alloyValues({ lokiPushUrl: LOKI_PUSH_URL }),
      },
      { ...k8sOpts, dependsOn: [nodeAgents, loki] },
    );

    // What uses the operator's CRDs waits for the chart that brings them.
    const afterCrds = { ...k8sOpts, dependsOn: [stack] };
    // Each scrape target, found by its Service's labels and port name in its own namespace.
    const serviceMonitor = (
      role: string,
      objectName: string,
      target: {
        namespace: string;
        labels: Readonly<Record<string, string>>;
        port: string;
        interval: string;
      },
    ) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${role}-servicemonitor`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: { name: objectName, namespace: ns, labels: RELEASE_LABEL },
          spec: {
            namespaceSelector: { matchNames: [target.namespace] },
            selector: { matchLabels: { ...target.labels } },
            endpoints: [{ port: target.port, path: "/metrics", interval: target.interval }],
          },
        },
        afterCrds,
      );
    serviceMonitor("api", "platform-api", {
      namespace: args.api.namespace.name,
      labels: args.api.labels,
      port: args.api.portName,
      interval: "30s",
    });
    if (args.certManager)
      serviceMonitor("cert-manager", "cert-manager", {
        namespace: args.certManager.namespace.name,
        labels: args.certManager.labels,
        port: "tcp-prometheus-servicemonitor",
        interval: "60s",
      });
    if (args.velero)
      serviceMonitor("velero", "velero", {
        namespace: args.velero.namespace.name,
        labels: args.velero.labels,
        port: args.velero.metricsPort.name,
        interval: "60s",
      });
    new k8s.apiextensions.CustomResource(
      `${name}-alerts`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "platform-alerts", namespace: ns, labels: RELEASE_LABEL },
        spec: {
          groups: alertRuleGroups({
            appNamespace: args.api.namespace.name,
            apiJob: args.api.serviceName,
            database: args.database,
            certificates: args.certManager !== undefined,
            ...(args.velero ? { clusterBackupSchedule: args.velero.schedule } : {}),
          }),
        },
      },
      afterCrds,
    );
    new k8s.core.v1.ConfigMap(
      `${name}-app-dashboard`,
      {
        metadata: { name: "platform-app-dashboard", namespace: ns, labels: DASHBOARD_LABEL },
        data: {
          "platform-app.json": JSON.stringify(
            appDashboard({
              appNamespace: args.api.namespace.name,
              apiJob: args.api.serviceName,
              database: args.database,
            }),
          ),
        },
      },
      inMonitoring,
    );

    // Default deny and the stack's flows in its two namespaces; in the app's and cert-manager's, the
    // one flow Prometheus adds (their own policies stay as their components wrote them).
    const targets: ScrapeTargets = {
      api: { namespace: args.api.namespace.name, labels: args.api.labels, port: args.api.port },
      ...(args.certManager
        ? { certManager: { namespace: args.certManager.namespace.name, labels: args.certManager.labels } }
        : {}),
      ...(args.velero
        ? {
            velero: {
              namespace: args.velero.namespace.name,
              labels: args.velero.labels,
              port: args.velero.metricsPort.port,
            },
          }
        : {}),
    };
    const controller = podsIn(args.ingress.controllerNamespace, args.ingress.controllerLabels);
    createNetworkPolicies(
      name,
      ns,
      monitoringNetworkPolicies(
        controller,
        targets,
        args.ingress.clusterIssuer !== undefined && !args.ingress.gateway,
      ),
      inMonitoring,
    );
    createNetworkPolicies(childName(name, "node"), nodeAgents.metadata.name, nodeAgentsNetworkPolicies(), {
      ...k8sOpts,
      dependsOn: [nodeAgents],
    });
    createNetworkPolicies(name, args.api.namespace.output, [apiMetricsPolicy(targets)], k8sOpts);
    if (args.certManager)
      createNetworkPolicies(
        name,
        args.certManager.namespace.output,
        [certManagerMetricsPolicy(args.certManager.labels)],
        k8sOpts,
      );
    if (args.velero && targets.velero)
      createNetworkPolicies(
        name,
        args.velero.namespace.output,
        [veleroMetricsPolicy(targets.velero)],
        k8sOpts,
      );

    const routes = grafanaRoutes(
      name,
      {
        host: args.grafana.host,
        namespace: ns,
        className: args.ingress.className,
        ...(tls ? { clusterIssuer: args.ingress.clusterIssuer! } : {}),
        ...(args.ingress.gateway ? { gateway: args.ingress.gateway } : {}),
      },
      { ...k8sOpts, dependsOn: [stack, ...(args.ingress.controller ? [args.ingress.controller] : [])] },
    );
    if (args.dns) {
      new digitalocean.DnsRecord(
        `${name}-grafana-dns`,
        {
          domain: args.dns.zone,
          type: "A",
          name: args.grafana.host.slice(0, -(args.dns.zone.length + 1)),
          value: args.dns.ip,
          ttl: 300,
        },
        { parent: this, dependsOn: routes },
      );
    }
    this.registerOutputs({ grafanaUrl: this.grafanaUrl, grafanaAdminPassword: this.grafanaAdminPassword });
  }
}

const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/**
 * Keeps a chart's CustomResourceDefinitions when the chart is deleted (`retainOnDelete`), as Helm's
 * `helm.sh/resource-policy: keep` would. A transform, because the operator's CRDs come from the chart's
 * `crds/` folder, which no value can annotate; the engine applies it to each object the chart renders.
 */
export const retainCustomResourceDefinitions: pulumi.ResourceTransform = (args) =>
  args.type === CRD_TYPE
    ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }) }
    : undefined;
