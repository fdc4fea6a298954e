// Pinned third-party versions, each in one place (Renovate's custom managers update these lines).

/**
 * kube-prometheus-stack (prometheus-community): the Prometheus operator and its CRDs, Prometheus
 * v3.14.0, Alertmanager, Grafana (grafana-community chart 12.11.1, Grafana 13.2.0), kube-state-metrics
 * and node-exporter. Keep scripts/alerts/versions.env at the Prometheus it ships.
 */
// renovate: datasource=helm registryUrl=https://prometheus-community.github.io/helm-charts depName=kube-prometheus-stack
export const KUBE_PROMETHEUS_STACK_CHART_VERSION = "88.5.3";
export const KUBE_PROMETHEUS_STACK_CHART_REPO = "https://prometheus-community.github.io/helm-charts";

/**
 * Loki from the community chart (Grafana moved the OSS chart to grafana-community in March 2026);
 * it ships Loki 3.7.6.
 */
// renovate: datasource=helm registryUrl=https://grafana-community.github.io/helm-charts depName=loki
export const LOKI_CHART_VERSION = "18.11.0";
export const LOKI_CHART_REPO = "https://grafana-community.github.io/helm-charts";

/** Grafana Alloy, the log collector (Promtail's successor); it ships Alloy v1.18.1. */
// renovate: datasource=helm registryUrl=https://grafana.github.io/helm-charts depName=alloy
export const ALLOY_CHART_VERSION = "1.11.1";
export const ALLOY_CHART_REPO = "https://grafana.github.io/helm-charts";
