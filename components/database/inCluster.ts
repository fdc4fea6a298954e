import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { InClusterDatabaseConfig } from "../../config";
import {
  componentLabels,
  NamedPolicy,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  TMP_MOUNT,
  TMP_VOLUME,
} from "../kube";
import {
  BACKUP_CRONJOB,
  backupPodSpec,
  BackupPodArgs,
  BackupStore,
  POSTGRES_UID,
  RESTORE_CRONJOB,
  restorePodSpec,
  storePort,
} from "./backupJobs";
import { AppDatabase } from "./types";

export { POSTGRES_UID };
const PORT = 5432;
const DATA_DIR = "/var/lib/postgresql/data";

/**
 * Where the nightly dumps go: a volume of the cluster, or an S3-compatible bucket (DigitalOcean
 * Spaces, or one the stack names) with its key pair, which becomes a Secret of the namespace.
 */
export type DatabaseBackupTarget =
  | { readonly kind: "volume"; readonly retentionDays: number }
  | {
      readonly kind: "s3";
      readonly endpoint: string;
      readonly region: string;
      readonly bucket: pulumi.Input<string>;
      readonly forcePathStyle: boolean;
      /** Secret inputs: they reach only the credentials Secret. */
      readonly accessKeyId: pulumi.Input<string>;
      readonly secretAccessKey: pulumi.Input<string>;
    };

/** Arguments of {@link InClusterPostgres}. */
export interface InClusterPostgresArgs extends Omit<InClusterDatabaseConfig, "mode" | "backup"> {
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Input<string>;
  /** Protect the StatefulSet and its data from deletion. Default: false. */
  readonly protect?: boolean;
  /** Where the dumps go. */
  readonly backup: DatabaseBackupTarget;
  /** The image with the backup tool (the api's, pinned by digest). */
  readonly toolsImage: pulumi.Input<string>;
}

/**
 * The app's connection URL to the in-cluster database. The password is percent-encoded: a given one
 * may hold characters that mean something in a URL (`@`, `/`, `:`).
 */
export function postgresUrl(password: string, host: string, port: number): string {
  return `postgresql://app:${encodeURIComponent(password)}@${host}:${port}/app?sslmode=disable`;
}

/** `storageClassName` when the storage names a class; absent, the cluster's default class applies. */
function storageClassName(storage: { readonly storageClass?: string }) {
  return storage.storageClass !== undefined ? { storageClassName: storage.storageClass } : {};
}

/**
 * PostgreSQL as a single-replica StatefulSet behind a headless Service, non-root with a read-only
 * root filesystem, its password generated (or given) and kept in Secrets, its data on a retained volume in
 * the cloud (emptyDir on a laptop), a nightly pg_dump to a bucket outside the cluster (or a volume),
 * and a suspended CronJob that restore Jobs are created from (`npm run db:restore`).
 */
export class InClusterPostgres extends pulumi.ComponentResource implements AppDatabase {
  public readonly secretName: pulumi.Output<string>;
  public readonly hasCaCertificate = false;
  public readonly egressRule: k8s.types.input.networking.v1.NetworkPolicyEgressRule;
  public readonly networkPolicies: readonly NamedPolicy[];
  /** Labels of the database pods, and of the backup and restore pods, for network policies. */
  public readonly labels = componentLabels("postgres");
  public readonly backupLabels = componentLabels("postgres-backup");
  public readonly restoreLabels = componentLabels("postgres-restore");

