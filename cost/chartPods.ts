// Where each Helm chart the program installs keeps its pods' replica counts and resource requests in
// its values. Offline (and to the policy pack before the chart renders) a chart is one opaque
// resource: the capacity check counts its pods from the values the program passes, through this
// mapping. A chart that is not here, or whose values leave a container's requests to the chart's
// defaults or add containers the entry does not know, is reported as uncounted, never as zero.
//
// Each entry was read against the chart version it names, in the chart's own templates and
// values.yaml (the defaults below are that version's); test/cost/capacity.spec.ts fails when a stack
// installs another version, so that a chart upgrade rechecks its entry.
import { at, UNKNOWN_VALUE } from "./rules";

type Path = readonly string[];

/** A value compared with what it must be: `value ?? default` equals `equals` (true when unset). */
export interface Condition {
  readonly path: Path;
  readonly default: unknown;
  readonly equals?: unknown;
}

/** One container of a chart's pod: where its `resources` are, when the chart renders it. */
export interface ChartContainer {
  /** The container's `resources`; with `list`, a list of whole containers, each with its own. */
  readonly resources: Path;
  readonly list?: boolean;
  /** Every condition must hold for the container to exist. */
  readonly when?: readonly Condition[];
  /** An init container (counted as Kubernetes counts them: the larger of it and the app containers). */
  readonly init?: boolean;
}

/** One kind of pod a chart runs. */
export interface ChartPod {
  /** What the chart calls it, e.g. "controller", "webhook". */
  readonly pod: string;
  /** Every condition must hold for the chart to render the pod. */
  readonly enabled?: readonly Condition[];
  /** Its replica count, the chart's default, and the least the chart renders; or one per node. */
  readonly replicas:
    | { readonly path: Path; readonly default: number; readonly atLeast?: number; readonly times?: Path }
    | "per-node";
  /** The chart's own HorizontalPodAutoscaler: its switch and bounds. */
  readonly autoscaling?: { readonly enabled: Path; readonly min: Path; readonly max: Path };
  /** The pod is a DaemonSet (one per node) when this holds. */
  readonly perNodeWhen?: Condition;
  readonly containers: readonly ChartContainer[];
}

/** Values that make the chart run pods or containers the entry does not know. */
export interface Unmapped {
  readonly path: Path;
  /** The chart's default for the value. */
  readonly default?: unknown;
  /** Values (besides unset, false, empty) that are fine. */
  readonly allowed?: readonly unknown[];
}

/** A chart's pods, and the version the entry was read against. */
export interface ChartMapping {
  readonly version: string;
  readonly pods: readonly ChartPod[];
  /** When one of these is set, the chart is uncounted. */
  readonly unmapped: readonly Unmapped[];
}

const on = (path: Path, fallback: boolean): Condition => ({ path, default: fallback });
const set = (...paths: Path[]): Unmapped[] => paths.map((path) => ({ path }));

// kube-prometheus-stack: Prometheus and Alertmanager pods are made by the operator, each with the
// operator's config reloader as a sidecar and as an init container, sized by
// prometheusOperator.prometheusConfigReloader.resources (templates/prometheus-operator/deployment.yaml
// passes them as --config-reloader-* flags).
const RELOADER: ChartContainer = {
  resources: ["prometheusOperator", "prometheusConfigReloader", "resources"],
};
const GRAFANA_SIDECAR = ["grafana", "sidecar", "resources"];

