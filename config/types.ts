import type { OfflineBundle } from "../offline";
import type { SecretValue } from "./secret";

/** The validated configuration of one stack: what the components are built from. */
export type PlatformConfig = LocalPlatformConfig | CloudPlatformConfig | ExistingPlatformConfig;

/** Settings every stack has. */
interface CommonConfig {
  /** Stack name, used only to derive resource names. Behaviour never depends on it. */
  readonly stack: string;
  /** Protect the cluster, the registry and data-holding resources from deletion. */
  readonly protect: boolean;
  /** Tags for DigitalOcean resources, the stack name included. */
  readonly tags: readonly string[];
  readonly ingress: IngressConfig;
  readonly app: AppConfig;
  /**
   * Install metrics-server (the source of the metrics API that HorizontalPodAutoscalers and
   * `kubectl top` read): wherever `observability` is `metrics` or `full` and the cluster has none
   * (DOKS ships none; k0s ships its own; an existing cluster says).
   */
  readonly installMetricsServer: boolean;
  /** Monitoring and logs on the cluster. */
  readonly observability: ObservabilityConfig;
}

/** Everything on this machine: k0s in Docker and a local registry. */
export interface LocalPlatformConfig extends CommonConfig {
  readonly cluster: LocalClusterConfig;
  readonly registry: LocalRegistryConfig;
  readonly database: InClusterDatabaseConfig;
  /** The offline bundle every image and chart comes from (`offlineBundle`); absent: pulled from the network. */
  readonly offlineBundle?: OfflineBundle;
}

/** DigitalOcean: DOKS and DOCR. */
export interface CloudPlatformConfig extends CommonConfig {
  readonly cluster: DoksClusterConfig;
  readonly registry: DocrConfig;
  readonly database: InClusterDatabaseConfig | ManagedDatabaseConfig;
  /** Velero's cluster backups; absent: off. */
  readonly velero?: VeleroConfig;
}

/** A cluster the user already has (kind, minikube, a company cluster), reached through a kubeconfig. */
export interface ExistingPlatformConfig extends CommonConfig {
  readonly cluster: ExistingClusterConfig;
  readonly registry: ExternalRegistryConfig;
  readonly database: InClusterDatabaseConfig;
}

/** A single-node k0s cluster in a Docker container on this machine. */
export interface LocalClusterConfig {
  readonly provider: "k0s";
  /** k0s release, e.g. `v1.34.1+k0s.0`. */
  readonly k0sVersion: string;
  /** The k0s image for that release (`+` becomes `-` in the tag). */
  readonly image: string;
  /** Ports published on 127.0.0.1: Kubernetes API, ingress HTTP and HTTPS. */
  readonly apiPort: number;
  readonly ingressHttpPort: number;
  readonly ingressHttpsPort: number;
}

/** A DigitalOcean Kubernetes (DOKS) cluster. */
export interface DoksClusterConfig {
  readonly provider: "doks";
  readonly region: string;
  /** Minor version to track (`1.33.`); resolved to the newest patch with getKubernetesVersions. */
  readonly versionPrefix: string;
  readonly ha: boolean;
  readonly autoUpgrade: boolean;
  readonly maintenance: { readonly day: string; readonly startTime: string };
  readonly surgeUpgrade: boolean;
  readonly nodePool: NodePoolConfig;
  /** CIDR of the VPC; DigitalOcean picks one when absent. */
  readonly vpcIpRange?: string;
  /** CIDRs allowed to reach the API server; an empty list leaves the control-plane firewall off. */
  readonly apiAllowList: readonly string[];
}

/** The default node pool: fixed size, or autoscaling between two bounds. */
export type NodePoolConfig =
  | { readonly size: string; readonly autoScale: false; readonly nodeCount: number }
  | { readonly size: string; readonly autoScale: true; readonly minNodes: number; readonly maxNodes: number };

