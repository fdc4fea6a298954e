// Chart values of the monitoring stack: pure functions, so that tests check them exactly and the
// capacity check reads every container's requests and limits from them (all stated, none left to a
// chart default). Every pod runs with a seccomp profile, without privilege escalation, with all
// capabilities dropped and a read-only root filesystem; only the two node agents need more, and say why.
import type { TelemetryStoreConfig } from "../../config";
import { restrictedPodSecurity } from "../kube";
import {
  ALLOY_RELEASE,
  DASHBOARD_LABEL,
  DATASOURCES,
  KPS_FULLNAME,
  LOKI_RELEASE,
  MONITORING_NAMESPACE,
  NODE_AGENTS_NAMESPACE,
  POD_LABELS,
  PORTS,
} from "./names";

type Values = Record<string, unknown>;

const DASHBOARD_LABEL_NAME = "grafana_dashboard";

/** Requests and limits of one container. */
function resources(cpu: [string, string], memory: [string, string]) {
  return { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } };
}

/** Every container's requests and limits, by component: the one place to size them. */
export const RESOURCES = {
  operator: resources(["50m", "200m"], ["64Mi", "128Mi"]),
  configReloader: resources(["10m", "50m"], ["32Mi", "64Mi"]),
  prometheus: resources(["200m", "1"], ["768Mi", "1536Mi"]),
  alertmanager: resources(["10m", "100m"], ["32Mi", "128Mi"]),
  grafana: resources(["50m", "500m"], ["128Mi", "384Mi"]),
  grafanaSidecar: resources(["10m", "100m"], ["64Mi", "128Mi"]),
  kubeStateMetrics: resources(["20m", "200m"], ["64Mi", "256Mi"]),
  nodeExporter: resources(["20m", "200m"], ["32Mi", "64Mi"]),
  loki: resources(["100m", "1"], ["256Mi", "1Gi"]),
  alloy: resources(["50m", "500m"], ["128Mi", "384Mi"]),
} as const;

/** Container-level settings of the restricted profile, with a read-only root filesystem. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** `N` days in Prometheus's and Loki's duration syntax. */
const days = (n: number) => `${n * 24}h`;

/**
 * A telemetry store's claim for an operator-managed StatefulSet (`storageSpec`), or undefined for an
 * emptyDir (the operator's default).
 */
function claimTemplate(store: TelemetryStoreConfig): Values | undefined {
  if (store.storage.kind === "emptyDir") return undefined;
  return {
    volumeClaimTemplate: {
      spec: {
        accessModes: ["ReadWriteOnce"],
        ...(store.storage.storageClass ? { storageClassName: store.storage.storageClass } : {}),
        resources: { requests: { storage: `${store.storage.sizeGi}Gi` } },
      },
    },
  };
}

/** What kube-prometheus-stack's values depend on. */
export interface KubePrometheusStackValuesArgs {
  readonly metrics: TelemetryStoreConfig;
  /** Grafana's public URL (its `root_url`), e.g. `https://grafana.example.com/`. */
  readonly grafanaUrl: string;
  /** Name of the Secret with Grafana's `admin-user` and `admin-password`. */
  readonly grafanaAdminSecret: unknown;
  /** Whether Grafana is served over HTTPS (its session cookie is then Secure). */
  readonly tls: boolean;
  /** Whether the cluster's control plane components other than the API server can be scraped (never on DOKS). */
  readonly scrapeControlPlane: boolean;
}

/**
 * kube-prometheus-stack: the Prometheus operator (its CRDs from the chart's `crds/`), one Prometheus
 * and one Alertmanager, Grafana, kube-state-metrics and node-exporter (in the node agents' namespace).
 *
 * Helm hooks: `helm.v4.Chart` runs none. The operator's admission webhooks get their TLS certificate
 * and CA bundle from two hook Jobs (`admission-webhooks/job-patch`), and the operator mounts the Secret
 * those Jobs create when `prometheusOperator.tls` is on: both are off, so no pod waits for a Secret
 * that never comes. Rules are validated by `promtool test rules` instead (npm run test:alerts). The
 * CRD upgrade Job (a hook too) is off by default and stays off; Grafana's test pod (a test hook) is off.
 */
