import { UNKNOWN } from "./evaluate";

/**
 * Answers the provider functions (invokes) the program calls. Offline there is no provider, so an
 * answer is what the program may rely on without a cloud account: data only a provider knows stays
 * unknown, as it would for a value computed during deployment. An invoke nobody expected fails
 * loudly, so a new data source cannot slip through the plan unnoticed.
 */
export function answerInvoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "digitalocean:index/getKubernetesCluster:getKubernetesCluster":
      // Whether the cluster exists, and at which version, only DigitalOcean knows.
      return { name: inputs.name, version: UNKNOWN };
    case "digitalocean:index/getKubernetesVersions:getKubernetesVersions":
      return { latestVersion: UNKNOWN, validVersions: [], versionPrefix: inputs.versionPrefix };
    case "digitalocean:index/getDatabaseCa:getDatabaseCa":
      return { certificate: UNKNOWN, clusterId: inputs.clusterId };
    default:
      throw new Error(`the offline evaluation has no answer for the provider function ${token}`);
  }
}
