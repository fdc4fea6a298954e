import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity, restrictedPodSecurity, TMP_MOUNT, TMP_VOLUME } from "../kube";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Volume = k8s.types.input.core.v1.Volume;

import { FETCH_CONTAINER } from "./names";

export { BACKUP_CRONJOB, FETCH_CONTAINER, RESTORE_CRONJOB } from "./names";
/** The postgres user of the official Debian-based image. */
export const POSTGRES_UID = 999;
/** The app image's user (app/README.md), which runs the backup tool. */
const TOOLS_UID = 10001;
/** Where the dump lives between the two containers of a pod. */
const WORK_DIR = "/work";
const DUMP_FILE = `${WORK_DIR}/app.dump`;
/** Where a volume store is mounted. */
const BACKUP_DIR = "/backups";

/**
 * Where the dumps are kept: an S3-compatible bucket (DigitalOcean Spaces, or an endpoint the stack
 * names), or a volume of the cluster (a claim, or an emptyDir on a laptop, which keeps nothing).
 */
export type BackupStore =
  | {
      readonly kind: "s3";
      /** `https://fra1.digitaloceanspaces.com`, `http://minio.minio:9000`. */
      readonly endpoint: string;
      /** The region requests are signed for. */
      readonly region: string;
      readonly bucket: pulumi.Input<string>;
      /** Path-style requests (`endpoint/bucket/key`), which most S3-compatible servers need. */
      readonly forcePathStyle: boolean;
      /** The Secret holding `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`. */
      readonly credentialsSecret: pulumi.Input<string>;
    }
  | {
      readonly kind: "volume";
      /** The claim the dumps are kept on; absent: an emptyDir (nothing outlives the job). */
      readonly claimName?: pulumi.Input<string>;
      readonly retentionDays: number;
    };

/** What both pods need to know. */
export interface BackupPodArgs {
  /** The PostgreSQL image (pg_dump and pg_restore of the server's own version). */
  readonly postgresImage: pulumi.Input<string>;
  /** The api image, which carries the backup tool (`dist/backup.js`) and is pinned by digest. */
  readonly toolsImage: pulumi.Input<string>;
  /** The Secret with POSTGRES_USER, POSTGRES_DB and POSTGRES_PASSWORD. */
  readonly serverSecretName: pulumi.Input<string>;
  /** The database's Service name. */
  readonly host: pulumi.Input<string>;
  readonly store: BackupStore;
  /** Room for one dump in the pod's emptyDir, in GiB (a dump is smaller than the database's volume). */
  readonly workSizeGi: number;
}

/** The TCP port the store is reached on, for network policies; undefined for a volume. */
export function storePort(store: BackupStore): number | undefined {
  if (store.kind !== "s3") return undefined;
  const url = new URL(store.endpoint);
  return url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
}

/** libpq's settings from the server's Secret (pg_dump and pg_restore read them). */
function postgresEnv(args: BackupPodArgs): EnvVar[] {
  const fromSecret = (name: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: args.serverSecretName, key } },
  });
  return [
    { name: "PGHOST", value: args.host },
    fromSecret("PGUSER", "POSTGRES_USER"),
    fromSecret("PGDATABASE", "POSTGRES_DB"),
    fromSecret("PGPASSWORD", "POSTGRES_PASSWORD"),
  ];
}

/** The backup tool's settings (app/api/src/dumpStore.ts reads them). */
function storeEnv(store: BackupStore): EnvVar[] {
  if (store.kind === "volume") {
    return [
      { name: "BACKUP_STORE", value: "directory" },
      { name: "BACKUP_DIR", value: BACKUP_DIR },
      { name: "BACKUP_RETENTION_DAYS", value: String(store.retentionDays) },
    ];
  }
  const fromSecret = (name: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: store.credentialsSecret, key: name } },
  });
  return [
    { name: "BACKUP_STORE", value: "s3" },
    { name: "BACKUP_S3_ENDPOINT", value: store.endpoint },
    { name: "BACKUP_S3_REGION", value: store.region },
    { name: "BACKUP_S3_BUCKET", value: store.bucket },
    { name: "BACKUP_S3_FORCE_PATH_STYLE", value: String(store.forcePathStyle) },
    { name: "BACKUP_PREFIX", value: "postgres/" },
    fromSecret("AWS_ACCESS_KEY_ID"),
    fromSecret("AWS_SECRET_ACCESS_KEY"),
  ];
}

