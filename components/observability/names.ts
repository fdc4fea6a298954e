// Names, labels and ports of the monitoring stack that the values, network policies, ServiceMonitors
// and alerts must agree on. The charts' own labels, stated once.

/** The restricted namespace of Prometheus, Alertmanager, Grafana, Loki and the operator. */
export const MONITORING_NAMESPACE = "monitoring";
/**
 * The namespace of the agents that read the nodes themselves (node-exporter: the host's /proc, /sys
 * and network; Alloy: the pods' log files), the only one below the restricted Pod Security level.
 */
export const NODE_AGENTS_NAMESPACE = "monitoring-node";

/** Helm release of kube-prometheus-stack; its Prometheus selects ServiceMonitors and rules carrying `release: <this>`. */
export const KPS_RELEASE = "kube-prometheus-stack";
/** Object name prefix of the stack (`kps-prometheus`, `kps-alertmanager`, `kps-operator`). */
export const KPS_FULLNAME = "kps";
/** The label by which Prometheus picks up ServiceMonitors and PrometheusRules. */
export const RELEASE_LABEL = { release: KPS_RELEASE };
export const LOKI_RELEASE = "loki";
export const ALLOY_RELEASE = "alloy";

/** Labels of each component's pods (the charts' and the operator's `app.kubernetes.io/name`). */
export const POD_LABELS = {
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
  operator: { "app.kubernetes.io/name": "kube-prometheus-stack-prometheus-operator" },
  kubeStateMetrics: { "app.kubernetes.io/name": "kube-state-metrics" },
  grafana: { "app.kubernetes.io/name": "grafana" },
  loki: { "app.kubernetes.io/name": "loki" },
  alloy: { "app.kubernetes.io/name": "alloy" },
  nodeExporter: { "app.kubernetes.io/name": "prometheus-node-exporter" },
} as const;

/** Ports the components listen on. */
export const PORTS = {
  /**
   * Grafana's HTTP port: 8080, the port of the platform's backends, which Traefik's egress policy
   * already admits into the platform's namespaces (Grafana's own default is 3000).
   */
  grafana: 8080,
  grafanaService: 80,
  prometheus: 9090,
  alertmanager: 9093,
  loki: 3100,
  lokiGrpc: 9095,
  lokiMemberlist: 7946,
  alloy: 12345,
  nodeExporter: 9100,
  kubelet: 10250,
  /** cert-manager's controller metrics (its chart's `prometheus.enabled` default). */
  certManagerMetrics: 9402,
  coreDnsMetrics: 9153,
  /** cert-manager's HTTP-01 solver, for Grafana's certificate. */
  acmeSolver: 8089,
} as const;

/** Datasource UIDs the dashboard refers to. */
export const DATASOURCES = { prometheus: "prometheus", loki: "loki" } as const;

/** Labels that make Grafana's sidecar load a ConfigMap as a dashboard (kube-prometheus-stack's defaults, stated). */
export const DASHBOARD_LABEL: { readonly grafana_dashboard: string } = { grafana_dashboard: "1" };
