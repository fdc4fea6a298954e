// The alerts an operator of this platform acts on, as data: the program deploys them as a
// PrometheusRule, and `npm run test:alerts` renders the same groups into a rule file for
// `promtool test rules`. Annotations use `$labels` only (no `$value`), so a test can expand them.

/** One alerting rule, in Prometheus's rule-file form. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for: string;
  readonly labels: { readonly severity: "warning" | "critical" };
  readonly annotations: {
    /** One line: what is wrong. */
    readonly summary: string;
    /** What it means for users and what the threshold is. */
    readonly description: string;
    /** What to do, step by step. */
    readonly runbook: string;
  };
}

/** A named group of rules, evaluated together. */
export interface AlertRuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** What the rules are about. */
export interface AlertRuleOptions {
  /** Namespace of the app's pods and the database. */
  readonly appNamespace: string;
  /** Prometheus job of the api: the name of the Service its ServiceMonitor selects. */
  readonly apiJob: string;
  /** Where PostgreSQL runs: in the cluster (a StatefulSet named `postgres`) or managed by DigitalOcean. */
  readonly database: "in-cluster" | "managed";
  /** Whether cert-manager's metrics are scraped (it issues the stack's certificates). */
  readonly certificates: boolean;
  /** Velero's daily schedule, when the stack backs the cluster up (its metrics are scraped). */
  readonly clusterBackupSchedule?: string;
}

/** Requests of users, not of the kubelet's probes or Prometheus. */
const USER_ROUTES = `route!~"/healthz|/readyz|/metrics"`;