export function kubePrometheusStackValues(args: KubePrometheusStackValuesArgs): Values {
  const retentionGiB =
    args.metrics.storage.kind === "pvc" ? Math.max(1, Math.floor(args.metrics.storage.sizeGi * 0.8)) : 2;
  const storageSpec = claimTemplate(args.metrics);
  return {
    fullnameOverride: KPS_FULLNAME,
    crds: { enabled: true, upgradeJob: { enabled: false } },
    defaultRules: {
      create: true,
      // The managed control plane (DOKS) exposes neither etcd nor the scheduler or controller manager.
      rules: {
        etcd: args.scrapeControlPlane,
        kubeControllerManager: args.scrapeControlPlane,
        kubeSchedulerAlerting: args.scrapeControlPlane,
        kubeSchedulerRecording: args.scrapeControlPlane,
        kubeProxy: false,
        windows: false,
      },
    },
    kubeEtcd: { enabled: args.scrapeControlPlane },
    kubeControllerManager: { enabled: args.scrapeControlPlane },
    kubeScheduler: { enabled: args.scrapeControlPlane },
    // DOKS runs Cilium without kube-proxy; k0s's kube-proxy serves its metrics on localhost only.
    kubeProxy: { enabled: false },
    windowsMonitoring: { enabled: false },

    prometheusOperator: {
      admissionWebhooks: { enabled: false, patch: { enabled: false }, certManager: { enabled: false } },
      tls: { enabled: false },
      resources: RESOURCES.operator,
      securityContext: restrictedPodSecurity(65534),
      containerSecurityContext: RESTRICTED_CONTAINER,
      prometheusConfigReloader: { resources: RESOURCES.configReloader },
      service: { type: "ClusterIP" },
    },

    prometheus: {
      service: { type: "ClusterIP" },
      prometheusSpec: {
        replicas: 1,
        retention: days(args.metrics.retentionDays),
        // Below the volume's size, so that Prometheus drops old blocks before the disk fills.
        retentionSize: `${retentionGiB}GB`,
        ...(storageSpec ? { storageSpec } : {}),
        resources: RESOURCES.prometheus,
        securityContext: restrictedPodSecurity(1000),
        podMetadata: { labels: POD_LABELS.prometheus },
        // ServiceMonitors and rules of any namespace, with the release label (the chart's selector).
        serviceMonitorSelectorNilUsesHelmValues: true,
        ruleSelectorNilUsesHelmValues: true,
        serviceMonitorNamespaceSelector: {},
        ruleNamespaceSelector: {},
        enableAdminAPI: false,
        walCompression: true,
      },
    },

    alertmanager: {
      service: { type: "ClusterIP" },
      alertmanagerSpec: {
        replicas: 1,
        // An AlertmanagerConfig routes every alert, not only those of its own namespace (the
        // operator's default, OnNamespace, adds a namespace matcher, and the platform's alerts carry
        // the app's namespace or none).
        alertmanagerConfigMatcherStrategy: { type: "None" },
        // Silences and the notification log survive a restart where the stack has volumes.
        ...(args.metrics.storage.kind === "pvc"
          ? {
              storage: {
                volumeClaimTemplate: {
                  spec: {
                    accessModes: ["ReadWriteOnce"],
                    ...(args.metrics.storage.storageClass
                      ? { storageClassName: args.metrics.storage.storageClass }
                      : {}),
                    resources: { requests: { storage: "1Gi" } },
                  },
                },
              },
            }
          : {}),
        resources: RESOURCES.alertmanager,
        securityContext: restrictedPodSecurity(1000),
        podMetadata: { labels: POD_LABELS.alertmanager },
      },
    },

    grafana: grafanaValues(args),

    "kube-state-metrics": {
      fullnameOverride: "kube-state-metrics",
      service: { type: "ClusterIP" },
      resources: RESOURCES.kubeStateMetrics,
      securityContext: { enabled: true, ...restrictedPodSecurity(65534) },
      containerSecurityContext: RESTRICTED_CONTAINER,
    },

    nodeExporter: { enabled: true },
    "prometheus-node-exporter": nodeExporterValues(),
  };
}

/** Grafana's provisioning reload endpoint on its own port, for its sidecars. */
export const grafanaReloadUrl = (what: "dashboards" | "datasources") =>
  `http://localhost:${PORTS.grafana}/api/admin/provisioning/${what}/reload`;

