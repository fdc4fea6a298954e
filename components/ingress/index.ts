export {
  CERT_MANAGER_CONTROLLER_LABELS,
  CertManager,
  certManagerNetworkPolicies,
  certManagerValues,
  WEBHOOK_CA_BUNDLE_WAIT,
} from "./certManager";
export type { CertManagerArgs, IngressControllerPods } from "./certManager";
export {
  Traefik,
  TRAEFIK_INGRESS_CLASS,
  TRAEFIK_NAMESPACE,
  TRAEFIK_POD_LABELS,
  traefikNetworkPolicies,
  traefikValues,
} from "./traefik";
export type { TraefikArgs, TraefikExposure } from "./traefik";
export * from "./versions";
export { createIngress } from "./ingressLayer";
export type { IngressLayer } from "./ingressLayer";
