import * as assert from "node:assert/strict";
import * as path from "node:path";
import { readStackConfig } from "../../config";
import { postgresUrl } from "../../components/database";
import { Evaluation, loadProgram, runUnderMocks, SECRET } from "../../scripts/lib/evaluate";
import { allOf, only, PROJECT_DIR } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const API = `ghcr.io/acme/api@sha256:${"a".repeat(64)}`;
const WEB = `ghcr.io/acme/web@sha256:${"b".repeat(64)}`;
const KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://10.0.0.1:6443}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers: []\n";

/** The whole program on the shipped existing stack, with `changes` on top. */
async function evaluate(
  changes: Record<string, string | undefined>,
  secrets: string[] = [],
): Promise<Evaluation> {
  const values = { ...readStackConfig(PROJECT_DIR, "existing").values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`platform:${key}`];
    else values[`platform:${key}`] = value;
  }
  return runUnderMocks(
    {
      project: "platform",
      stack: "existing",
      config: values,
      secretKeys: secrets.map((key) => `platform:${key}`),
      preview: false,
      outputsOf: (type, _name, inputs) =>
        type === "docker:index/image:Image"
          ? { repoDigest: `${String(inputs.imageName).split(":src-")[0]}@sha256:${"c".repeat(64)}` }
          : type === "random:index/randomPassword:RandomPassword"
            ? { result: "generated" }
            : undefined,
    },
    () => loadProgram(path.join(PROJECT_DIR, "index.ts")),
  );
}

/** Images by digest, secrets for the kubeconfig and password, the cluster's own controller. */
const KUBERNETES_ONLY = {
  kubeconfigPath: undefined,
  kubeconfigContext: undefined,
  registryServer: undefined,
  kubeconfig: KUBECONFIG,
  databasePassword: "a password with @ and /, 24+",
  appImages: JSON.stringify({ api: API, web: WEB }),
  ingressController: "existing",
  ingressClassName: "nginx",
  ingressControllerNamespace: "ingress-nginx",
};

const packages = (e: Evaluation) =>
  [...new Set(e.resources.filter((r) => r.custom).map((r) => r.type.split(":")[0]))].sort();
const byName = (e: Evaluation, type: string, name: string) =>
  allOf(e, type).find((r) => (r.inputs.metadata as Json | undefined)?.name === name)?.inputs as Json;

describe("the program on an existing cluster", () => {
  it("deploys through a provider that reads the kubeconfig file and context on every run (only the path is kept)", async () => {
    const e = await evaluate({});
    const provider = only(e, "pulumi:providers:kubernetes").inputs;
    assert.equal(provider.kubeconfig, "~/.kube/config");
    assert.equal(provider.context, "kind-platform");
    assert.deepEqual(packages(e), ["docker", "kubernetes", "pulumi", "random"]);
    assert.deepEqual(
      allOf(e, "docker:index/image:Image").map((r) => String(r.inputs.imageName).split(":src-")[0]),
      ["localhost:5001/api", "localhost:5001/web"],
    );
  });

  it("needs only the Kubernetes provider with images by digest, a given password and the cluster's own controller", async () => {
    const e = await evaluate(KUBERNETES_ONLY, ["kubeconfig", "databasePassword"]);
    assert.deepEqual(packages(e), ["kubernetes", "pulumi"]);
    assert.equal(only(e, "pulumi:providers:kubernetes").inputs.kubeconfig, SECRET);
    const image = (name: string) =>
      byName(e, "kubernetes:apps/v1:Deployment", name).spec.template.spec.containers[0].image;
    assert.deepEqual([image("api"), image("web")], [API, WEB]);
    assert.equal(allOf(e, "platform:ingress:Traefik").length, 0);
    assert.equal(byName(e, "kubernetes:networking.k8s.io/v1:Ingress", "app").spec.ingressClassName, "nginx");
  });

  it("admits the cluster's own controller to the app by its namespace, as it does Traefik by its pods", async () => {
    const e = await evaluate(KUBERNETES_ONLY, ["kubeconfig", "databasePassword"]);
    const policy = byName(e, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "web-from-ingress");
    assert.deepEqual(policy.spec.ingress[0].from, [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
        podSelector: { matchLabels: {} },
      },
    ]);
  });

  it("creates only the Let's Encrypt issuer on the cluster's own cert-manager", async () => {
    const e = await evaluate({ tls: "true", certManager: "existing", acmeEmail: "ops@example.com" });
    assert.equal(
      allOf(e, "kubernetes:helm.sh/v4:Chart").filter((c) => c.name.includes("cert-manager")).length,
      0,
    );
    assert.equal(
      allOf(e, "kubernetes:core/v1:Namespace").some(
        (n) => (n.inputs.metadata as Json).name === "cert-manager",
      ),
      false,
    );
    const issuer = only(e, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    assert.deepEqual(
      issuer.dependencies.filter((d) => d.includes("Chart")),
      [],
    );
    assert.equal(
      byName(e, "kubernetes:networking.k8s.io/v1:Ingress", "app").metadata.annotations[
        "cert-manager.io/cluster-issuer"
      ],
      "letsencrypt-staging",
    );
  });

  it("uses a ClusterIssuer the cluster has, creating nothing of cert-manager's", async () => {
    const e = await evaluate({ tls: "true", certManager: "existing", clusterIssuer: "corp-ca" });
    assert.equal(allOf(e, "platform:ingress:CertManager").length, 0);
    const ingress = byName(e, "kubernetes:networking.k8s.io/v1:Ingress", "app");
    assert.equal(ingress.metadata.annotations["cert-manager.io/cluster-issuer"], "corp-ca");
    assert.deepEqual(ingress.spec.tls, [{ hosts: ["app.localhost"], secretName: "app-tls" }]);
  });

  it("installs cert-manager's chart when asked to", async () => {
    const e = await evaluate({ tls: "true", acmeEmail: "ops@example.com" });
    assert.equal(
      allOf(e, "kubernetes:helm.sh/v4:Chart").filter((c) => c.name.includes("cert-manager")).length,
      1,
    );
  });

  it("keeps the database on the cluster's default StorageClass, or the one named", async () => {
    const claim = (e: Evaluation) =>
      byName(e, "kubernetes:core/v1:PersistentVolumeClaim", "postgres-backups").spec;
    assert.equal("storageClassName" in claim(await evaluate({})), false);
    assert.equal(claim(await evaluate({ databaseStorageClass: "fast" })).storageClassName, "fast");
  });
});

describe("database URL", () => {
  it("percent-encodes a given password, whose characters may mean something in a URL", () => {
    assert.equal(
      postgresUrl("p@ss/w:rd?#", "postgres", 5432),
      "postgresql://app:p%40ss%2Fw%3Ard%3F%23@postgres:5432/app?sslmode=disable",
    );
  });
});
