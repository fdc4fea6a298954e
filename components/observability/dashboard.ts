// The app's Grafana dashboard, as code: a ConfigMap with the sidecar's label carries this JSON.
import { API_ERROR_RATIO, API_P95_SECONDS, VOLUME_FREE_RATIO } from "./alerts";
import { DATASOURCES } from "./names";

/** What the dashboard shows. */
export interface DashboardOptions {
  readonly appNamespace: string;
  /** Prometheus job of the api (its Service's name). */
  readonly apiJob: string;
  readonly database: "in-cluster" | "managed";
}

/** Stable UID: links to the dashboard survive updates. */
export const DASHBOARD_UID = "platform-app";

const PROMETHEUS = { type: "prometheus", uid: DATASOURCES.prometheus };
const LOKI = { type: "loki", uid: DATASOURCES.loki };

interface Query {
  readonly expr: string;
  readonly legend: string;
}

/** A time series panel on the 24-column grid. */
function timeseries(
  id: number,
  title: string,
  grid: [number, number, number, number],
  queries: readonly Query[],
  unit: string,
  threshold?: number,
) {
  const [x, y, w, h] = grid;
  return {
    id,
    type: "timeseries",
    title,
    datasource: PROMETHEUS,
    gridPos: { x, y, w, h },
    fieldConfig: {
      defaults: {
        unit,
        ...(threshold !== undefined
          ? {
              custom: { thresholdsStyle: { mode: "line" } },
              thresholds: {
                mode: "absolute",
                steps: [
                  { color: "green", value: null },
                  { color: "red", value: threshold },
                ],
              },
            }
          : {}),
      },
      overrides: [],
    },
    targets: queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: PROMETHEUS,
      expr: q.expr,
      legendFormat: q.legend,
    })),
  };
}

/** The dashboard's JSON model: traffic, errors, latency, pods, database, volumes and the api's logs. */
export function appDashboard(options: DashboardOptions): Record<string, unknown> {
  const ns = options.appNamespace;
  const api = `namespace="${ns}",job="${options.apiJob}",route!~"/healthz|/readyz|/metrics"`;
  const ready = `namespace="${ns}",job="${options.apiJob}",route="/readyz"`;
  const panels = [
    timeseries(
      1,
      "Requests per second by status",
      [0, 0, 12, 8],
      [{ expr: `sum by (status) (rate(http_requests_total{${api}}[5m]))`, legend: "{{status}}" }],
      "reqps",
    ),
    timeseries(
      2,
      "Server errors (share of requests)",
      [12, 0, 12, 8],
      [
        {
          expr: `sum(rate(http_requests_total{${api},status=~"5.."}[5m])) / sum(rate(http_requests_total{${api}}[5m]))`,
          legend: "5xx",
        },
      ],
      "percentunit",
      API_ERROR_RATIO,
    ),
    timeseries(
      3,
      "5xx by route",
      [0, 8, 12, 8],
      [{ expr: `sum by (route) (rate(http_requests_total{${api},status=~"5.."}[5m]))`, legend: "{{route}}" }],
      "reqps",
    ),
    timeseries(
      4,
      "p95 latency by route",
      [12, 8, 12, 8],
      [
        {
          expr: `histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{${api}}[5m])))`,
          legend: "{{route}}",
        },
      ],
      "s",
      API_P95_SECONDS,
    ),
    timeseries(
      5,
      "CPU by pod",
      [0, 16, 8, 8],
      [
        {
          expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="${ns}",container!=""}[5m]))`,
          legend: "{{pod}}",
        },
      ],
      "cores",
    ),
    timeseries(
      6,
      "Memory by pod",
      [8, 16, 8, 8],
      [
        {
          expr: `sum by (pod) (container_memory_working_set_bytes{namespace="${ns}",container!=""})`,
          legend: "{{pod}}",
        },
      ],
      "bytes",
    ),
    timeseries(
      7,
      "Container restarts (1 h)",
      [16, 16, 8, 8],
      [
        {
          expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace="${ns}"}[1h]))`,
          legend: "{{pod}}",
        },
      ],
      "short",
    ),
    timeseries(
      8,
      "Database reachable from the api (share of readiness checks)",
      [0, 24, 12, 8],
      [
        {
          expr: `sum(rate(http_requests_total{${ready},status="200"}[5m])) / sum(rate(http_requests_total{${ready}}[5m]))`,
          legend: "ready",
        },
        ...(options.database === "in-cluster"
          ? [
              {
                expr: `kube_statefulset_status_replicas_ready{namespace="${ns}",statefulset="postgres"}`,
                legend: "postgres ready replicas",
              },
            ]
          : []),
      ],
      "percentunit",
    ),
    timeseries(
      9,
      "Free space by volume claim",
      [12, 24, 12, 8],
      [
        {
          expr: "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes",
          legend: "{{namespace}}/{{persistentvolumeclaim}}",
        },
      ],
      "percentunit",
      VOLUME_FREE_RATIO,
    ),
    {
      id: 10,
      type: "logs",
      title: "api logs (warnings and errors)",
      datasource: LOKI,
      gridPos: { x: 0, y: 32, w: 24, h: 10 },
      options: { showTime: true, wrapLogMessage: true, sortOrder: "Descending" },
      targets: [
        {
          refId: "A",
          datasource: LOKI,
          expr: `{namespace="${ns}", container="${options.apiJob}"} | json | level=~"warn|error"`,
        },
      ],
    },
  ];
  return {
    uid: DASHBOARD_UID,
    title: "Platform app",
    description: "The sample app's api: traffic, errors, latency, pods, database and logs.",
    tags: ["platform"],
    timezone: "utc",
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    panels,
  };
}
