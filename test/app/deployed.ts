import * as path from "node:path";
import { readStackConfig } from "../../config";
import { evaluateStack, Evaluation, loadProgram, MockRun, runUnderMocks } from "../../scripts/lib/evaluate";
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

// A shipped stack's evaluation depends only on its stack file and the program, which do not change
// during a run: each is evaluated once and shared by every spec that reads it (read-only).
const deployed = new Map<string, Promise<Evaluation>>();
const previewed = new Map<string, Promise<Evaluation>>();

/**
 * The stack as `pulumi up` would see it once providers have answered: what only exists after
 * deployment (digests, endpoints, passwords) is filled with test fixtures, so that every object is
 * complete enough for exact assertions and schema validation. Shared between specs: do not change it.
 */
export function evaluateDeployed(stack: string): Promise<Evaluation> {
  if (!deployed.has(stack))
    deployed.set(
      stack,
      evaluateStack(PROJECT_DIR, stack, {
        preview: false,
        invoke: deployedInvoke,
        outputsOf: deployedOutputs,
      }),
    );
  return deployed.get(stack)!;
}

/** The stack as `npm run plan` evaluates it (a preview). Shared between specs: do not change it. */
export function evaluatePreview(stack: string): Promise<Evaluation> {
  if (!previewed.has(stack)) previewed.set(stack, evaluateStack(PROJECT_DIR, stack));
  return previewed.get(stack)!;
}

/**
 * The same, with `changes` to the stack's configuration (`{ appLogLevel: "debug" }`; undefined
 * removes a key) and other answers to provider functions where `invoke` gives one.
 */
export function evaluateDeployedWith(
  stack: string,
  changes: Record<string, string | undefined>,
  invoke?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined,
  outputsOf?: MockRun["outputsOf"],
): Promise<Evaluation> {
  if (Object.keys(changes).length === 0 && !invoke && !outputsOf) return evaluateDeployed(stack);
  const { project, values, secretKeys } = readStackConfig(PROJECT_DIR, stack);
  const config = { ...values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete config[`platform:${key}`];
    else config[`platform:${key}`] = value;
  }
  return runUnderMocks(
    {
      project,
      stack,
      config,
      secretKeys,
      preview: false,
      invoke: (token, inputs) => invoke?.(token, inputs) ?? deployedInvoke(token, inputs),
      outputsOf: (type, name, inputs) =>
        outputsOf?.(type, name, inputs) ?? deployedOutputs(type, name, inputs),
    },
    () => loadProgram(path.join(PROJECT_DIR, "index.ts")),
  );
}

/** Provider functions as DigitalOcean answers them. */
export const deployedInvoke = (token: string, inputs: Record<string, unknown>): Record<string, unknown> => {
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
};

/** What providers report back once the resources exist. */
export const deployedOutputs: NonNullable<MockRun["outputsOf"]> = (type, name, inputs) => {
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
    case "digitalocean:index/spacesBucket:SpacesBucket":
      // Auto-named by the provider: the resource's name and a random suffix.
      return { name: `${name}-0a1b2c3`, endpoint: `${String(inputs.region)}.digitaloceanspaces.com` };
    case "digitalocean:index/spacesKey:SpacesKey":
      return { accessKey: "FIXTUREACCESSKEYID", secretKey: "fixture-spaces-secret-key" };
    case "kubernetes:helm.sh/v4:Chart":
      // Traefik's rendered Service, with the address DigitalOcean's load balancer got (a plain
      // object of the Service's type token is what `Service.isInstance` recognises).
      return inputs.chart === "traefik"
        ? {
            resources: [
              {
                __pulumiType: "kubernetes:core/v1:Service",
                status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
              },
            ],
          }
        : { resources: [] };
    default:
      return undefined;
  }
};
