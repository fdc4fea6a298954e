// Pinned third-party versions, each in one place (Renovate's custom managers update these lines).

/** Velero's official chart (https://vmware-tanzu.github.io/helm-charts); it ships Velero v1.18.1. */
// renovate: datasource=helm registryUrl=https://vmware-tanzu.github.io/helm-charts depName=velero
export const VELERO_CHART_VERSION = "12.1.0";
export const VELERO_CHART_REPO = "https://vmware-tanzu.github.io/helm-charts";

/** Velero's server image: the chart's appVersion, stated so that the chart's image cannot drift from it. */
// renovate: datasource=docker registryUrl=https://index.docker.io depName=velero/velero
export const VELERO_VERSION = "v1.18.1";

/** The object-store plugin (S3 API: Spaces) of the Velero release above (its compatibility table). */
// renovate: datasource=docker registryUrl=https://index.docker.io depName=velero/velero-plugin-for-aws
export const VELERO_AWS_PLUGIN_VERSION = "v1.14.0";

/** DigitalOcean's volume-snapshot plugin (block storage snapshots through the DigitalOcean API). */
// renovate: datasource=docker registryUrl=https://index.docker.io depName=digitalocean/velero-plugin
export const VELERO_DIGITALOCEAN_PLUGIN_VERSION = "v1.1.0";