function storeVolumes(store: BackupStore): {
  volumes: Volume[];
  mounts: { name: string; mountPath: string }[];
} {
  if (store.kind !== "volume") return { volumes: [], mounts: [] };
  return {
    volumes: [
      store.claimName !== undefined
        ? { name: "backups", persistentVolumeClaim: { claimName: store.claimName } }
        : { name: "backups", emptyDir: { sizeLimit: "1Gi" } },
    ],
    mounts: [{ name: "backups", mountPath: BACKUP_DIR }],
  };
}

function workVolume(args: BackupPodArgs): Volume {
  return { name: "work", emptyDir: { sizeLimit: `${args.workSizeGi}Gi` } };
}

/** The PostgreSQL client container: pg_dump or pg_restore against the database. */
function postgresContainer(args: BackupPodArgs, name: string, command: string[]) {
  return {
    name,
    image: args.postgresImage,
    command,
    env: postgresEnv(args),
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    securityContext: restrictedContainerSecurity(POSTGRES_UID),
    volumeMounts: [{ name: "work", mountPath: WORK_DIR }, TMP_MOUNT],
  };
}

/** The backup tool container (the api image, whose entry point is node). */
function toolContainer(args: BackupPodArgs, name: string, toolArgs: string[], readOnlyWork: boolean) {
  const { mounts } = storeVolumes(args.store);
  // `readOnly: false` is the default, and the engine's state drops it: written only when true, so a
  // refresh shows no difference (found by npm run test:engine).
  const work = { name: "work", mountPath: WORK_DIR, ...(readOnlyWork ? { readOnly: true } : {}) };
  return {
    name,
    image: args.toolsImage,
    args: ["dist/backup.js", ...toolArgs],
    env: storeEnv(args.store),
    resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: restrictedContainerSecurity(TOOLS_UID),
    volumeMounts: [work, TMP_MOUNT, ...mounts],
  };
}

/**
 * The nightly backup pod: pg_dump (the server's image) writes a custom-format dump into an emptyDir,
 * then the backup tool stores it. As an init container, a failed dump never reaches the store.
 * Both run restricted; the pod's group (the postgres group) lets each read the other's file.
 */
export function backupPodSpec(args: BackupPodArgs): PodSpec {
  return {
    restartPolicy: "OnFailure",
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurity(POSTGRES_UID),
    initContainers: [
      postgresContainer(args, "pg-dump", ["pg_dump", "--format=custom", `--file=${DUMP_FILE}`]),
    ],
    containers: [toolContainer(args, "store-dump", ["store", DUMP_FILE], true)],
    volumes: [workVolume(args), TMP_VOLUME, ...storeVolumes(args.store).volumes],
  };
}

/**
 * The restore pod: the backup tool fetches the dump (the newest one taken at or before `RESTORE_AT`
 * in its environment, else the newest), then pg_restore replaces the database's objects with the
 * dump's in one transaction: a restore that fails leaves the database as it was.
 */
export function restorePodSpec(args: BackupPodArgs): PodSpec {
  return {
    restartPolicy: "Never",
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurity(POSTGRES_UID),
    initContainers: [toolContainer(args, FETCH_CONTAINER, ["fetch", DUMP_FILE], false)],
    containers: [
      postgresContainer(args, "pg-restore", [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--dbname=$(PGDATABASE)",
        DUMP_FILE,
      ]),
    ],
    volumes: [workVolume(args), TMP_VOLUME, ...storeVolumes(args.store).volumes],
  };
}
