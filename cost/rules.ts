// How each billable kind of resource is priced from its inputs. Reads go through `at`, which turns
// a value unknown during preview (the sentinel, or the policy SDK's throwing proxy) into UNKNOWN_VALUE,
// so that one unknown input makes that resource unpriced instead of failing the whole estimate.
import { UNKNOWN_SENTINELS } from "./sentinels";
import type { PriceEntry, PriceTable } from "./prices";
import { storageBytes } from "./quantity";

/** A resource as the estimate reads it: from the offline plan (`inputs`) or the analyzer (`props`). */
export interface CostResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs?: Record<string, unknown>;
  readonly props?: Record<string, unknown>;
  /** Component resources (custom false) are never billed themselves. */
  readonly custom?: boolean;
}

/** A monthly amount in USD: equal ends for fixed costs, min–max for autoscaling. */
export interface UsdRange {
  readonly min: number;
  readonly max: number;
}

/** One line of the estimate: a resource (or a part of it) and what it costs per month. */
export interface CostItem {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** What is billed, stable across changes of size or count (e.g. "default node pool"). */
  readonly description: string;
  readonly monthlyUsd: UsdRange;
  /** How the amount was computed, e.g. "2–5 × s-4vcpu-8gb at $48.00". */
  readonly basis: string;
}

/** A resource that may cost money but could not be priced, and why. */
export interface UnpricedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

/** What a rule returns for one resource. */
export interface RuleResult {
  readonly items: Omit<CostItem, "urn" | "type" | "name">[];
  readonly unpriced: string[];
}

/** Facts about the whole stack a rule may need. */
export interface StackFacts {
  /** Whether the stack declares a DigitalOcean Kubernetes cluster (so LoadBalancer Services are DO load balancers). */
  readonly doks: boolean;
  /** URN of the stack's first Spaces bucket, which carries the account's one Spaces subscription. */
  readonly spacesSubscription?: string;
  /** GiB of DigitalOcean block storage the stack's claims request (what volume snapshots copy). */
  readonly blockStorageGiB?: number;
}

/** A pricing rule for one resource type; `urn` is the resource's own. */
export type Rule = (
  props: Record<string, unknown>,
  prices: PriceTable,
  stack: StackFacts,
  urn?: string,
) => RuleResult;

/** Stands in for a value the estimate cannot read (unknown until deploy, or secret). */
export const UNKNOWN_VALUE = Symbol("unknown");
const SECRET = "[secret]";

/** `value[key]`, or UNKNOWN_VALUE when the read throws (the analyzer's proxy) or yields a sentinel. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === UNKNOWN_VALUE) return current;
    if (typeof current !== "object" || current === null) return undefined;
    try {
      current = (current as Record<string | number, unknown>)[key];
    } catch {
      return UNKNOWN_VALUE;
    }
    if (current === SECRET || UNKNOWN_SENTINELS.has(current)) return UNKNOWN_VALUE;
  }
  return current;
}

/** USD with cents, e.g. "$48.00". */
export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** Rounds to whole cents (prices times counts stay exact to the cent). */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function fixed(amount: number): UsdRange {
  return { min: cents(amount), max: cents(amount) };
}

const none: RuleResult = { items: [], unpriced: [] };
const unpriced = (reason: string): RuleResult => ({ items: [], unpriced: [reason] });

function describe(value: unknown): string {
  return value === UNKNOWN_VALUE ? "unknown until deploy" : JSON.stringify(value ?? null);
}

// ---- node pools -------------------------------------------------------------------------------

type Count = { min: number; max: number; text: string } | { reason: string };

