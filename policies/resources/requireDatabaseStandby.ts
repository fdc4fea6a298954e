import { resourcePolicy } from "../lib/define";

/** Config of {@link requireDatabaseStandby}. */
export interface DatabaseStandbyConfig {
  /** Minimum `nodeCount` (2 = primary plus one standby). Default: 2. */
  readonly minNodes: number;
}

/** Managed databases have a standby node where the stack requires one (prod). */
export const requireDatabaseStandby = resourcePolicy<DatabaseStandbyConfig>({
  name: "require-database-standby",
  description:
    "DigitalOcean managed databases run at least the configured number of nodes (a standby in prod).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minNodes: { type: "integer", minimum: 1, default: 2, description: "Minimum nodeCount." },
    },
  },
  appliesTo: (type) => type === "digitalocean:index/databaseCluster:DatabaseCluster",
  check: ({ props, config, report }) => {
    const count = props.nodeCount;
    if (typeof count !== "number" || count < config.minNodes) {
      report(`nodeCount is ${String(count)}; the stack requires at least ${config.minNodes}`);
    }
  },
});
