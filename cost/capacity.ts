// Whether a stack's pods fit its nodes: the CPU and memory its pods request (its own workloads, the
// charts' pods from their values, the DaemonSets' share on every node) against what the node pools
// leave to pods (pricing/digitalocean.json: DOKS allocatable memory per node size), and the headroom
// left. Pure functions over the declared resources, like the cost estimate: the offline plan passes
// its evaluation, the `require-capacity` policy the analyzer's resources, and both get the same numbers.
import { chartPods } from "./chartPods";
import { type HasResources, renderedCharts } from "./estimate";
import { loadPrices, type PriceTable } from "./prices";
import { at, type CostResource, UNKNOWN_VALUE } from "./rules";
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from "./quantity";

export { CHART_PODS } from "./chartPods";

/** CPU and memory a pod (or a node) requests or offers. */
export interface Requests {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

/** One kind of pod the stack runs and what each of them requests. */
export interface PodGroup {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** e.g. "Deployment app/api", "traefik chart: traefik". */
  readonly description: string;
  /** How many at the low and the high end (an HPA's minimum and maximum), or one on every node. */
  readonly replicas: { readonly min: number; readonly max: number } | "per-node";
  /** What one pod requests: init containers as Kubernetes counts them, plus pod overhead. */
  readonly perPod: Requests;
}

/** A resource that runs pods the check cannot count, and why. Its pods are not in the totals. */
export interface UncountedPods {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

/** A node pool pods can run on. */
export interface PoolCapacity {
  readonly urn: string;
  readonly name: string;
  readonly size: string;
  readonly nodes: { readonly min: number; readonly max: number };
  /** What one node leaves to pods. */
  readonly perNode: Requests;
}

/** A node pool left out of the capacity, and why (a taint the stack's pods do not tolerate). */
export interface ExcludedPool {
  readonly urn: string;
  readonly name: string;
  readonly reason: string;
}

/** Requests against allocatable at one end of the range. */
export interface CapacityEnd {
  readonly nodes: number;
  readonly requests: Requests;
  readonly allocatable: Requests;
  /** allocatable − requests; negative when the pods do not fit. */
  readonly headroom: Requests;
  /** headroom / allocatable × 100. */
  readonly headroomPercent: { readonly cpu: number; readonly memory: number };
}

/** A stack's pods against its nodes. */
export interface StackCapacity {
  readonly pods: PodGroup[];
  readonly uncounted: UncountedPods[];
  /** What the replicated pods request in total, with every HPA at its minimum and at its maximum. */
  readonly workloads: { readonly min: Requests; readonly max: Requests };
  /** What the per-node pods (DaemonSets) request on every node. */
  readonly perNode: Requests;
  readonly pools: PoolCapacity[];
  readonly excludedPools: ExcludedPool[];
  /** Why the nodes' capacity is not known offline; then only requests are reported. */
  readonly capacityUnknown?: string;
  /** At the pools' minimum size with every HPA at its minimum, and at their maximum with every HPA at its maximum. */
  readonly min?: CapacityEnd;
  readonly max?: CapacityEnd;
  /** Pods too large for any single node (with the per-node pods beside them): never scheduled. */
  readonly unschedulable: { readonly description: string; readonly perPod: Requests }[];
}

export const ZERO: Requests = { cpuMillis: 0, memoryBytes: 0 };
const add = (a: Requests, b: Requests): Requests => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});
const times = (a: Requests, n: number): Requests => ({
  cpuMillis: a.cpuMillis * n,
  memoryBytes: a.memoryBytes * n,
});
const max = (a: Requests, b: Requests): Requests => ({
  cpuMillis: Math.max(a.cpuMillis, b.cpuMillis),
  memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
});
const fits = (pod: Requests, room: Requests) =>
  pod.cpuMillis <= room.cpuMillis && pod.memoryBytes <= room.memoryBytes;

// ---- what one pod requests ---------------------------------------------------------------------

/**
 * What one container requests: `requests`, each falling back to `limits` as the API server defaults
 * it. A container that requests neither CPU nor memory in either way is a reason, not zero (a
 * namespace's LimitRange may give it defaults the check cannot see).
 */