function nodeCount(pool: unknown): Count {
  const auto = at(pool, "autoScale");
  if (auto === UNKNOWN_VALUE) return { reason: "autoScale is unknown until deploy" };
  const count = (key: string) => {
    const n = at(pool, key);
    return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  if (auto === true) {
    const min = count("minNodes");
    const max = count("maxNodes");
    if (min === undefined || max === undefined)
      return {
        reason: `autoscaling pool needs minNodes and maxNodes (got ${describe(at(pool, "minNodes"))}, ${describe(at(pool, "maxNodes"))})`,
      };
    return { min, max, text: min === max ? `${min}` : `${min}–${max}` };
  }
  const n = count("nodeCount");
  if (n === undefined) return { reason: `nodeCount is ${describe(at(pool, "nodeCount"))}` };
  return { min: n, max: n, text: `${n}` };
}

function poolCost(pool: unknown, description: string, prices: PriceTable): RuleResult {
  const size = at(pool, "size");
  if (typeof size !== "string") return unpriced(`${description}: node size is ${describe(size)}`);
  const price: PriceEntry | undefined = prices.droplets[size];
  if (!price) return unpriced(`${description}: Droplet size "${size}" is not in the price table`);
  const count = nodeCount(pool);
  if ("reason" in count) return unpriced(`${description}: ${count.reason}`);
  return {
    items: [
      {
        description,
        monthlyUsd: { min: cents(count.min * price.monthlyUsd), max: cents(count.max * price.monthlyUsd) },
        basis: `${count.text} × ${size} at ${usd(price.monthlyUsd)}`,
      },
    ],
    unpriced: [],
  };
}

const kubernetesCluster: Rule = (props, prices) => {
  const items: RuleResult["items"][number][] = [];
  const reasons: string[] = [];
  const ha = at(props, "ha");
  if (ha === UNKNOWN_VALUE) reasons.push("ha is unknown until deploy");
  else if (ha === undefined)
    reasons.push("ha is not set, and DOKS turns the HA control plane on by default from 1.36");
  else if (ha === true) {
    const price = prices.kubernetes.haControlPlane.monthlyUsd;
    items.push({
      description: "HA control plane",
      monthlyUsd: fixed(price),
      basis: `${usd(price)} per cluster`,
    });
  }
  const pool = poolCost(at(props, "nodePool"), "default node pool", prices);
  return { items: [...items, ...pool.items], unpriced: [...reasons, ...pool.unpriced] };
};

const kubernetesNodePool: Rule = (props, prices) => poolCost(props, "node pool", prices);

// ---- registry and database --------------------------------------------------------------------

const containerRegistry: Rule = (props, prices) => {
  const tier = at(props, "subscriptionTierSlug");
  if (typeof tier !== "string") return unpriced(`subscription tier is ${describe(tier)}`);
  const price = prices.containerRegistry[tier];
  if (!price) return unpriced(`registry tier "${tier}" is not in the price table`);
  return {
    items: [
      { description: `registry (${tier})`, monthlyUsd: fixed(price.monthlyUsd), basis: `${tier} tier` },
    ],
    unpriced: [],
  };
};

const databaseCluster: Rule = (props, prices) => {
  const engine = at(props, "engine");
  if (engine !== "pg") return unpriced(`database engine ${describe(engine)} is not in the price table`);
  const size = at(props, "size");
  if (typeof size !== "string") return unpriced(`database size is ${describe(size)}`);
  const price = prices.postgresql[size];
  if (!price) return unpriced(`PostgreSQL size "${size}" is not in the price table`);
  const raw = at(props, "nodeCount");
  if (raw === UNKNOWN_VALUE || (raw !== undefined && !(Number.isInteger(raw) && (raw as number) >= 1)))
    return unpriced(`nodeCount is ${describe(raw)}`);
  const nodes = (raw as number | undefined) ?? 1;
  const standbys = nodes - 1;
  const factor = prices.postgresqlStandbyNode.factor;
  const amount = price.monthlyUsd * (1 + standbys * factor);
  const basis =
    standbys === 0
      ? `1 × ${size} at ${usd(price.monthlyUsd)}`
      : `primary + ${standbys} standby × ${size} at ${usd(price.monthlyUsd)}` +
        (factor === 1 ? "" : ` (standby at ${factor} × node price)`);
  const reasons =
    at(props, "storageSizeMib") !== undefined
      ? ["additional storage (storageSizeMib) is not in the price table"]
      : [];
  return {
    items: [{ description: "PostgreSQL cluster", monthlyUsd: fixed(amount), basis }],
    unpriced: reasons,
  };
};

// ---- block storage ----------------------------------------------------------------------------

/** Prices one claim spec (a PVC's spec or a volumeClaimTemplate's spec) times `copies`. */
function claimCost(
  spec: unknown,
  description: string,
  copies: { n: number; text: string },
  prices: PriceTable,
): RuleResult {
  const storageClass = at(spec, "storageClassName");
  if (storageClass === undefined)
    return unpriced(`${description}: no storageClassName, so the cluster's default class decides its price`);
  if (typeof storageClass !== "string" || !prices.blockStorageClasses.includes(storageClass)) {
    return unpriced(
      `${description}: storage class ${describe(storageClass)} is not a priced block-storage class`,
    );
  }
  const request = at(spec, "resources", "requests", "storage");
  const bytes = storageBytes(request);
  if (bytes === undefined) return unpriced(`${description}: storage request is ${describe(request)}`);
  const gib = Math.max(1, Math.ceil(bytes / 2 ** 30)); // volumes are whole GiB, at least 1
  const perGiB = prices.blockStorage.perGiB.monthlyUsd;
  const each = `${gib} GiB at ${usd(perGiB)}/GiB`;
  return {
    items: [
      {
        description,
        monthlyUsd: fixed(copies.n * gib * perGiB),
        basis: copies.n === 1 && copies.text === "" ? each : `${copies.text}${each}`,
      },
    ],
    unpriced: [],
  };
}

const persistentVolumeClaim: Rule = (props, prices) => {
  const name = at(props, "metadata", "name");
  const label = typeof name === "string" ? `volume ${name}` : "volume";
  return claimCost(at(props, "spec"), label, { n: 1, text: "" }, prices);
};

const statefulSet: Rule = (props, prices) => {
  const templates = at(props, "spec", "volumeClaimTemplates");
  if (templates === undefined) return none;
  if (!Array.isArray(templates)) return unpriced(`volumeClaimTemplates are ${describe(templates)}`);
  const replicas = at(props, "spec", "replicas");
  if (
    replicas !== undefined &&
    !(typeof replicas === "number" && Number.isInteger(replicas) && replicas >= 0)
  )
    return unpriced(`replicas is ${describe(replicas)}`);
  const n = (replicas as number | undefined) ?? 1;
  const results = templates.map((_, i) => {
    const name = at(templates, i, "metadata", "name");
    const label = `volume ${typeof name === "string" ? name : `#${i}`} per replica`;
    return claimCost(
      at(templates, i, "spec"),
      label,
      { n, text: `${n} replica${n === 1 ? "" : "s"} × ` },
      prices,
    );
  });
  return { items: results.flatMap((r) => r.items), unpriced: results.flatMap((r) => r.unpriced) };
};

/** Whole GiB of block storage one claim spec requests; 0 when it is not a priced block-storage claim. */
function claimGiB(spec: unknown, prices: PriceTable): number {
  const storageClass = at(spec, "storageClassName");
  if (typeof storageClass !== "string" || !prices.blockStorageClasses.includes(storageClass)) return 0;
  const bytes = storageBytes(at(spec, "resources", "requests", "storage"));
  return bytes === undefined ? 0 : Math.max(1, Math.ceil(bytes / 2 ** 30));
}

/**
 * Facts the rules need about the whole stack: whether it runs on DOKS, which bucket carries the
 * Spaces subscription, and the GiB of block storage its claims and StatefulSet templates request.
 */
export function stackFacts(
  resources: readonly {
    readonly urn: string;
    readonly type: string;
    readonly props?: unknown;
    readonly inputs?: unknown;
  }[],
  prices: PriceTable,
): StackFacts {
  let gib = 0;
  for (const r of resources) {
    const props = r.props ?? r.inputs;
    if (r.type === "kubernetes:core/v1:PersistentVolumeClaim") gib += claimGiB(at(props, "spec"), prices);
    if (r.type === "kubernetes:apps/v1:StatefulSet") {
      const templates = at(props, "spec", "volumeClaimTemplates");
      const replicas = at(props, "spec", "replicas");
      const n = typeof replicas === "number" ? replicas : 1;
      if (Array.isArray(templates))
        templates.forEach((_, i) => (gib += n * claimGiB(at(templates, i, "spec"), prices)));
    }
  }
  return {
    doks: resources.some((r) => r.type === "digitalocean:index/kubernetesCluster:KubernetesCluster"),
    spacesSubscription: resources.find((r) => r.type === SPACES_BUCKET)?.urn,
    blockStorageGiB: gib,
  };
}

// ---- object storage and snapshots -------------------------------------------------------------

const SPACES_BUCKET = "digitalocean:index/spacesBucket:SpacesBucket";

/** The Spaces subscription, once per stack: on its first bucket; every other bucket shares it. */
const spacesBucket: Rule = (_props, prices, stack, urn) => {
  if (urn !== undefined && stack.spacesSubscription !== undefined && urn !== stack.spacesSubscription)
    return none;
  const price = prices.spaces.subscription.monthlyUsd;
  return {
    items: [
      {
        description: "Spaces subscription",
        monthlyUsd: fixed(price),
        basis: `${usd(price)} per account, all buckets (250 GiB and 1 TiB transfer included)`,
      },
    ],
    unpriced: [],
  };
};

/** Hours in a Velero duration such as `336h0m0s`; undefined when it is not one. */
function durationHours(ttl: unknown): number | undefined {
  if (typeof ttl !== "string") return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl);
  if (!m || ttl === "") return undefined;
  return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
}