/** An existing cluster and how to reach it. */
export interface ExistingClusterConfig {
  readonly provider: "existing";
  /**
   * A kubeconfig given as a Pulumi secret, or the path of a kubeconfig file that the Kubernetes
   * provider reads on every run (so short-lived credentials in it are picked up; only the path is
   * stored in the state). `~/` means the home directory of whoever runs Pulumi.
   */
  readonly kubeconfig:
    | { readonly source: "secret"; readonly value: SecretValue }
    | { readonly source: "path"; readonly path: string };
  /**
   * Context of the kubeconfig to use: the one configured, else a secret kubeconfig's current
   * context; absent only for a file's current context (read by the provider at each run).
   */
  readonly context?: string;
}

/** A registry the user names, for an existing cluster. */
export interface ExternalRegistryConfig {
  readonly provider: "external";
  /** Prefix the app's images are pushed to (`ghcr.io/acme`, `localhost:5001`); absent when they are given by reference. */
  readonly server?: string;
  /** `.dockerconfigjson` the cluster pulls the app's images with; absent for a registry without authentication. */
  readonly pullDockerConfigJson?: SecretValue;
}

/** A registry container on the cluster's Docker network, published on 127.0.0.1. */
export interface LocalRegistryConfig {
  readonly provider: "local";
  readonly image: string;
  readonly port: number;
  /** Host that image references start with, the same from the host and from the node. */
  readonly host: string;
}

/** A DigitalOcean Container Registry. */
export interface DocrConfig {
  readonly provider: "docr";
  readonly name: string;
  readonly tier: "starter" | "basic" | "professional";
  readonly region: string;
}

/** The ingress controller and, where the stack serves HTTPS, its certificates and DNS. */
export interface IngressConfig {
  readonly controller: IngressControllerConfig;
  /** HTTPS with a certificate from cert-manager; absent: plain HTTP. */
  readonly tls?: TlsConfig;
  /** DigitalOcean DNS domain that gets an A record for the app's host. */
  readonly dnsZone?: string;
  /**
   * How requests are routed to the app and Grafana: `ingress` (Ingress objects) or `gateway` (the
   * Gateway API: a Gateway on the installed Traefik, HTTPRoutes, certificates issued per listener).
   */
  readonly routing: RoutingMode;
}

/** Ingress objects, or the Gateway API (`platform:routing`). */
export type RoutingMode = "ingress" | "gateway";

/** Traefik installed by the program, or the controller the cluster already runs. */
export type IngressControllerConfig =
  | { readonly kind: "traefik"; readonly replicas: number }
  | {
      readonly kind: "existing";
      /** IngressClass of the cluster's controller. */
      readonly className: string;
      /** Namespace of the controller's pods, which the app's network policies admit. */
      readonly namespace: string;
    };

/** Where certificates come from when the stack serves HTTPS. */
export interface TlsConfig {
  /** cert-manager installed from its chart, or the cluster's own. */
  readonly certManager: "install" | "existing";
  /** The program's Let's Encrypt ClusterIssuer, or a ClusterIssuer the cluster already has. */
  readonly issuer:
    | {
        readonly kind: "letsencrypt";
        readonly acmeEmail: string;
        readonly acmeServer: "staging" | "production";
      }
    | { readonly kind: "existing"; readonly name: string };
}

/** The app's images: built from `app/` and pushed to the stack's registry, or given by digest. */
export type AppImagesConfig =
  { readonly source: "build" } | { readonly source: "reference"; readonly api: string; readonly web: string };

/** The sample app: where it is reachable, which images it runs and how many replicas serve it. */
export interface AppConfig {
  readonly host: string;
  readonly images: AppImagesConfig;
  /** Lowest level the api logs: debug, info, warn or error. */
  readonly logLevel: "debug" | "info" | "warn" | "error";
  readonly scaling:
    | { readonly autoscale: false; readonly replicas: number }
    | { readonly autoscale: true; readonly minReplicas: number; readonly maxReplicas: number };
  /** Spread replicas across nodes (clusters with more than one node). */
  readonly spreadAcrossNodes: boolean;
}

