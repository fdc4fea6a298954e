import { evaluateStack, Evaluation } from "../../scripts/lib/evaluate";
import { PROJECT_DIR } from "../helpers";

/** A digest a test fixture stands in for what `docker push` returns. */
export const FIXTURE_DIGEST = `sha256:${"ab".repeat(32)}`;

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://172.18.0.3:6443
contexts: []
users: []
`;

/**
 * The stack as `pulumi up` would see it once providers have answered: what only exists after
 * deployment (digests, endpoints, passwords) is filled with test fixtures, so that every object is
 * complete enough for exact assertions and schema validation.
 */
export function evaluateDeployed(stack: string): Promise<Evaluation> {
  return evaluateStack(PROJECT_DIR, stack, {
    preview: false,
    invoke: (token, inputs) => {
      switch (token) {
        case "digitalocean:index/getKubernetesVersions:getKubernetesVersions":
          return {
            latestVersion: "1.33.6-do.1",
            validVersions: ["1.33.6-do.1"],
            versionPrefix: inputs.versionPrefix,
          };
        case "digitalocean:index/getDatabaseCa:getDatabaseCa":
          return { certificate: "-----BEGIN CERTIFICATE-----\nfixture\n-----END CERTIFICATE-----\n" };
        default:
          throw new Error(`unexpected invoke ${token}`);
      }
    },
    outputsOf: (type, name, inputs) => {
      switch (type) {
        case "docker:index/image:Image":
          return { repoDigest: `${String(inputs.imageName).replace(/:[^:/]+$/, "")}@${FIXTURE_DIGEST}` };
        case "command:local:Command":
          return { stdout: KUBECONFIG };
        case "random:index/randomPassword:RandomPassword":
          return { result: "fixture-password" };
        case "digitalocean:index/kubernetesCluster:KubernetesCluster":
          return { endpoint: "https://k8s.example", kubeConfigs: [{ clusterCaCertificate: "Q0E=" }] };
        case "digitalocean:index/containerRegistry:ContainerRegistry":
          return {
            endpoint: `registry.digitalocean.com/${String(inputs.name)}`,
            serverUrl: "registry.digitalocean.com",
          };
        case "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials":
          return {
            dockerCredentials: JSON.stringify({
              auths: { "registry.digitalocean.com": { auth: Buffer.from("u:p").toString("base64") } },
            }),
          };
        case "digitalocean:index/databaseCluster:DatabaseCluster":
          return { privateHost: `private-${name}.db.ondigitalocean.com`, port: 25060 };
        case "digitalocean:index/databaseUser:DatabaseUser":
          return { password: "fixture-db-password" };
        case "kubernetes:helm.sh/v4:Chart":
          return { resources: [] };
        default:
          return undefined;
      }
    },
  });
}
