// Backups that outlive the cluster: private, versioned DigitalOcean Spaces buckets with keys of their
// own (the in-cluster database's dumps, Velero's backups), and Velero. Imports only components/kube.
// The monitoring stack scrapes Velero (components/observability imports this folder, not the reverse).
export { createClusterBackup } from "./clusterBackup";
export { SpacesBackupBucket } from "./spacesBucket";
export type { SpacesBackupBucketArgs } from "./spacesBucket";
export {
  Velero,
  VELERO_LOCATION,
  VELERO_METRICS_PORT,
  VELERO_NAMESPACE,
  VELERO_SCHEDULE,
  VELERO_SERVER_LABELS,
  veleroNetworkPolicies,
  veleroScheduleSpec,
  veleroValues,
} from "./velero";
export type { VeleroArgs } from "./velero";
export * from "./versions";