/** PostgreSQL as a StatefulSet in the app's namespace. */
export interface InClusterDatabaseConfig {
  readonly mode: "in-cluster";
  readonly image: string;
  /**
   * emptyDir on a laptop; a PersistentVolumeClaim elsewhere, of the named StorageClass (absent: the
   * cluster's default class).
   */
  readonly storage:
    | { readonly kind: "emptyDir" }
    | { readonly kind: "pvc"; readonly sizeGi: number; readonly storageClass?: string };
  /** The database password, when the team manages it; absent: the program generates one. */
  readonly password?: SecretValue;
  /** Cron schedule of the pg_dump CronJob. */
  readonly backupSchedule: string;
  /** Where the dumps go. */
  readonly backup: DatabaseBackupConfig;
}

/**
 * Where the in-cluster database's nightly dumps go: a volume of the cluster (k0s: an emptyDir that
 * keeps nothing; an existing cluster without an S3 endpoint: a claim), a DigitalOcean Spaces bucket
 * the program creates (DOKS: the dumps outlive the cluster), or a bucket of an S3-compatible service
 * the stack names (an existing cluster).
 */
export type DatabaseBackupConfig =
  | { readonly store: "volume"; readonly retentionDays: number }
  | { readonly store: "spaces"; readonly region: string; readonly retentionDays: number }
  | {
      readonly store: "s3";
      readonly endpoint: string;
      readonly bucket: string;
      readonly region: string;
      readonly accessKeyId: SecretValue;
      readonly secretAccessKey: SecretValue;
    };

/** Velero's daily cluster backup into a Spaces bucket of its own (DOKS). */
export interface VeleroConfig {
  /** Cron schedule of the backup, UTC. */
  readonly schedule: string;
  /** Days each backup is kept (its TTL). */
  readonly retentionDays: number;
  /** Region of the bucket (the cluster's). */
  readonly region: string;
  /**
   * DigitalOcean API token for the DigitalOcean plugin's volume snapshots; absent: Kubernetes
   * objects only, no volume snapshots.
   */
  readonly snapshotToken?: SecretValue;
}

/** DigitalOcean managed PostgreSQL, reachable only from the cluster. */
export interface ManagedDatabaseConfig {
  readonly mode: "managed";
  readonly version: string;
  readonly size: string;
  /** 1: primary only; 2 or 3: primary and standby nodes. */
  readonly nodeCount: number;
  readonly region: string;
  /** The VPC the cluster's nodes are in: the only network allowed to reach the database. */
  readonly vpcIpRange: string;
}

/**
 * How much of the cluster is observed: `off` (nothing installed), `metrics` (metrics-server where the
 * cluster has none, nothing else) or `full` (Prometheus with alerts, Grafana, Loki and a log collector).
 */
export type ObservabilityConfig =
  | { readonly level: "off" | "metrics" }
  | {
      readonly level: "full";
      readonly grafana: GrafanaConfig;
      /** Prometheus's time series. */
      readonly metrics: TelemetryStoreConfig;
      /** Loki's log chunks and index. */
      readonly logs: TelemetryStoreConfig;
    };

/** Grafana, served through the stack's ingress. */
export interface GrafanaConfig {
  /** Host name of Grafana's Ingress (HTTPS where the stack serves TLS). */
  readonly host: string;
  /** The admin password, when the team manages it; absent: the program generates one. */
  readonly adminPassword?: SecretValue;
}

/** How long a telemetry store keeps its data and where. */
export interface TelemetryStoreConfig {
  readonly retentionDays: number;
  /**
   * emptyDir on a laptop (lost with the pod); a PersistentVolumeClaim elsewhere, of the named
   * StorageClass (absent: the cluster's default class).
   */
  readonly storage:
    | { readonly kind: "emptyDir" }
    | { readonly kind: "pvc"; readonly sizeGi: number; readonly storageClass?: string };
}