function containerRequests(resources: unknown, name: string): Requests | string {
  const read = (key: "cpu" | "memory", parse: (q: unknown) => number | undefined): number | string => {
    const requested = at(resources, "requests", key);
    const value = requested !== undefined ? requested : at(resources, "limits", key);
    if (value === UNKNOWN_VALUE) return `${name}: its ${key} request is unknown until deploy`;
    if (value === undefined) return `${name}: no ${key} request (nor limit)`;
    return parse(value) ?? `${name}: ${key} request ${JSON.stringify(value)} is not a quantity`;
  };
  const cpu = read("cpu", cpuMillis);
  if (typeof cpu === "string") return cpu;
  const memory = read("memory", memoryBytes);
  if (typeof memory === "string") return memory;
  return { cpuMillis: cpu, memoryBytes: memory };
}

/**
 * The items of a list, read one by one through `at` (an item unknown during preview, or the policy
 * SDK's proxy refusing a read, becomes UNKNOWN_VALUE instead of throwing); a reason when it is no list.
 */
function list(value: unknown, what: string): unknown[] | string {
  if (value === undefined || value === null) return [];
  if (value === UNKNOWN_VALUE) return `${what} are unknown until deploy`;
  if (!Array.isArray(value)) return `${what} are not a list`;
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) items.push(at(value, i));
  return items;
}

/**
 * What a pod requests as the scheduler counts it: the app containers plus the sidecars (init
 * containers with `restartPolicy: Always`), or the largest init container with the sidecars started
 * before it, whichever is larger, per resource; plus `overhead`. Pod-level `resources` win.
 */
export function podRequests(spec: unknown): Requests | string {
  if (spec === UNKNOWN_VALUE) return "the pod spec is unknown until deploy";
  const podLevel = at(spec, "resources");
  if (podLevel !== undefined && podLevel !== UNKNOWN_VALUE && at(podLevel, "requests") !== undefined)
    return containerRequests(podLevel, "pod-level resources");
  const containers = list(at(spec, "containers"), "containers");
  if (typeof containers === "string") return containers;
  const inits = list(at(spec, "initContainers"), "init containers");
  if (typeof inits === "string") return inits;
  const named = (c: unknown, i: number, kind: string) => {
    const name = at(c, "name");
    return `${kind} ${typeof name === "string" ? name : `#${i}`}`;
  };
  let apps = ZERO;
  for (const [i, c] of containers.entries()) {
    if (c === UNKNOWN_VALUE) return `container #${i} is unknown until deploy`;
    const r = containerRequests(at(c, "resources"), named(c, i, "container"));
    if (typeof r === "string") return r;
    apps = add(apps, r);
  }
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const [i, c] of inits.entries()) {
    if (c === UNKNOWN_VALUE) return `init container #${i} is unknown until deploy`;
    const r = containerRequests(at(c, "resources"), named(c, i, "init container"));
    if (typeof r === "string") return r;
    if (at(c, "restartPolicy") === "Always") sidecars = add(sidecars, r);
    else initPeak = max(initPeak, add(r, sidecars));
  }
  const overhead = at(spec, "overhead");
  let extra = ZERO;
  if (overhead !== undefined) {
    const r = containerRequests({ requests: overhead }, "overhead");
    if (typeof r === "string") return r;
    extra = r;
  }
  return add(max(initPeak, add(apps, sidecars)), extra);
}

// ---- the stack's pods --------------------------------------------------------------------------

const TEMPLATE = ["spec", "template", "spec"];
/** Where each pod-carrying kind keeps its pod spec. */
const POD_SPECS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: TEMPLATE,
  StatefulSet: TEMPLATE,
  ReplicaSet: TEMPLATE,
  ReplicationController: TEMPLATE,
  DaemonSet: TEMPLATE,
  Job: TEMPLATE,
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};
const CHARTS = new Set([
  "kubernetes:helm.sh/v4:Chart",
  "kubernetes:helm.sh/v3:Chart",
  "kubernetes:helm.sh/v3:Release",
]);

/** `Deployment` of `kubernetes:apps/v1:Deployment`; undefined for other providers. */
function kindOf(type: string): string | undefined {
  const [provider, , kind] = type.split(":");
  return provider === "kubernetes" ? kind : undefined;
}

const propsOf = (r: CostResource): Record<string, unknown> => r.props ?? r.inputs ?? {};
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The HPAs' bounds by `namespace/Kind/name` of what they scale. */
function hpaBounds(resources: readonly CostResource[]): Map<string, { min: unknown; max: unknown }> {
  const bounds = new Map<string, { min: unknown; max: unknown }>();
  for (const r of resources) {
    if (kindOf(r.type) !== "HorizontalPodAutoscaler") continue;
    const p = propsOf(r);
    const namespace = str(at(p, "metadata", "namespace")) ?? "default";
    const kind = str(at(p, "spec", "scaleTargetRef", "kind"));
    const name = str(at(p, "spec", "scaleTargetRef", "name"));
    if (kind && name)
      bounds.set(`${namespace}/${kind}/${name}`, {
        min: at(p, "spec", "minReplicas"),
        max: at(p, "spec", "maxReplicas"),
      });
  }
  return bounds;
}

