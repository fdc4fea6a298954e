import { ConfigError } from "./errors";
import { SECRET_PLACEHOLDER } from "./stackFile";
import { KEY_TYPES, KeyName, PROJECT } from "./keys";
import { RawConfig, rawConfigSchema } from "./schema";
import {
  AppConfig,
  CloudPlatformConfig,
  DoksClusterConfig,
  InClusterDatabaseConfig,
  IngressConfig,
  LocalPlatformConfig,
  NodePoolConfig,
  PlatformConfig,
} from "./types";

const KEY_NAMES = Object.keys(KEY_TYPES) as KeyName[];
// Pulumi requires a value for every declared key, so these default to "" in Pulumi.yaml: not set.
const EMPTY_MEANS_UNSET: readonly KeyName[] = [
  "region",
  "kubernetesVersionPrefix",
  "vpcIpRange",
  "registryName",
  "acmeEmail",
  "dnsZone",
];
// Keys that only matter on DOKS and are refused on k0s once given a meaningful value.
const DOKS_ONLY: readonly KeyName[] = EMPTY_MEANS_UNSET;
const DOKS_ONLY_WHEN_TRUE: readonly KeyName[] = ["haControlPlane", "autoUpgrade", "nodeAutoScale", "tls"];
const DOKS_ONLY_WHY = "applies only when platform:clusterProvider is doks";

const full = (key: string) => `${PROJECT}:${key}`;

/**
 * Validates the whole configuration of a stack and returns it typed. `values` maps full keys
 * (`platform:nodeSize`, `digitalocean:token`) to the strings Pulumi passes to programs, with the
 * project defaults of Pulumi.yaml already applied. Keys of other namespaces are ignored.
 *
 * @throws ConfigError listing every problem at once, never only the first.
 */
export function parseConfig(
  values: Readonly<Record<string, string>>,
  stack: string,
  source: string,
  secretKeys: ReadonlySet<string> = new Set(),
): PlatformConfig {
  const problems: string[] = [];
  const given: Record<string, string> = {};
  // Offline tools see `secure:` values only as placeholders: those keep their place unchecked.
  const opaque: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    if (!(name in KEY_TYPES)) problems.push(`${key}: unknown key${suggestion(name)}`);
    else if (value === SECRET_PLACEHOLDER && secretKeys.has(key)) opaque[name] = value;
    else if (!(value === "" && EMPTY_MEANS_UNSET.includes(name as KeyName))) given[name] = value;
  }
  // A secret's value never appears in a message, not even a wrong one.
  const shown = (key: string) => (secretKeys.has(full(key)) ? "[secret]" : given[key]);

  const parsed = rawConfigSchema.partial().safeParse(given);
  const raw: RawConfig = {};
  const invalid = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      invalid.add(key);
      problems.push(`${full(key)}${formatSubPath(issue.path.slice(1))}: ${issue.message}, got ${shown(key)}`);
    }
  }
  const data = parsed.success ? parsed.data : partialData(given, invalid);
  for (const name of KEY_NAMES) {
    if (!invalid.has(name) && data[name] !== undefined) (raw as Record<string, unknown>)[name] = data[name];
  }
  Object.assign(raw, opaque);

  const cross = new CrossChecks(raw, invalid, problems);
  const config = cross.build(stack);
  if (problems.length > 0 || !config) throw new ConfigError(source, problems);
  return config;
}

/** Re-parses the valid keys alone when some were invalid, so cross-key checks still see them. */
function partialData(given: Record<string, string>, invalid: Set<string>): RawConfig {
  const valid = Object.fromEntries(Object.entries(given).filter(([key]) => !invalid.has(key)));
  const result = rawConfigSchema.partial().safeParse(valid);
  return result.success ? result.data : {};
}

function formatSubPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function suggestion(name: string): string {
  const close = KEY_NAMES.map((k) => ({ k, d: editDistance(k.toLowerCase(), name.toLowerCase()) }))
    .filter(({ d }) => d <= 3)
    .sort((a, b) => a.d - b.d)[0];
  return close ? ` (did you mean ${full(close.k)}?)` : ` (known keys: ${KEY_NAMES.join(", ")})`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * Checks that involve more than one key, and assembles the typed configuration. A missing or
 * invalid key records a problem and yields `undefined` in its place: `parseConfig` throws whenever
 * a problem was recorded, so a half-built configuration never leaves this module.
 */
class CrossChecks {
  constructor(
    private readonly raw: RawConfig,
    private readonly invalid: Set<string>,
    private readonly problems: string[],
  ) {}

  build(stack: string): PlatformConfig | undefined {
    const provider = this.need("clusterProvider", "expected one of k0s, doks");
    if (provider === "k0s") return this.local(stack);
    if (provider === "doks") return this.doks(stack);
    return undefined;
  }

  private common(stack: string) {
    return {
      stack,
      protect: this.need("protect", "expected true or false"),
      tags: [stack, ...(this.need("tags", "expected a list of tags") ?? [])],
    };
  }

  private local(stack: string): LocalPlatformConfig {
    for (const key of DOKS_ONLY) this.forbid(key, DOKS_ONLY_WHY);
    for (const key of DOKS_ONLY_WHEN_TRUE) {
      if (this.raw[key] === true) this.problems.push(`${full(key)}: ${DOKS_ONLY_WHY}`);
    }
    if (this.raw.databaseMode === "managed") {
      this.problems.push(
        `${full("databaseMode")}: managed needs platform:clusterProvider doks; use in-cluster`,
      );
    }
    this.distinctPorts(["k0sApiPort", "ingressHttpPort", "ingressHttpsPort", "registryPort"]);
    const k0sVersion = this.need("k0sVersion", "expected a k0s release such as v1.36.3+k0s.2");
    const registryPort = this.need("registryPort", "expected a port number");
    return {
      ...this.common(stack),
      cluster: {
        provider: "k0s",
        k0sVersion,
        image: `docker.io/k0sproject/k0s:${k0sVersion?.replace("+", "-")}`,
        apiPort: this.need("k0sApiPort", "expected a port number"),
        ingressHttpPort: this.need("ingressHttpPort", "expected a port number"),
        ingressHttpsPort: this.need("ingressHttpsPort", "expected a port number"),
      },
      registry: {
        provider: "local",
        image: this.need("registryImage", "expected an image reference"),
        port: registryPort,
        host: `localhost:${registryPort}`,
      },
      ingress: { replicas: this.need("ingressReplicas", "expected a replica count") },
      app: this.app(false),
      database: this.inClusterDatabase({ kind: "emptyDir" }),
    };
  }

  private doks(stack: string): CloudPlatformConfig {
    const region = this.need(
      "region",
      "expected a DigitalOcean region slug such as fra1 (clusterProvider is doks)",
    );
    const vpcIpRange = this.raw.vpcIpRange;
    const cluster: DoksClusterConfig = {
      provider: "doks",
      region,
      versionPrefix: this.need(
        "kubernetesVersionPrefix",
        'expected a minor version prefix such as "1.33." (clusterProvider is doks)',
      ),
      ha: this.need("haControlPlane", "expected true or false"),
      autoUpgrade: this.need("autoUpgrade", "expected true or false"),
      maintenance: {
        day: this.need("maintenanceDay", "expected a day"),
        startTime: this.need("maintenanceStartTime", "expected HH:MM"),
      },
      surgeUpgrade: this.need("surgeUpgrade", "expected true or false"),
      nodePool: this.nodePool(),
      ...(vpcIpRange !== undefined ? { vpcIpRange } : {}),
      apiAllowList: this.need("apiAllowList", "expected a list of CIDRs"),
    };
    const managed = this.raw.databaseMode === "managed";
    if (managed && vpcIpRange === undefined && !this.invalid.has("vpcIpRange")) {
      this.problems.push(
        `${full("vpcIpRange")}: required when platform:databaseMode is managed (the network policy admits the database by the VPC range)`,
      );
    }
    return {
      ...this.common(stack),
      cluster,
      registry: {
        provider: "docr",
        name: this.need("registryName", "expected the registry's name (clusterProvider is doks)"),
        tier: this.need("registryTier", "expected starter, basic or professional"),
        region,
      },
      ingress: this.cloudIngress(),
      app: this.app(true),
      database: managed
        ? {
            mode: "managed",
            version: this.need("databaseVersion", 'expected a PostgreSQL major version such as "17"'),
            size: this.need("databaseSize", "expected a database size slug"),
            nodeCount: this.need("databaseNodeCount", "expected 1, 2 or 3"),
            region,
            vpcIpRange: vpcIpRange as string,
          }
        : this.inClusterDatabase({
            kind: "pvc",
            sizeGi: this.need("databaseStorageGi", "expected a size in GiB"),
            // DOKS's retaining class keeps the volume even when its claim is deleted.
            storageClass: this.raw.protect ? "do-block-storage-retain" : "do-block-storage",
          }),
    };
  }

  private nodePool(): NodePoolConfig {
    const size = this.need("nodeSize", "expected a Droplet size slug");
    if (this.need("nodeAutoScale", "expected true or false")) {
      const [minNodes, maxNodes] = this.range("nodeMinCount", "nodeMaxCount");
      return { size, autoScale: true, minNodes, maxNodes };
    }
    return { size, autoScale: false, nodeCount: this.need("nodeCount", "expected the node count") };
  }

  private app(cloud: boolean): AppConfig {
    const host = this.need("appHost", "expected the app's host name");
    const scaling: AppConfig["scaling"] = this.need("appAutoscale", "expected true or false")
      ? (() => {
          const [minReplicas, maxReplicas] = this.range("appMinReplicas", "appMaxReplicas");
          return { autoscale: true, minReplicas, maxReplicas };
        })()
      : { autoscale: false, replicas: this.need("appReplicas", "expected a replica count") };
    return { host, scaling, spreadAcrossNodes: cloud };
  }

  private cloudIngress(): IngressConfig {
    const replicas = this.need("ingressReplicas", "expected a replica count");
    const dnsZone = this.raw.dnsZone;
    const host = this.raw.appHost;
    if (dnsZone !== undefined && host !== undefined && !host.endsWith(`.${dnsZone}`)) {
      this.problems.push(`${full("dnsZone")}: platform:appHost ${host} is not in the zone ${dnsZone}`);
    }
    if (!this.need("tls", "expected true or false")) return { replicas, ...(dnsZone ? { dnsZone } : {}) };
    const acmeEmail = this.need(
      "acmeEmail",
      "expected an e-mail address for Let's Encrypt (platform:tls is true)",
    );
    const acmeServer = this.need("acmeServer", "expected staging or production");
    return { replicas, tls: { acmeEmail, acmeServer }, ...(dnsZone ? { dnsZone } : {}) };
  }

  private inClusterDatabase(storage: InClusterDatabaseConfig["storage"]): InClusterDatabaseConfig {
    return {
      mode: "in-cluster",
      image: this.need("databaseImage", "expected a pinned PostgreSQL image"),
      storage,
      backupSchedule: this.need("databaseBackupSchedule", "expected a cron schedule"),
    };
  }

  /** Two keys that bound a range: both required, the first not above the second. */
  private range(minKey: KeyName, maxKey: KeyName): [number, number] {
    const min = this.need(minKey, "expected a number") as number;
    const max = this.need(maxKey, "expected a number") as number;
    if (min !== undefined && max !== undefined && min > max) {
      this.problems.push(`${full(minKey)}: must be ≤ ${full(maxKey)} (${max}), got ${min}`);
    }
    return [min, max];
  }

  private need<K extends KeyName>(key: K, expected: string): NonNullable<RawConfig[K]> {
    const value = this.raw[key];
    if (value === undefined && !this.invalid.has(key))
      this.problems.push(`${full(key)}: required, ${expected}`);
    return value as NonNullable<RawConfig[K]>;
  }

  private forbid(key: KeyName, why: string): void {
    if (this.raw[key] !== undefined) this.problems.push(`${full(key)}: ${why}`);
  }

  private distinctPorts(keys: readonly KeyName[]): void {
    const seen = new Map<unknown, KeyName>();
    for (const key of keys) {
      const port = this.raw[key];
      if (port === undefined) continue;
      const other = seen.get(port);
      if (other) this.problems.push(`${full(key)}: port ${String(port)} is already used by ${full(other)}`);
      else seen.set(port, key);
    }
  }
}
