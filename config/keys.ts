/**
 * Every configuration key of the project: its Pulumi type, its default and the cluster providers it
 * applies to. Pulumi.yaml declares the same keys with the same types and defaults, plus a
 * description; `test/config/projectFile.spec.ts` keeps the two in step.
 */
export type KeyType = "string" | "integer" | "boolean" | "array" | "object";

/** The project name, which is the namespace of every key (`platform:<key>`). */
export const PROJECT = "platform";

/** Where a stack's cluster runs: local k0s in Docker, DigitalOcean, or a cluster the user already has. */
export const CLUSTER_PROVIDERS = ["k0s", "doks", "existing"] as const;
export type ClusterProvider = (typeof CLUSTER_PROVIDERS)[number];

interface KeySpec {
  readonly type: KeyType;
  /** The default declared in Pulumi.yaml; absent for the one key every stack must set. */
  readonly default?: unknown;
  /** Providers the key means something for; elsewhere a value other than the default is refused. */
  readonly appliesTo: readonly ClusterProvider[];
  /** A secret: refused unless set with `pulumi config set --secret`. */
  readonly secret?: true;
}

const ALL = CLUSTER_PROVIDERS;
const K0S = ["k0s"] as const;
const DOKS = ["doks"] as const;
const EXISTING = ["existing"] as const;