/** The charts whose pods the capacity check can count, by chart name. */
export const CHART_PODS: Readonly<Record<string, ChartMapping>> = {
  // traefik/traefik-helm-chart v41.3.0: templates/_podtemplate.tpl (one container, `resources`),
  // deployment.yaml / daemonset.yaml by `deployment.kind`, hpa.yaml.
  traefik: {
    version: "41.3.0",
    pods: [
      {
        pod: "traefik",
        enabled: [on(["deployment", "enabled"], true)],
        replicas: { path: ["deployment", "replicas"], default: 1 },
        autoscaling: {
          enabled: ["autoscaling", "enabled"],
          min: ["autoscaling", "minReplicas"],
          max: ["autoscaling", "maxReplicas"],
        },
        perNodeWhen: { path: ["deployment", "kind"], default: "Deployment", equals: "DaemonSet" },
        containers: [{ resources: ["resources"] }],
      },
    ],
    unmapped: set(["deployment", "initContainers"], ["deployment", "additionalContainers"]),
  },
  // cert-manager/cert-manager v1.21.1: deploy/charts/cert-manager/templates/deployment.yaml,
  // webhook-deployment.yaml, cainjector-deployment.yaml. startupapicheck is a Helm hook Job, which
  // helm.v4.Chart does not render (the program turns it off anyway): no pod.
  "cert-manager": {
    version: "v1.21.1",
    pods: [
      {
        pod: "controller",
        replicas: { path: ["replicaCount"], default: 1 },
        containers: [{ resources: ["resources"] }],
      },
      {
        pod: "webhook",
        replicas: { path: ["webhook", "replicaCount"], default: 1 },
        containers: [{ resources: ["webhook", "resources"] }],
      },
      {
        pod: "cainjector",
        enabled: [on(["cainjector", "enabled"], true)],
        replicas: { path: ["cainjector", "replicaCount"], default: 1 },
        containers: [{ resources: ["cainjector", "resources"] }],
      },
    ],
    unmapped: set(["extraContainers"]),
  },
  // kubernetes-sigs/metrics-server metrics-server-helm-chart-3.13.1: charts/metrics-server/templates/
  // deployment.yaml (the addon-resizer sidecar only with addonResizer.enabled).
  "metrics-server": {
    version: "3.13.1",
    pods: [
      {
        pod: "metrics-server",
        replicas: { path: ["replicas"], default: 1 },
        containers: [{ resources: ["resources"] }],
      },
    ],
    unmapped: set(["addonResizer", "enabled"]),
  },
  // prometheus-community/helm-charts kube-prometheus-stack-88.5.3 with its subcharts grafana 12.11.1
  // (grafana-community), kube-state-metrics 8.4.0 and prometheus-node-exporter 4.56.1: templates/
  // prometheus-operator/deployment.yaml (replicas: 1), admission-webhooks/deployment/deployment.yaml,
  // prometheus/prometheus.yaml (replicas × shards), alertmanager/alertmanager.yaml; grafana's
  // templates/_pod.tpl (sidecars by sidecar.*.enabled, kube-prometheus-stack turns the dashboards and
  // datasources ones on; init-chown-data with persistence); kube-state-metrics' deployment.yaml;
  // node-exporter's daemonset.yaml. The admission webhook patch Jobs are Helm hooks: no pod.
  "kube-prometheus-stack": {
    version: "88.5.3",
    pods: [
      {
        pod: "operator",
        enabled: [on(["prometheusOperator", "enabled"], true)],
        replicas: { path: [], default: 1 },
        containers: [{ resources: ["prometheusOperator", "resources"] }],
      },
      {
        pod: "operator admission webhook",
        enabled: [
          on(["prometheusOperator", "enabled"], true),
          on(["prometheusOperator", "admissionWebhooks", "deployment", "enabled"], false),
        ],
        replicas: { path: ["prometheusOperator", "admissionWebhooks", "deployment", "replicas"], default: 1 },
        containers: [{ resources: ["prometheusOperator", "admissionWebhooks", "deployment", "resources"] }],
      },
      {
        pod: "prometheus",
        enabled: [on(["prometheus", "enabled"], true)],
        replicas: {
          path: ["prometheus", "prometheusSpec", "replicas"],
          default: 1,
          times: ["prometheus", "prometheusSpec", "shards"],
        },
        containers: [
          { resources: ["prometheus", "prometheusSpec", "resources"] },
          RELOADER,
          { ...RELOADER, init: true },
        ],
      },
      {
        pod: "alertmanager",
        enabled: [on(["alertmanager", "enabled"], true)],
        replicas: { path: ["alertmanager", "alertmanagerSpec", "replicas"], default: 1 },
        containers: [
          { resources: ["alertmanager", "alertmanagerSpec", "resources"] },
          RELOADER,
          { ...RELOADER, init: true },
        ],
      },
      {
        pod: "grafana",
        enabled: [on(["grafana", "enabled"], true)],
        replicas: { path: ["grafana", "replicas"], default: 1 },
        containers: [
          { resources: ["grafana", "resources"] },
          { resources: GRAFANA_SIDECAR, when: [on(["grafana", "sidecar", "dashboards", "enabled"], true)] },
          { resources: GRAFANA_SIDECAR, when: [on(["grafana", "sidecar", "datasources", "enabled"], true)] },
          { resources: GRAFANA_SIDECAR, when: [on(["grafana", "sidecar", "alerts", "enabled"], false)] },
          { resources: GRAFANA_SIDECAR, when: [on(["grafana", "sidecar", "notifiers", "enabled"], false)] },
          { resources: GRAFANA_SIDECAR, when: [on(["grafana", "sidecar", "plugins", "enabled"], false)] },
          {
            resources: ["grafana", "initChownData", "resources"],
            init: true,
            when: [
              on(["grafana", "persistence", "enabled"], false),
              on(["grafana", "initChownData", "enabled"], true),
            ],
          },
        ],
      },
      {
        pod: "kube-state-metrics",
        enabled: [on(["kubeStateMetrics", "enabled"], true)],
        replicas: { path: ["kube-state-metrics", "replicas"], default: 1 },
        containers: [{ resources: ["kube-state-metrics", "resources"] }],
      },
      {
        pod: "node-exporter",
        enabled: [on(["nodeExporter", "enabled"], true)],
        replicas: "per-node",
        containers: [{ resources: ["prometheus-node-exporter", "resources"] }],
      },
    ],
    unmapped: [
      ...set(
        ["prometheus", "agentMode"],
        ["prometheus", "prometheusSpec", "containers"],
        ["prometheus", "prometheusSpec", "initContainers"],
        ["prometheus", "prometheusSpec", "thanos"],
        ["alertmanager", "alertmanagerSpec", "containers"],
        ["alertmanager", "alertmanagerSpec", "initContainers"],
        ["thanosRuler", "enabled"],
        ["windowsMonitoring", "enabled"],
        ["grafana", "extraContainers"],
        ["grafana", "extraInitContainers"],
        ["grafana", "dashboards"],
        ["grafana", "imageRenderer", "enabled"],
        ["grafana", "sidecar", "alerts", "initAlerts"],
        ["grafana", "sidecar", "datasources", "initDatasources"],
        ["grafana", "sidecar", "notifiers", "initNotifiers"],
        ["grafana", "sidecar", "dashboards", "initDashboards"],
        ["kube-state-metrics", "initContainers"],
        ["kube-state-metrics", "kubeRBACProxy", "enabled"],
        ["prometheus-node-exporter", "extraInitContainers"],
        ["prometheus-node-exporter", "sidecars"],
        ["prometheus-node-exporter", "kubeRBACProxy", "enabled"],
        ["prometheus-node-exporter", "permissionInitContainer", "fixes", "rapl"],
        ["prometheus-node-exporter", "permissionInitContainer", "fixes", "slabinfo"],
        ["prometheus-node-exporter", "permissionInitContainer", "extraCommands"],
      ),
    ],
  },
  // grafana-community/helm-charts loki-18.11.0: templates/monolithic/workload.yaml through _workload.tpl
  // and _pod.tpl (one `loki` container, the rules sidecar when singleBinary.sidecar and
  // sidecar.rules.enabled); loki.monolithicReplicas renders at least 1 replica; gateway/deployment.yaml,
  // loki-canary/daemonset.yaml. The simple-scalable and distributed targets render only in their modes.
  loki: {
    version: "18.11.0",
    pods: [
      {
        pod: "single binary",
        enabled: [on(["singleBinary", "enabled"], true)],
        replicas: { path: ["singleBinary", "replicas"], default: 0, atLeast: 1 },
        autoscaling: {
          enabled: ["singleBinary", "autoscaling", "enabled"],
          min: ["singleBinary", "autoscaling", "minReplicas"],
          max: ["singleBinary", "autoscaling", "maxReplicas"],
        },
        containers: [
          { resources: ["singleBinary", "resources"] },
          {
            resources: ["sidecar", "resources"],
            when: [on(["singleBinary", "sidecar"], true), on(["sidecar", "rules", "enabled"], true)],
          },
        ],
      },
      {
        pod: "gateway",
        enabled: [on(["gateway", "enabled"], true)],
        replicas: { path: ["gateway", "replicas"], default: 1 },
        autoscaling: {
          enabled: ["gateway", "autoscaling", "enabled"],
          min: ["gateway", "autoscaling", "minReplicas"],
          max: ["gateway", "autoscaling", "maxReplicas"],
        },
        containers: [{ resources: ["gateway", "resources"] }],
      },
      {
        pod: "canary",
        enabled: [on(["lokiCanary", "enabled"], true)],
        replicas: "per-node",
        containers: [{ resources: ["lokiCanary", "resources"] }],
      },
    ],
    unmapped: [
      { path: ["deploymentMode"], default: "Monolithic", allowed: ["Monolithic", "SingleBinary"] },
      { path: ["chunksCache", "enabled"], default: true },
      { path: ["resultsCache", "enabled"], default: true },
      ...set(
        ["singleBinary", "initContainers"],
        ["singleBinary", "extraContainers"],
        ["singleBinary", "statefulSetRecreateJob", "enabled"],
        ["tableManager", "enabled"],
        ["rollout_operator", "enabled"],
        ["minio", "enabled"],
        ["gateway", "extraContainers"],
        ["lokiCanary", "extraContainers"],
      ),
    ],
  },
  // vmware-tanzu/helm-charts velero-12.1.0: charts/velero/templates/deployment.yaml (replicas: 1, the
  // velero container, `initContainers` as given: the plugins), node-agent-daemonset.yaml with
  // deployNodeAgent. Pods Velero itself starts while it works (repository maintenance, data movers)
  // are not declared anywhere and not counted; the CRD Jobs are Helm hooks.
  velero: {
    version: "12.1.0",
    pods: [
      {
        pod: "velero",
        replicas: { path: [], default: 1 },
        containers: [{ resources: ["resources"] }, { resources: ["initContainers"], list: true, init: true }],
      },
      {
        pod: "node agent",
        enabled: [on(["deployNodeAgent"], false)],
        replicas: "per-node",
        containers: [{ resources: ["nodeAgent", "resources"] }],
      },
    ],
    unmapped: set(["extraContainers"], ["nodeAgent", "extraContainers"], ["nodeAgent", "initContainers"]),
  },
  // grafana/alloy helm-chart/1.11.1: operations/helm/charts/alloy/templates/controllers/_pod.yaml (the
  // alloy container and the config reloader), daemonset.yaml / deployment.yaml / statefulset.yaml by
  // controller.type.
  alloy: {
    version: "1.11.1",
    pods: [
      {
        pod: "alloy",
        replicas: { path: ["controller", "replicas"], default: 1 },
        perNodeWhen: { path: ["controller", "type"], default: "daemonset", equals: "daemonset" },
        containers: [
          { resources: ["alloy", "resources"] },
          { resources: ["configReloader", "resources"], when: [on(["configReloader", "enabled"], true)] },
        ],
      },
    ],
    unmapped: set(
      ["agent"],
      ["controller", "initContainers"],
      ["controller", "extraContainers"],
      ["controller", "autoscaling", "enabled"],
      ["controller", "autoscaling", "horizontal", "enabled"],
    ),
  },
};

