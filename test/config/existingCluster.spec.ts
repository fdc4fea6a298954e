import * as assert from "node:assert/strict";
import { stringify } from "yaml";
import { ConfigError, parseConfig, readStackConfig, SECRET_PLACEHOLDER } from "../../config";
import type { ExistingPlatformConfig, PlatformConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";

const KUBECONFIG = stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "kind-platform", cluster: { server: "https://127.0.0.1:6443" } }],
  contexts: [{ name: "kind-platform", context: { cluster: "kind-platform", user: "admin" } }],
  "current-context": "kind-platform",
  users: [{ name: "admin", user: { token: "a-token-that-must-never-be-printed" } }],
});
const API = `registry.example.com/team/api@sha256:${"a".repeat(64)}`;
const WEB = `registry.example.com/team/web@sha256:${"b".repeat(64)}`;

/** The shipped existing stack's values (project defaults applied), with `changes` on top. */
function existingWith(changes: Record<string, string | undefined>): Record<string, string> {
  const values = { ...readStackConfig(PROJECT_DIR, "existing").values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`platform:${key}`];
    else values[`platform:${key}`] = value;
  }
  return values;
}

/** A stack with its kubeconfig and database password as secrets, images by digest, no registry. */
function secretStack(changes: Record<string, string | undefined> = {}) {
  const values = existingWith({
    kubeconfigPath: undefined,
    kubeconfigContext: undefined,
    registryServer: undefined,
    kubeconfig: KUBECONFIG,
    databasePassword: "correct horse battery staple",
    appImages: JSON.stringify({ api: API, web: WEB }),
    ...changes,
  });
  return { values, secrets: new Set(["platform:kubeconfig", "platform:databasePassword"]) };
}

function parse(values: Record<string, string>, secrets: ReadonlySet<string> = new Set()): PlatformConfig {
  return parseConfig(values, "existing", "Pulumi.existing.yaml", secrets);
}

function existing(config: PlatformConfig): ExistingPlatformConfig {
  if (config.cluster.provider !== "existing")
    assert.fail(`expected an existing cluster, got ${config.cluster.provider}`);
  return config as ExistingPlatformConfig;
}