export const KEYS = {
  clusterProvider: { type: "string", appliesTo: ALL },
  protect: { type: "boolean", default: false, appliesTo: ALL },
  tags: { type: "array", default: [], appliesTo: DOKS },

  k0sVersion: { type: "string", default: "v1.36.3+k0s.2", appliesTo: K0S },
  k0sApiPort: { type: "integer", default: 6443, appliesTo: K0S },
  ingressHttpPort: { type: "integer", default: 8080, appliesTo: K0S },
  ingressHttpsPort: { type: "integer", default: 8443, appliesTo: K0S },
  registryPort: { type: "integer", default: 5001, appliesTo: K0S },
  // Renovate pins digests onto these images (renovate.json): formatted by hand, so that a pinned
  // image, longer than a line, still passes `prettier --check`.
  // prettier-ignore
  registryImage: { type: "string", default: "docker.io/library/registry:3.1.1", appliesTo: K0S },
  offlineBundle: { type: "string", default: "", appliesTo: K0S },

  region: { type: "string", default: "", appliesTo: DOKS },
  kubernetesVersionPrefix: { type: "string", default: "", appliesTo: DOKS },
  haControlPlane: { type: "boolean", default: false, appliesTo: DOKS },
  autoUpgrade: { type: "boolean", default: false, appliesTo: DOKS },
  maintenanceDay: { type: "string", default: "any", appliesTo: DOKS },
  maintenanceStartTime: { type: "string", default: "04:00", appliesTo: DOKS },
  surgeUpgrade: { type: "boolean", default: true, appliesTo: DOKS },
  nodeSize: { type: "string", default: "s-2vcpu-4gb", appliesTo: DOKS },
  nodeAutoScale: { type: "boolean", default: false, appliesTo: DOKS },
  nodeCount: { type: "integer", default: 2, appliesTo: DOKS },
  nodeMinCount: { type: "integer", default: 2, appliesTo: DOKS },
  nodeMaxCount: { type: "integer", default: 3, appliesTo: DOKS },
  vpcIpRange: { type: "string", default: "", appliesTo: DOKS },
  apiAllowList: { type: "array", default: [], appliesTo: DOKS },
  registryName: { type: "string", default: "", appliesTo: DOKS },
  registryTier: { type: "string", default: "basic", appliesTo: DOKS },

  kubeconfig: { type: "string", default: "", appliesTo: EXISTING, secret: true },
  kubeconfigPath: { type: "string", default: "", appliesTo: EXISTING },
  kubeconfigContext: { type: "string", default: "", appliesTo: EXISTING },
  registryServer: { type: "string", default: "", appliesTo: EXISTING },
  registryPullSecret: { type: "string", default: "", appliesTo: EXISTING, secret: true },
  ingressController: { type: "string", default: "traefik", appliesTo: EXISTING },
  ingressClassName: { type: "string", default: "", appliesTo: EXISTING },
  ingressControllerNamespace: { type: "string", default: "", appliesTo: EXISTING },
  certManager: { type: "string", default: "install", appliesTo: EXISTING },
  clusterIssuer: { type: "string", default: "", appliesTo: EXISTING },
  metricsServer: { type: "string", default: "existing", appliesTo: EXISTING },

  appHost: { type: "string", default: "app.localhost", appliesTo: ALL },
  appImages: { type: "object", default: {}, appliesTo: ALL },
  appLogLevel: { type: "string", default: "info", appliesTo: ALL },
  appReplicas: { type: "integer", default: 1, appliesTo: ALL },
  appAutoscale: { type: "boolean", default: false, appliesTo: ALL },
  appMinReplicas: { type: "integer", default: 2, appliesTo: ALL },
  appMaxReplicas: { type: "integer", default: 4, appliesTo: ALL },
  ingressReplicas: { type: "integer", default: 1, appliesTo: ALL },
  routing: { type: "string", default: "ingress", appliesTo: ALL },
  tls: { type: "boolean", default: false, appliesTo: ["doks", "existing"] },
  acmeEmail: { type: "string", default: "", appliesTo: ["doks", "existing"] },
  acmeServer: { type: "string", default: "staging", appliesTo: ["doks", "existing"] },
  dnsZone: { type: "string", default: "", appliesTo: DOKS },

  databaseMode: { type: "string", default: "in-cluster", appliesTo: ALL },
  // prettier-ignore
  databaseImage: { type: "string", default: "docker.io/library/postgres:17.11-bookworm", appliesTo: ALL },
  databasePassword: { type: "string", default: "", appliesTo: ALL, secret: true },
  databaseStorageGi: { type: "integer", default: 10, appliesTo: ["doks", "existing"] },
  databaseStorageClass: { type: "string", default: "", appliesTo: EXISTING },
  databaseBackupSchedule: { type: "string", default: "30 2 * * *", appliesTo: ALL },
  databaseBackupRetentionDays: { type: "integer", default: 7, appliesTo: ALL },
  databaseBackupS3Endpoint: { type: "string", default: "", appliesTo: EXISTING },
  databaseBackupS3Bucket: { type: "string", default: "", appliesTo: EXISTING },
  databaseBackupS3Region: { type: "string", default: "", appliesTo: EXISTING },
  databaseBackupS3AccessKeyId: { type: "string", default: "", appliesTo: EXISTING, secret: true },
  databaseBackupS3SecretAccessKey: { type: "string", default: "", appliesTo: EXISTING, secret: true },
  databaseVersion: { type: "string", default: "17", appliesTo: DOKS },
  databaseSize: { type: "string", default: "db-s-1vcpu-2gb", appliesTo: DOKS },
  databaseNodeCount: { type: "integer", default: 1, appliesTo: DOKS },

  velero: { type: "boolean", default: false, appliesTo: DOKS },
  veleroSchedule: { type: "string", default: "0 1 * * *", appliesTo: DOKS },
  veleroRetentionDays: { type: "integer", default: 14, appliesTo: DOKS },
  veleroSnapshotToken: { type: "string", default: "", appliesTo: DOKS, secret: true },

  observability: { type: "string", default: "metrics", appliesTo: ALL },
  grafanaHost: { type: "string", default: "", appliesTo: ALL },
  grafanaAdminPassword: { type: "string", default: "", appliesTo: ALL, secret: true },
  metricsRetentionDays: { type: "integer", default: 7, appliesTo: ALL },
  metricsStorageGi: { type: "integer", default: 10, appliesTo: ["doks", "existing"] },
  logsRetentionDays: { type: "integer", default: 7, appliesTo: ALL },
  logsStorageGi: { type: "integer", default: 10, appliesTo: ["doks", "existing"] },
} as const satisfies Record<string, KeySpec>;

/** Name of a config key without its namespace. */
export type KeyName = keyof typeof KEYS;

/** Each key's Pulumi type, as Pulumi.yaml declares it. */
export const KEY_TYPES = Object.fromEntries(
  Object.entries(KEYS).map(([name, spec]) => [name, spec.type]),
) as { readonly [K in KeyName]: (typeof KEYS)[K]["type"] };

/** The keys whose values must be Pulumi secrets. */
export const SECRET_KEYS = (Object.keys(KEYS) as KeyName[]).filter(
  (name) => (KEYS[name] as KeySpec).secret === true,
);

/** Each key's default, as Pulumi.yaml declares it (undefined: the stack must set the key). */
export const KEY_DEFAULTS = Object.fromEntries(
  Object.entries(KEYS).map(([name, spec]) => [name, (spec as KeySpec).default]),
) as Readonly<Record<KeyName, unknown>>;
