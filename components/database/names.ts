// Names the backup pods and `npm run db:restore` share; no imports, so that the restore command
// loads none of the Pulumi SDK.

/** The CronJob that dumps the database every night, and the suspended one restore Jobs are made from. */
export const BACKUP_CRONJOB = "postgres-backup";
export const RESTORE_CRONJOB = "postgres-restore";
/** The restore pod's container that fetches the dump; `RESTORE_AT` in its environment picks the dump. */
export const FETCH_CONTAINER = "fetch-dump";