/**
 * A Velero Schedule that snapshots volumes: one snapshot of every volume per backup, each kept for
 * the backup's TTL, at most 25 per volume (DigitalOcean's limit). From nothing (empty volumes:
 * snapshots are billed on their size) to every retained snapshot at the volumes' provisioned size.
 */
const veleroSchedule: Rule = (props, prices, stack) => {
  const snapshots = at(props, "spec", "template", "snapshotVolumes");
  if (snapshots === UNKNOWN_VALUE) return unpriced("snapshotVolumes is unknown until deploy");
  if (snapshots !== true) return none;
  const hours = durationHours(at(props, "spec", "template", "ttl"));
  if (hours === undefined) return unpriced(`backup TTL is ${describe(at(props, "spec", "template", "ttl"))}`);
  const kept = Math.min(25, Math.max(1, Math.ceil(hours / 24)));
  const gib = stack.blockStorageGiB ?? 0;
  const perGiB = prices.volumeSnapshots.perGiB.monthlyUsd;
  return {
    items: [
      {
        description: "volume snapshots",
        monthlyUsd: { min: 0, max: cents(kept * gib * perGiB) },
        basis: `up to ${kept} daily snapshots × ${gib} GiB of claims at ${usd(perGiB)}/GiB`,
      },
    ],
    unpriced: [],
  };
};