function problems(values: Record<string, string>, secrets: ReadonlySet<string> = new Set()): string[] {
  try {
    parse(values, secrets);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("expected the configuration to be refused");
}

describe("existing-cluster configuration (clusterProvider existing)", () => {
  it("reads the shipped stack: a kubeconfig file and context, images built and pushed to kind's registry", () => {
    const config = existing(parse(readStackConfig(PROJECT_DIR, "existing").values));
    assert.deepEqual(config.cluster, {
      provider: "existing",
      kubeconfig: { source: "path", path: "~/.kube/config" },
      context: "kind-platform",
    });
    assert.deepEqual(config.registry, { provider: "external", server: "localhost:5001" });
    assert.deepEqual(config.app.images, { source: "build" });
    assert.deepEqual(config.ingress, { controller: { kind: "traefik", replicas: 1 }, routing: "ingress" });
    // The cluster's default StorageClass: no class named.
    assert.deepEqual(config.database.storage, { kind: "pvc", sizeGi: 1 });
  });

  it("takes the kubeconfig, the database password and the images from secret config and digests", () => {
    const { values, secrets } = secretStack();
    const config = existing(parse(values, secrets));
    assert.equal(config.cluster.kubeconfig.source, "secret");
    if (config.cluster.kubeconfig.source === "secret")
      assert.equal(config.cluster.kubeconfig.value.reveal(), KUBECONFIG);
    assert.equal(config.database.password?.reveal(), "correct horse battery staple");
    assert.deepEqual(config.app.images, { source: "reference", api: API, web: WEB });
    assert.deepEqual(config.registry, { provider: "external" });
  });

  it("never prints a secret value: JSON and String() of the configuration show [secret]", () => {
    const { values, secrets } = secretStack();
    const config = parse(values, secrets);
    const shown = `${JSON.stringify(config)} ${String((config.database as { password: unknown }).password)}`;
    assert.ok(!shown.includes("a-token-that-must-never-be-printed") && !shown.includes("battery"), shown);
    assert.match(shown, /"kubeconfig":\{"source":"secret","value":"\[secret\]"\}/);
  });

  it("refuses a kubeconfig, pull secret or database password set in plain text, without echoing it", () => {
    const values = existingWith({
      kubeconfigPath: undefined,
      kubeconfig: KUBECONFIG,
      registryPullSecret: '{"auths":{}}',
      databasePassword: "a plain password here",
    });
    const found = problems(values);
    for (const key of ["kubeconfig", "registryPullSecret", "databasePassword"]) {
      assert.ok(
        found.includes(
          `platform:${key}: must be a secret: set it with \`pulumi config set --secret platform:${key}\`, never in plain text in a stack file`,
        ),
        JSON.stringify(found),
      );
    }
    assert.ok(!found.join("\n").includes("a-token-that-must-never-be-printed"));
    assert.ok(!found.join("\n").includes("a plain password here"));
  });

  it("accepts the offline placeholders of secrets without checking them", () => {
    const { values, secrets } = secretStack({
      kubeconfig: SECRET_PLACEHOLDER,
      databasePassword: SECRET_PLACEHOLDER,
    });
    assert.equal(parse(values, secrets).cluster.provider, "existing");
  });

  const refusals: [string, Record<string, string | undefined>, string][] = [
    [
      "no kubeconfig at all",
      { kubeconfigPath: undefined },
      "platform:kubeconfig: required (clusterProvider is existing): the cluster's kubeconfig as a secret (`pulumi config set --secret platform:kubeconfig < kubeconfig`), or its file in platform:kubeconfigPath",
    ],
    [
      "kubeconfig contents in the path key",
      { kubeconfigPath: "apiVersion: v1" },
      "platform:kubeconfigPath: expected the path of a kubeconfig file, not its contents (those belong in the secret platform:kubeconfig), got [not shown]",
    ],
    [
      "neither a registry to push to nor images by digest",
      { registryServer: undefined },
      "platform:registryServer: required (clusterProvider is existing) unless platform:appImages gives both images by digest: the registry to push the app's images to, such as ghcr.io/acme",
    ],
    [
      "a registry with a scheme",
      { registryServer: "https://ghcr.io/acme" },
      "platform:registryServer: expected a registry such as ghcr.io/acme or localhost:5001 (no scheme, tag or trailing slash), got https://ghcr.io/acme",
    ],
    [
      "both a registry and images by digest",
      { appImages: JSON.stringify({ api: API, web: WEB }) },
      "platform:registryServer: images given by digest in platform:appImages are not built, so there is nothing to push: set one of the two",
    ],
    [
      "an image by tag",
      { registryServer: undefined, appImages: JSON.stringify({ api: "ghcr.io/acme/api:1.2.3", web: WEB }) },
      "platform:appImages.api: expected an image pinned by digest, such as registry.example.com/api@sha256:<64 hex digits>, got",
    ],
    [
      "one image only",
      { registryServer: undefined, appImages: JSON.stringify({ api: API }) },
      "platform:appImages: expected both api and web by digest (or neither, to build them), got only api",
    ],
    [
      "an image for an unknown service",
      { registryServer: undefined, appImages: JSON.stringify({ api: API, web: WEB, worker: API }) },
      "platform:appImages: ",
    ],
    [
      "the cluster's controller without its IngressClass",
      { ingressController: "existing", ingressControllerNamespace: "ingress-nginx" },
      "platform:ingressClassName: required, expected the IngressClass of the cluster's controller (platform:ingressController is existing)",
    ],
    [
      "an IngressClass for the installed Traefik",
      { ingressClassName: "nginx" },
      "platform:ingressClassName: applies only when platform:ingressController is existing",
    ],
    [
      "Traefik replicas with the cluster's own controller",
      {
        ingressController: "existing",
        ingressClassName: "nginx",
        ingressControllerNamespace: "ingress-nginx",
        ingressReplicas: "2",
      },
      "platform:ingressReplicas: applies only when the program installs Traefik (platform:ingressController traefik)",
    ],
    [
      "TLS with cert-manager off",
      { tls: "true", acmeEmail: "ops@example.com", certManager: "off" },
      "platform:certManager: off, but platform:tls is true: HTTPS certificates need cert-manager (install or existing)",
    ],
    [
      "an existing issuer with cert-manager installed by the program",
      { tls: "true", clusterIssuer: "letsencrypt-prod" },
      "platform:clusterIssuer: applies only when platform:certManager is existing",
    ],
    [
      "an existing issuer without TLS",
      { clusterIssuer: "letsencrypt-prod", certManager: "existing" },
      "platform:clusterIssuer: applies only when platform:tls is true",
    ],
    [
      "kubeconfig contents as one line of JSON in the path key",
      { kubeconfigPath: '{"apiVersion":"v1","users":[{"user":{"token":"t"}}]}' },
      "platform:kubeconfigPath: expected the path of a kubeconfig file, not its contents",
    ],
    [
      "an ACME address beside an issuer of the cluster's",
      { tls: "true", certManager: "existing", clusterIssuer: "corp-ca", acmeEmail: "ops@example.com" },
      "platform:acmeEmail: applies only to the program's Let's Encrypt issuer, not to platform:clusterIssuer",
    ],
    [
      "an ACME server without TLS",
      { acmeServer: "production" },
      "platform:acmeServer: applies only when platform:tls is true",
    ],
    [
      "DigitalOcean tags",
      { tags: '["team-a"]' },
      "platform:tags: applies only when platform:clusterProvider is doks",
    ],
    [
      "a DigitalOcean key",
      { region: "fra1" },
      "platform:region: applies only when platform:clusterProvider is doks",
    ],
    [
      "a k0s key changed from its default",
      { k0sApiPort: "7443" },
      "platform:k0sApiPort: applies only when platform:clusterProvider is k0s",
    ],
    [
      "managed PostgreSQL",
      { databaseMode: "managed" },
      "platform:databaseMode: managed needs platform:clusterProvider doks; use in-cluster",
    ],
    [
      "a StorageClass name that is not a Kubernetes name",
      { databaseStorageClass: "Fast_SSD" },
      "platform:databaseStorageClass: expected the name of a StorageClass of the cluster, such as standard, got Fast_SSD",
    ],
  ];
  for (const [what, changes, expected] of refusals) {
    it(`refuses ${what}, naming the key`, () => {
      const found = problems(existingWith(changes));
      assert.ok(
        found.some((p) => p.startsWith(expected)),
        `expected a problem starting with ${JSON.stringify(expected)}, got ${JSON.stringify(found)}`,
      );
    });
  }

  it("refuses a plain-text kubeconfig once, without also calling it missing, and never echoes a path key", () => {
    const found = problems(existingWith({ kubeconfigPath: undefined, kubeconfig: KUBECONFIG }));
    assert.deepEqual(found, [
      "platform:kubeconfig: must be a secret: set it with `pulumi config set --secret platform:kubeconfig`, never in plain text in a stack file",
    ]);
    const pasted = problems(existingWith({ kubeconfigPath: KUBECONFIG }));
    assert.equal(pasted.length, 1);
    assert.ok(!pasted[0].includes("a-token-that-must-never-be-printed"), pasted[0]);
  });

  it("shows only the field at fault of a map, not the whole map", () => {
    const found = problems(
      existingWith({
        registryServer: undefined,
        appImages: JSON.stringify({ api: API, web: "ghcr.io/acme/web:2" }),
      }),
    );
    assert.deepEqual(found, [
      "platform:appImages.web: expected an image pinned by digest, such as registry.example.com/api@sha256:<64 hex digits>, got ghcr.io/acme/web:2",
    ]);
  });

  it("targets the secret kubeconfig's current context explicitly when none is configured", () => {
    const { values, secrets } = secretStack();
    assert.equal(existing(parse(values, secrets)).cluster.context, "kind-platform");
  });

  it("refuses a kubeconfig without clusters and a context it does not have, never echoing it", () => {
    const broken = secretStack({ kubeconfig: "apiVersion: v1\nkind: Config\nusers: []\n" });
    assert.deepEqual(problems(broken.values, broken.secrets), [
      "platform:kubeconfig: expected a kubeconfig document with at least one cluster, got [secret]",
    ]);
    const wrongContext = secretStack({ kubeconfigContext: "minikube" });
    assert.deepEqual(problems(wrongContext.values, wrongContext.secrets), [
      "platform:kubeconfigContext: the kubeconfig has no context minikube (it has: kind-platform)",
    ]);
  });

  it("refuses a short database password and a pull secret that is not a .dockerconfigjson, as [secret]", () => {
    const { values, secrets } = secretStack({ databasePassword: "short", registryPullSecret: "user:pass" });
    const found = problems(values, new Set([...secrets, "platform:registryPullSecret"]));
    assert.deepEqual(found.sort(), [
      "platform:databasePassword: expected a password of at least 16 characters, got [secret]",
      'platform:registryPullSecret: expected a .dockerconfigjson document ({"auths": {"<registry>": {...}}}), got [secret]',
    ]);
  });

  it("uses the cluster's own controller and cert-manager with an issuer it already has", () => {
    const config = existing(
      parse(
        existingWith({
          ingressController: "existing",
          ingressClassName: "nginx",
          ingressControllerNamespace: "ingress-nginx",
          tls: "true",
          certManager: "existing",
          clusterIssuer: "letsencrypt-prod",
        }),
      ),
    );
    assert.deepEqual(config.ingress, {
      controller: { kind: "existing", className: "nginx", namespace: "ingress-nginx" },
      routing: "ingress",
      tls: { certManager: "existing", issuer: { kind: "existing", name: "letsencrypt-prod" } },
    });
  });

  it("refuses the keys of existing clusters on k0s and DOKS stacks", () => {
    const dev = readStackConfig(PROJECT_DIR, "dev").values;
    const found = problems({
      ...dev,
      "platform:registryServer": "ghcr.io/acme",
      "platform:certManager": "existing",
    });
    assert.deepEqual(found.sort(), [
      "platform:certManager: applies only when platform:clusterProvider is existing",
      "platform:registryServer: applies only when platform:clusterProvider is existing",
    ]);
  });

  it("accepts images by digest and a given database password on DOKS too (promotion of one build)", () => {
    const prod = readStackConfig(PROJECT_DIR, "staging").values;
    const config = parseConfig(
      {
        ...prod,
        "platform:appImages": JSON.stringify({ api: API, web: WEB }),
        "platform:databasePassword": "x".repeat(20),
      },
      "staging",
      "Pulumi.staging.yaml",
      new Set(["platform:databasePassword"]),
    );
    assert.deepEqual(config.app.images, { source: "reference", api: API, web: WEB });
  });

  it("refuses a database password for managed PostgreSQL, whose password DigitalOcean generates", () => {
    const prod = readStackConfig(PROJECT_DIR, "prod").values;
    assert.throws(
      () =>
        parseConfig(
          { ...prod, "platform:databasePassword": "x".repeat(20) },
          "prod",
          "Pulumi.prod.yaml",
          new Set(["platform:databasePassword"]),
        ),
      (error: ConfigError) =>
        error.problems.includes(
          "platform:databasePassword: applies only to the in-cluster database (DigitalOcean generates the managed database's password)",
        ),
    );
  });
});