  constructor(name: string, args: InClusterPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:database:InClusterPostgres", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const protect = args.protect ?? false;
    const labels = this.labels;

    // A given password stays a secret; otherwise one is generated once and kept in the state.
    const password = args.password
      ? pulumi.secret(args.password.reveal())
      : new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this })
          .result;
    // Secrets are auto-named, as the settings ConfigMaps: a changed value gets a new name, which
    // changes the pod templates that reference it and rolls their pods.
    const serverSecret = new k8s.core.v1.Secret(
      `${name}-server`,
      {
        metadata: { namespace: args.namespace, labels },
        stringData: { POSTGRES_USER: "app", POSTGRES_DB: "app", POSTGRES_PASSWORD: password },
      },
      k8sOpts,
    );
    const appSecret = new k8s.core.v1.Secret(
      `${name}-app`,
      {
        metadata: { namespace: args.namespace, labels },
        stringData: {
          DATABASE_URL: password.apply((p) => postgresUrl(p, "postgres", PORT)),
        },
      },
      k8sOpts,
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: "postgres", namespace: args.namespace, labels },
        spec: {
          clusterIP: "None",
          selector: labels,
          ports: [{ name: "postgres", port: PORT, targetPort: "postgres" }],
        },
      },
      k8sOpts,
    );

    const env = [
      { name: "PGDATA", value: `${DATA_DIR}/pgdata` },
      ...["POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"].map((key) => ({
        name: key,
        valueFrom: { secretKeyRef: { name: serverSecret.metadata.name, key } },
      })),
    ];
    const ready = { exec: { command: ["pg_isready", "-h", "127.0.0.1", "-U", "app", "-d", "app"] } };
    const cloudVolume = args.storage.kind === "pvc" ? args.storage : undefined;

    const statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: "postgres", namespace: args.namespace, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: labels },
          // Deleting or scaling the StatefulSet never deletes the data volume.
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurity(POSTGRES_UID),
              containers: [
                {
                  name: "postgres",
                  image: args.image,
                  env,
                  ports: [{ name: "postgres", containerPort: PORT }],
                  resources: {
                    requests: { cpu: "100m", memory: "256Mi" },
                    limits: { cpu: "1", memory: "512Mi" },
                  },
                  securityContext: restrictedContainerSecurity(POSTGRES_UID),
                  startupProbe: { ...ready, periodSeconds: 2, failureThreshold: 60 },
                  readinessProbe: { ...ready, periodSeconds: 5, failureThreshold: 3 },
                  livenessProbe: { ...ready, periodSeconds: 10, failureThreshold: 6 },
                  volumeMounts: [
                    { name: "data", mountPath: DATA_DIR },
                    { name: "run", mountPath: "/var/run/postgresql" },
                    { name: "shm", mountPath: "/dev/shm" },
                    TMP_MOUNT,
                  ],
                },
              ],
              volumes: [
                ...(cloudVolume ? [] : [{ name: "data", emptyDir: { sizeLimit: "1Gi" } }]),
                { name: "run", emptyDir: { sizeLimit: "16Mi" } },
                { name: "shm", emptyDir: { medium: "Memory", sizeLimit: "128Mi" } },
                TMP_VOLUME,
              ],
            },
          },
          ...(cloudVolume
            ? {
                volumeClaimTemplates: [
                  {
                    metadata: { name: "data", labels },
                    spec: {
                      accessModes: ["ReadWriteOnce"],
                      ...storageClassName(cloudVolume),
                      resources: { requests: { storage: `${cloudVolume.sizeGi}Gi` } },
                    },
                  },
                ],
              }
            : {}),
        },
      },
      // The API server refuses any change to volumeClaimTemplates (Pulumi would replace the
      // StatefulSet): the template keeps the size the volume was created with, and the claim below
      // grows the volume itself.
      { ...k8sOpts, protect, ignoreChanges: ["spec.volumeClaimTemplates"] },
    );
    if (cloudVolume) this.growDataVolume(name, args, cloudVolume.sizeGi, statefulSet);

    const backup = this.backup(name, args, serverSecret.metadata.name, service.metadata.name, protect);
    this.secretName = appSecret.metadata.name;
    this.egressRule = {
      to: [{ podSelector: { matchLabels: labels } }],
      ports: [{ protocol: "TCP", port: PORT }],
    };
    this.networkPolicies = this.policies(backup.storePort, backup.restore);
    this.registerOutputs({ secretName: this.secretName });
  }

  /**
   * Sets the size of the database's volume on its claim (`data-postgres-0`, which the StatefulSet
   * created): DigitalOcean block storage and most CSI drivers expand a volume online. A smaller
   * size is refused by the API server ("field can not be less than previous value"); `plan --diff`
   * says so on the pull request.
   */
  private growDataVolume(
    name: string,
    args: InClusterPostgresArgs,
    sizeGi: number,
    statefulSet: pulumi.Resource,
  ): void {
    new k8s.core.v1.PersistentVolumeClaimPatch(
      `${name}-data-size`,
      {
        metadata: {
          name: "data-postgres-0",
          namespace: args.namespace,
          annotations: {
            // The claim's fields belong to the StatefulSet controller, which created it.
            "pulumi.com/patchForce": "true",
            // The claim is bound already (the StatefulSet is ready); pulumi-kubernetes would wait
            // for a claim of a WaitForFirstConsumer class to be Pending, which it never is again.
            "pulumi.com/skipAwait": "true",
          },
        },
        spec: { resources: { requests: { storage: `${sizeGi}Gi` } } },
      },
      // Deleting the patch leaves the claim as it is (the size is a required field it owns, which
      // pulumi-kubernetes would otherwise refuse to give up on destroy).
      { parent: this, provider: args.provider, dependsOn: [statefulSet], retainOnDelete: true },
    );
  }

  /**
   * The database's ingress from the api, the backup and the restore pods, and their egress: the
   * database, and the bucket's port (by port alone, as every egress to an address outside the
   * cluster: DOKS's Cilium does not match `ipBlock` rules to such addresses reliably).
   */
  private policies(storePort: number | undefined, restore: boolean): NamedPolicy[] {
    const toDatabase = {
      to: [{ podSelector: { matchLabels: this.labels } }],
      ports: [{ protocol: "TCP", port: PORT }],
    };
    const toStore = storePort !== undefined ? [{ ports: [{ protocol: "TCP", port: storePort }] }] : [];
    const egress = (name: string, labels: Record<string, string>): NamedPolicy => ({
      name,
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Egress"],
        egress: [toDatabase, ...toStore],
      },
    });
    return [
      {
        name: "database-from-api-and-backup",
        spec: {
          podSelector: { matchLabels: this.labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                { podSelector: { matchLabels: componentLabels("api") } },
                { podSelector: { matchLabels: this.backupLabels } },
                ...(restore ? [{ podSelector: { matchLabels: this.restoreLabels } }] : []),
              ],
              ports: toDatabase.ports,
            },
          ],
        },
      },
      egress("backup-egress", this.backupLabels),
      ...(restore ? [egress("restore-egress", this.restoreLabels)] : []),
    ];
  }

  /**
   * The nightly backup CronJob and the suspended restore CronJob (where dumps outlive the backup
   * pod: in a bucket or on a claim), with the store's credentials or claim. Returns the store's port
   * (none for a volume) and whether there is a restore CronJob.
   */
  private backup(
    name: string,
    args: InClusterPostgresArgs,
    secretName: pulumi.Output<string>,
    host: pulumi.Output<string>,
    protect: boolean,
  ): { storePort: number | undefined; restore: boolean } {
    const k8sOpts = { parent: this, provider: args.provider };
    const cloudVolume = args.storage.kind === "pvc" ? args.storage : undefined;
    const target = args.backup;
    let store: BackupStore;
    if (target.kind === "s3") {
      // Auto-named, as the other Secrets: new keys get a new name and the next job uses them.
      const credentials = new k8s.core.v1.Secret(
        `${name}-backup-store`,
        {
          metadata: { namespace: args.namespace, labels: this.backupLabels },
          stringData: {
            AWS_ACCESS_KEY_ID: pulumi.secret(target.accessKeyId),
            AWS_SECRET_ACCESS_KEY: pulumi.secret(target.secretAccessKey),
          },
        },
        k8sOpts,
      );
      store = {
        kind: "s3",
        endpoint: target.endpoint,
        region: target.region,
        bucket: target.bucket,
        forcePathStyle: target.forcePathStyle,
        credentialsSecret: credentials.metadata.name,
      };
    } else {
      const claim = cloudVolume
        ? new k8s.core.v1.PersistentVolumeClaim(
            `${name}-backups`,
            {
              metadata: { name: "postgres-backups", namespace: args.namespace, labels: this.backupLabels },
              spec: {
                accessModes: ["ReadWriteOnce"],
                ...storageClassName(cloudVolume),
                resources: { requests: { storage: `${cloudVolume.sizeGi}Gi` } },
              },
            },
            { ...k8sOpts, protect },
          )
        : undefined;
      store = { kind: "volume", retentionDays: target.retentionDays, claimName: claim?.metadata.name };
    }
    const pod: BackupPodArgs = {
      postgresImage: args.image,
      toolsImage: args.toolsImage,
      serverSecretName: secretName,
      host,
      store,
      workSizeGi: cloudVolume?.sizeGi ?? 1,
    };
    new k8s.batch.v1.CronJob(
      `${name}-backup`,
      {
        metadata: { name: BACKUP_CRONJOB, namespace: args.namespace, labels: this.backupLabels },
        spec: {
          schedule: args.backupSchedule,
          timeZone: "Etc/UTC",
          concurrencyPolicy: "Forbid",
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 3600,
              template: { metadata: { labels: this.backupLabels }, spec: backupPodSpec(pod) },
            },
          },
        },
      },
      k8sOpts,
    );
    // A dump in an emptyDir is gone with its pod: nothing to restore from.
    const restore = store.kind === "s3" || store.claimName !== undefined;
    if (restore) {
      new k8s.batch.v1.CronJob(
        `${name}-restore`,
        {
          metadata: { name: RESTORE_CRONJOB, namespace: args.namespace, labels: this.restoreLabels },
          spec: {
            // Never scheduled: a template for `kubectl create job --from=cronjob/postgres-restore`
            // and `npm run db:restore`, checked by the policy pack like every other workload.
            suspend: true,
            schedule: "0 0 31 2 *",
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 1,
            jobTemplate: {
              spec: {
                // A failed restore is rolled back (one transaction) and looked at, not retried.
                backoffLimit: 0,
                activeDeadlineSeconds: 3600,
                ttlSecondsAfterFinished: 7 * 24 * 3600,
                template: { metadata: { labels: this.restoreLabels }, spec: restorePodSpec(pod) },
              },
            },
          },
        },
        k8sOpts,
      );
    }
    return { storePort: storePort(store), restore };
  }
}