// ---- load balancers ---------------------------------------------------------------------------

const SIZE_UNIT = "service.beta.kubernetes.io/do-loadbalancer-size-unit";
const SIZE_SLUG = "service.beta.kubernetes.io/do-loadbalancer-size-slug";
const LB_TYPE = "service.beta.kubernetes.io/do-loadbalancer-type";

/** Prices a Service of type LoadBalancer from its annotations (DigitalOcean's cloud controller). */
function loadBalancerCost(annotations: unknown, stack: StackFacts, prices: PriceTable): RuleResult {
  if (!stack.doks)
    return unpriced("LoadBalancer Service without a DigitalOcean Kubernetes cluster in the stack");
  if (annotations === UNKNOWN_VALUE) return unpriced("load balancer annotations are unknown until deploy");
  const type = at(annotations, LB_TYPE);
  if (type !== undefined && type !== "REGIONAL")
    return unpriced(`load balancer type ${describe(type)} is not in the price table`);
  if (at(annotations, SIZE_SLUG) !== undefined && at(annotations, SIZE_UNIT) === undefined)
    return unpriced(`legacy ${SIZE_SLUG} is not in the price table; use ${SIZE_UNIT}`);
  const raw = at(annotations, SIZE_UNIT);
  const nodes = raw === undefined ? 1 : Number(raw);
  if (raw === UNKNOWN_VALUE || !Number.isInteger(nodes) || nodes < 1)
    return unpriced(`${SIZE_UNIT} is ${describe(raw)}`);
  const perNode = prices.loadBalancer.perNode.monthlyUsd;
  return {
    items: [
      {
        description: "load balancer",
        monthlyUsd: fixed(nodes * perNode),
        basis: `${nodes} node${nodes === 1 ? "" : "s"} at ${usd(perNode)}`,
      },
    ],
    unpriced: [],
  };
}