/** Ratio of failed to all user requests above which the api alerts, over 5 minutes. */
export const API_ERROR_RATIO = 0.05;
/** 95th-percentile latency of user requests above which the api alerts, in seconds. */
export const API_P95_SECONDS = 0.5;
/** Container restarts within 30 minutes from which a pod counts as crash-looping. */
export const RESTARTS_IN_30M = 3;
/** Days a certificate may have left before the alert fires (cert-manager renews 30 days ahead). */
export const CERTIFICATE_DAYS_LEFT = 14;
/** Hours without a successful cluster backup after which the alert fires: a daily schedule, plus slack. */
export const CLUSTER_BACKUP_MAX_AGE_HOURS = 26;
/** Share of a volume still free below which the alert fires. */
export const VOLUME_FREE_RATIO = 0.15;

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** The platform's alert groups: the app, its database, certificates and volumes. */
export function alertRuleGroups(options: AlertRuleOptions): AlertRuleGroup[] {
  const { appNamespace: ns, apiJob: job } = options;
  const api = `namespace="${ns}",job="${job}"`;
  const logs = `{namespace="${ns}", container="${job}"}`;
  const app: AlertRule[] = [
    {
      alert: "ApiHighErrorRatio",
      expr:
        `sum(rate(http_requests_total{${api},${USER_ROUTES},status=~"5.."}[5m]))` +
        ` / sum(rate(http_requests_total{${api},${USER_ROUTES}}[5m])) > ${API_ERROR_RATIO}`,
      for: "10m",
      labels: { severity: "critical" },
      annotations: {
        summary: "The api answers more than 5% of requests with a server error.",
        description: `Over the last 10 minutes more than ${pct(API_ERROR_RATIO)} of the api's requests (health checks and metrics left out) ended in a 5xx status: users see failures.`,
        runbook: [
          "1. Grafana, dashboard 'Platform app': the '5xx by route' panel shows which routes fail and since when.",
          `2. Grafana Explore, Loki: ${logs} | json | level="error" shows the failed requests with their stack traces.`,
          "3. If PostgresDown or PostgresUnreachable fires as well, start there: the api answers 503 without its database.",
          `4. A rollout at the same time? kubectl -n ${ns} rollout history deployment/${job}; go back with kubectl -n ${ns} rollout undo deployment/${job}, then set platform:appImages to the previous digest.`,
        ].join("\n"),
      },
    },
    {
      alert: "ApiHighLatency",
      expr:
        `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${api},${USER_ROUTES}}[5m])))` +
        ` > ${API_P95_SECONDS}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "The api's 95th-percentile latency is above 500 ms.",
        description: `For 10 minutes one request in 20 took longer than ${API_P95_SECONDS * 1000} ms (health checks and metrics left out).`,
        runbook: [
          "1. Grafana, dashboard 'Platform app': 'p95 latency by route' shows whether one route or all are slow.",
          `2. CPU throttling or memory pressure: the 'CPU by pod' and 'Memory by pod' panels; kubectl -n ${ns} top pods. At the limit, raise the api's resources or its replicas (platform:appMaxReplicas).`,
          `3. A slow database: PostgreSQL's own view, kubectl -n ${ns} exec statefulset/postgres -- psql -U app -c 'select * from pg_stat_activity' (in-cluster), or the managed database's insights in DigitalOcean's console.`,
        ].join("\n"),
      },
    },
    {
      alert: "AppPodRestarting",
      expr: `increase(kube_pod_container_status_restarts_total{namespace="${ns}"}[30m]) >= ${RESTARTS_IN_30M}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Container {{ $labels.container }} of pod {{ $labels.pod }} keeps restarting.",
        description: `The container restarted ${RESTARTS_IN_30M} times or more within 30 minutes: it crashes, or its liveness probe fails.`,
        runbook: [
          `1. kubectl -n ${ns} describe pod {{ $labels.pod }}: 'Last State' gives the exit code (137 with OOMKilled: the memory limit is too low).`,
          `2. kubectl -n ${ns} logs {{ $labels.pod }} -c {{ $labels.container }} --previous shows why the last run ended; Loki keeps the logs of earlier runs.`,
          "3. A liveness probe that fails under load restarts a healthy process: compare with the latency panel.",
        ].join("\n"),
      },
    },
  ];

  const database: AlertRule[] = [
    ...(options.database === "in-cluster"
      ? [
          {
            alert: "PostgresDown",
            expr:
              `kube_statefulset_status_replicas_ready{namespace="${ns}",statefulset="postgres"} == 0` +
              ` and on (namespace, statefulset) kube_statefulset_replicas{namespace="${ns}",statefulset="postgres"} > 0`,
            for: "2m",
            labels: { severity: "critical" as const },
            annotations: {
              summary: "The in-cluster PostgreSQL has no ready replica.",
              description:
                "The postgres StatefulSet should run but none of its pods is ready: the api cannot read or write (a StatefulSet scaled to 0 on purpose does not alert).",
              runbook: [
                `1. kubectl -n ${ns} get pods -l app.kubernetes.io/name=postgres and kubectl -n ${ns} describe pod postgres-0: Pending (no node or volume), CrashLoopBackOff, or not ready.`,
                `2. kubectl -n ${ns} logs postgres-0: a full disk (see VolumeAlmostFull) or a failed recovery shows here.`,
                `3. Volume trouble: kubectl -n ${ns} get pvc,events; on DigitalOcean the volume must be attached to the pod's node.`,
              ].join("\n"),
            },
          },
        ]
      : []),
    {
      alert: "PostgresUnreachable",
      expr:
        `sum(rate(http_requests_total{${api},route="/readyz",status="503"}[5m]))` +
        ` / sum(rate(http_requests_total{${api},route="/readyz"}[5m])) > 0.5`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "The api cannot reach PostgreSQL.",
        description:
          "Most of the api's readiness checks (which ping the database) have failed for 5 minutes: its pods are taken out of the Service and requests fail.",
        runbook: [
          `1. Grafana Explore, Loki: ${logs} | json | msg="database unavailable" gives the error (authentication, timeout, connection refused).`,
          `2. In-cluster: see PostgresDown; the network policies api-to-database and database-from-api-and-backup must exist (kubectl -n ${ns} get networkpolicy).`,
          "3. Managed: the database's status and its trusted sources (the cluster) in DigitalOcean's console; a failover takes a few minutes.",
        ].join("\n"),
      },
    },
  ];

  const certificates: AlertRule[] = options.certificates
    ? [
        {
          alert: "CertificateExpiresSoon",
          expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${CERTIFICATE_DAYS_LEFT * 86400}`,
          for: "1h",
          labels: { severity: "warning" },
          annotations: {
            summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 14 days.",
            description: `cert-manager renews Let's Encrypt certificates 30 days before they expire; with fewer than ${CERTIFICATE_DAYS_LEFT} days left, renewal has been failing for over two weeks.`,
            runbook: [
              "1. kubectl -n {{ $labels.namespace }} describe certificate {{ $labels.name }}, then its CertificateRequest and Order: the failing step is named there.",
              "2. HTTP-01 challenges: the host's DNS record must point at the load balancer, and the solver pod must answer through Traefik (network policy acme-solver-from-ingress beside the Certificate, or traefik/acme-solver-from-traefik with routing: gateway).",
              "3. kubectl -n cert-manager logs deployment/cert-manager; Let's Encrypt rate limits show there.",
            ].join("\n"),
          },
        },
      ]
    : [];

  const volumes: AlertRule[] = [
    {
      alert: "VolumeAlmostFull",
      expr:
        "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes" +
        ` < ${VOLUME_FREE_RATIO}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary:
          "Volume {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} is more than 85% full.",
        description: `Less than ${pct(VOLUME_FREE_RATIO)} of the claim's capacity is free: PostgreSQL stops writing, Prometheus and Loki drop data, once it is full.`,
        runbook: [
          "1. The database's volume: raise platform:databaseStorageGi and run pulumi up (the claim grows in place on DigitalOcean).",
          "2. Prometheus or Loki: shorten platform:metricsRetentionDays or platform:logsRetentionDays, or raise platform:metricsStorageGi or platform:logsStorageGi and grow the claim itself (kubectl -n {{ $labels.namespace }} edit pvc {{ $labels.persistentvolumeclaim }}, spec.resources.requests.storage): their StatefulSets' claim templates cannot change.",
          "3. Another claim: find what grows with kubectl -n {{ $labels.namespace }} exec into the pod that mounts it and du -sh on the mount.",
        ].join("\n"),
      },
    },
  ];

  const schedule = options.clusterBackupSchedule;
  const backups: AlertRule[] =
    schedule !== undefined
      ? [
          {
            alert: "ClusterBackupMissing",
            expr:
              `time() - max(velero_backup_last_successful_timestamp{schedule="${schedule}"})` +
              ` > ${CLUSTER_BACKUP_MAX_AGE_HOURS * 3600}`,
            for: "15m",
            labels: { severity: "critical" },
            annotations: {
              summary: `Velero's ${schedule} schedule has had no successful backup for over ${CLUSTER_BACKUP_MAX_AGE_HOURS} hours.`,
              description:
                "The last cluster backup that completed is older than a day: the nightly backups are failing or not running, and a restore would lose more than a day.",
              runbook: [
                "1. velero backup get: the newest backups' phase (Failed, PartiallyFailed) and errors; velero backup describe <name> --details and velero backup logs <name> say why.",
                "2. velero backup-location get: Unavailable means Velero cannot reach the Spaces bucket (key, network policy velero-egress, or Spaces itself).",
                `3. kubectl -n velero get schedule ${schedule} and kubectl -n velero logs deployment/velero; a backup can be taken now with velero backup create --from-schedule ${schedule}.`,
              ].join("\n"),
            },
          },
        ]
      : [];

  return [
    { name: "platform-app", rules: app },
    { name: "platform-database", rules: database },
    ...(certificates.length > 0 ? [{ name: "platform-certificates", rules: certificates }] : []),
    { name: "platform-volumes", rules: volumes },
    ...(backups.length > 0 ? [{ name: "platform-backups", rules: backups }] : []),
  ];
}
