// Capacity: pod requests against what the node pools leave to pods, checked against hand
// calculations from pricing/digitalocean.json (s-2vcpu-4gb: 2 vCPU, 2.5 GiB allocatable;
// s-4vcpu-8gb: 4 vCPU, 6 GiB; s-1vcpu-2gb and s-2vcpu-2gb: 1 GiB).
import * as assert from "node:assert/strict";
import {
  CHART_PODS,
  cheapestFit,
  type CostResource,
  estimateCapacity,
  loadPrices,
  podRequests,
  renderCapacity,
  type StackCapacity,
} from "../../cost";
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from "../../cost/quantity";
import { UNKNOWN } from "../../policies/engine";
import { evaluateDeployed, evaluatePreview } from "../app/deployed";
import { CHART, DOKS, NODE_POOL, resource } from "./fixtures";

const Mi = 2 ** 20;
const Gi = 2 ** 30;

/** A container requesting `cpu` and `memory` (and limiting to twice that). */
const container = (name: string, cpu: string, memory: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: "registry.example/app:1",
  resources: { requests: { cpu, memory } },
  ...extra,
});

/** An apps/v1 workload named `name` in namespace `app`. */
function workload(
  kind: "Deployment" | "StatefulSet" | "DaemonSet",
  name: string,
  spec: Record<string, unknown>,
  pod: Record<string, unknown>,
): CostResource {
  return resource(`kubernetes:apps/v1:${kind}`, name, {
    metadata: { name, namespace: "app" },
    spec: { ...spec, template: { spec: pod } },
  });
}

/** A CronJob whose jobs run `parallelism` pods. */
const cronJob = (name: string, parallelism: number, pod: Record<string, unknown>) =>
  resource("kubernetes:batch/v1:CronJob", name, {
    metadata: { name, namespace: "app" },
    spec: { schedule: "0 3 * * *", jobTemplate: { spec: { parallelism, template: { spec: pod } } } },
  });