type Counted = { replicas: PodGroup["replicas"] } | { reason: string };

function whole(value: unknown, what: string, fallback: number): number | string {
  if (value === UNKNOWN_VALUE) return `${what} is unknown until deploy`;
  if (value === undefined || value === null) return fallback;
  return typeof value === "number" && Number.isInteger(value) && value >= 0
    ? value
    : `${what} is ${JSON.stringify(value)}`;
}

function replicasOf(kind: string, p: Record<string, unknown>, hpas: ReturnType<typeof hpaBounds>): Counted {
  if (kind === "DaemonSet") return { replicas: "per-node" };
  if (kind === "Pod") return { replicas: { min: 1, max: 1 } };
  if (kind === "Job" || kind === "CronJob") {
    const path = kind === "Job" ? ["spec", "parallelism"] : ["spec", "jobTemplate", "spec", "parallelism"];
    const n = whole(at(p, ...path), path.join("."), 1);
    return typeof n === "string" ? { reason: n } : { replicas: { min: n, max: n } };
  }
  const name = str(at(p, "metadata", "name"));
  const hpa = name
    ? hpas.get(`${str(at(p, "metadata", "namespace")) ?? "default"}/${kind}/${name}`)
    : undefined;
  if (hpa) {
    const min = whole(hpa.min, "the HPA's minReplicas", 1);
    const top = whole(hpa.max, "the HPA's maxReplicas", Number.NaN);
    if (typeof min === "string") return { reason: min };
    if (typeof top === "string" || Number.isNaN(top)) return { reason: "its HPA has no maxReplicas" };
    return { replicas: { min, max: top } };
  }
  const n = whole(at(p, "spec", "replicas"), "spec.replicas", 1);
  return typeof n === "string" ? { reason: n } : { replicas: { min: n, max: n } };
}

/** Every kind of pod the resources run, and those that cannot be counted. */
export function stackPods(resources: readonly CostResource[]): {
  pods: PodGroup[];
  uncounted: UncountedPods[];
} {
  const pods: PodGroup[] = [];
  const uncounted: UncountedPods[] = [];
  const hpas = hpaBounds(resources);
  const rendered = renderedCharts(resources);
  for (const r of resources) {
    const id = { urn: r.urn, type: r.type, name: r.name };
    const p = propsOf(r);
    if (CHARTS.has(r.type)) {
      // Under `pulumi preview` a v4 chart's objects are resources of their own, counted as such.
      if (rendered.has(r.urn)) continue;
      const chart = at(p, "chart");
      const found = chartPods(chart, at(p, "values"));
      if ("reason" in found) {
        uncounted.push({ ...id, reason: found.reason });
        continue;
      }
      const counted: PodGroup[] = [];
      for (const pod of found.pods) {
        const perPod = podRequests(pod.spec);
        if (typeof perPod === "string") {
          uncounted.push({ ...id, reason: perPod });
          counted.length = 0;
          break;
        }
        counted.push({
          ...id,
          description: `${String(chart)} chart: ${pod.pod}`,
          replicas: pod.replicas,
          perPod,
        });
      }
      pods.push(...counted);
      continue;
    }
    const kind = kindOf(r.type);
    if (!kind || !POD_SPECS[kind]) continue;
    const metadataName = str(at(p, "metadata", "name"));
    const namespace = str(at(p, "metadata", "namespace")) ?? "default";
    const description = `${kind} ${namespace}/${metadataName ?? r.name}`;
    const counted = replicasOf(kind, p, hpas);
    if ("reason" in counted) {
      uncounted.push({ ...id, reason: counted.reason });
      continue;
    }
    const perPod = podRequests(at(p, ...POD_SPECS[kind]));
    if (typeof perPod === "string") {
      uncounted.push({ ...id, reason: perPod });
      continue;
    }
    pods.push({ ...id, description, replicas: counted.replicas, perPod });
  }
  return { pods, uncounted };
}

// ---- the nodes ---------------------------------------------------------------------------------

const DOKS = "digitalocean:index/kubernetesCluster:KubernetesCluster";
const NODE_POOL = "digitalocean:index/kubernetesNodePool:KubernetesNodePool";