/** One kind of pod of a chart, counted. */
export interface CountedChartPod {
  readonly pod: string;
  /** Pods with the chart's HPA at its minimum and maximum; "per-node" for a DaemonSet. */
  readonly replicas: { readonly min: number; readonly max: number } | "per-node";
  /** A pod spec with each container's `resources`, as the capacity check reads pod specs. */
  readonly spec: { readonly containers: unknown[]; readonly initContainers: unknown[] };
}

/** A chart's pods, or why they cannot be counted. */
export type ChartPods = { readonly pods: readonly CountedChartPod[] } | { readonly reason: string };

const shown = (path: Path) => `values.${path.join(".")}`;

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return value !== undefined && value !== null && value !== false && value !== "";
}

class Unknown extends Error {}

/** The value at `path`, or `fallback` when unset; throws {@link Unknown} for a value unknown until deploy. */
function read(values: unknown, path: Path, fallback: unknown): unknown {
  if (path.length === 0) return fallback;
  const value = at(values, ...path);
  if (value === UNKNOWN_VALUE) throw new Unknown(`${shown(path)} is unknown until deploy`);
  return value ?? fallback;
}

/** The containers a values list holds (an init container list, say), each with its `resources`. */
function listed(values: unknown, path: Path): { name: string; resources: unknown }[] | string {
  const list = read(values, path, []);
  if (!Array.isArray(list)) return `${shown(path)} is not a list of containers (a template?)`;
  const items: { name: string; resources: unknown }[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = at(list, i);
    if (item === UNKNOWN_VALUE) throw new Unknown(`${shown(path)}[${i}] is unknown until deploy`);
    const name = at(item, "name");
    items.push({
      name: `${shown(path)}[${typeof name === "string" ? name : i}]`,
      resources: at(item, "resources"),
    });
  }
  return items;
}