const service: Rule = (props, prices, stack) => {
  const type = at(props, "spec", "type");
  if (type === UNKNOWN_VALUE) return unpriced("spec.type is unknown until deploy");
  if (type !== "LoadBalancer") return none;
  return loadBalancerCost(at(props, "metadata", "annotations"), stack, prices);
};

/**
 * Charts whose rendered objects the estimate knows, since under the offline plan a chart is one opaque
 * resource: Traefik's Service (type LoadBalancer unless `service.spec.type` or `service.enabled` says
 * otherwise, annotations from `service.annotations`); cert-manager creates no Service of type
 * LoadBalancer and no PersistentVolumeClaim; metrics-server neither, while its `service.type` is
 * ClusterIP.
 */
const helmChart: Rule = (props, prices, stack) => {
  const chart = at(props, "chart");
  if (chart === "cert-manager") return none;
  // Velero: a Deployment and its metrics Service; no volume without the node agent.
  if (
    chart === "velero" &&
    at(props, "values", "metrics", "service", "type") === "ClusterIP" &&
    at(props, "values", "deployNodeAgent") === false
  )
    return none;
  if (chart === "metrics-server" && at(props, "values", "service", "type") === "ClusterIP") return none;
  if (typeof chart === "string" && chart in MONITORING_CHARTS)
    return MONITORING_CHARTS[chart](at(props, "values"), prices);
  if (chart !== "traefik")
    return unpriced(
      `Helm chart ${describe(chart)} is opaque offline: its Services and volumes are not priced`,
    );
  const values = at(props, "values");
  if (at(values, "service", "enabled") === false) return none;
  const type = at(values, "service", "spec", "type") ?? at(values, "service", "type") ?? "LoadBalancer";
  if (type === UNKNOWN_VALUE) return unpriced("values.service.spec.type is unknown until deploy");
  if (type !== "LoadBalancer") return none;
  return loadBalancerCost(at(values, "service", "annotations"), stack, prices);
};

/**
 * The Gateway API's release manifests (`standard-install.yaml`, `experimental-install.yaml` of a
 * kubernetes-sigs/gateway-api release) hold CustomResourceDefinitions and a ValidatingAdmissionPolicy:
 * API objects, nothing billed. Any other manifest is opaque offline.
 */
const GATEWAY_API_MANIFEST =
  /^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v[0-9.]+\/(standard|experimental)-install\.yaml$/;
const manifestFile: Rule = (props) => {
  const file = at(props, "file");
  if (typeof file === "string" && GATEWAY_API_MANIFEST.test(file)) return none;
  return unpriced(`manifest ${describe(file)} creates objects the offline estimate cannot see`);
};

// ---- the monitoring charts' volumes ------------------------------------------------------------

/** A volume a chart's StatefulSet claims per replica, as its values declare it. */
interface ChartClaim {
  readonly description: string;
  /** The claim's spec (storageClassName, resources.requests.storage); undefined: no volume. */
  readonly spec: unknown;
  readonly replicas: unknown;
}

/**
 * Prices the claims a chart's values declare, once every Service the chart creates is stated
 * ClusterIP (a load balancer would be billed) and no switch names a part whose volumes are not known.
 */
