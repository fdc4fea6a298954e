import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";

const CLUSTER = "digitalocean:index/databaseCluster:DatabaseCluster";
const FIREWALL = "digitalocean:index/databaseFirewall:DatabaseFirewall";

function protects(firewall: PolicyResource, cluster: PolicyResource): boolean {
  if (firewall.propertyDependencies.clusterId?.some((d) => d.urn === cluster.urn)) return true;
  const id = cluster.props.id;
  return id !== undefined && firewall.props.clusterId === id;
}

/**
 * Every managed database has a DatabaseFirewall whose `clusterId` is that database (matched through
 * the property dependency, or by id once the ids are known), so only trusted sources reach it.
 */
export const requireDatabaseFirewall = stackPolicy({
  name: "require-database-firewall",
  description: "DigitalOcean managed databases have a DatabaseFirewall.",
  enforcementLevel: "mandatory",
  check: ({ resources, report }) => {
    const firewalls = resources.filter((r) => r.type === FIREWALL);
    for (const cluster of resources.filter((r) => r.type === CLUSTER)) {
      if (!firewalls.some((f) => protects(f, cluster)))
        report(cluster, `${cluster.name}: no DatabaseFirewall protects it`);
    }
  },
});
