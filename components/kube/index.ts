// Kubernetes building blocks every component shares: labels, hardened security contexts, network
// policies and restricted namespaces. Imports no component: the layers import it, never the reverse.
export { chartSource } from "./chartSource";
export type { ChartRef, ChartSource } from "./chartSource";
export { componentLabels, spreadAcrossNodes } from "./labels";
export { fromBundle } from "./fromBundle";
export { manifestSource } from "./manifestSource";
export { hostAccessNamespace, podSecurityLabels, PSA_VERSION, restrictedNamespace } from "./namespace";
export type { PodSecurityLevel } from "./namespace";
export {
  childName,
  createNetworkPolicies,
  DEFAULT_DENY,
  DNS_EGRESS,
  HTTPS_AND_API_EGRESS,
  podsIn,
} from "./networkPolicies";
export type { NamedPolicy } from "./networkPolicies";
export { restrictedContainerSecurity, restrictedPodSecurity, TMP_MOUNT, TMP_VOLUME } from "./security";
