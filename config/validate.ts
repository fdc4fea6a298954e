import { isMap, isSeq, parseDocument } from "yaml";
import { BundleError, OfflineBundle, readBundle } from "../offline";
import { ConfigError } from "./errors";
import { SECRET_PLACEHOLDER } from "./stackFile";
import { ClusterProvider, KEY_DEFAULTS, KEYS, KeyName, PROJECT, SECRET_KEYS } from "./keys";
import { RawConfig, rawConfigSchema } from "./schema";
import { SecretValue } from "./secret";
import {
  AppConfig,
  CloudPlatformConfig,
  DatabaseBackupConfig,
  DoksClusterConfig,
  ExistingClusterConfig,
  ExistingPlatformConfig,
  ExternalRegistryConfig,
  InClusterDatabaseConfig,
  IngressControllerConfig,
  LocalPlatformConfig,
  NodePoolConfig,
  ObservabilityConfig,
  PlatformConfig,
  RoutingMode,
  TelemetryStoreConfig,
  TlsConfig,
  VeleroConfig,
} from "./types";

const KEY_NAMES = Object.keys(KEYS) as KeyName[];
// Pulumi requires a value for every declared key, so keys without a meaningful default declare ""
// in Pulumi.yaml: not set.
const EMPTY_MEANS_UNSET = new Set(KEY_NAMES.filter((name) => KEY_DEFAULTS[name] === ""));
const SECRET = new Set<string>(SECRET_KEYS);

const full = (key: string) => `${PROJECT}:${key}`;

/**
 * Validates the whole configuration of a stack and returns it typed. `values` maps full keys
 * (`platform:nodeSize`, `digitalocean:token`) to the strings Pulumi passes to programs, with the
 * project defaults of Pulumi.yaml already applied; `secretKeys` names the keys set as secrets.
 * Keys of other namespaces are ignored.
 *
 * Besides each key's own format, a key that does not apply to the stack's cluster provider (or to
 * its other settings) is refused when it holds anything but its default, and the secret keys
 * (`kubeconfig`, `registryPullSecret`, `databasePassword`) are refused unless they are secrets.
 *
 * @throws ConfigError listing every problem at once, never only the first; no message shows the
 *   value of a secret key.
 */
export function parseConfig(
  values: Readonly<Record<string, string>>,
  stack: string,
  source: string,
  secretKeys: ReadonlySet<string> = new Set(),
): PlatformConfig {
  const problems: string[] = [];
  const given: Record<string, string> = {};
  // Secret keys given in plain text: refused once, and not reported as missing on top.
  const refusedSecrets = new Set<string>();
  // Offline tools see `secure:` values only as placeholders: those keep their place unchecked.
  const opaque: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    if (!(name in KEYS)) problems.push(`${key}: unknown key${suggestion(name)}`);
    else if (value === "" && EMPTY_MEANS_UNSET.has(name as KeyName)) continue;
    else if (SECRET.has(name) && !secretKeys.has(key)) {
      refusedSecrets.add(name);
      problems.push(
        `${key}: must be a secret: set it with \`pulumi config set --secret ${key}\`, never in plain text in a stack file`,
      );
    } else if (value === SECRET_PLACEHOLDER && secretKeys.has(key)) opaque[name] = value;
    else given[name] = value;
  }
  // A secret's value never appears in a message, not even a wrong one; nor does a kubeconfig path
  // (it may hold a pasted kubeconfig). For a field of a map, only that field's value is shown.
  const shown = (key: string, path: readonly PropertyKey[]) => {
    if (secretKeys.has(full(key)) || SECRET.has(key)) return "[secret]";
    if (key === "kubeconfigPath") return "[not shown]";
    return path.length > 0 ? (valueAt(given[key], path) ?? given[key]) : given[key];
  };

  const parsed = rawConfigSchema.partial().safeParse(given);
  const raw: RawConfig = {};
  const invalid = new Set<string>(refusedSecrets);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      invalid.add(key);
      const sub = issue.path.slice(1);
      problems.push(`${full(key)}${formatSubPath(sub)}: ${issue.message}, got ${shown(key, sub)}`);
    }
  }
  const data = parsed.success ? parsed.data : partialData(given, invalid);
  for (const name of KEY_NAMES) {
    if (!invalid.has(name) && data[name] !== undefined) (raw as Record<string, unknown>)[name] = data[name];
  }
  Object.assign(raw, opaque);

  const cross = new CrossChecks(raw, invalid, new Set(Object.keys(opaque)), problems);
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

