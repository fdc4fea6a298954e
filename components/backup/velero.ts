import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  chartSource,
  createNetworkPolicies,
  DEFAULT_DENY,
  DNS_EGRESS,
  HTTPS_AND_API_EGRESS,
  NamedPolicy,
  restrictedNamespace,
} from "../kube";
import { SpacesBackupBucket } from "./spacesBucket";
import {
  VELERO_AWS_PLUGIN_VERSION,
  VELERO_CHART_REPO,
  VELERO_CHART_VERSION,
  VELERO_DIGITALOCEAN_PLUGIN_VERSION,
  VELERO_VERSION,
} from "./versions";

/** Arguments of {@link Velero}. */
export interface VeleroArgs {
  readonly provider: k8s.Provider;
  /** DigitalOcean region of the backup bucket (the cluster's). */
  readonly region: string;
  /** Cron schedule of the daily backup, UTC. */
  readonly schedule: string;
  /** Days each backup is kept before Velero deletes it (and its snapshots). */
  readonly retentionDays: number;
  /**
   * DigitalOcean API token (a secret) for the DigitalOcean plugin, which snapshots the cluster's
   * block-storage volumes. Absent: backups hold the Kubernetes objects only. Default: absent.
   */
  readonly snapshotToken?: pulumi.Input<string>;
  /** Protect the bucket (the backups) from deletion. Default: false. */
  readonly protect?: boolean;
}

/** The namespace Velero runs in, and the labels of its server's pods (the chart's). */
export const VELERO_NAMESPACE = "velero";
export const VELERO_SERVER_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "velero" };
const SERVER_LABELS = VELERO_SERVER_LABELS;
/** The server's metrics: the chart's Service port of that name, on this container port. */
export const VELERO_METRICS_PORT = { name: "http-monitoring", port: 8085 } as const;
/** Names of the custom resources: the backup location and the schedule the CLI and a restore use. */
export const VELERO_LOCATION = "default";
export const VELERO_SCHEDULE = "daily";
/** Where Velero's data lives in its bucket. */
const PREFIX = "cluster";

/**
 * Velero from its official chart in a restricted namespace of its own, backing up the whole
 * cluster's Kubernetes objects every day into a Spaces bucket outside the cluster (the AWS plugin
 * speaks Spaces' S3 API, with the bucket's own key), and, with a DigitalOcean API token, snapshots of
 * its block-storage volumes (DigitalOcean's plugin). Each backup is kept `retentionDays`.
 *
 * `helm.v4.Chart` renders no Helm hooks: the chart's CRD-upgrade Job (a pre-upgrade hook) never runs,
 * so it is switched off and the CRDs come from the chart's `crds/` directory, which the v4 Chart
 * applies (and updates) like any other object. The backup location, the snapshot location and the
 * schedule are custom resources of this component, created once the chart (its CRDs) exists.
 */