function chartClaims(
  values: unknown,
  services: readonly (readonly string[])[],
  unknownParts: readonly {
    readonly path: readonly string[];
    readonly safe: unknown;
    readonly what: string;
  }[],
  claims: readonly ChartClaim[],
  prices: PriceTable,
): RuleResult {
  if (values === UNKNOWN_VALUE) return unpriced("values are unknown until deploy");
  for (const path of services) {
    const type = at(values, ...path);
    if (type !== "ClusterIP")
      return unpriced(`values.${path.join(".")} is ${describe(type)}, not stated ClusterIP`);
  }
  for (const part of unknownParts) {
    const value = at(values, ...part.path);
    if (value !== part.safe)
      return unpriced(`values.${part.path.join(".")} is ${describe(value)}: ${part.what} is not priced`);
  }
  const results = claims
    .filter((claim) => claim.spec !== undefined)
    .map((claim) => {
      const n = claim.replicas ?? 1;
      if (!(typeof n === "number" && Number.isInteger(n) && n >= 0))
        return unpriced(`${claim.description}: replicas is ${describe(n)}`);
      return claimCost(
        claim.spec,
        claim.description,
        { n, text: `${n} replica${n === 1 ? "" : "s"} × ` },
        prices,
      );
    });
  return { items: results.flatMap((r) => r.items), unpriced: results.flatMap((r) => r.unpriced) };
}

/**
 * The monitoring charts, priced from the storage their values declare (their volumes are claimed
 * by StatefulSets the offline plan cannot see): kube-prometheus-stack's Prometheus and Alertmanager
 * (the operator creates one claim per replica from `storageSpec` and `storage`), Loki's monolithic
 * StatefulSet (`singleBinary.persistence`, on unless turned off), and Alloy, a DaemonSet without
 * volumes. Each read was checked against the chart version the program pins
 * (components/observability/versions.ts).
 */
const MONITORING_CHARTS: Readonly<Record<string, (values: unknown, prices: PriceTable) => RuleResult>> = {
  "kube-prometheus-stack": (values, prices) =>
    chartClaims(
      values,
      [
        ["prometheus", "service", "type"],
        ["alertmanager", "service", "type"],
        ["grafana", "service", "type"],
        ["prometheusOperator", "service", "type"],
        ["kube-state-metrics", "service", "type"],
        ["prometheus-node-exporter", "service", "type"],
      ],
      [
        { path: ["grafana", "persistence", "enabled"], safe: false, what: "Grafana's volume" },
        { path: ["thanosRuler", "enabled"], safe: undefined, what: "Thanos Ruler" },
      ],
      [
        {
          description: "volume prometheus per replica",
          spec: at(values, "prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate", "spec"),
          replicas: at(values, "prometheus", "prometheusSpec", "replicas"),
        },
        {
          description: "volume alertmanager per replica",
          spec: at(values, "alertmanager", "alertmanagerSpec", "storage", "volumeClaimTemplate", "spec"),
          replicas: at(values, "alertmanager", "alertmanagerSpec", "replicas"),
        },
      ],
      prices,
    ),
  loki: (values, prices) => {
    const mode = at(values, "deploymentMode");
    if (mode !== "Monolithic" && mode !== "SingleBinary")
      return unpriced(`deploymentMode ${describe(mode)}: only the monolithic mode's volume is priced`);
    const persistence = at(values, "singleBinary", "persistence");
    const size = at(persistence, "size") ?? "10Gi";
    return chartClaims(
      values,
      [["singleBinary", "service", "type"]],
      [
        { path: ["minio", "enabled"], safe: false, what: "MinIO" },
        { path: ["gateway", "enabled"], safe: false, what: "the gateway" },
      ],
      [
        {
          description: "volume loki per replica",
          spec:
            at(persistence, "enabled") === false
              ? undefined
              : {
                  ...(at(persistence, "storageClass") !== undefined
                    ? { storageClassName: at(persistence, "storageClass") }
                    : {}),
                  resources: { requests: { storage: size } },
                },
          replicas: at(values, "singleBinary", "replicas"),
        },
      ],
      prices,
    );
  },
  alloy: (values, prices) =>
    chartClaims(
      values,
      [["service", "type"]],
      [{ path: ["controller", "type"], safe: "daemonset", what: "a controller other than the DaemonSet" }],
      [],
      prices,
    ),
};

// ---- the rule book ----------------------------------------------------------------------------