/** The value at `path` in a JSON config value (a list or a map), as text; undefined if absent. */
function valueAt(json: string | undefined, path: readonly PropertyKey[]): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json ?? "");
  } catch {
    return undefined;
  }
  for (const part of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
  return value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);
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

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const providerList = (providers: readonly string[]) => providers.join(" or ");

/**
 * Checks that involve more than one key, and assembles the typed configuration. A missing or
 * invalid key records a problem and yields `undefined` in its place: `parseConfig` throws whenever
 * a problem was recorded, so a half-built configuration never leaves this module.
 */
class CrossChecks {
  constructor(
    private readonly raw: RawConfig,
    private readonly invalid: Set<string>,
    /** Secret keys seen only as offline placeholders: present, contents unknown. */
    private readonly opaque: ReadonlySet<string>,
    private readonly problems: string[],
  ) {}

  build(stack: string): PlatformConfig | undefined {
    const provider = this.need("clusterProvider", "expected one of k0s, doks, existing");
    if (provider === undefined) return undefined;
    this.refuseKeysOutside(provider);
    if (provider === "k0s") return this.local(stack);
    if (provider === "doks") return this.doks(stack);
    return this.existing(stack);
  }

  /** A key set to anything but its default where it means nothing is a mistake worth naming. */
  private refuseKeysOutside(provider: ClusterProvider): void {
    for (const name of KEY_NAMES) {
      const applies: readonly ClusterProvider[] = KEYS[name].appliesTo;
      if (applies.includes(provider) || this.raw[name] === undefined) continue;
      if (this.opaque.has(name) || !sameValue(this.raw[name], KEY_DEFAULTS[name]))
        this.problems.push(
          `${full(name)}: applies only when platform:clusterProvider is ${providerList(applies)}`,
        );
    }
    if (provider !== "doks" && this.raw.databaseMode === "managed")
      this.problems.push(
        `${full("databaseMode")}: managed needs platform:clusterProvider doks; use in-cluster`,
      );
  }

  /** Like {@link refuseKeysOutside}, for keys that depend on another setting of the same stack. */
  private refuseUnless(condition: boolean, keys: readonly KeyName[], why: string): void {
    if (condition) return;
    for (const name of keys) {
      const value = this.raw[name];
      if (value !== undefined && (this.opaque.has(name) || !sameValue(value, KEY_DEFAULTS[name])))
        this.problems.push(`${full(name)}: ${why}`);
    }
  }

  private common(stack: string) {
    const provider = this.raw.clusterProvider;
    const observability = this.observability();
    const observed = observability?.level !== "off";
    return {
      stack,
      protect: this.need("protect", "expected true or false"),
      tags: [stack, ...(this.need("tags", "expected a list of tags") ?? [])],
      installMetricsServer:
        observed &&
        (provider === "doks" || (provider === "existing" && this.raw.metricsServer === "install")),
      observability: observability as ObservabilityConfig,
    };
  }

  /**
   * `observability`: `off` installs nothing, `metrics` metrics-server where the cluster has none,
   * `full` the monitoring and logging stack besides. The keys that size the stack apply only to
   * `full`; `off` is refused where the app's HPAs would have no metrics-server to read.
   */
  private observability(): ObservabilityConfig | undefined {
    const level = this.need("observability", "expected off, metrics or full");
    const provider = this.raw.clusterProvider;
    this.refuseUnless(
      level !== "off",
      ["metricsServer"],
      "applies only when platform:observability is metrics or full (it says whether the cluster has metrics-server)",
    );
    if (level === "off" && this.raw.appAutoscale === true && provider === "doks")
      this.problems.push(
        `${full("observability")}: off leaves the app's HorizontalPodAutoscalers without metrics-server, which DOKS does not ship: use metrics or full, or set platform:appAutoscale false`,
      );
    this.refuseUnless(
      level === "full",
      [
        "grafanaHost",
        "grafanaAdminPassword",
        "metricsRetentionDays",
        "metricsStorageGi",
        "logsRetentionDays",
        "logsStorageGi",
      ],
      "applies only when platform:observability is full",
    );
    if (level !== "full") return level === undefined ? undefined : { level };

    const appHost = this.raw.appHost;
    const host = this.raw.grafanaHost ?? (appHost !== undefined ? `grafana.${appHost}` : undefined);
    const zone = this.raw.dnsZone;
    if (host !== undefined && host === appHost)
      this.problems.push(`${full("grafanaHost")}: must differ from platform:appHost (${appHost})`);
    else if (host !== undefined && zone !== undefined && !host.endsWith(`.${zone}`))
      this.problems.push(
        `${full("grafanaHost")}: ${host} is not in platform:dnsZone ${zone}, where the program creates its DNS record`,
      );
    const password = this.raw.grafanaAdminPassword;
    const store = (days: KeyName, size: KeyName): TelemetryStoreConfig => ({
      retentionDays: this.need(days, "expected a number of days") as number,
      storage:
        provider === "k0s"
          ? { kind: "emptyDir" }
          : {
              kind: "pvc",
              sizeGi: this.need(size, "expected a size in GiB") as number,
              // Telemetry is not kept beyond its retention: the deleting class, also where data is protected.
              ...(provider === "doks" ? { storageClass: "do-block-storage" } : {}),
            },
    });
    return {
      level,
      grafana: {
        host: host as string,
        ...(password !== undefined ? { adminPassword: new SecretValue(password) } : {}),
      },
      metrics: store("metricsRetentionDays", "metricsStorageGi"),
      logs: store("logsRetentionDays", "logsStorageGi"),
    };
  }