/**
 * Grafana (a subchart): dashboards and datasources provisioned from ConfigMaps by its sidecars, Loki
 * beside Prometheus, the admin password from a Secret the program writes, no volume (dashboards and
 * datasources are code; users and preferences are not kept), listening on {@link PORTS.grafana}.
 */
function grafanaValues(args: KubePrometheusStackValuesArgs): Values {
  return {
    fullnameOverride: "grafana",
    admin: { existingSecret: args.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
    service: { type: "ClusterIP", port: PORTS.grafanaService, targetPort: PORTS.grafana },
    persistence: { enabled: false },
    initChownData: { enabled: false },
    testFramework: { enabled: false },
    resources: RESOURCES.grafana,
    securityContext: restrictedPodSecurity(472),
    containerSecurityContext: RESTRICTED_CONTAINER,
    // Writable places Grafana needs beside its data volume, the root filesystem being read-only.
    extraEmptyDirMounts: [
      { name: "tmp", mountPath: "/tmp" },
      { name: "logs", mountPath: "/var/log/grafana" },
    ],
    sidecar: {
      resources: RESOURCES.grafanaSidecar,
      securityContext: RESTRICTED_CONTAINER,
      // ConfigMaps carrying DASHBOARD_LABEL in the monitoring namespace are loaded as dashboards.
      // The sidecars tell Grafana to reload what they wrote; the chart's reloadURL assumes Grafana's
      // default port 3000 (grafana chart values.yaml, sidecar.*.reloadURL), not ours.
      dashboards: {
        enabled: true,
        label: DASHBOARD_LABEL_NAME,
        labelValue: DASHBOARD_LABEL[DASHBOARD_LABEL_NAME],
        searchNamespace: MONITORING_NAMESPACE,
        reloadURL: grafanaReloadUrl("dashboards"),
      },
      datasources: {
        enabled: true,
        uid: DATASOURCES.prometheus,
        // Datasources written after Grafana started reach it through this reload.
        reloadURL: grafanaReloadUrl("datasources"),
      },
    },
    additionalDataSources: [
      {
        name: "Loki",
        type: "loki",
        uid: DATASOURCES.loki,
        access: "proxy",
        url: `http://${LOKI_RELEASE}.${MONITORING_NAMESPACE}.svc.cluster.local:${PORTS.loki}`,
        jsonData: { maxLines: 1000 },
      },
    ],
    "grafana.ini": {
      server: { http_port: PORTS.grafana, root_url: args.grafanaUrl },
      analytics: { check_for_updates: false, reporting_enabled: false },
      security: { cookie_secure: args.tls, disable_gravatar: true },
      users: { allow_sign_up: false },
      auth: { disable_login_form: false },
      "auth.anonymous": { enabled: false },
    },
  };
}

/**
 * node-exporter in the node agents' namespace. It reads the host's /proc, /sys and root filesystem
 * (read-only hostPath mounts) and its network devices and processes (host network and PID namespaces,
 * so it listens on each node's port 9100): the chart's design, kept, with everything else restricted.
 * It tolerates every NoSchedule taint, so DOKS's tainted system node is measured too.
 */
export function nodeExporterValues(): Values {
  return {
    namespaceOverride: NODE_AGENTS_NAMESPACE,
    fullnameOverride: "node-exporter",
    hostNetwork: true,
    hostPID: true,
    hostRootFsMount: { enabled: true, mountPropagation: "HostToContainer" },
    resources: RESOURCES.nodeExporter,
    securityContext: restrictedPodSecurity(65534),
    containerSecurityContext: RESTRICTED_CONTAINER,
    service: { type: "ClusterIP" },
  };
}

/** What Loki's values depend on. */
export interface LokiValuesArgs {
  readonly logs: TelemetryStoreConfig;
}

/**
 * Loki in monolithic mode (one StatefulSet, the chart's single binary) on its filesystem: the chunks
 * and the TSDB index on one volume, retention by the compactor. The gateway (nginx), canary, test,
 * caches (memcached), MinIO and rules sidecar are off: Grafana and Alloy talk to Loki's Service.
 */
export function lokiValues(args: LokiValuesArgs): Values {
  const storage = args.logs.storage;
  return {
    deploymentMode: "Monolithic",
    fullnameOverride: LOKI_RELEASE,
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: {
        configs: [
          {
            from: "2026-01-01",
            store: "tsdb",
            object_store: "filesystem",
            schema: "v13",
            index: { prefix: "loki_index_", period: "24h" },
          },
        ],
      },
      limits_config: {
        retention_period: days(args.logs.retentionDays),
        reject_old_samples: true,
        reject_old_samples_max_age: "168h",
        volume_enabled: true,
      },
      compactor: {
        retention_enabled: true,
        delete_request_store: "filesystem",
        working_directory: "/var/loki/compactor",
      },
      analytics: { reporting_enabled: false },
      podSecurityContext: { ...restrictedPodSecurity(10001), fsGroupChangePolicy: "OnRootMismatch" },
      containerSecurityContext: RESTRICTED_CONTAINER,
    },
    singleBinary: {
      replicas: 1,
      resources: RESOURCES.loki,
      podDisruptionBudget: { enabled: false },
      statefulSetRecreateJob: { enabled: false },
      service: { type: "ClusterIP" },
      persistence:
        storage.kind === "pvc"
          ? {
              enabled: true,
              size: `${storage.sizeGi}Gi`,
              ...(storage.storageClass ? { storageClass: storage.storageClass } : {}),
            }
          : { enabled: false },
    },
    // The other deployment modes' targets, stated at zero.
    backend: { replicas: 0 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    gateway: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    minio: { enabled: false },
    sidecar: { rules: { enabled: false } },
    ruler: { enabled: false },
    monitoring: { serviceMonitor: { enabled: false }, dashboards: { enabled: false } },
  };
}

/** What Alloy's values depend on. */
export interface AlloyValuesArgs {
  /** Loki's push endpoint. */
  readonly lokiPushUrl: string;
}

/**
 * Grafana Alloy as a DaemonSet in the node agents' namespace: it tails the pod log files of its own
 * node (`/var/log/pods`, a read-only hostPath mount) and pushes them to Loki, labelled with namespace,
 * pod, container and app. It runs as root without any capability: the log files belong to root and are
 * not world-readable, so root's ownership is what lets it read them (Alloy's non-root image mode is
 * experimental upstream). Everything else is restricted.
 */
export function alloyValues(args: AlloyValuesArgs): Values {
  return {
    fullnameOverride: ALLOY_RELEASE,
    crds: { create: false },
    alloy: {
      configMap: { create: true, content: alloyConfig(args.lokiPushUrl) },
      storagePath: "/tmp/alloy",
      listenPort: PORTS.alloy,
      enableReporting: false,
      mounts: {
        varlog: true,
        dockercontainers: false,
        extra: [{ name: "tmp", mountPath: "/tmp" }],
      },
      resources: RESOURCES.alloy,
      securityContext: {
        runAsUser: 0,
        runAsNonRoot: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
    },
    global: { podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } } },
    configReloader: {
      resources: RESOURCES.configReloader,
      securityContext: { ...RESTRICTED_CONTAINER, runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
    },
    controller: {
      type: "daemonset",
      // DOKS's system node is tainted: its pods' logs are wanted too.
      tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
      volumes: { extra: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }] },
    },
    service: { enabled: true, type: "ClusterIP" },
    serviceMonitor: { enabled: false },
  };
}

/**
 * Alloy's pipeline: the pods of this node from the API server, their log files, CRI lines parsed,
 * then Loki. Labels stay few (namespace, pod, container, app) to keep Loki's streams bounded.
 */
export function alloyConfig(lokiPushUrl: string): string {
  return `discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("HOSTNAME")
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]
    separator     = "/"
    target_label  = "__path__"
    replacement   = "/var/log/pods/*$1/*.log"
  }
}

local.file_match "pods" {
  path_targets = discovery.relabel.pods.output
}

loki.source.file "pods" {
  targets    = local.file_match.pods.targets
  forward_to = [loki.process.pods.receiver]
}

loki.process "pods" {
  stage.cri {}
  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "${lokiPushUrl}"
  }
}
`;
}

/** Loki's push endpoint inside the cluster. */
export const LOKI_PUSH_URL = `http://${LOKI_RELEASE}.${MONITORING_NAMESPACE}.svc.cluster.local:${PORTS.loki}/loki/api/v1/push`;
