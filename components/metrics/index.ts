export { MetricsServer, metricsServerNetworkPolicies, metricsServerValues } from "./metricsServer";
export type { MetricsServerArgs } from "./metricsServer";
export * from "./versions";
