// Network policies of the monitoring stack, in the house style: default deny in each namespace, then
// exactly the flows each component needs; egress to the API server, the kubelets and node-exporter
// (host network) by port, since their addresses are not known to the program (and Cilium's identities
// for them do not match an ipBlock).
import { DEFAULT_DENY, DNS_EGRESS, HTTPS_AND_API_EGRESS, NamedPolicy, podsIn } from "../kube";
import { MONITORING_NAMESPACE, NODE_AGENTS_NAMESPACE, POD_LABELS, PORTS } from "./names";

type Peer = ReturnType<typeof podsIn>;

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
const name = (labels: Record<string, string>) => labels["app.kubernetes.io/name"];
/** Pods of the monitoring namespace whose `app.kubernetes.io/name` is one of these. */
const named = (...components: Record<string, string>[]) => ({
  matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: components.map(name) }],
});
const PROMETHEUS = podsIn(MONITORING_NAMESPACE, POD_LABELS.prometheus);
const GRAFANA = podsIn(MONITORING_NAMESPACE, POD_LABELS.grafana);
const ALLOY = podsIn(NODE_AGENTS_NAMESPACE, POD_LABELS.alloy);
const ACME_SOLVER = { "acme.cert-manager.io/http01-solver": "true" };

/** Where Prometheus scrapes outside its own namespace. */
export interface ScrapeTargets {
  /** The api's pods and the port of its `/metrics`. */
  readonly api: {
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly port: number;
  };
  /** cert-manager's controller, when the program installs it. */
  readonly certManager?: { readonly namespace: string; readonly labels: Record<string, string> };
  /** Velero's server and its metrics port, when the stack backs the cluster up. */
  readonly velero?: {
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly port: number;
  };
}

/**
 * The monitoring namespace: DNS for all; the API server for the operator, Prometheus (service
 * discovery), kube-state-metrics and Grafana's sidecars; Prometheus to every scrape target; Grafana
 * to its datasources and from the ingress controller; Loki from Alloy and Grafana; Alertmanager from
 * Prometheus and Grafana, and to HTTPS for its notifications; everything from Prometheus (its metrics); cert-manager's HTTP-01 solver for
 * Grafana's certificate from the ingress controller.
 */