/** What the stack's node pools offer pods, the pools left out, and why capacity may be unknown. */
function nodePools(
  resources: readonly CostResource[],
  prices: PriceTable,
): { pools: PoolCapacity[]; excluded: ExcludedPool[]; unknown?: string } {
  const pools: PoolCapacity[] = [];
  const excluded: ExcludedPool[] = [];
  const unknown: string[] = [];
  for (const r of resources) {
    if (r.type !== DOKS && r.type !== NODE_POOL) continue;
    const pool = r.type === DOKS ? at(propsOf(r), "nodePool") : propsOf(r);
    const label = r.type === DOKS ? `${r.name} (default pool)` : r.name;
    const taints = list(at(pool, "taints"), "its taints");
    if (typeof taints === "string" || taints.includes(UNKNOWN_VALUE)) {
      unknown.push(`${label}: its taints are unknown until deploy`);
      continue;
    }
    const blocking = taints.filter((t) => ["NoSchedule", "NoExecute"].includes(String(at(t, "effect"))));
    if (blocking.length > 0) {
      const shown = blocking.map(
        (t) => `${String(at(t, "key"))}=${String(at(t, "value") ?? "")}:${String(at(t, "effect"))}`,
      );
      excluded.push({
        urn: r.urn,
        name: label,
        reason: `tainted ${shown.join(", ")}: the stack's pods do not run there`,
      });
      continue;
    }
    const size = at(pool, "size");
    const node = typeof size === "string" ? prices.doksNodeCapacity[size] : undefined;
    if (!node) {
      unknown.push(
        typeof size === "string"
          ? `${label}: node size ${size} has no capacity in pricing/digitalocean.json (doksNodeCapacity)`
          : `${label}: its node size is unknown until deploy`,
      );
      continue;
    }
    const auto = at(pool, "autoScale");
    const nodes =
      auto === true
        ? { min: at(pool, "minNodes"), max: at(pool, "maxNodes") }
        : { min: at(pool, "nodeCount"), max: at(pool, "nodeCount") };
    if (
      auto === UNKNOWN_VALUE ||
      ![nodes.min, nodes.max].every((n) => typeof n === "number" && Number.isInteger(n) && n >= 0)
    ) {
      unknown.push(`${label}: its node count is unknown until deploy`);
      continue;
    }
    pools.push({
      urn: r.urn,
      name: label,
      size: size as string,
      nodes: { min: nodes.min as number, max: nodes.max as number },
      perNode: { cpuMillis: node.vcpus * 1000, memoryBytes: Math.round(node.allocatableMemoryGiB * 2 ** 30) },
    });
  }
  if (unknown.length > 0) return { pools, excluded, unknown: unknown.join("; ") };
  if (pools.length === 0 && excluded.length === 0) {
    const types = new Set(resources.map((r) => r.type));
    const reason = types.has("platform:cluster:K0sCluster")
      ? "k0s runs as one Docker container on this machine, and its node has whatever CPU and memory Docker gives it"
      : types.has("platform:cluster:ExistingCluster")
        ? "an existing cluster, whose nodes the program does not declare"
        : "the program declares no DigitalOcean node pool";
    return { pools, excluded, unknown: reason };
  }
  if (pools.length === 0)
    return { pools, excluded, unknown: "every node pool is tainted against the stack's pods" };
  return { pools, excluded };
}

// ---- putting them together ---------------------------------------------------------------------

function capacityEnd(nodes: number, requests: Requests, allocatable: Requests): CapacityEnd {
  const headroom = {
    cpuMillis: allocatable.cpuMillis - requests.cpuMillis,
    memoryBytes: allocatable.memoryBytes - requests.memoryBytes,
  };
  const percent = (free: number, all: number) => (all > 0 ? (free / all) * 100 : free >= 0 ? 0 : -Infinity);
  return {
    nodes,
    requests,
    allocatable,
    headroom,
    headroomPercent: {
      cpu: percent(headroom.cpuMillis, allocatable.cpuMillis),
      memory: percent(headroom.memoryBytes, allocatable.memoryBytes),
    },
  };
}