const hpa = (target: string, minReplicas: number, maxReplicas: number) =>
  resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${target}-hpa`, {
    metadata: { name: target, namespace: "app" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
      minReplicas,
      maxReplicas,
    },
  });

/** A DOKS cluster whose default pool is tainted (the stack's pods never run there), plus a workers pool. */
const cluster = () =>
  resource(DOKS, "doks", {
    ha: false,
    nodePool: {
      size: "s-1vcpu-2gb",
      nodeCount: 1,
      taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }],
    },
  });
const workers = (size: string, nodes: number | [number, number]) =>
  resource(
    NODE_POOL,
    "workers",
    Array.isArray(nodes)
      ? { size, autoScale: true, minNodes: nodes[0], maxNodes: nodes[1] }
      : { size, autoScale: false, nodeCount: nodes },
  );
const chart = (chart: string, values: Record<string, unknown>) =>
  resource(CHART, chart, { chart, version: CHART_PODS[chart]?.version ?? "1.0.0", values });

describe("capacity: quantities", () => {
  it("reads CPU as millicores and memory as bytes, rounding up as the API server does", () => {
    assert.deepEqual(
      ["100m", "0.5", 1, "1.5", "2", "0.1", "1e-3", "250000u"].map(cpuMillis),
      [100, 500, 1000, 1500, 2000, 100, 1, 250],
    );
    assert.deepEqual(["128Mi", "1Gi", "1G", "500M", "1e3", "0.5Gi", "1500m", 64].map(memoryBytes), [
      128 * Mi,
      Gi,
      1e9,
      5e8,
      1000,
      0.5 * Gi,
      2,
      64,
    ]);
    for (const bad of ["abc", "-1", "1Gb", "", null, {}])
      assert.equal(memoryBytes(bad), undefined, String(bad));
  });

  it("shows them as people read them", () => {
    assert.deepEqual([formatCpu(430), formatCpu(4000), formatCpu(1330)], ["430m", "4 vCPU", "1.33 vCPU"]);
    assert.deepEqual(
      [formatMemory(832 * Mi), formatMemory(5 * Gi), formatMemory(2.5 * Gi)],
      ["832 MiB", "5 GiB", "2.5 GiB"],
    );
  });
});

describe("capacity: what one pod requests", () => {
  it("counts the larger of the app containers and the largest init container, per resource", () => {
    // app 100m/128Mi + 50m/64Mi = 150m/192Mi; init 300m/64Mi: CPU max(300, 150) = 300m, memory max(64, 192) = 192Mi
    const spec = {
      initContainers: [container("migrate", "300m", "64Mi")],
      containers: [container("api", "100m", "128Mi"), container("proxy", "50m", "64Mi")],
    };
    assert.deepEqual(podRequests(spec), { cpuMillis: 300, memoryBytes: 192 * Mi });
  });

  it("adds sidecars (restartPolicy: Always) to the app and to the init containers started after them", () => {
    // sidecar 50m/32Mi; init after it 200m/256Mi → 250m/288Mi; app 100m/128Mi + sidecar = 150m/160Mi;
    // an init container before the sidecar (400m/16Mi) runs alone: 400m/16Mi. Max: 400m, 288Mi. Overhead + 10m/8Mi.
    const spec = {
      initContainers: [
        container("first", "400m", "16Mi"),
        container("proxy", "50m", "32Mi", { restartPolicy: "Always" }),
        container("migrate", "200m", "256Mi"),
      ],
      containers: [container("api", "100m", "128Mi")],
      overhead: { cpu: "10m", memory: "8Mi" },
    };
    assert.deepEqual(podRequests(spec), { cpuMillis: 410, memoryBytes: 296 * Mi });
  });

  it("takes limits where requests are not set (the API server's default), and pod-level resources first", () => {
    const limitsOnly = { containers: [{ name: "a", resources: { limits: { cpu: "1", memory: "1Gi" } } }] };
    assert.deepEqual(podRequests(limitsOnly), { cpuMillis: 1000, memoryBytes: Gi });
    const podLevel = { ...limitsOnly, resources: { requests: { cpu: "2", memory: "2Gi" } } };
    assert.deepEqual(podRequests(podLevel), { cpuMillis: 2000, memoryBytes: 2 * Gi });
  });

  it("never counts a container without requests as zero, nor one unknown until deploy", () => {
    assert.equal(
      podRequests({ containers: [{ name: "bare" }] }),
      "container bare: no cpu request (nor limit)",
    );
    assert.equal(
      podRequests({ containers: [container("api", UNKNOWN, "1Gi")] }),
      "container api: its cpu request is unknown until deploy",
    );
    assert.equal(podRequests({ containers: UNKNOWN }), "containers are unknown until deploy");
  });
});

describe("capacity: a fixed pool (hand calculation)", () => {
  // 2 × s-2vcpu-4gb: 2 × 2000m = 4000m, 2 × 2.5 GiB = 5 GiB = 5120 MiB.
  // Pods: web 2 × 50m/64Mi = 100m/128Mi; api 1 × max(init 200m/128Mi, app 100m/256Mi) = 200m/256Mi;
  // postgres (StatefulSet, replicas unset: 1) 100m/256Mi; backup CronJob, parallelism 2: 2 × 50m/64Mi = 100m/128Mi;
  // traefik chart 2 × 100m/128Mi = 200m/256Mi; cert-manager controller, webhook (cainjector off) 2 × 10m/64Mi = 20m/128Mi;
  // log collector DaemonSet 50m/100Mi on each of the 2 nodes = 100m/200Mi.
  // Requests: 100 + 200 + 100 + 100 + 200 + 20 + 100 = 820m; 128 + 256 + 256 + 128 + 256 + 128 + 200 = 1352 MiB.
  // Headroom: 4000 − 820 = 3180m (79.5%); 5120 − 1352 = 3768 MiB (73.59375%).
  const stack = (): CostResource[] => [
    cluster(),
    workers("s-2vcpu-4gb", 2),
    workload("Deployment", "web", { replicas: 2 }, { containers: [container("web", "50m", "64Mi")] }),
    workload(
      "Deployment",
      "api",
      {},
      {
        initContainers: [container("migrate", "200m", "128Mi")],
        containers: [container("api", "100m", "256Mi")],
      },
    ),
    workload("StatefulSet", "postgres", {}, { containers: [container("postgres", "100m", "256Mi")] }),
    cronJob("backup", 2, { containers: [container("dump", "50m", "64Mi")] }),
    chart("traefik", {
      deployment: { replicas: 2 },
      resources: { requests: { cpu: "100m", memory: "128Mi" } },
    }),
    chart("cert-manager", {
      resources: { requests: { cpu: "10m", memory: "64Mi" } },
      webhook: { resources: { requests: { cpu: "10m", memory: "64Mi" } } },
      cainjector: { enabled: false },
    }),
    workload("DaemonSet", "logs", {}, { containers: [container("alloy", "50m", "100Mi")] }),
  ];
  let capacity: StackCapacity;
  before(() => {
    capacity = estimateCapacity(stack());
  });

  it("sums every pod's requests and compares them with the untainted pool", () => {
    assert.deepEqual(capacity.uncounted, []);
    assert.deepEqual(
      capacity.pools.map((p) => [p.name, p.size, p.nodes, p.perNode]),
      [["workers", "s-2vcpu-4gb", { min: 2, max: 2 }, { cpuMillis: 2000, memoryBytes: 2.5 * Gi }]],
    );
    assert.deepEqual(
      capacity.excludedPools.map((p) => p.reason),
      ["tainted CriticalAddonsOnly=true:NoSchedule: the stack's pods do not run there"],
    );
    assert.deepEqual(capacity.perNode, { cpuMillis: 50, memoryBytes: 100 * Mi });
    assert.deepEqual(capacity.max, {
      nodes: 2,
      requests: { cpuMillis: 820, memoryBytes: 1352 * Mi },
      allocatable: { cpuMillis: 4000, memoryBytes: 5120 * Mi },
      headroom: { cpuMillis: 3180, memoryBytes: 3768 * Mi },
      headroomPercent: { cpu: 79.5, memory: 73.59375 },
    });
    assert.deepEqual(capacity.min, capacity.max);
    assert.deepEqual(capacity.unschedulable, []);
  });

  it("lists each kind of pod with its count and what one pod requests", () => {
    assert.deepEqual(
      capacity.pods.map((p) => [p.description, p.replicas, p.perPod.cpuMillis, p.perPod.memoryBytes / Mi]),
      [
        ["Deployment app/web", { min: 2, max: 2 }, 50, 64],
        ["Deployment app/api", { min: 1, max: 1 }, 200, 256],
        ["StatefulSet app/postgres", { min: 1, max: 1 }, 100, 256],
        ["CronJob app/backup", { min: 2, max: 2 }, 50, 64],
        ["traefik chart: traefik", { min: 2, max: 2 }, 100, 128],
        ["cert-manager chart: controller", { min: 1, max: 1 }, 10, 64],
        ["cert-manager chart: webhook", { min: 1, max: 1 }, 10, 64],
        ["DaemonSet app/logs", "per-node", 50, 100],
      ],
    );
  });

  it("reports it for people", () => {
    const text = renderCapacity(capacity);
    assert.match(
      text,
      /^ {2}2 nodes: CPU 820m of 4 vCPU \(79\.5% free\), memory 1\.32 GiB of 5 GiB \(73\.6% free\)$/m,
    );
    assert.match(
      text,
      /^ {2}pool workers: 2 × s-2vcpu-4gb, each leaving CPU 2 vCPU, memory 2\.5 GiB to pods$/m,
    );
    assert.match(text, /^ {4}1 per node DaemonSet app\/logs: CPU 50m, memory 100 MiB each$/m);
  });

  it("finds a pod larger than any node: it would never be scheduled", () => {
    // 2.5 GiB per node less the DaemonSet's 100 MiB = 2460 MiB free; a 2.5 GiB pod does not fit.
    const big = workload(
      "StatefulSet",
      "prometheus",
      {},
      { containers: [container("prometheus", "500m", "2.5Gi")] },
    );
    const result = estimateCapacity([...stack(), big]);
    assert.deepEqual(result.unschedulable, [
      { description: "StatefulSet app/prometheus", perPod: { cpuMillis: 500, memoryBytes: 2.5 * Gi } },
    ]);
  });

  it("names the cheapest node size that keeps the headroom, at the pool's node count", () => {
    // 2 × s-1vcpu-2gb: 2000m, 2048 MiB: (2000 − 820)/2000 = 59%, (2048 − 1352)/2048 = 33.98…% free: fits at 20%,
    // $12 × 2 = $24, the cheapest size. At 40% memory headroom it does not; 2 × s-2vcpu-2gb has the same
    // 1 GiB per node; 2 × s-2vcpu-4gb (73.6%) is the next, $48.
    const report = estimateCapacity(stack());
    const at20 = cheapestFit(report, { minHeadroomPercent: 20 });
    assert.deepEqual(
      [at20?.size, at20?.nodes, at20?.monthlyUsd],
      ["s-1vcpu-2gb", { min: 2, max: 2 }, { min: 24, max: 24 }],
    );
    assert.equal(at20?.max.headroomPercent.cpu, 59);
    assert.equal(at20?.max.headroomPercent.memory, ((2048 - 1352) / 2048) * 100);
    assert.equal(cheapestFit(report, { minHeadroomPercent: 40 })?.size, "s-2vcpu-4gb");
    assert.equal(cheapestFit(report, { minHeadroomPercent: 20, minNodeMemoryGiB: 2 })?.size, "s-2vcpu-4gb");
    assert.equal(cheapestFit(report, { minHeadroomPercent: 99 }), undefined);
  });
});

describe("capacity: an autoscaling pool and HPAs (hand calculation)", () => {
  // 2–5 × s-4vcpu-8gb: 4000m and 6 GiB each. api HPA 2..6 × 100m/128Mi; web replicas 3 (no HPA) × 50m/64Mi;
  // metrics-server 2 × 100m/200Mi; node-exporter 10m/32Mi per node.
  // min: 2 nodes, api 2: 200m/256Mi + web 150m/192Mi + ms 200m/400Mi + 2 × 10m/32Mi = 570m/912Mi of 8000m/12288Mi
  //      → 7430m (92.875%), 11376Mi (92.578125%)
  // max: 5 nodes, api 6: 600m/768Mi + 150m/192Mi + 200m/400Mi + 5 × 10m/32Mi = 1000m/1520Mi of 20000m/30720Mi
  //      → 19000m (95%), 29200Mi (95.052083…%)
  const resources = [
    workers("s-4vcpu-8gb", [2, 5]),
    workload("Deployment", "api", {}, { containers: [container("api", "100m", "128Mi")] }),
    hpa("api", 2, 6),
    workload("Deployment", "web", { replicas: 3 }, { containers: [container("web", "50m", "64Mi")] }),
    chart("metrics-server", { replicas: 2, resources: { requests: { cpu: "100m", memory: "200Mi" } } }),
    workload("DaemonSet", "node-exporter", {}, { containers: [container("exporter", "10m", "32Mi")] }),
  ];

  it("pairs the pool's minimum with every HPA's minimum, and its maximum with their maximum", () => {
    const capacity = estimateCapacity(resources);
    assert.deepEqual(capacity.workloads, {
      min: { cpuMillis: 550, memoryBytes: 848 * Mi },
      max: { cpuMillis: 950, memoryBytes: 1360 * Mi },
    });
    assert.deepEqual(capacity.min, {
      nodes: 2,
      requests: { cpuMillis: 570, memoryBytes: 912 * Mi },
      allocatable: { cpuMillis: 8000, memoryBytes: 12 * Gi },
      headroom: { cpuMillis: 7430, memoryBytes: 11376 * Mi },
      headroomPercent: { cpu: 92.875, memory: 92.578125 },
    });
    assert.deepEqual(capacity.max, {
      nodes: 5,
      requests: { cpuMillis: 1000, memoryBytes: 1520 * Mi },
      allocatable: { cpuMillis: 20000, memoryBytes: 30 * Gi },
      headroom: { cpuMillis: 19000, memoryBytes: 29200 * Mi },
      headroomPercent: { cpu: 95, memory: (29200 / 30720) * 100 },
    });
    assert.match(
      renderCapacity(capacity),
      /^ {2}at 5 nodes, every HPA at its maximum: CPU 1 vCPU of 20 vCPU/m,
    );
  });

  it("prices the cheapest fit over the pool's range", () => {
    // 2–5 × s-1vcpu-2gb, $12 each: $24–$60. At 5 nodes: 5000m − 1000m = 80% CPU, 5120 − 1520 MiB = 70.3125% memory.
    const fit = cheapestFit(estimateCapacity(resources), { minHeadroomPercent: 25 });
    assert.deepEqual(
      [fit?.size, fit?.monthlyUsd, fit?.max.headroomPercent],
      ["s-1vcpu-2gb", { min: 24, max: 60 }, { cpu: 80, memory: 70.3125 }],
    );
  });
});

describe("capacity: charts, from their values", () => {
  const pods = (values: Record<string, unknown>, name = "traefik") => estimateCapacity([chart(name, values)]);
  const requests = { requests: { cpu: "100m", memory: "128Mi" } };

  it("reads Traefik's replicas, its HPA and its DaemonSet mode", () => {
    assert.deepEqual(
      pods({ resources: requests }).pods.map((p) => p.replicas),
      [{ min: 1, max: 1 }],
    );
    assert.deepEqual(
      pods({ resources: requests, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 } }).pods.map(
        (p) => p.replicas,
      ),
      [{ min: 2, max: 4 }],
    );
    assert.deepEqual(
      pods({ resources: requests, deployment: { kind: "DaemonSet" } }).pods.map((p) => p.replicas),
      ["per-node"],
    );
    assert.deepEqual(pods({ resources: requests, deployment: { enabled: false } }).pods, []);
  });

  it("reports a chart it cannot count as uncounted, never as zero", () => {
    const reasons = (values: Record<string, unknown>, name = "traefik") =>
      pods(values, name).uncounted.map((u) => u.reason);
    assert.deepEqual(reasons({}), [
      "traefik: values.resources sets no CPU and memory requests (the chart's defaults are not counted offline)",
    ]);
    assert.deepEqual(
      reasons({ resources: requests, deployment: { additionalContainers: [{ name: "x" }] } }),
      ["values.deployment.additionalContainers is set: it runs containers cost/chartPods.ts does not count"],
    );
    assert.deepEqual(reasons({ resources: requests, deployment: { replicas: UNKNOWN } }), [
      "values.deployment.replicas is unknown until deploy",
    ]);
    assert.deepEqual(reasons({ resources: requests }, "redis"), [
      'Helm chart "redis": no entry in cost/chartPods.ts says where its pods\' requests are',
    ]);
    assert.deepEqual(pods({}, "redis").pods, []);
  });
});

describe("capacity: the monitoring and backup charts, from their values", () => {
  const r = (cpu: string, memory: string) => ({ requests: { cpu, memory } });
  const perPod = (capacity: StackCapacity) =>
    capacity.pods.map((p) => [p.description, p.replicas, p.perPod.cpuMillis, p.perPod.memoryBytes / Mi]);

  it("kube-prometheus-stack: the operator's config reloader beside Prometheus and Alertmanager, Grafana's sidecars", () => {
    const values = {
      prometheusOperator: {
        resources: r("50m", "64Mi"),
        prometheusConfigReloader: { resources: r("10m", "32Mi") },
      },
      // 2 replicas × 2 shards; prometheus 200m/768Mi + reloader 10m/32Mi (its init copy is smaller than the sum).
      prometheus: { prometheusSpec: { replicas: 2, shards: 2, resources: r("200m", "768Mi") } },
      alertmanager: { alertmanagerSpec: { resources: r("10m", "32Mi") } },
      // grafana 50m/128Mi + the dashboards and datasources sidecars (on by default here) 2 × 10m/64Mi = 70m/256Mi.
      grafana: { resources: r("50m", "128Mi"), sidecar: { resources: r("10m", "64Mi") } },
      "kube-state-metrics": { resources: r("20m", "64Mi") },
      "prometheus-node-exporter": { resources: r("20m", "32Mi") },
    };
    assert.deepEqual(perPod(estimateCapacity([chart("kube-prometheus-stack", values)])), [
      ["kube-prometheus-stack chart: operator", { min: 1, max: 1 }, 50, 64],
      ["kube-prometheus-stack chart: prometheus", { min: 4, max: 4 }, 210, 800],
      ["kube-prometheus-stack chart: alertmanager", { min: 1, max: 1 }, 20, 64],
      ["kube-prometheus-stack chart: grafana", { min: 1, max: 1 }, 70, 256],
      ["kube-prometheus-stack chart: kube-state-metrics", { min: 1, max: 1 }, 20, 64],
      ["kube-prometheus-stack chart: node-exporter", "per-node", 20, 32],
    ]);
    // Grafana's sidecars left to the chart's default resources: uncounted.
    const bare = { ...values, grafana: { resources: r("50m", "128Mi") } };
    assert.deepEqual(
      estimateCapacity([chart("kube-prometheus-stack", bare)]).uncounted.map((u) => u.reason),
      [
        "grafana: values.grafana.sidecar.resources sets no CPU and memory requests (the chart's defaults are not counted offline)",
      ],
    );
  });

  it("loki: one single binary even when replicas says 0; its caches, on by default, are not counted", () => {
    const values = {
      singleBinary: { replicas: 0, resources: r("100m", "256Mi") },
      sidecar: { rules: { enabled: false } },
      gateway: { enabled: false },
      lokiCanary: { enabled: false },
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
    };
    assert.deepEqual(perPod(estimateCapacity([chart("loki", values)])), [
      ["loki chart: single binary", { min: 1, max: 1 }, 100, 256],
    ]);
    const { chunksCache: _, ...withCache } = values;
    assert.deepEqual(
      estimateCapacity([chart("loki", withCache)]).uncounted.map((u) => u.reason),
      ["values.chunksCache.enabled is true: it runs containers cost/chartPods.ts does not count"],
    );
  });

  it("alloy on every node with its config reloader; velero with its plugins as init containers", () => {
    const alloy = chart("alloy", {
      alloy: { resources: r("50m", "128Mi") },
      configReloader: { resources: r("10m", "32Mi") },
    });
    // velero 100m/128Mi; init plugins 10m/32Mi and 300m/16Mi: CPU max(300, 100) = 300m, memory max(32, 16, 128) = 128Mi.
    const velero = chart("velero", {
      resources: r("100m", "128Mi"),
      initContainers: [
        { name: "aws", resources: r("10m", "32Mi") },
        { name: "digitalocean", resources: r("300m", "16Mi") },
      ],
    });
    assert.deepEqual(perPod(estimateCapacity([alloy, velero])), [
      ["alloy chart: alloy", "per-node", 60, 160],
      ["velero chart: velero", { min: 1, max: 1 }, 300, 128],
    ]);
  });
});

describe("capacity: nodes the plan cannot know", () => {
  it("reports requests only for k0s and for an existing cluster, and says why", () => {
    const k0s = resource("platform:cluster:K0sCluster", "dev", {});
    const existing = resource("platform:cluster:ExistingCluster", "existing", {});
    const web = workload("Deployment", "web", {}, { containers: [container("web", "50m", "64Mi")] });
    const dev = estimateCapacity([{ ...k0s, custom: false }, web]);
    assert.equal(dev.max, undefined);
    assert.deepEqual(dev.workloads.max, { cpuMillis: 50, memoryBytes: 64 * Mi });
    assert.match(String(dev.capacityUnknown), /^k0s runs as one Docker container on this machine/);
    assert.match(String(estimateCapacity([existing, web]).capacityUnknown), /^an existing cluster/);
  });

  it("leaves a pool out whose size has no capacity in the price table, and says so", () => {
    const capacity = estimateCapacity([workers("s-32vcpu-192gb", 2)]);
    assert.equal(
      capacity.capacityUnknown,
      "workers: node size s-32vcpu-192gb has no capacity in pricing/digitalocean.json (doksNodeCapacity)",
    );
  });
});

describe("capacity: the shipped stacks", () => {
  const prices = loadPrices();

  it("counts every pod-carrying resource, none left uncounted, and knows the DOKS stacks' nodes", async () => {
    for (const stack of ["dev", "staging", "prod", "existing"]) {
      // The plan's view (a preview) of the shipped stacks; `existing` as other specs already evaluate it.
      const evaluation = stack === "existing" ? await evaluateDeployed(stack) : await evaluatePreview(stack);
      const capacity = estimateCapacity(evaluation);
      const accounted = new Set([...capacity.pods, ...capacity.uncounted].map((p) => p.urn));
      const carriers = evaluation.resources.filter((r) =>
        /:(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Pod)$|^kubernetes:helm\.sh\//.test(r.type),
      );
      for (const r of carriers)
        assert.ok(accounted.has(r.urn), `${stack}: ${r.name} is neither counted nor uncounted`);
      // Every chart the stacks install has an entry, and the program states every container's requests.
      assert.deepEqual(capacity.uncounted, [], stack);
      assert.equal(capacity.max === undefined, stack === "dev" || stack === "existing", stack);
    }
  });

  it("maps each chart at the version the stacks install, so that a chart upgrade rechecks its entry", async () => {
    for (const stack of ["dev", "staging", "prod"]) {
      for (const r of (await evaluatePreview(stack)).resources.filter((x) => x.type === CHART)) {
        const mapping = CHART_PODS[String(r.inputs.chart)];
        if (mapping) assert.equal(r.inputs.version, mapping.version, `${stack}: ${String(r.inputs.chart)}`);
      }
    }
  });

  it("has a node capacity for sizes of the price table only, each at most the size's memory", () => {
    for (const [size, node] of Object.entries(prices.doksNodeCapacity)) {
      assert.ok(prices.droplets[size], size);
      assert.ok(node.allocatableMemoryGiB < node.memoryGiB, size);
    }
  });
});