export function monitoringNetworkPolicies(
  controller: Peer,
  targets: ScrapeTargets,
  /** Whether cert-manager's HTTP-01 solver for Grafana's certificate runs here (TLS through an Ingress). */
  acmeSolverHere: boolean,
): NamedPolicy[] {
  return [
    DEFAULT_DENY,
    { name: "allow-dns", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [DNS_EGRESS] } },
    {
      name: "api-server-egress",
      spec: {
        podSelector: named(
          POD_LABELS.operator,
          POD_LABELS.prometheus,
          POD_LABELS.kubeStateMetrics,
          POD_LABELS.grafana,
        ),
        policyTypes: ["Egress"],
        egress: [HTTPS_AND_API_EGRESS],
      },
    },
    {
      // Notifications: receivers outside the cluster, over HTTPS (Slack, PagerDuty, webhooks) or SMTP
      // submission (465 with TLS, 587 with STARTTLS); without this, a receiver added later would time
      // out silently.
      name: "alertmanager-notifications",
      spec: {
        podSelector: { matchLabels: POD_LABELS.alertmanager },
        policyTypes: ["Egress"],
        egress: [{ ports: tcp(443, 465, 587) }],
      },
    },
    {
      name: "prometheus-scrape",
      spec: {
        podSelector: { matchLabels: POD_LABELS.prometheus },
        policyTypes: ["Egress"],
        egress: [
          // The stack's own components, on their metrics ports, and Alertmanager.
          { to: [{ podSelector: {} }] },
          { to: [ALLOY], ports: tcp(PORTS.alloy) },
          { to: [podsIn(targets.api.namespace, targets.api.labels)], ports: tcp(targets.api.port) },
          ...(targets.certManager
            ? [
                {
                  to: [podsIn(targets.certManager.namespace, targets.certManager.labels)],
                  ports: tcp(PORTS.certManagerMetrics),
                },
              ]
            : []),
          ...(targets.velero
            ? [
                {
                  to: [podsIn(targets.velero.namespace, { ...targets.velero.labels })],
                  ports: tcp(targets.velero.port),
                },
              ]
            : []),
          { to: [podsIn("kube-system", { "k8s-app": "kube-dns" })], ports: tcp(PORTS.coreDnsMetrics) },
          // node-exporter on the host network, and the kubelets (cAdvisor): node addresses, by port.
          { ports: tcp(PORTS.nodeExporter, PORTS.kubelet) },
        ],
      },
    },
    {
      name: "from-prometheus",
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [PROMETHEUS] }] },
    },
    {
      name: "grafana",
      spec: {
        podSelector: { matchLabels: POD_LABELS.grafana },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [controller], ports: tcp(PORTS.grafana) }],
        egress: [
          {
            to: [{ podSelector: { matchLabels: POD_LABELS.prometheus } }],
            ports: tcp(PORTS.prometheus),
          },
          {
            to: [{ podSelector: { matchLabels: POD_LABELS.alertmanager } }],
            ports: tcp(PORTS.alertmanager),
          },
          { to: [{ podSelector: { matchLabels: POD_LABELS.loki } }], ports: tcp(PORTS.loki) },
        ],
      },
    },
    {
      name: "prometheus-from-grafana",
      spec: {
        podSelector: { matchLabels: POD_LABELS.prometheus },
        policyTypes: ["Ingress"],
        ingress: [{ from: [GRAFANA], ports: tcp(PORTS.prometheus) }],
      },
    },
    {
      name: "alertmanager-from-prometheus-and-grafana",
      spec: {
        podSelector: { matchLabels: POD_LABELS.alertmanager },
        policyTypes: ["Ingress"],
        ingress: [{ from: [PROMETHEUS, GRAFANA], ports: tcp(PORTS.alertmanager) }],
      },
    },
    {
      name: "loki",
      spec: {
        podSelector: { matchLabels: POD_LABELS.loki },
        policyTypes: ["Ingress", "Egress"],
        // Pushes from Alloy, queries from Grafana, and Loki's ring (memberlist, gRPC) with itself.
        ingress: [
          { from: [ALLOY, GRAFANA], ports: tcp(PORTS.loki) },
          {
            from: [{ podSelector: { matchLabels: POD_LABELS.loki } }],
            ports: tcp(PORTS.lokiGrpc, PORTS.lokiMemberlist),
          },
        ],
        egress: [
          {
            to: [{ podSelector: { matchLabels: POD_LABELS.loki } }],
            ports: tcp(PORTS.loki, PORTS.lokiGrpc, PORTS.lokiMemberlist),
          },
        ],
      },
    },
    // With a Gateway the solver runs beside the Certificates, in the Gateway's namespace.
    ...(acmeSolverHere
      ? [
          {
            name: "acme-solver-from-ingress",
            spec: {
              podSelector: { matchLabels: ACME_SOLVER },
              policyTypes: ["Ingress"],
              ingress: [{ from: [controller], ports: tcp(PORTS.acmeSolver) }],
            },
          },
        ]
      : []),
  ];
}

/**
 * The node agents' namespace: default deny (node-exporter, on the host network, is outside any
 * pod's policy), then Alloy to DNS, the API server (pod discovery) and Loki, and from Prometheus.
 */
export function nodeAgentsNetworkPolicies(): NamedPolicy[] {
  return [
    DEFAULT_DENY,
    {
      name: "alloy",
      spec: {
        podSelector: { matchLabels: POD_LABELS.alloy },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [PROMETHEUS], ports: tcp(PORTS.alloy) }],
        egress: [
          DNS_EGRESS,
          HTTPS_AND_API_EGRESS,
          { to: [podsIn(MONITORING_NAMESPACE, POD_LABELS.loki)], ports: tcp(PORTS.loki) },
        ],
      },
    },
  ];
}

/** Prometheus scraping the api's `/metrics`, added beside the app's own policies in its namespace. */
export function apiMetricsPolicy(targets: ScrapeTargets): NamedPolicy {
  return {
    name: "api-metrics-from-prometheus",
    spec: {
      podSelector: { matchLabels: targets.api.labels },
      policyTypes: ["Ingress"],
      ingress: [{ from: [PROMETHEUS], ports: tcp(targets.api.port) }],
    },
  };
}

/** In Velero's namespace: Prometheus may reach the server's metrics port. */
export function veleroMetricsPolicy(velero: NonNullable<ScrapeTargets["velero"]>): NamedPolicy {
  return {
    name: "velero-metrics-from-prometheus",
    spec: {
      podSelector: { matchLabels: { ...velero.labels } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [PROMETHEUS], ports: tcp(velero.port) }],
    },
  };
}

/** Prometheus scraping cert-manager's controller metrics, beside cert-manager's own policies. */
export function certManagerMetricsPolicy(labels: Record<string, string>): NamedPolicy {
  return {
    name: "cert-manager-metrics-from-prometheus",
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ["Ingress"],
      ingress: [{ from: [PROMETHEUS], ports: tcp(PORTS.certManagerMetrics) }],
    },
  };
}
