/**
 * Every configuration key of the project and its Pulumi type. Pulumi.yaml declares the same keys
 * with defaults and descriptions; `test/config/projectFile.spec.ts` keeps the two in step.
 */
export type KeyType = "string" | "integer" | "boolean" | "array";

/** The project name, which is the namespace of every key (`platform:<key>`). */
export const PROJECT = "platform";

export const KEY_TYPES = {
  clusterProvider: "string",
  protect: "boolean",
  tags: "array",

  k0sVersion: "string",
  k0sApiPort: "integer",
  ingressHttpPort: "integer",
  ingressHttpsPort: "integer",
  registryPort: "integer",
  registryImage: "string",

  region: "string",
  kubernetesVersionPrefix: "string",
  haControlPlane: "boolean",
  autoUpgrade: "boolean",
  maintenanceDay: "string",
  maintenanceStartTime: "string",
  surgeUpgrade: "boolean",
  nodeSize: "string",
  nodeAutoScale: "boolean",
  nodeCount: "integer",
  nodeMinCount: "integer",
  nodeMaxCount: "integer",
  vpcIpRange: "string",
  apiAllowList: "array",
  registryName: "string",
  registryTier: "string",

  appHost: "string",
  appReplicas: "integer",
  appAutoscale: "boolean",
  appMinReplicas: "integer",
  appMaxReplicas: "integer",
  ingressReplicas: "integer",
  tls: "boolean",
  acmeEmail: "string",
  acmeServer: "string",
  dnsZone: "string",

  databaseMode: "string",
  databaseImage: "string",
  databaseStorageGi: "integer",
  databaseBackupSchedule: "string",
  databaseVersion: "string",
  databaseSize: "string",
  databaseNodeCount: "integer",
} as const satisfies Record<string, KeyType>;

/** Name of a config key without its namespace. */
export type KeyName = keyof typeof KEY_TYPES;
