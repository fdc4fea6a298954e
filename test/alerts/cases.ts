// Unit tests of the platform's alert rules for `promtool test rules`: for every alert at least one
// series history that fires it and one that does not. The rules themselves come from the program
// (components/observability/alerts.ts); test/alerts/render.ts turns both into promtool's files.
import type { AlertRuleOptions } from "../../components/observability";

/** One promtool test: input series (one sample a minute), then the alert at one evaluation time. */
export interface AlertCase {
  readonly alert: string;
  /** What the history shows, as the test's name. */
  readonly name: string;
  readonly fires: boolean;
  /** promtool's expanding notation: `0+10x30` is 0, 10, 20, … 300; `1x30` is 31 samples of 1. */
  readonly series: readonly { readonly series: string; readonly values: string }[];
  readonly evalTime: string;
  /** Labels of the firing alert besides `alertname` and `severity` (the series' labels it keeps). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The rules under test: every group, as the program deploys them for an in-cluster database. */
export const RULE_OPTIONS: AlertRuleOptions = {
  appNamespace: "app",
  apiJob: "api",
  database: "in-cluster",
  certificates: true,
  clusterBackupSchedule: "daily",
};

const api = (labels: string) => `{namespace="app",job="api",method="GET",${labels}}`;
const requests = (route: string, status: string, perMinute: number) => ({
  series: `http_requests_total${api(`route="${route}",status="${status}"`)}`,
  values: `0+${perMinute}x40`,
});
const bucket = (le: string, perMinute: number) => ({
  series: `http_request_duration_seconds_bucket${api(`route="/items",status="200",le="${le}"`)}`,
  values: `0+${perMinute}x40`,
});
const RESTARTS =
  'kube_pod_container_status_restarts_total{namespace="app",pod="api-7d9f-x2k",container="api",job="kube-state-metrics"}';
const POSTGRES = '{namespace="app",statefulset="postgres",job="kube-state-metrics"}';
const CERTIFICATE = '{namespace="app",name="app-tls",job="cert-manager"}';
const CLAIM = '{namespace="monitoring",persistentvolumeclaim="storage-loki-0",job="kubelet"}';
const VELERO = '{schedule="daily",job="velero"}';
/** Seconds: promtool's clock starts at 0, so at `evalTime` 2h, time() is 7200. */
const DAY = 86400;

export const ALERT_CASES: readonly AlertCase[] = [
  {
    alert: "ApiHighErrorRatio",
    name: "fires when one user request in ten fails for over 10 minutes",
    fires: true,
    series: [requests("/items", "200", 90), requests("/items", "500", 10)],
    evalTime: "20m",
  },
  {
    alert: "ApiHighErrorRatio",
    name: "stays silent at 2% server errors",
    fires: false,
    series: [requests("/items", "200", 98), requests("/items", "500", 2)],
    evalTime: "20m",
  },
  {
    alert: "ApiHighErrorRatio",
    name: "stays silent when only readiness probes fail (PostgresUnreachable's business)",
    fires: false,
    series: [requests("/items", "200", 10), requests("/readyz", "503", 12)],
    evalTime: "20m",
  },
  {
    alert: "ApiHighLatency",
    name: "fires when requests take about a second",
    fires: true,
    series: [bucket("0.1", 0), bucket("0.5", 0), bucket("1", 10), bucket("+Inf", 10)],
    evalTime: "20m",
  },
  {
    alert: "ApiHighLatency",
    name: "stays silent when requests take under 100 ms",
    fires: false,
    series: [bucket("0.1", 10), bucket("0.5", 10), bucket("1", 10), bucket("+Inf", 10)],
    evalTime: "20m",
  },
  {
    alert: "AppPodRestarting",
    name: "fires for a container that restarts every minute",
    fires: true,
    series: [{ series: RESTARTS, values: "0 0 0 0+1x30" }],
    evalTime: "20m",
    labels: { namespace: "app", pod: "api-7d9f-x2k", container: "api", job: "kube-state-metrics" },
  },
  {
    alert: "AppPodRestarting",
    name: "stays silent after a single restart",
    fires: false,
    series: [{ series: RESTARTS, values: "0 0 0 1x30" }],
    evalTime: "20m",
  },
  {
    alert: "PostgresDown",
    name: "fires when the StatefulSet should run but no replica is ready",
    fires: true,
    series: [
      { series: `kube_statefulset_status_replicas_ready${POSTGRES}`, values: "1 1 1 0x30" },
      { series: `kube_statefulset_replicas${POSTGRES}`, values: "1x33" },
    ],
    evalTime: "10m",
    labels: { namespace: "app", statefulset: "postgres", job: "kube-state-metrics" },
  },
  {
    alert: "PostgresDown",
    name: "stays silent when the StatefulSet is scaled to zero on purpose",
    fires: false,
    series: [
      { series: `kube_statefulset_status_replicas_ready${POSTGRES}`, values: "0x33" },
      { series: `kube_statefulset_replicas${POSTGRES}`, values: "0x33" },
    ],
    evalTime: "10m",
  },
  {
    alert: "PostgresUnreachable",
    name: "fires when every readiness check of the api fails",
    fires: true,
    series: [requests("/readyz", "503", 12), requests("/readyz", "200", 0)],
    evalTime: "15m",
  },
  {
    alert: "PostgresUnreachable",
    name: "stays silent when one readiness check in thirteen fails",
    fires: false,
    series: [requests("/readyz", "503", 1), requests("/readyz", "200", 12)],
    evalTime: "15m",
  },
  {
    alert: "CertificateExpiresSoon",
    name: "fires when a certificate has 10 days left",
    fires: true,
    series: [
      {
        series: `certmanager_certificate_expiration_timestamp_seconds${CERTIFICATE}`,
        values: `${10 * DAY}x180`,
      },
    ],
    evalTime: "2h",
    labels: { namespace: "app", name: "app-tls", job: "cert-manager" },
  },
  {
    alert: "CertificateExpiresSoon",
    name: "stays silent with 30 days left",
    fires: false,
    series: [
      {
        series: `certmanager_certificate_expiration_timestamp_seconds${CERTIFICATE}`,
        values: `${30 * DAY}x180`,
      },
    ],
    evalTime: "2h",
  },
  {
    alert: "VolumeAlmostFull",
    name: "fires at 10% free",
    fires: true,
    series: [
      { series: `kubelet_volume_stats_available_bytes${CLAIM}`, values: "1000000000x30" },
      { series: `kubelet_volume_stats_capacity_bytes${CLAIM}`, values: "10000000000x30" },
    ],
    evalTime: "15m",
    labels: { namespace: "monitoring", persistentvolumeclaim: "storage-loki-0", job: "kubelet" },
  },
  {
    alert: "VolumeAlmostFull",
    name: "stays silent at 50% free",
    fires: false,
    series: [
      { series: `kubelet_volume_stats_available_bytes${CLAIM}`, values: "5000000000x30" },
      { series: `kubelet_volume_stats_capacity_bytes${CLAIM}`, values: "10000000000x30" },
    ],
    evalTime: "15m",
  },
  {
    alert: "ClusterBackupMissing",
    name: "fires when the last successful backup is 27 hours old (the nightly ones failing since)",
    fires: true,
    // The last success at 1h; evaluated at 28h, when it has been more than 26 hours for over 15 minutes.
    series: [{ series: `velero_backup_last_successful_timestamp${VELERO}`, values: `${3600}x1700` }],
    evalTime: "28h",
  },
  {
    alert: "ClusterBackupMissing",
    name: "stays silent when last night's backup succeeded",
    fires: false,
    series: [{ series: `velero_backup_last_successful_timestamp${VELERO}`, values: `${26 * 3600}x1700` }],
    evalTime: "28h",
  },
];