const holds = (values: unknown, c: Condition) => read(values, c.path, c.default) === (c.equals ?? true);

function count(values: unknown, path: Path, fallback: number): number | string {
  const value = read(values, path, fallback);
  return typeof value === "number" && Number.isInteger(value) && value >= 0
    ? value
    : `${shown(path)} is ${JSON.stringify(value)}, not a count`;
}

function replicasOf(values: unknown, spec: ChartPod): CountedChartPod["replicas"] | { reason: string } {
  if (spec.replicas === "per-node" || (spec.perNodeWhen && holds(values, spec.perNodeWhen)))
    return "per-node";
  const { path, default: fallback, atLeast = 0, times } = spec.replicas;
  const factor = times ? count(values, times, 1) : 1;
  if (typeof factor === "string") return { reason: factor };
  if (spec.autoscaling && read(values, spec.autoscaling.enabled, false) === true) {
    const min = count(values, spec.autoscaling.min, 1);
    const max = count(values, spec.autoscaling.max, Number.NaN);
    if (typeof min === "string") return { reason: min };
    if (typeof max === "string" || Number.isNaN(max))
      return { reason: `${shown(spec.autoscaling.max)} must be set when the chart autoscales` };
    return { min: min * factor, max: max * factor };
  }
  const n = count(values, path, fallback);
  if (typeof n === "string") return { reason: n };
  const replicas = Math.max(n, atLeast) * factor;
  return { min: replicas, max: replicas };
}

