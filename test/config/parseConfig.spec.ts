import * as assert from "node:assert/strict";
import { ConfigError, KEYS, listStacks, parseConfig, readStackConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";

/** The dev stack's values (project defaults applied), with `changes` on top; undefined removes a key. */
function devWith(changes: Record<string, string | undefined>): Record<string, string> {
  return withChanges(readStackConfig(PROJECT_DIR, "dev").values, changes);
}
function prodWith(changes: Record<string, string | undefined>): Record<string, string> {
  return withChanges(readStackConfig(PROJECT_DIR, "prod").values, changes);
}
function withChanges(base: Record<string, string>, changes: Record<string, string | undefined>) {
  const values = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`platform:${key}`];
    else values[`platform:${key}`] = value;
  }
  return values;
}

function problemsOf(values: Record<string, string>): readonly string[] {
  try {
    parseConfig(values, "test", "Pulumi.test.yaml");
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("expected the configuration to be refused");
}

describe("stack configuration", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`accepts the shipped ${stack} stack`, () => {
      const { values } = readStackConfig(PROJECT_DIR, stack);
      assert.equal(parseConfig(values, stack, `Pulumi.${stack}.yaml`).stack, stack);
    });
  }

  it("ships exactly the dev, existing, staging and prod stacks", () => {
    // A running (or failed) end-to-end test leaves a throwaway e2e-* stack file for a while.
    const stacks = listStacks(PROJECT_DIR).filter((stack) => !stack.startsWith("e2e-"));
    assert.deepEqual(stacks, ["dev", "existing", "prod", "staging"]);
  });

  it("derives the local platform from the dev stack", () => {
    const config = parseConfig(readStackConfig(PROJECT_DIR, "dev").values, "dev", "Pulumi.dev.yaml");
    assert.deepEqual(config, {
      stack: "dev",
      protect: false,
      tags: ["dev"],
      installMetricsServer: false,
      observability: { level: "metrics" },
      cluster: {
        provider: "k0s",
        // The pinned release (Renovate moves it), as an image tag: a tag cannot hold "+".
        k0sVersion: KEYS.k0sVersion.default,
        image: `docker.io/k0sproject/k0s:${KEYS.k0sVersion.default.replace("+", "-")}`,
        apiPort: 6443,
        ingressHttpPort: 8080,
        ingressHttpsPort: 8443,
      },
      registry: {
        provider: "local",
        image: KEYS.registryImage.default,
        port: 5001,
        host: "localhost:5001",
      },
      ingress: { controller: { kind: "traefik", replicas: 1 }, routing: "ingress" },
      app: {
        host: "app.localhost",
        images: { source: "build" },
        logLevel: "info",
        scaling: { autoscale: false, replicas: 1 },
        spreadAcrossNodes: false,
      },
      database: {
        mode: "in-cluster",
        image: KEYS.databaseImage.default,
        storage: { kind: "emptyDir" },
        backupSchedule: "30 2 * * *",
        // A laptop's throwaway database: dumps on an emptyDir, no bucket.
        backup: { store: "volume", retentionDays: 7 },
      },
    });
  });

  it("gives prod an HA control plane, an upgrade window, an autoscaling pool of at least two nodes and protection", () => {
    const config = parseConfig(readStackConfig(PROJECT_DIR, "prod").values, "prod", "Pulumi.prod.yaml");
    assert.equal(config.cluster.provider, "doks");
    if (config.cluster.provider !== "doks") return;
    assert.equal(config.protect, true);
    assert.equal(config.cluster.ha, true);
    assert.equal(config.cluster.autoUpgrade, true);
    assert.deepEqual(config.cluster.maintenance, { day: "sunday", startTime: "03:00" });
    assert.deepEqual(config.cluster.nodePool, {
      size: "s-4vcpu-8gb",
      autoScale: true,
      minNodes: 2,
      maxNodes: 5,
    });
  });

  it("gives prod managed PostgreSQL with a standby, autoscaled services, two ingress replicas and production certificates", () => {
    const config = parseConfig(readStackConfig(PROJECT_DIR, "prod").values, "prod", "Pulumi.prod.yaml");
    assert.deepEqual(config.database, {
      mode: "managed",
      version: "17",
      size: "db-s-2vcpu-4gb",
      nodeCount: 2,
      region: "fra1",
      vpcIpRange: "10.130.0.0/20",
    });
    assert.deepEqual(config.app.scaling, { autoscale: true, minReplicas: 2, maxReplicas: 6 });
    assert.equal(config.app.spreadAcrossNodes, true);
    assert.deepEqual(config.ingress, {
      controller: { kind: "traefik", replicas: 2 },
      routing: "ingress",
      tls: {
        certManager: "install",
        issuer: { kind: "letsencrypt", acmeEmail: "platform-team@example.com", acmeServer: "production" },
      },
      dnsZone: "example.com",
    });
  });

  it("gives staging an in-cluster database on block storage and Let's Encrypt staging certificates", () => {
    const config = parseConfig(
      readStackConfig(PROJECT_DIR, "staging").values,
      "staging",
      "Pulumi.staging.yaml",
    );
    assert.deepEqual(config.database, {
      mode: "in-cluster",
      image: KEYS.databaseImage.default,
      storage: { kind: "pvc", sizeGi: 5, storageClass: "do-block-storage" },
      backupSchedule: "30 2 * * *",
      // Dumps go to a Spaces bucket in the cluster's region, outside the cluster.
      backup: { store: "spaces", region: "fra1", retentionDays: 14 },
    });
    assert.deepEqual(config.ingress.tls?.issuer, {
      kind: "letsencrypt",
      acmeEmail: "platform-team@example.com",
      acmeServer: "staging",
    });
  });

  it("keeps staging small: two fixed nodes, no HA, no protection", () => {
    const config = parseConfig(
      readStackConfig(PROJECT_DIR, "staging").values,
      "staging",
      "Pulumi.staging.yaml",
    );
    if (config.cluster.provider !== "doks") assert.fail("staging runs on DOKS");
    assert.equal(config.protect, false);
    assert.equal(config.cluster.ha, false);
    assert.deepEqual(config.cluster.nodePool, { size: "s-2vcpu-4gb", autoScale: false, nodeCount: 2 });
  });

  const badInputs: [string, Record<string, string | undefined>, "dev" | "prod", string][] = [
    [
      "a misspelt key",
      { nodeSzie: "s-1vcpu-2gb" },
      "prod",
      "platform:nodeSzie: unknown key (did you mean platform:nodeSize?)",
    ],
    ["an unknown key", { colour: "blue" }, "dev", "platform:colour: unknown key (known keys: "],
    [
      "a missing required key",
      { clusterProvider: undefined },
      "dev",
      "platform:clusterProvider: required, expected one of k0s, doks, existing",
    ],
    [
      "an unknown provider",
      { clusterProvider: "eks" },
      "dev",
      "platform:clusterProvider: expected one of k0s, doks, existing, got eks",
    ],
    [
      "a port that is not a number",
      { k0sApiPort: "six" },
      "dev",
      "platform:k0sApiPort: expected an integer from 1024 to 65535, got six",
    ],
    [
      "a privileged port",
      { registryPort: "80" },
      "dev",
      "platform:registryPort: expected an integer from 1024 to 65535, got 80",
    ],
    [
      "a fractional port",
      { ingressHttpPort: "8080.5" },
      "dev",
      "platform:ingressHttpPort: expected an integer from 1024 to 65535, got 8080.5",
    ],
    ["a boolean spelt wrong", { protect: "yes" }, "dev", "platform:protect: expected true or false, got yes"],
    [
      "k0s latest",
      { k0sVersion: "latest" },
      "dev",
      "platform:k0sVersion: expected a k0s release from v1.32.1 on, such as v1.36.3+k0s.2 (never latest), got latest",
    ],
    [
      "an untagged registry image",
      { registryImage: "registry" },
      "dev",
      "platform:registryImage: expected an image pinned by an exact version tag, not latest or untagged, got registry",
    ],
    [
      "a registry image on latest",
      { registryImage: "localhost:5000/registry:latest" },
      "dev",
      "platform:registryImage: expected an image pinned by an exact version tag, not latest or untagged, got localhost:5000/registry:latest",
    ],
    [
      "two services on one port",
      { ingressHttpPort: "6443" },
      "dev",
      "platform:ingressHttpPort: port 6443 is already used by platform:k0sApiPort",
    ],
    [
      "a DOKS key on k0s",
      { region: "fra1" },
      "dev",
      "platform:region: applies only when platform:clusterProvider is doks",
    ],
    [
      "HA on k0s",
      { haControlPlane: "true" },
      "dev",
      "platform:haControlPlane: applies only when platform:clusterProvider is doks",
    ],
    [
      "a version prefix without its dot",
      { kubernetesVersionPrefix: "1.3" },
      "prod",
      'platform:kubernetesVersionPrefix: expected a minor version prefix ending in a dot, such as "1.33.", got 1.3',
    ],
    [
      "no region on doks",
      { region: "" },
      "prod",
      "platform:region: required, expected a DigitalOcean region slug such as fra1 (clusterProvider is doks)",
    ],
    [
      "min nodes above max",
      { nodeMinCount: "6" },
      "prod",
      "platform:nodeMinCount: must be ≤ platform:nodeMaxCount (5), got 6",
    ],
    [
      "zero nodes",
      { nodeMaxCount: "0" },
      "prod",
      "platform:nodeMaxCount: expected an integer from 1 to 100, got 0",
    ],
    [
      "a bad maintenance day",
      { maintenanceDay: "sundays" },
      "prod",
      "platform:maintenanceDay: expected one of any, monday, tuesday, wednesday, thursday, friday, saturday, sunday, got sundays",
    ],
    [
      "a bad maintenance time",
      { maintenanceStartTime: "25:00" },
      "prod",
      "platform:maintenanceStartTime: expected a UTC time HH:MM such as 03:00, got 25:00",
    ],
    [
      "a bad CIDR in the allow-list",
      { apiAllowList: '["203.0.113.0/24","10.0.0.300/8"]' },
      "prod",
      "platform:apiAllowList[1]: expected IPv4 CIDRs such as 203.0.113.0/24, got",
    ],
    [
      "an allow-list that is not a list",
      { apiAllowList: "203.0.113.0/24" },
      "prod",
      "platform:apiAllowList: expected a list of IPv4 CIDRs such as 203.0.113.0/24, got 203.0.113.0/24",
    ],
    [
      "a VPC that is too large",
      { vpcIpRange: "10.0.0.0/8" },
      "prod",
      "platform:vpcIpRange: expected a VPC range between /16 and /24, got 10.0.0.0/8",
    ],
    [
      "an unknown registry tier",
      { registryTier: "enterprise" },
      "prod",
      "platform:registryTier: expected one of starter, basic, professional, got enterprise",
    ],
    [
      "an invalid registry name",
      { registryName: "My_Registry" },
      "prod",
      "platform:registryName: expected 3 to 63 lowercase letters, digits and dashes, got My_Registry",
    ],
    [
      "a tag with spaces",
      { tags: '["cost center"]' },
      "prod",
      "platform:tags[0]: expected tags of letters, digits, ':', '-' and '_', got",
    ],
    [
      "a k0s release before 1.32.1",
      { k0sVersion: "v1.31.5+k0s.0" },
      "dev",
      "platform:k0sVersion: expected a k0s release from v1.32.1 on, such as v1.36.3+k0s.2 (never latest), got v1.31.5+k0s.0",
    ],
    [
      "a k0s major version the program does not know",
      { k0sVersion: "v2.0.1+k0s.0" },
      "dev",
      "platform:k0sVersion: expected a k0s release from v1.32.1 on",
    ],
    [
      "a public VPC range",
      { vpcIpRange: "8.8.0.0/16" },
      "prod",
      "platform:vpcIpRange: expected a private (RFC 1918) range, got 8.8.0.0/16",
    ],
    [
      "a VPC range over DOKS's pod network",
      { vpcIpRange: "10.244.0.0/20" },
      "prod",
      "platform:vpcIpRange: expected a range that does not overlap DOKS's pod (10.244.0.0/16) and service (10.245.0.0/16) networks, got 10.244.0.0/20",
    ],
    [
      "managed PostgreSQL on k0s",
      { databaseMode: "managed" },
      "dev",
      "platform:databaseMode: managed needs platform:clusterProvider doks; use in-cluster",
    ],
    [
      "TLS on k0s",
      { tls: "true" },
      "dev",
      "platform:tls: applies only when platform:clusterProvider is doks or existing",
    ],
    [
      "TLS without an ACME e-mail",
      { acmeEmail: "" },
      "prod",
      "platform:acmeEmail: required, expected an e-mail address for Let's Encrypt (platform:tls is true)",
    ],
    [
      "an unknown ACME server",
      { acmeServer: "prod" },
      "prod",
      "platform:acmeServer: expected one of staging, production, got prod",
    ],
    [
      "a host outside the DNS zone",
      { appHost: "app.example.org" },
      "prod",
      "platform:dnsZone: platform:appHost app.example.org is not in the zone example.com",
    ],
    [
      "more minimum than maximum replicas",
      { appMinReplicas: "7" },
      "prod",
      "platform:appMinReplicas: must be ≤ platform:appMaxReplicas (6), got 7",
    ],
    [
      "managed PostgreSQL without a VPC range",
      { vpcIpRange: "" },
      "prod",
      "platform:vpcIpRange: required when platform:databaseMode is managed",
    ],
    [
      "a database image on latest",
      { databaseImage: "postgres:latest" },
      "dev",
      "platform:databaseImage: expected an image pinned by an exact version tag, not latest or untagged, got postgres:latest",
    ],
    [
      "a backup schedule that is not cron",
      { databaseBackupSchedule: "nightly" },
      "dev",
      'platform:databaseBackupSchedule: expected a cron schedule of five fields such as "30 2 * * *", got nightly',
    ],
    [
      "four database nodes",
      { databaseNodeCount: "4" },
      "prod",
      "platform:databaseNodeCount: expected an integer from 1 to 3, got 4",
    ],
    [
      "a host name with an underscore",
      { appHost: "my_app.example.com" },
      "prod",
      "platform:appHost: expected a DNS name such as app.example.com, got my_app.example.com",
    ],
  ];
  for (const [what, changes, base, expected] of badInputs) {
    it(`refuses ${what}, naming the key`, () => {
      const problems = problemsOf(base === "dev" ? devWith(changes) : prodWith(changes));
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `expected a problem starting with ${JSON.stringify(expected)}, got ${JSON.stringify(problems)}`,
      );
    });
  }

  it("reports every problem at once, not only the first", () => {
    const problems = problemsOf(
      prodWith({ nodeSzie: "x", region: "Frankfurt", nodeMinCount: "9", registryTier: "gold" }),
    );
    assert.deepEqual(
      [...problems].sort(),
      [
        "platform:nodeMinCount: must be ≤ platform:nodeMaxCount (5), got 9",
        "platform:nodeSzie: unknown key (did you mean platform:nodeSize?)",
        "platform:region: expected a DigitalOcean region slug such as fra1, got Frankfurt",
        "platform:registryTier: expected one of starter, basic, professional, got gold",
      ].sort(),
    );
  });

  it("accepts the first k0s releases that run in Docker unaided, and later ones", () => {
    for (const version of ["v1.32.1+k0s.0", "v1.32.10+k0s.1", "v1.33.0+k0s.0", "v1.40.2+k0s.0"]) {
      assert.equal(
        parseConfig(devWith({ k0sVersion: version }), "dev", "x").cluster.provider,
        "k0s",
        version,
      );
    }
  });

  it("never shows a secret's value in a message, and leaves offline placeholders unchecked", () => {
    const secret = new Set(["platform:acmeEmail"]);
    const bad = prodWith({ acmeEmail: "not-an-address-but-a-secret" });
    assert.throws(
      () => parseConfig(bad, "prod", "Pulumi.prod.yaml", secret),
      (error: Error) =>
        error.message.includes(
          "platform:acmeEmail: expected an e-mail address for Let's Encrypt, got [secret]",
        ) && !error.message.includes("not-an-address-but-a-secret"),
    );
    const offline = parseConfig(prodWith({ acmeEmail: "[secret]" }), "prod", "Pulumi.prod.yaml", secret);
    const issuer = offline.ingress.tls?.issuer;
    assert.equal(issuer?.kind === "letsencrypt" && issuer.acmeEmail, "[secret]");
  });

  it("keeps a protected stack's in-cluster database on DigitalOcean's retaining storage class", () => {
    const config = parseConfig(prodWith({ databaseMode: "in-cluster" }), "prod", "Pulumi.prod.yaml");
    assert.deepEqual(config.database.mode === "in-cluster" && config.database.storage, {
      kind: "pvc",
      sizeGi: 10,
      storageClass: "do-block-storage-retain",
    });
  });

  it("ignores keys of other namespaces", () => {
    const values = { ...devWith({}), "digitalocean:token": "[secret]", "kubernetes:context": "x" };
    assert.equal(parseConfig(values, "dev", "Pulumi.dev.yaml").cluster.provider, "k0s");
  });

  it("names the stack file in the error message", () => {
    assert.throws(
      () => parseConfig(devWith({ protect: "maybe" }), "dev", "Pulumi.dev.yaml"),
      (error: Error) =>
        error.message ===
        "invalid configuration in Pulumi.dev.yaml:\n  - platform:protect: expected true or false, got maybe",
    );
  });
});