  private local(stack: string): LocalPlatformConfig {
    this.distinctPorts(["k0sApiPort", "ingressHttpPort", "ingressHttpsPort", "registryPort"]);
    const k0sVersion = this.need("k0sVersion", "expected a k0s release such as v1.36.3+k0s.2");
    const registryPort = this.need("registryPort", "expected a port number");
    const offlineBundle = this.offlineBundle();
    return {
      ...this.common(stack),
      ...(offlineBundle ? { offlineBundle } : {}),
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
      ingress: { controller: this.traefik(), routing: this.routing("traefik") },
      app: this.app(false),
      database: this.inClusterDatabase({ kind: "emptyDir" }),
    };
  }

  /**
   * `offlineBundle`: the directory and its bundle.json must exist and parse, with every file it
   * lists, before any resource is declared (the archives' digests are checked at deployment).
   */
  private offlineBundle(): OfflineBundle | undefined {
    const dir = this.raw.offlineBundle;
    if (dir === undefined) return undefined;
    // The Prometheus operator starts Prometheus, Alertmanager and its config reloader from images
    // that no pod template of the chart's render names, so a bundle cannot list them.
    if (this.raw.observability === "full") {
      this.problems.push(
        `${full("offlineBundle")}: not with platform:observability full (the Prometheus operator starts images a bundle cannot list from the chart); use metrics or off`,
      );
      return undefined;
    }
    try {
      return readBundle(dir);
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      this.problems.push(`${full("offlineBundle")}: ${error.message}`);
      return undefined;
    }
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
    this.refuseUnless(
      !managed,
      ["databasePassword"],
      "applies only to the in-cluster database (DigitalOcean generates the managed database's password)",
    );
    this.refuseUnless(
      !managed,
      ["databaseBackupRetentionDays"],
      "applies only to the in-cluster database (DigitalOcean keeps the managed database's daily backups and point-in-time recovery)",
    );
    const velero = this.velero(region);
    const dnsZone = this.raw.dnsZone;
    const host = this.raw.appHost;
    if (dnsZone !== undefined && host !== undefined && !host.endsWith(`.${dnsZone}`)) {
      this.problems.push(`${full("dnsZone")}: platform:appHost ${host} is not in the zone ${dnsZone}`);
    }
    const tls = this.tls();
    return {
      ...this.common(stack),
      cluster,
      registry: {
        provider: "docr",
        name: this.need("registryName", "expected the registry's name (clusterProvider is doks)"),
        tier: this.need("registryTier", "expected starter, basic or professional"),
        region,
      },
      ingress: {
        controller: this.traefik(),
        routing: this.routing("traefik"),
        ...(tls ? { tls } : {}),
        ...(dnsZone ? { dnsZone } : {}),
      },
      app: this.app(true),
      ...(velero ? { velero } : {}),
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

  private existing(stack: string): ExistingPlatformConfig {
    const tls = this.tls();
    const storageClass = this.raw.databaseStorageClass;
    const controller = this.ingressController();
    return {
      ...this.common(stack),
      cluster: this.existingCluster(),
      registry: this.externalRegistry(),
      ingress: { controller, routing: this.routing(controller.kind), ...(tls ? { tls } : {}) },
      app: this.app(true),
      database: this.inClusterDatabase({
        kind: "pvc",
        sizeGi: this.need("databaseStorageGi", "expected a size in GiB"),
        ...(storageClass !== undefined ? { storageClass } : {}),
      }),
    };
  }

  private existingCluster(): ExistingClusterConfig {
    const secret = this.raw.kubeconfig;
    const path = this.raw.kubeconfigPath;
    const context = this.raw.kubeconfigContext;
    const kubeconfig: ExistingClusterConfig["kubeconfig"] | undefined =
      secret !== undefined
        ? { source: "secret", value: new SecretValue(secret) }
        : path !== undefined
          ? { source: "path", path }
          : undefined;
    if (secret !== undefined && path !== undefined) {
      this.problems.push(
        `${full("kubeconfigPath")}: set either the secret platform:kubeconfig or platform:kubeconfigPath, not both`,
      );
    } else if (!kubeconfig && !this.invalid.has("kubeconfig") && !this.invalid.has("kubeconfigPath")) {
      this.problems.push(
        `${full("kubeconfig")}: required (clusterProvider is existing): the cluster's kubeconfig as a secret (\`pulumi config set --secret platform:kubeconfig < kubeconfig\`), or its file in platform:kubeconfigPath`,
      );
    }
    const current =
      secret !== undefined && !this.opaque.has("kubeconfig")
        ? this.checkKubeconfig(secret, context)
        : undefined;
    const resolved = context ?? current;
    return {
      provider: "existing",
      kubeconfig: kubeconfig as ExistingClusterConfig["kubeconfig"],
      ...(resolved !== undefined ? { context: resolved } : {}),
    };
  }

  /**
   * The kubeconfig's shape, and that the context to use is in it; never its contents in a message.
   * Returns its current context.
   */
  private checkKubeconfig(text: string, context: string | undefined): string | undefined {
    const key = full("kubeconfig");
    const doc = parseDocument(text);
    const clusters = doc.errors.length === 0 && isMap(doc.contents) ? doc.get("clusters") : undefined;
    if (!isSeq(clusters) || clusters.items.length === 0) {
      this.problems.push(`${key}: expected a kubeconfig document with at least one cluster, got [secret]`);
      return undefined;
    }
    const contexts = doc.get("contexts");
    const names = isSeq(contexts)
      ? contexts.items.map((item) => (isMap(item) ? String(item.get("name")) : ""))
      : [];
    if (context !== undefined && !names.includes(context)) {
      this.problems.push(
        `${full("kubeconfigContext")}: the kubeconfig has no context ${context} (it has: ${names.join(", ") || "none"})`,
      );
    } else if (context === undefined && !doc.get("current-context")) {
      this.problems.push(
        `${full("kubeconfigContext")}: required, the kubeconfig sets no current-context (it has: ${names.join(", ") || "none"})`,
      );
    }
    const current = doc.get("current-context");
    return typeof current === "string" && current !== "" ? current : undefined;
  }

  private externalRegistry(): ExternalRegistryConfig {
    const server = this.raw.registryServer;
    const byReference = this.raw.appImages?.api !== undefined || this.raw.appImages?.web !== undefined;
    if (server !== undefined && byReference) {
      this.problems.push(
        `${full("registryServer")}: images given by digest in platform:appImages are not built, so there is nothing to push: set one of the two`,
      );
    } else if (
      server === undefined &&
      !byReference &&
      !this.invalid.has("registryServer") &&
      !this.invalid.has("appImages")
    ) {
      this.problems.push(
        `${full("registryServer")}: required (clusterProvider is existing) unless platform:appImages gives both images by digest: the registry to push the app's images to, such as ghcr.io/acme`,
      );
    }
    const pullSecret = this.raw.registryPullSecret;
    if (
      pullSecret !== undefined &&
      !this.opaque.has("registryPullSecret") &&
      !isDockerConfigJson(pullSecret)
    ) {
      this.problems.push(
        `${full("registryPullSecret")}: expected a .dockerconfigjson document ({"auths": {"<registry>": {...}}}), got [secret]`,
      );
    }
    return {
      provider: "external",
      ...(server !== undefined ? { server } : {}),
      ...(pullSecret !== undefined ? { pullDockerConfigJson: new SecretValue(pullSecret) } : {}),
    };
  }

  /** Traefik, installed by the program. */
  private traefik(): IngressControllerConfig {
    return { kind: "traefik", replicas: this.need("ingressReplicas", "expected a replica count") };
  }

  private ingressController(): IngressControllerConfig {
    const kind = this.need("ingressController", "expected traefik or existing");
    this.refuseUnless(
      kind === "existing",
      ["ingressClassName", "ingressControllerNamespace"],
      "applies only when platform:ingressController is existing",
    );
    if (kind !== "existing") return this.traefik();
    this.refuseUnless(
      false,
      ["ingressReplicas"],
      "applies only when the program installs Traefik (platform:ingressController traefik)",
    );
    return {
      kind: "existing",
      className: this.need(
        "ingressClassName",
        "expected the IngressClass of the cluster's controller (platform:ingressController is existing)",
      ),
      namespace: this.need(
        "ingressControllerNamespace",
        "expected the namespace of the cluster's ingress controller (platform:ingressController is existing)",
      ),
    };
  }

  /**
   * `routing`: Ingress objects, or the Gateway API on the Traefik the program installs (the
   * cluster's own controller's GatewayClass and listener ports are not known to the program).
   */
  private routing(controller: IngressControllerConfig["kind"] | undefined): RoutingMode {
    const routing = this.need("routing", "expected ingress or gateway");
    if (routing === "gateway" && controller === "existing")
      this.problems.push(
        `${full("routing")}: gateway needs the Traefik the program installs (platform:ingressController traefik); with the cluster's own controller use ingress`,
      );
    return routing;
  }

  /** cert-manager and the issuer of the app's certificate, when `tls` is true. */
  private tls(): TlsConfig | undefined {
    const enabled = this.need("tls", "expected true or false");
    const certManager = this.raw.certManager ?? "install";
    this.refuseUnless(
      enabled === true,
      ["clusterIssuer", "acmeEmail", "acmeServer"],
      "applies only when platform:tls is true",
    );
    if (!enabled) {
      if (certManager === "existing")
        this.problems.push(
          `${full("certManager")}: existing, but platform:tls is false: nothing would use it`,
        );
      return undefined;
    }
    if (certManager === "off") {
      this.problems.push(
        `${full("certManager")}: off, but platform:tls is true: HTTPS certificates need cert-manager (install or existing)`,
      );
      return undefined;
    }
    const existingIssuer = this.raw.clusterIssuer;
    if (existingIssuer !== undefined) {
      this.refuseUnless(
        certManager === "existing",
        ["clusterIssuer"],
        "applies only when platform:certManager is existing (an installed cert-manager gets the program's Let's Encrypt issuer)",
      );
      this.refuseUnless(
        false,
        ["acmeEmail", "acmeServer"],
        "applies only to the program's Let's Encrypt issuer, not to platform:clusterIssuer",
      );
      return { certManager, issuer: { kind: "existing", name: existingIssuer } };
    }
    const acmeEmail = this.need(
      "acmeEmail",
      "expected an e-mail address for Let's Encrypt (platform:tls is true)",
    );
    const acmeServer = this.need("acmeServer", "expected staging or production");
    return { certManager, issuer: { kind: "letsencrypt", acmeEmail, acmeServer } };
  }

  private nodePool(): NodePoolConfig {
    const size = this.need("nodeSize", "expected a Droplet size slug");
    if (this.need("nodeAutoScale", "expected true or false")) {
      const [minNodes, maxNodes] = this.range("nodeMinCount", "nodeMaxCount");
      return { size, autoScale: true, minNodes, maxNodes };
    }
    return { size, autoScale: false, nodeCount: this.need("nodeCount", "expected the node count") };
  }

  private app(spreadAcrossNodes: boolean): AppConfig {
    const host = this.need("appHost", "expected the app's host name");
    const scaling: AppConfig["scaling"] = this.need("appAutoscale", "expected true or false")
      ? (() => {
          const [minReplicas, maxReplicas] = this.range("appMinReplicas", "appMaxReplicas");
          return { autoscale: true, minReplicas, maxReplicas };
        })()
      : { autoscale: false, replicas: this.need("appReplicas", "expected a replica count") };
    const logLevel = this.need("appLogLevel", "expected debug, info, warn or error");
    return { host, images: this.appImages(), logLevel, scaling, spreadAcrossNodes };
  }

  private appImages(): AppConfig["images"] {
    const { api, web } = this.raw.appImages ?? {};
    if (api === undefined && web === undefined) return { source: "build" };
    if (api === undefined || web === undefined) {
      this.problems.push(
        `${full("appImages")}: expected both api and web by digest (or neither, to build them), got only ${api !== undefined ? "api" : "web"}`,
      );
      return { source: "build" };
    }
    return { source: "reference", api, web };
  }

  private inClusterDatabase(storage: InClusterDatabaseConfig["storage"]): InClusterDatabaseConfig {
    const password = this.raw.databasePassword;
    return {
      mode: "in-cluster",
      image: this.need("databaseImage", "expected a pinned PostgreSQL image"),
      storage,
      backupSchedule: this.need("databaseBackupSchedule", "expected a cron schedule"),
      backup: this.databaseBackup(),
      ...(password !== undefined ? { password: new SecretValue(password) } : {}),
    };
  }

  /**
   * Where the in-cluster database's dumps go: a Spaces bucket the program creates on DOKS (so they
   * outlive the cluster), the S3-compatible bucket an existing cluster's stack names (all four of its
   * keys, or none: then a volume of the cluster), and a volume on k0s (an emptyDir: a laptop's
   * database is throwaway, and k0s has no storage class).
   */
  private databaseBackup(): DatabaseBackupConfig {
    const provider = this.raw.clusterProvider;
    const retentionDays = this.need("databaseBackupRetentionDays", "expected a number of days");
    if (provider === "doks") return { store: "spaces", region: this.raw.region as string, retentionDays };
    const s3Keys = [
      "databaseBackupS3Endpoint",
      "databaseBackupS3Bucket",
      "databaseBackupS3AccessKeyId",
      "databaseBackupS3SecretAccessKey",
    ] as const;
    const given = s3Keys.filter((key) => this.raw[key] !== undefined || this.invalid.has(key));
    if (provider !== "existing" || given.length === 0) {
      this.refuseUnless(
        false,
        ["databaseBackupS3Region"],
        "applies only with platform:databaseBackupS3Endpoint (a bucket for the dumps)",
      );
      return { store: "volume", retentionDays };
    }
    for (const key of s3Keys) {
      if (!given.includes(key))
        this.problems.push(
          `${full(key)}: required with ${given.map(full).join(", ")}: the dumps' bucket needs its endpoint, name and key pair${key.endsWith("Id") || key.endsWith("Key") ? ` (\`pulumi config set --secret ${full(key)}\`)` : ""}`,
        );
    }
    this.refuseUnless(
      false,
      ["databaseBackupRetentionDays"],
      "applies only where the program keeps the dumps (a volume, or the Spaces bucket it creates): give the bucket of platform:databaseBackupS3Endpoint a lifecycle rule that expires postgres/ instead",
    );
    return {
      store: "s3",
      endpoint: (this.raw.databaseBackupS3Endpoint as string)?.replace(/\/$/, ""),
      bucket: this.raw.databaseBackupS3Bucket as string,
      region: this.raw.databaseBackupS3Region ?? "us-east-1",
      accessKeyId: new SecretValue(this.raw.databaseBackupS3AccessKeyId ?? ""),
      secretAccessKey: new SecretValue(this.raw.databaseBackupS3SecretAccessKey ?? ""),
    };
  }

  /**
   * Velero's daily backups where the stack turns them on (DOKS: the key applies nowhere else), with
   * volume snapshots when a DigitalOcean API token is given for the DigitalOcean plugin.
   */
  private velero(region: string): VeleroConfig | undefined {
    const enabled = this.need("velero", "expected true or false");
    this.refuseUnless(
      enabled === true,
      ["veleroSchedule", "veleroRetentionDays", "veleroSnapshotToken"],
      "applies only when platform:velero is true",
    );
    if (enabled !== true) return undefined;
    const token = this.raw.veleroSnapshotToken;
    const retentionDays = this.need("veleroRetentionDays", "expected a number of days");
    // DigitalOcean keeps at most 25 snapshots of a volume; a daily backup keeps one per day.
    if (token !== undefined && retentionDays > 25)
      this.problems.push(
        `${full("veleroRetentionDays")}: expected at most 25 with volume snapshots (platform:veleroSnapshotToken): DigitalOcean keeps 25 snapshots per volume and the daily backup takes one a day, got ${retentionDays}`,
      );
    return {
      schedule: this.need("veleroSchedule", "expected a cron schedule"),
      retentionDays,
      region,
      ...(token !== undefined ? { snapshotToken: new SecretValue(token) } : {}),
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

/** A `.dockerconfigjson` document: JSON with an `auths` map. */
function isDockerConfigJson(text: string): boolean {
  try {
    const doc = JSON.parse(text) as { auths?: unknown };
    return typeof doc.auths === "object" && doc.auths !== null && !Array.isArray(doc.auths);
  } catch {
    return false;
  }
}
