// Pinned third-party versions, each in one place (Renovate's custom managers update these lines).

/** Traefik's official chart (https://traefik.github.io/charts); it ships Traefik v3.7.11. */
// renovate: datasource=helm registryUrl=https://traefik.github.io/charts depName=traefik
export const TRAEFIK_CHART_VERSION = "41.3.0";
export const TRAEFIK_CHART_REPO = "https://traefik.github.io/charts";

/** cert-manager's official chart. */
// renovate: datasource=helm registryUrl=https://charts.jetstack.io depName=cert-manager
export const CERT_MANAGER_CHART_VERSION = "v1.21.1";
export const CERT_MANAGER_CHART_REPO = "https://charts.jetstack.io";

/**
 * The Gateway API's standard channel CRDs: the release the pinned Traefik supports (its chart's notes
 * apply this one) and that `@kubernetes-models/gateway-api` models for the pack's schema check.
 */
// renovate: datasource=github-releases registryUrl=https://github.com depName=kubernetes-sigs/gateway-api
export const GATEWAY_API_VERSION = "v1.5.1";
/** The release's standard-channel manifest, as the Gateway API's install guide applies it. */
export const GATEWAY_API_CRDS_URL = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`;
