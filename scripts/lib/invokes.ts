import * as rpc from "@pulumi/pulumi/runtime/rpc";

// The engine's own marker of a value unknown until deployment (as evaluate.ts's UNKNOWN, taken from
// the SDK here so that the two modules do not import each other).
const UNKNOWN = rpc.unknownValue;

/**
 * Answers the provider functions (invokes) the program calls. Offline there is no provider, so an
 * answer is what the program may rely on without a cloud account: data only a provider knows stays
 * unknown, as it would for a value computed during deployment. An invoke nobody expected fails
 * loudly, so a new data source cannot slip through the plan unnoticed.
 */
export function answerInvoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "digitalocean:index/getKubernetesVersions:getKubernetesVersions":
      return { latestVersion: UNKNOWN, validVersions: [], versionPrefix: inputs.versionPrefix };
    case "digitalocean:index/getDatabaseCa:getDatabaseCa":
      return { certificate: UNKNOWN, clusterId: inputs.clusterId };
    default:
      throw new Error(`the offline evaluation has no answer for the provider function ${token}`);
  }
}
