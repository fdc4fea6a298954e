import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { OfflineBundle } from "../../offline";
import {
  chartSource,
  createNetworkPolicies,
  DEFAULT_DENY,
  DNS_EGRESS,
  HTTPS_AND_API_EGRESS,
  NamedPolicy,
  restrictedNamespace,
} from "../kube";
import { METRICS_SERVER_CHART_REPO, METRICS_SERVER_CHART_VERSION } from "./versions";

/** Arguments of {@link MetricsServer}. */
export interface MetricsServerArgs {
  readonly provider: k8s.Provider;
  /** Replicas; with two or more, a PodDisruptionBudget keeps one through a node drain. Default: 1. */
  readonly replicas?: number;
  /** Install the chart from this offline bundle instead of its repository. Default: the repository. */
  readonly offlineBundle?: OfflineBundle;
}

/** Labels of metrics-server's pods (the chart's). */
const POD_LABELS = { "app.kubernetes.io/name": "metrics-server" };
/** The port metrics-server serves the metrics API on, and the kubelets' port it scrapes. */
const SECURE_PORT = 10250;

/**
 * metrics-server from its official chart, in a restricted namespace of its own: the source of the
 * `metrics.k8s.io` API that HorizontalPodAutoscalers read CPU and memory from. DOKS does not ship
 * it (DigitalOcean offers it as a separate 1-Click app); k0s does, so dev never gets a second one.
 */
export class MetricsServer extends pulumi.ComponentResource {
  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:metrics:MetricsServer", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const namespace = restrictedNamespace(`${name}-ns`, "metrics-server", k8sOpts);
    new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        name: "metrics-server",
        ...chartSource(
          { chart: "metrics-server", version: METRICS_SERVER_CHART_VERSION, repo: METRICS_SERVER_CHART_REPO },
          args.offlineBundle,
        ),
        namespace: namespace.metadata.name,
        values: metricsServerValues(args.replicas ?? 1),
      },
      { ...k8sOpts, dependsOn: [namespace] },
    );
    createNetworkPolicies(name, namespace.metadata.name, metricsServerNetworkPolicies(), {
      ...k8sOpts,
      dependsOn: [namespace],
    });
    this.registerOutputs({});
  }
}

/**
 * Chart values: bounded resources (requests and limits), the chart's restricted security context
 * stated so that an upgrade cannot loosen it, a pod-level seccomp profile and non-root user for the
 * restricted namespace, and a PodDisruptionBudget with more than one replica.
 */
export function metricsServerValues(replicas: number): Record<string, unknown> {
  return {
    fullnameOverride: "metrics-server",
    replicas,
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: "RuntimeDefault" },
      capabilities: { drop: ["ALL"] },
    },
    resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "500m", memory: "400Mi" } },
    podDisruptionBudget: replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
    containerPort: SECURE_PORT,
    // Stated, not left to the chart's default: the cost estimate relies on it (no load balancer).
    service: { type: "ClusterIP" },
  };
}

/**
 * Default deny in its namespace, then: the API server's aggregation layer calling the metrics API
 * (from an address the program does not know on DOKS, so from anywhere, on that port only), and
 * metrics-server reaching the kubelets, DNS and the API server (each by port).
 */
export function metricsServerNetworkPolicies(): NamedPolicy[] {
  const secure = [{ protocol: "TCP", port: SECURE_PORT }];
  return [
    DEFAULT_DENY,
    {
      name: "metrics-server-api",
      spec: {
        podSelector: { matchLabels: POD_LABELS },
        policyTypes: ["Ingress"],
        ingress: [{ ports: secure }],
      },
    },
    {
      name: "metrics-server-egress",
      deployedUnderEarlierName: true,
      spec: {
        podSelector: { matchLabels: POD_LABELS },
        policyTypes: ["Egress"],
        egress: [
          DNS_EGRESS,
          HTTPS_AND_API_EGRESS,
          // The kubelets by port alone: an ipBlock does not match node addresses under Cilium.
          { ports: secure },
        ],
      },
    },
  ];
}