/** The totals of pods and pools as {@link StackCapacity}; `pools` may be a what-if (another node size). */
function combine(
  pods: PodGroup[],
  uncounted: UncountedPods[],
  pools: PoolCapacity[],
  excludedPools: ExcludedPool[],
  capacityUnknown?: string,
): StackCapacity {
  let low = ZERO;
  let high = ZERO;
  let perNode = ZERO;
  for (const pod of pods) {
    if (pod.replicas === "per-node") perNode = add(perNode, pod.perPod);
    else {
      low = add(low, times(pod.perPod, pod.replicas.min));
      high = add(high, times(pod.perPod, pod.replicas.max));
    }
  }
  const base = { pods, uncounted, workloads: { min: low, max: high }, perNode, pools, excludedPools };
  if (capacityUnknown !== undefined) return { ...base, capacityUnknown, unschedulable: [] };
  const sum = (end: "min" | "max") =>
    pools.reduce(
      (acc, p) => ({
        nodes: acc.nodes + p.nodes[end],
        allocatable: add(acc.allocatable, times(p.perNode, p.nodes[end])),
      }),
      { nodes: 0, allocatable: ZERO },
    );
  const [lo, hi] = [sum("min"), sum("max")];
  // The largest node of any pool, less what the per-node pods take on it.
  const room = pools.reduce((acc, p) => max(acc, p.perNode), ZERO);
  const free = {
    cpuMillis: room.cpuMillis - perNode.cpuMillis,
    memoryBytes: room.memoryBytes - perNode.memoryBytes,
  };
  const unschedulable = pods
    .filter((p) => p.replicas !== "per-node" && p.replicas.max > 0 && !fits(p.perPod, free))
    .map((p) => ({ description: p.description, perPod: p.perPod }));
  if (!fits(perNode, room))
    unschedulable.push({ description: "the per-node pods together", perPod: perNode });
  return {
    ...base,
    min: capacityEnd(lo.nodes, add(low, times(perNode, lo.nodes)), lo.allocatable),
    max: capacityEnd(hi.nodes, add(high, times(perNode, hi.nodes)), hi.allocatable),
    unschedulable,
  };
}

/**
 * The stack's pods against its nodes: every pod it runs (workloads × replicas, HPA-scaled ones from
 * their HPA's minimum to its maximum, Jobs and CronJobs × parallelism, charts' pods from their values,
 * DaemonSets on every node), the untainted node pools' allocatable capacity at their minimum and
 * maximum size, the headroom at both ends and the pods no node can hold. Pods that cannot be counted
 * are listed in `uncounted` and left out of the totals (which are then lower bounds).
 */
export function estimateCapacity(
  input: HasResources | readonly CostResource[],
  prices: PriceTable = loadPrices(),
): StackCapacity {
  const resources: readonly CostResource[] = Array.isArray(input) ? input : (input as HasResources).resources;
  const { pods, uncounted } = stackPods(resources);
  const { pools, excluded, unknown } = nodePools(resources, prices);
  return combine(pods, uncounted, pools, excluded, unknown);
}

/** The cheapest node size that fits a stack: its pool's node count, in another size. */
export interface SizeFit {
  readonly size: string;
  readonly nodes: { readonly min: number; readonly max: number };
  readonly monthlyUsd: { readonly min: number; readonly max: number };
  /** The headroom at the pool's maximum, in that size. */
  readonly max: CapacityEnd;
}

/** What a node size must give to count as fitting. */
export interface FitCriteria {
  /** Share of CPU and of memory left free at the pool's maximum, in percent. */
  readonly minHeadroomPercent: number;
  /** Least allocatable memory per node (DigitalOcean advises 2 GiB or more beyond development). */
  readonly minNodeMemoryGiB?: number;
}

/**
 * The cheapest Droplet size in the price table whose nodes, as many as the stack's one pool has,
 * hold every pod with at least `minHeadroomPercent` of CPU and of memory free at the maximum end;
 * undefined when the stack has not exactly one pool of known capacity, or no size fits.
 */
