// Pinned third-party versions, each in one place (Renovate's custom managers update these lines).

/** metrics-server's official chart (https://kubernetes-sigs.github.io/metrics-server/); it ships metrics-server v0.8.1. */
// renovate: datasource=helm registryUrl=https://kubernetes-sigs.github.io/metrics-server/ depName=metrics-server
export const METRICS_SERVER_CHART_VERSION = "3.13.1";
export const METRICS_SERVER_CHART_REPO = "https://kubernetes-sigs.github.io/metrics-server/";