/** Pricing rules by resource type. */
export const RULES: Readonly<Record<string, Rule>> = {
  "digitalocean:index/kubernetesCluster:KubernetesCluster": kubernetesCluster,
  "digitalocean:index/kubernetesNodePool:KubernetesNodePool": kubernetesNodePool,
  "digitalocean:index/containerRegistry:ContainerRegistry": containerRegistry,
  "digitalocean:index/databaseCluster:DatabaseCluster": databaseCluster,
  "kubernetes:core/v1:PersistentVolumeClaim": persistentVolumeClaim,
  "kubernetes:apps/v1:StatefulSet": statefulSet,
  "kubernetes:core/v1:Service": service,
  "kubernetes:helm.sh/v4:Chart": helmChart,
  "digitalocean:index/spacesBucket:SpacesBucket": spacesBucket,
  "kubernetes:velero.io/v1:Schedule": veleroSchedule,
  "kubernetes:helm.sh/v3:Chart": helmChart,
  "kubernetes:helm.sh/v3:Release": helmChart,
  "kubernetes:yaml/v2:ConfigFile": manifestFile,
};

/**
 * DigitalOcean types DigitalOcean does not bill for (or bills only through a priced resource, like a
 * database's users). Any other DigitalOcean type is listed as unpriced, never counted as free.
 */
export const FREE_DIGITALOCEAN_TYPES: ReadonlySet<string> = new Set([
  "digitalocean:index/vpc:Vpc",
  "digitalocean:index/firewall:Firewall",
  "digitalocean:index/databaseFirewall:DatabaseFirewall",
  "digitalocean:index/databaseDb:DatabaseDb",
  "digitalocean:index/databaseUser:DatabaseUser",
  "digitalocean:index/databaseConnectionPool:DatabaseConnectionPool",
  "digitalocean:index/dnsRecord:DnsRecord",
  "digitalocean:index/domain:Domain",
  "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials",
  "digitalocean:index/project:Project",
  "digitalocean:index/projectResources:ProjectResources",
  "digitalocean:index/tag:Tag",
  "digitalocean:index/sshKey:SshKey",
  "digitalocean:index/certificate:Certificate",
  // Billed through the Spaces subscription (a bucket's rule).
  "digitalocean:index/spacesKey:SpacesKey",
]);

/** Kubernetes types that hide what they create offline; listed as unpriced. */
const OPAQUE_KUBERNETES_TYPES: ReadonlySet<string> = new Set([
  "kubernetes:yaml:ConfigFile",
  "kubernetes:yaml:ConfigGroup",
  "kubernetes:yaml/v2:ConfigGroup",
  "kubernetes:kustomize:Directory",
  "kubernetes:kustomize/v2:Directory",
  "kubernetes:core/v1:PersistentVolume",
]);

/** Providers whose resources run on the machine running Pulumi (or nowhere): never billed. */
const LOCAL_PROVIDERS: ReadonlySet<string> = new Set([
  "docker",
  "random",
  "command",
  "tls",
  "local",
  "pulumi",
]);

/**
 * This project's component type prefix (`platform:<module>:<Type>`): components are billed through
 * their children. The analyzer does not say which resources are components, so the prefix does.
 */
const COMPONENT_PACKAGES: ReadonlySet<string> = new Set(["platform"]);

/** The rule for a type, `"free"`, or the reason it cannot be priced. */
export function classify(type: string): Rule | "free" | { reason: string } {
  const rule = RULES[type];
  if (rule) return rule;
  const provider = type.split(":")[0];
  if (type.startsWith("pulumi:providers:") || LOCAL_PROVIDERS.has(provider)) return "free";
  if (COMPONENT_PACKAGES.has(provider)) return "free";
  if (provider === "digitalocean")
    return FREE_DIGITALOCEAN_TYPES.has(type)
      ? "free"
      : { reason: "DigitalOcean resource type not in the price table" };
  if (provider === "kubernetes")
    return OPAQUE_KUBERNETES_TYPES.has(type)
      ? { reason: "creates objects the offline estimate cannot see" }
      : "free"; // API objects without storage or a load balancer
  return { reason: `provider "${provider}" has no price table` };
}