export class Velero extends pulumi.ComponentResource {
  /** The bucket the backups are in. */
  public readonly bucketName: pulumi.Output<string>;
  /** Velero's namespace ({@link VELERO_NAMESPACE}), known once it exists. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: VeleroArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:backup:Velero", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const snapshots = args.snapshotToken !== undefined;

    const bucket = new SpacesBackupBucket(
      `${name}-backups`,
      { region: args.region, protect: args.protect ?? false },
      { parent: this },
    );
    const ns = restrictedNamespace(`${name}-ns`, VELERO_NAMESPACE, k8sOpts);
    const namespace = ns.metadata.name;
    const inNs = { ...k8sOpts, dependsOn: [ns] };

    // The AWS plugin reads an AWS credentials file (`cloud`); the DigitalOcean plugin reads its token
    // from the server's environment. Auto-named: a new key pair rolls the server.
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { namespace },
        stringData: {
          cloud: pulumi.secret(
            pulumi.interpolate`[default]\naws_access_key_id=${bucket.accessKeyId}\naws_secret_access_key=${bucket.secretAccessKey}\n`,
          ),
          ...(snapshots ? { digitalocean_token: pulumi.secret(args.snapshotToken!) } : {}),
        },
      },
      inNs,
    );
    const chart = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        name: "velero",
        // DOKS only, so never from an offline bundle.
        ...chartSource({ chart: "velero", version: VELERO_CHART_VERSION, repo: VELERO_CHART_REPO }),
        namespace,
        values: veleroValues(credentials.metadata.name, snapshots),
      },
      inNs,
    );
    createNetworkPolicies(name, namespace, veleroNetworkPolicies(), inNs);

    // Custom resources of the chart's CRDs: created after the chart.
    const afterChart = { ...k8sOpts, dependsOn: [chart] };
    const location = new k8s.apiextensions.CustomResource(
      `${name}-location`,
      {
        apiVersion: "velero.io/v1",
        kind: "BackupStorageLocation",
        metadata: { name: VELERO_LOCATION, namespace },
        spec: {
          provider: "velero.io/aws",
          default: true,
          accessMode: "ReadWrite",
          objectStorage: { bucket: bucket.bucketName, prefix: PREFIX },
          credential: { name: credentials.metadata.name, key: "cloud" },
          config: {
            region: args.region,
            s3Url: bucket.endpoint,
            // The plugin's SDK would send CRC32 checksums, which Spaces refuses.
            checksumAlgorithm: "",
          },
        },
      },
      afterChart,
    );
    const snapshotLocation = snapshots
      ? new k8s.apiextensions.CustomResource(
          `${name}-snapshot-location`,
          {
            apiVersion: "velero.io/v1",
            kind: "VolumeSnapshotLocation",
            metadata: { name: VELERO_LOCATION, namespace },
            spec: { provider: "digitalocean.com/velero", config: { region: args.region } },
          },
          afterChart,
        )
      : undefined;
    new k8s.apiextensions.CustomResource(
      `${name}-schedule`,
      {
        apiVersion: "velero.io/v1",
        kind: "Schedule",
        metadata: { name: VELERO_SCHEDULE, namespace },
        spec: veleroScheduleSpec(args.schedule, args.retentionDays, snapshots),
      },
      { ...k8sOpts, dependsOn: [chart, location, ...(snapshotLocation ? [snapshotLocation] : [])] },
    );

    this.bucketName = bucket.bucketName;
    this.namespace = namespace;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}

/** The daily Schedule: every namespace, kept `retentionDays` (Velero's TTL), volumes snapshotted when it can. */
export function veleroScheduleSpec(schedule: string, retentionDays: number, snapshots: boolean) {
  return {
    schedule,
    // Backups outlive the Schedule object (a re-created schedule must not take its backups along).
    useOwnerReferencesInBackup: false,
    template: {
      ttl: `${retentionDays * 24}h0m0s`,
      includedNamespaces: ["*"],
      storageLocation: VELERO_LOCATION,
      snapshotVolumes: snapshots,
      ...(snapshots ? { volumeSnapshotLocations: [VELERO_LOCATION] } : {}),
    },
  };
}

/**
 * Chart values: pinned images; the plugins as init containers; every container restricted (non-root,
 * read-only root filesystem, no privilege escalation, no capabilities) with bounded resources; the
 * credentials from the component's Secret; no node agent (file-system backups need hostPath and root
 * on every node), no Helm-hook jobs, and no backup or snapshot location or schedule of the chart's
 * own (the component creates them); metrics on a ClusterIP Service.
 */
export function veleroValues(
  credentialsSecret: pulumi.Input<string>,
  snapshots: boolean,
): Record<string, unknown> {
  const containerSecurity = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
  };
  const plugin = (name: string, image: string) => ({
    name,
    image,
    imagePullPolicy: "IfNotPresent",
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
    securityContext: containerSecurity,
    volumeMounts: [{ mountPath: "/target", name: "plugins" }],
  });
  return {
    image: { repository: "docker.io/velero/velero", tag: VELERO_VERSION, pullPolicy: "IfNotPresent" },
    initContainers: [
      plugin("velero-plugin-for-aws", `docker.io/velero/velero-plugin-for-aws:${VELERO_AWS_PLUGIN_VERSION}`),
      ...(snapshots
        ? [
            plugin(
              "velero-plugin-for-digitalocean",
              `docker.io/digitalocean/velero-plugin:${VELERO_DIGITALOCEAN_PLUGIN_VERSION}`,
            ),
          ]
        : []),
    ],
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containerSecurityContext: containerSecurity,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    credentials: { useSecret: true, existingSecret: credentialsSecret },
    configuration: {
      logFormat: "json",
      extraEnvVars: [
        // The AWS SDK of the plugin adds checksums that Spaces refuses, also on multipart uploads,
        // where the location's checksumAlgorithm: "" does not reach (velero-io/velero#10543):
        // checksums only where an operation requires them.
        { name: "AWS_REQUEST_CHECKSUM_CALCULATION", value: "when_required" },
        { name: "AWS_RESPONSE_CHECKSUM_VALIDATION", value: "when_required" },
        ...(snapshots
          ? [
              {
                name: "DIGITALOCEAN_TOKEN",
                valueFrom: { secretKeyRef: { name: credentialsSecret, key: "digitalocean_token" } },
              },
            ]
          : []),
      ],
    },
    backupsEnabled: false,
    snapshotsEnabled: false,
    schedules: {},
    deployNodeAgent: false,
    // Helm hooks: the CRD upgrade Job (pre-install/upgrade) and the CRD clean-up Job (pre-delete).
    upgradeCRDs: false,
    cleanUpCRDs: false,
    // Stated, not left to the chart's default: the cost estimate relies on it (no load balancer).
    metrics: { enabled: true, service: { type: "ClusterIP" }, serviceMonitor: { enabled: false } },
  };
}

/**
 * Default deny in Velero's namespace, then the server's egress: DNS, and by port the API server, the
 * Spaces endpoint and the DigitalOcean API (all HTTPS, outside the cluster).
 */
export function veleroNetworkPolicies(): NamedPolicy[] {
  return [
    DEFAULT_DENY,
    {
      name: "velero-egress",
      spec: {
        podSelector: { matchLabels: SERVER_LABELS },
        policyTypes: ["Egress"],
        egress: [DNS_EGRESS, HTTPS_AND_API_EGRESS],
      },
    },
  ];
}