export function cheapestFit(
  capacity: StackCapacity,
  criteria: FitCriteria,
  prices: PriceTable = loadPrices(),
): SizeFit | undefined {
  if (capacity.capacityUnknown !== undefined || capacity.pools.length !== 1) return undefined;
  const [pool] = capacity.pools;
  const fitting: SizeFit[] = [];
  for (const [size, node] of Object.entries(prices.doksNodeCapacity)) {
    const price = prices.droplets[size];
    if (!price || node.allocatableMemoryGiB < (criteria.minNodeMemoryGiB ?? 0)) continue;
    const what = {
      ...pool,
      size,
      perNode: { cpuMillis: node.vcpus * 1000, memoryBytes: Math.round(node.allocatableMemoryGiB * 2 ** 30) },
    };
    const result = combine(capacity.pods, capacity.uncounted, [what], capacity.excludedPools);
    const end = result.max!;
    if (result.unschedulable.length > 0) continue;
    const least = criteria.minHeadroomPercent;
    if (end.headroomPercent.cpu < least || end.headroomPercent.memory < least) continue;
    const usd = (n: number) => Math.round(n * price.monthlyUsd * 100) / 100;
    fitting.push({
      size,
      nodes: pool.nodes,
      monthlyUsd: { min: usd(pool.nodes.min), max: usd(pool.nodes.max) },
      max: end,
    });
  }
  fitting.sort(
    (a, b) =>
      a.monthlyUsd.max - b.monthlyUsd.max ||
      a.monthlyUsd.min - b.monthlyUsd.min ||
      a.size.localeCompare(b.size),
  );
  return fitting[0];
}

// ---- for people --------------------------------------------------------------------------------

const pct = (n: number) => `${n.toFixed(1)}%`;

/** "CPU 430m of 4 vCPU (89.3% free), memory 832 MiB of 5 GiB (83.8% free)". */
export function describeEnd(end: CapacityEnd): string {
  return (
    `CPU ${formatCpu(end.requests.cpuMillis)} of ${formatCpu(end.allocatable.cpuMillis)} (${pct(end.headroomPercent.cpu)} free), ` +
    `memory ${formatMemory(end.requests.memoryBytes)} of ${formatMemory(end.allocatable.memoryBytes)} (${pct(end.headroomPercent.memory)} free)`
  );
}

const describeRequests = (r: Requests) =>
  `CPU ${formatCpu(r.cpuMillis)}, memory ${formatMemory(r.memoryBytes)}`;

function describeReplicas(replicas: PodGroup["replicas"]): string {
  if (replicas === "per-node") return "1 per node";
  return replicas.min === replicas.max ? `${replicas.min} ×` : `${replicas.min}–${replicas.max} ×`;
}

/** The capacity for the plan's report: totals, each end, the pools, the pods, what is not counted. */
export function renderCapacity(capacity: StackCapacity): string {
  const lines = ["Capacity: pod requests against what the nodes leave to pods"];
  const ranged = capacity.min && capacity.max && capacity.min.nodes !== capacity.max.nodes;
  if (capacity.capacityUnknown !== undefined) {
    const w = capacity.workloads;
    lines.push(
      `  requests: ${describeRequests(w.max)}` +
        (w.min.cpuMillis !== w.max.cpuMillis || w.min.memoryBytes !== w.max.memoryBytes
          ? ` (${describeRequests(w.min)} with every HPA at its minimum)`
          : "") +
        (capacity.perNode.cpuMillis + capacity.perNode.memoryBytes > 0
          ? `, plus ${describeRequests(capacity.perNode)} on every node`
          : ""),
      `  nodes: not known offline, so only the requests are reported: ${capacity.capacityUnknown}`,
    );
  } else if (ranged) {
    lines.push(
      `  at ${capacity.max!.nodes} nodes, every HPA at its maximum: ${describeEnd(capacity.max!)}`,
      `  at ${capacity.min!.nodes} nodes, every HPA at its minimum: ${describeEnd(capacity.min!)}`,
    );
  } else lines.push(`  ${capacity.max!.nodes} nodes: ${describeEnd(capacity.max!)}`);
  for (const pool of capacity.pools) {
    const count =
      pool.nodes.min === pool.nodes.max ? `${pool.nodes.min}` : `${pool.nodes.min}–${pool.nodes.max}`;
    lines.push(
      `  pool ${pool.name}: ${count} × ${pool.size}, each leaving ${describeRequests(pool.perNode)} to pods`,
    );
  }
  for (const pool of capacity.excludedPools) lines.push(`  not counted: pool ${pool.name}: ${pool.reason}`);
  if (capacity.pods.length > 0) lines.push("  pods:");
  for (const pod of capacity.pods)
    lines.push(
      `    ${describeReplicas(pod.replicas)} ${pod.description}: ${describeRequests(pod.perPod)} each`,
    );
  for (const pod of capacity.unschedulable)
    lines.push(`  too large for any node: ${pod.description} (${describeRequests(pod.perPod)})`);
  if (capacity.uncounted.length > 0) {
    lines.push(`Uncounted, not in the requests (${capacity.uncounted.length}):`);
    for (const u of capacity.uncounted) lines.push(`  - ${u.name} (${u.type}): ${u.reason}`);
  }
  return lines.join("\n");
}
