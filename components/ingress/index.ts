export {
  CERT_MANAGER_CONTROLLER_LABELS,
  CertManager,
  certManagerNetworkPolicies,
  certManagerValues,
  WEBHOOK_CA_BUNDLE_WAIT,
} from "./certManager";
export type { CertManagerArgs, GatewayListenerRef, IngressControllerPods } from "./certManager";
export {
  gatewayListeners,
  HTTP_LISTENER,
  PLATFORM_GATEWAY,
  PlatformGateway,
  siteTlsSecret,
  TRAEFIK_GATEWAY_CLASS,
} from "./gateway";
export type { GatewayRef, PlatformGatewayArgs } from "./gateway";
export type { IngressTarget } from "./target";
export { GatewayApiCrds, retainGatewayApiObjects } from "./gatewayCrds";
export { createHttpRoutes } from "./httpRoutes";
export type { HttpRoutesArgs, RouteBackend } from "./httpRoutes";
export {
  Traefik,
  TRAEFIK_ENTRYPOINT_PORTS,
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
