import { ConfigError } from "./errors";
import { KEY_TYPES, KeyName, PROJECT } from "./keys";
import { RawConfig, rawConfigSchema } from "./schema";
import { DoksClusterConfig, LocalClusterConfig, NodePoolConfig, PlatformConfig } from "./types";

const KEY_NAMES = Object.keys(KEY_TYPES) as KeyName[];
// Pulumi requires a value for every declared key, so these default to "" in Pulumi.yaml: not set.
const EMPTY_MEANS_UNSET: readonly KeyName[] = [
  "region",
  "kubernetesVersionPrefix",
  "vpcIpRange",
  "registryName",
];
// Keys that only matter on DOKS and are refused on k0s once given a meaningful value.
const DOKS_ONLY: readonly KeyName[] = EMPTY_MEANS_UNSET;
const DOKS_ONLY_WHEN_TRUE: readonly KeyName[] = ["haControlPlane", "autoUpgrade", "nodeAutoScale"];

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
): PlatformConfig {
  const problems: string[] = [];
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    if (!(name in KEY_TYPES)) problems.push(`${key}: unknown key${suggestion(name)}`);
    else if (!(value === "" && EMPTY_MEANS_UNSET.includes(name as KeyName))) given[name] = value;
  }

  const parsed = rawConfigSchema.partial().safeParse(given);
  const raw: RawConfig = {};
  const invalid = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      invalid.add(key);
      problems.push(`${full(key)}${formatSubPath(issue.path.slice(1))}: ${issue.message}, got ${given[key]}`);
    }
  }
  const data = parsed.success ? parsed.data : partialData(given, invalid);
  for (const name of KEY_NAMES) {
    if (!invalid.has(name) && data[name] !== undefined) (raw as Record<string, unknown>)[name] = data[name];
  }

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

/** Checks that involve more than one key, and assembles the typed configuration. */
class CrossChecks {
  constructor(
    private readonly raw: RawConfig,
    private readonly invalid: Set<string>,
    private readonly problems: string[],
  ) {}

  build(stack: string): PlatformConfig | undefined {
    const provider = this.require("clusterProvider", "expected one of k0s, doks");
    const protect = this.require("protect", "expected true or false");
    const tags = this.require("tags", "expected a list of tags");
    if (provider === "k0s") return this.local(stack, protect, tags);
    if (provider === "doks") return this.doks(stack, protect, tags);
    return undefined;
  }

  private local(stack: string, protect?: boolean, tags?: string[]): PlatformConfig | undefined {
    for (const key of DOKS_ONLY) this.forbid(key, "applies only when platform:clusterProvider is doks");
    for (const key of DOKS_ONLY_WHEN_TRUE) {
      if (this.raw[key] === true)
        this.problems.push(`${full(key)}: applies only when platform:clusterProvider is doks`);
    }
    const k0sVersion = this.require("k0sVersion", "expected a k0s release such as v1.36.3+k0s.2");
    const apiPort = this.require("k0sApiPort", "expected a port number");
    const ingressHttpPort = this.require("ingressHttpPort", "expected a port number");
    const ingressHttpsPort = this.require("ingressHttpsPort", "expected a port number");
    const registryPort = this.require("registryPort", "expected a port number");
    const registryImage = this.require("registryImage", "expected an image reference");
    this.distinctPorts(["k0sApiPort", "ingressHttpPort", "ingressHttpsPort", "registryPort"]);
    if (
      protect === undefined ||
      tags === undefined ||
      k0sVersion === undefined ||
      apiPort === undefined ||
      ingressHttpPort === undefined ||
      ingressHttpsPort === undefined ||
      registryPort === undefined ||
      registryImage === undefined
    ) {
      return undefined;
    }
    const cluster: LocalClusterConfig = {
      provider: "k0s",
      k0sVersion,
      image: `docker.io/k0sproject/k0s:${k0sVersion.replace("+", "-")}`,
      apiPort,
      ingressHttpPort,
      ingressHttpsPort,
    };
    return {
      stack,
      protect,
      tags: [stack, ...tags],
      cluster,
      registry: {
        provider: "local",
        image: registryImage,
        port: registryPort,
        host: `localhost:${registryPort}`,
      },
    };
  }

  private doks(stack: string, protect?: boolean, tags?: string[]): PlatformConfig | undefined {
    const region = this.require(
      "region",
      "expected a DigitalOcean region slug such as fra1 (clusterProvider is doks)",
    );
    const versionPrefix = this.require(
      "kubernetesVersionPrefix",
      'expected a minor version prefix such as "1.33." (clusterProvider is doks)',
    );
    const registryName = this.require(
      "registryName",
      "expected the registry's name (clusterProvider is doks)",
    );
    const registryTier = this.require("registryTier", "expected starter, basic or professional");
    const ha = this.require("haControlPlane", "expected true or false");
    const autoUpgrade = this.require("autoUpgrade", "expected true or false");
    const day = this.require("maintenanceDay", "expected a day");
    const startTime = this.require("maintenanceStartTime", "expected HH:MM");
    const surgeUpgrade = this.require("surgeUpgrade", "expected true or false");
    const apiAllowList = this.require("apiAllowList", "expected a list of CIDRs");
    const nodePool = this.nodePool();
    if (
      protect === undefined ||
      tags === undefined ||
      region === undefined ||
      versionPrefix === undefined ||
      registryName === undefined ||
      registryTier === undefined ||
      ha === undefined ||
      autoUpgrade === undefined ||
      day === undefined ||
      startTime === undefined ||
      surgeUpgrade === undefined ||
      apiAllowList === undefined ||
      nodePool === undefined
    ) {
      return undefined;
    }
    const cluster: DoksClusterConfig = {
      provider: "doks",
      region,
      versionPrefix,
      ha,
      autoUpgrade,
      maintenance: { day, startTime },
      surgeUpgrade,
      nodePool,
      ...(this.raw.vpcIpRange !== undefined ? { vpcIpRange: this.raw.vpcIpRange } : {}),
      apiAllowList,
    };
    return {
      stack,
      protect,
      tags: [stack, ...tags],
      cluster,
      registry: { provider: "docr", name: registryName, tier: registryTier, region },
    };
  }

  private nodePool(): NodePoolConfig | undefined {
    const size = this.require("nodeSize", "expected a Droplet size slug");
    const autoScale = this.require("nodeAutoScale", "expected true or false");
    if (autoScale === true) {
      const minNodes = this.require(
        "nodeMinCount",
        "expected the smallest node count (platform:nodeAutoScale is true)",
      );
      const maxNodes = this.require(
        "nodeMaxCount",
        "expected the largest node count (platform:nodeAutoScale is true)",
      );
      if (minNodes !== undefined && maxNodes !== undefined && minNodes > maxNodes) {
        this.problems.push(
          `${full("nodeMinCount")}: must be ≤ platform:nodeMaxCount (${maxNodes}), got ${minNodes}`,
        );
      }
      if (size === undefined || minNodes === undefined || maxNodes === undefined) return undefined;
      return { size, autoScale: true, minNodes, maxNodes };
    }
    if (autoScale === false) {
      const nodeCount = this.require(
        "nodeCount",
        "expected the node count (platform:nodeAutoScale is false)",
      );
      if (size === undefined || nodeCount === undefined) return undefined;
      return { size, autoScale: false, nodeCount };
    }
    return undefined;
  }

  private require<K extends KeyName>(key: K, expected: string): NonNullable<RawConfig[K]> | undefined {
    const value = this.raw[key];
    if (value === undefined && !this.invalid.has(key))
      this.problems.push(`${full(key)}: required, ${expected}`);
    return value ?? undefined;
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
