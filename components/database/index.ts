export {
  BACKUP_CRONJOB,
  backupPodSpec,
  FETCH_CONTAINER,
  RESTORE_CRONJOB,
  restorePodSpec,
} from "./backupJobs";
export type { BackupPodArgs, BackupStore } from "./backupJobs";
export { InClusterPostgres, POSTGRES_UID, postgresUrl } from "./inCluster";
export type { DatabaseBackupTarget, InClusterPostgresArgs } from "./inCluster";
export { ManagedPostgres } from "./managed";
export type { ManagedPostgresArgs } from "./managed";
export type { AppDatabase } from "./types";
