export { InClusterPostgres, POSTGRES_UID, postgresUrl } from "./inCluster";
export type { InClusterPostgresArgs } from "./inCluster";
export { ManagedPostgres } from "./managed";
export type { ManagedPostgresArgs } from "./managed";
export type { AppDatabase } from "./types";