/**
 * A chart's name, also when it is installed from an archive (`…/charts/traefik-41.3.0.tgz`, as an
 * offline bundle keeps it, `helm pull`'s own file name).
 */
export function chartName(chart: string): string {
  const archive = /(?:^|\/)([^/]+?)-v?\d+\.\d+\.\d+[^/]*\.tgz$/.exec(chart);
  return archive ? archive[1] : chart;
}

/**
 * The pods a chart runs with these values (its `values` input), through {@link CHART_PODS}; the
 * reason when they cannot be counted: a chart without an entry, a value unknown until deploy, values
 * that add containers the entry does not know, a container whose requests the values leave to the chart.
 */
export function chartPods(chart: unknown, values: unknown): ChartPods {
  if (chart === UNKNOWN_VALUE) return { reason: "the chart is unknown until deploy" };
  const mapping = typeof chart === "string" ? CHART_PODS[chartName(chart)] : undefined;
  if (!mapping)
    return {
      reason: `Helm chart ${JSON.stringify(chart ?? null)}: no entry in cost/chartPods.ts says where its pods' requests are`,
    };
  if (values === UNKNOWN_VALUE) return { reason: "its values are unknown until deploy" };
  try {
    for (const u of mapping.unmapped) {
      const value = read(values, u.path, u.default);
      if (isSet(value) && !(u.allowed ?? []).includes(value))
        return {
          reason: `${shown(u.path)} is ${typeof value === "object" ? "set" : JSON.stringify(value)}: it runs containers cost/chartPods.ts does not count`,
        };
    }
    const pods: CountedChartPod[] = [];
    for (const spec of mapping.pods) {
      if (!(spec.enabled ?? []).every((c) => holds(values, c))) continue;
      const replicas = replicasOf(values, spec);
      if (replicas !== "per-node" && "reason" in replicas) return replicas;
      if (replicas !== "per-node" && replicas.max === 0) continue;
      const containers: unknown[] = [];
      const initContainers: unknown[] = [];
      for (const c of spec.containers) {
        if (!(c.when ?? []).every((w) => holds(values, w))) continue;
        const found = c.list
          ? listed(values, c.resources)
          : [{ name: shown(c.resources), resources: at(values, ...c.resources) }];
        if (typeof found === "string") return { reason: found };
        for (const { name, resources } of found) {
          const stated = (k: string) =>
            at(resources, "requests", k) !== undefined || at(resources, "limits", k) !== undefined;
          if (resources !== UNKNOWN_VALUE && !(stated("cpu") && stated("memory")))
            return {
              reason: `${spec.pod}: ${name} sets no CPU and memory requests (the chart's defaults are not counted offline)`,
            };
          (c.init ? initContainers : containers).push({ name: `${spec.pod} (${name})`, resources });
        }
      }
      pods.push({ pod: spec.pod, replicas, spec: { containers, initContainers } });
    }
    return { pods };
  } catch (error) {
    if (error instanceof Unknown) return { reason: error.message };
    throw error;
  }
}
