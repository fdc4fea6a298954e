// Monitoring and logs: metrics-server where the cluster lacks one, and with `observability: full`
// Prometheus (alerts included), Grafana, Loki and Alloy. Only the public surface is exported.
export { createObservability } from "./observabilityLayer";
export type { ObservabilityLayer } from "./observabilityLayer";
export { MonitoringStack, retainCustomResourceDefinitions } from "./monitoringStack";
export type { MonitoringStackArgs, NamespaceRef, ScrapedApi } from "./monitoringStack";
export { alertRuleGroups } from "./alerts";
export type { AlertRule, AlertRuleGroup, AlertRuleOptions } from "./alerts";
export { appDashboard, DASHBOARD_UID } from "./dashboard";
export {
  alloyConfig,
  alloyValues,
  kubePrometheusStackValues,
  LOKI_PUSH_URL,
  lokiValues,
  nodeExporterValues,
  RESOURCES,
} from "./values";
export {
  apiMetricsPolicy,
  certManagerMetricsPolicy,
  monitoringNetworkPolicies,
  nodeAgentsNetworkPolicies,
} from "./networkPolicies";
export * from "./names";
export * from "./versions";
