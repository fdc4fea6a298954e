import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { alertRuleGroups, retainCustomResourceDefinitions } from "../../components/observability";
import { estimateCost } from "../../cost";
import { loadPolicyConfig, runPolicies } from "../../policies/engine";
import { Evaluation, PlannedResource, SECRET } from "../../scripts/lib/evaluate";
import { evaluateDeployed, evaluateDeployedWith } from "../app/deployed";
import { allOf, only } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHART = "kubernetes:helm.sh/v4:Chart";
const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const meta = (r: PlannedResource) => r.inputs.metadata as Json;
const spec = (r: PlannedResource) => r.inputs.spec as Json;
const chart = (e: Evaluation, name: string) => {
  const charts = allOf(e, CHART).filter((c) => c.inputs.chart === name);
  assert.equal(charts.length, 1, `one ${name} chart`);
  return charts[0];
};
const values = (e: Evaluation, name: string) => chart(e, name).inputs.values as Json;
const policy = (e: Evaluation, namespace: string, name: string) => {
  const found = allOf(e, POLICY).filter((p) => meta(p).namespace === namespace && meta(p).name === name);
  assert.equal(found.length, 1, `network policy ${namespace}/${name}`);
  return spec(found[0]);
};
const isSubset = (small: Record<string, string>, big: Record<string, string>) =>
  Object.entries(small).every(([k, v]) => big[k] === v);

/** Another level for a stack shipped with full: the keys that size the full stack go with it. */
const LEVEL_METRICS = {
  observability: "metrics",
  grafanaHost: undefined,
  metricsRetentionDays: undefined,
  metricsStorageGi: undefined,
  logsRetentionDays: undefined,
  logsStorageGi: undefined,
};

describe("observability", () => {
  let prod: Evaluation;
  let staging: Evaluation;
  let devFull: Evaluation;
  before(async () => {
    prod = await evaluateDeployed("prod");
    staging = await evaluateDeployed("staging");
    devFull = await evaluateDeployedWith("dev", { observability: "full" });
  });

  describe("Prometheus and the app", () => {
    it("scrapes the api: its ServiceMonitor selects the api's Service by labels, namespace and port name", () => {
      for (const e of [prod, staging]) {
        const api = allOf(e, "kubernetes:core/v1:Service").find(
          (s) => meta(s).namespace === "app" && meta(s).name === "api",
        )!;
        const monitor = allOf(e, SERVICE_MONITOR).find((m) => meta(m).name === "platform-api")!;
        assert.deepEqual(spec(monitor).namespaceSelector, { matchNames: [meta(api).namespace] });
        assert.ok(isSubset(spec(monitor).selector.matchLabels, meta(api).labels), "selects the api Service");
        assert.ok(isSubset(spec(api).selector, spec(monitor).selector.matchLabels), "and only the api");
        const [endpoint] = spec(monitor).endpoints;
        assert.deepEqual(
          spec(api).ports.map((p: Json) => p.name),
          [endpoint.port],
        );
        // Served bare, never under the public /api prefix.
        assert.equal(endpoint.path, "/metrics");
      }
    });

    it("watches Velero's backups on prod: its metrics Service scraped through both namespaces' policies, and an alert", () => {
      const velero = chart(prod, "velero");
      const monitor = allOf(prod, SERVICE_MONITOR).find((m) => meta(m).name === "velero")!;
      // The chart's metrics Service (vmware-tanzu/helm-charts, charts/velero/templates/service.yaml):
      // labelled app.kubernetes.io/name: velero, port `http-monitoring` 8085, when metrics are enabled.
      assert.equal((velero.inputs.values as Json).metrics.enabled, true);
      assert.deepEqual(spec(monitor).namespaceSelector, { matchNames: [(velero.inputs as Json).namespace] });
      assert.deepEqual(spec(monitor).selector.matchLabels, { "app.kubernetes.io/name": "velero" });
      assert.equal(spec(monitor).endpoints[0].port, "http-monitoring");
      const fromPrometheus = policy(prod, "velero", "velero-metrics-from-prometheus");
      assert.deepEqual(fromPrometheus.ingress[0].ports, [{ protocol: "TCP", port: 8085 }]);
      assert.deepEqual(fromPrometheus.ingress[0].from[0].namespaceSelector.matchLabels, {
        "kubernetes.io/metadata.name": "monitoring",
      });
      const scrape = policy(prod, "monitoring", "prometheus-scrape").egress as Json[];
      assert.ok(
        scrape.some(
          (rule) =>
            rule.to?.[0]?.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "velero" &&
            rule.ports.some((p: Json) => p.port === 8085),
        ),
        "Prometheus may reach Velero",
      );
      const rules = only(prod, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs.spec as Json;
      const backups = (rules.groups as Json[]).find((g) => g.name === "platform-backups")!;
      assert.match(backups.rules[0].expr, /velero_backup_last_successful_timestamp\{schedule="daily"\}/);
      // Staging runs no Velero: nothing of it is watched there.
      assert.equal(
        allOf(staging, SERVICE_MONITOR).find((m) => meta(m).name === "velero"),
        undefined,
      );
    });

    it("labels the ServiceMonitors and rules with the release Prometheus selects", () => {
      const release = chart(prod, "kube-prometheus-stack").inputs.name;
      const spec = values(prod, "kube-prometheus-stack").prometheus.prometheusSpec;
      // NilUsesHelmValues: Prometheus selects `release: <release>` in every namespace.
      assert.equal(spec.serviceMonitorSelectorNilUsesHelmValues, true);
      assert.equal(spec.ruleSelectorNilUsesHelmValues, true);
      assert.deepEqual(spec.serviceMonitorNamespaceSelector, {});
      for (const r of [...allOf(prod, SERVICE_MONITOR), ...allOf(prod, RULE)])
        assert.deepEqual(meta(r).labels, { release }, r.name);
    });

    it("creates what uses the operator's CRDs only after the chart that brings them", () => {
      const crds = chart(prod, "kube-prometheus-stack").urn;
      const users = [...allOf(prod, SERVICE_MONITOR), ...allOf(prod, RULE)];
      assert.equal(users.length, 4, "the api's, cert-manager's and Velero's ServiceMonitors, the rules");
      for (const r of users) assert.ok(r.dependencies.includes(crds), r.name);
    });

    it("deploys the alert rules of the program, for the stack's database", () => {
      const rules = (e: Evaluation) => spec(only(e, RULE)).groups;
      // prod's database is managed (no StatefulSet to watch), staging's runs in the cluster; prod's
      // Velero runs the `daily` schedule.
      assert.deepEqual(
        rules(prod),
        alertRuleGroups({
          appNamespace: "app",
          apiJob: "api",
          database: "managed",
          certificates: true,
          clusterBackupSchedule: "daily",
        }),
      );
      assert.deepEqual(
        rules(staging),
        alertRuleGroups({ appNamespace: "app", apiJob: "api", database: "in-cluster", certificates: true }),
      );
      const alerts = (e: Evaluation) => rules(e).flatMap((g: Json) => g.rules.map((r: Json) => r.alert));
      assert.ok(alerts(staging).includes("PostgresDown"));
      assert.ok(!alerts(prod).includes("PostgresDown"));
      // No cert-manager on a laptop: no certificate alert.
      assert.ok(!alerts(devFull).includes("CertificateExpiresSoon"));
    });

    it("opens the api's metrics port to Prometheus, and only that port", () => {
      const scrape = policy(prod, "app", "api-metrics-from-prometheus");
      const deployment = allOf(prod, "kubernetes:apps/v1:Deployment").find((d) => meta(d).name === "api")!;
      const pod = spec(deployment).template;
      assert.deepEqual(scrape.podSelector.matchLabels, pod.metadata.labels);
      const port = pod.spec.containers[0].ports.find((p: Json) => p.name === "http").containerPort;
      assert.deepEqual(scrape.ingress, [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
            },
          ],
          ports: [{ protocol: "TCP", port }],
        },
      ]);
      const prometheus = values(prod, "kube-prometheus-stack").prometheus.prometheusSpec.podMetadata.labels;
      assert.deepEqual(prometheus, scrape.ingress[0].from[0].podSelector.matchLabels);
    });

    it("scrapes cert-manager's certificates where the program installs cert-manager", () => {
      const monitor = allOf(prod, SERVICE_MONITOR).find((m) => meta(m).name === "cert-manager")!;
      assert.deepEqual(spec(monitor).namespaceSelector, { matchNames: ["cert-manager"] });
      const opened = policy(prod, "cert-manager", "cert-manager-metrics-from-prometheus");
      assert.deepEqual(opened.ingress[0].ports, [{ protocol: "TCP", port: 9402 }]);
      assert.equal(allOf(devFull, SERVICE_MONITOR).length, 1, "dev has no cert-manager");
    });
  });

  describe("Grafana", () => {
    it("is reached through the ingress with TLS from the stack's issuer, and its host in DNS", () => {
      for (const [e, host] of [
        [prod, "grafana.example.com"],
        [staging, "grafana.staging.example.com"],
      ] as const) {
        const issuer = meta(only(e, "kubernetes:cert-manager.io/v1:ClusterIssuer")).name;
        const ingress = allOf(e, "kubernetes:networking.k8s.io/v1:Ingress").find(
          (i) => meta(i).name === "grafana",
        )!;
        assert.equal(meta(ingress).annotations["cert-manager.io/cluster-issuer"], issuer);
        assert.deepEqual(spec(ingress).tls, [{ hosts: [host], secretName: "grafana-tls" }]);
        assert.equal(spec(ingress).rules[0].host, host);
        const backend = spec(ingress).rules[0].http.paths[0].backend.service;
        const grafana = values(e, "kube-prometheus-stack").grafana;
        assert.deepEqual(backend, { name: grafana.fullnameOverride, port: { number: grafana.service.port } });
        assert.equal(grafana["grafana.ini"].server.root_url, `https://${host}/`);
        assert.equal(grafana["grafana.ini"].security.cookie_secure, true);
        // Created once Traefik (its IngressClass and admission) runs, and Grafana's Service with it.
        assert.ok(ingress.dependencies.includes(chart(e, "traefik").urn));
        assert.ok(ingress.dependencies.includes(chart(e, "kube-prometheus-stack").urn));
        const dns = allOf(e, "digitalocean:index/dnsRecord:DnsRecord").find((r) =>
          r.name.endsWith("grafana-dns"),
        )!;
        assert.equal(`${dns.inputs.name}.${dns.inputs.domain}`, host);
        assert.equal(dns.inputs.value, "203.0.113.10");
        assert.equal(e.outputs.grafanaUrl, `https://${host}`);
      }
    });

    it("serves plain HTTP on the laptop's published port, without TLS", () => {
      const ingress = allOf(devFull, "kubernetes:networking.k8s.io/v1:Ingress").find(
        (i) => meta(i).name === "grafana",
      )!;
      assert.equal(spec(ingress).tls, undefined);
      assert.deepEqual(meta(ingress).annotations, {});
      assert.equal(devFull.outputs.grafanaUrl, "http://grafana.app.localhost:8080");
    });

    it("listens on the port the ingress controller's egress policy already allows, and admits only the controller", () => {
      const grafana = values(prod, "kube-prometheus-stack").grafana;
      const port = grafana["grafana.ini"].server.http_port;
      assert.equal(grafana.service.targetPort, port);
      const traefikEgress = policy(prod, "traefik", "traefik-egress").egress as Json[];
      assert.ok(
        traefikEgress.some(
          (rule) =>
            rule.to?.[0]?.namespaceSelector?.matchLabels?.["app.kubernetes.io/part-of"] === "platform" &&
            rule.ports.some((p: Json) => p.port === port),
        ),
        "Traefik may reach the platform's namespaces on Grafana's port",
      );
      const namespace = allOf(prod, "kubernetes:core/v1:Namespace").find(
        (n) => meta(n).name === "monitoring",
      )!;
      assert.equal(meta(namespace).labels["app.kubernetes.io/part-of"], "platform");
      assert.deepEqual(policy(prod, "monitoring", "grafana").ingress, [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
            },
          ],
          ports: [{ protocol: "TCP", port }],
        },
      ]);
    });

    it("lets Alertmanager's pods (by the labels the chart gives them) reach receivers on HTTPS and SMTP submission", () => {
      const podLabels = values(prod, "kube-prometheus-stack").alertmanager.alertmanagerSpec.podMetadata
        .labels;
      const notifications = policy(prod, "monitoring", "alertmanager-notifications");
      assert.ok(isSubset(notifications.podSelector.matchLabels, podLabels));
      assert.deepEqual(notifications.egress, [
        { ports: [443, 465, 587].map((port) => ({ protocol: "TCP", port })) },
      ]);
    });

    it("has its sidecars reload Grafana on the port it listens on", () => {
      const grafana = values(prod, "kube-prometheus-stack").grafana;
      const port = grafana["grafana.ini"].server.http_port;
      for (const what of ["dashboards", "datasources"])
        assert.equal(
          grafana.sidecar[what].reloadURL,
          `http://localhost:${port}/api/admin/provisioning/${what}/reload`,
        );
    });

    it("lets an AlertmanagerConfig route every alert, whatever its namespace label", () => {
      const spec = values(prod, "kube-prometheus-stack").alertmanager.alertmanagerSpec;
      assert.deepEqual(spec.alertmanagerConfigMatcherStrategy, { type: "None" });
    });

    it("keeps its admin password a secret from the generator to the Secret, the chart and the output", () => {
      const secret = allOf(prod, "kubernetes:core/v1:Secret").find((s) => s.name.endsWith("grafana-admin"))!;
      assert.deepEqual(secret.inputs.stringData, { "admin-user": SECRET, "admin-password": SECRET });
      const admin = values(prod, "kube-prometheus-stack").grafana.admin;
      // The chart gets the Secret's name and keys, never the password.
      assert.deepEqual(Object.keys(admin).sort(), ["existingSecret", "passwordKey", "userKey"]);
      assert.ok(chart(prod, "kube-prometheus-stack").dependencies.includes(secret.urn));
      assert.equal(prod.outputs.grafanaAdminPassword, SECRET);
      // The generated password (the mock's "fixture-password") appears nowhere in plain text.
      assert.ok(!JSON.stringify(prod).includes("fixture-password"));
    });

    it("provisions the app's dashboard from a ConfigMap the sidecar watches, on the provisioned datasources", () => {
      const grafana = values(prod, "kube-prometheus-stack").grafana;
      const configMap = allOf(prod, "kubernetes:core/v1:ConfigMap").find(
        (c) => meta(c).name === "platform-app-dashboard",
      )!;
      const sidecar = grafana.sidecar.dashboards;
      assert.deepEqual(meta(configMap).labels, { [sidecar.label]: sidecar.labelValue });
      assert.equal(meta(configMap).namespace, sidecar.searchNamespace);
      const dashboard = JSON.parse((configMap.inputs.data as Json)["platform-app.json"]);
      const provisioned = [
        grafana.sidecar.datasources.uid,
        ...grafana.additionalDataSources.map((d: Json) => d.uid),
      ];
      const used = new Set<string>(dashboard.panels.map((p: Json) => p.datasource.uid));
      assert.deepEqual([...used].sort(), [...provisioned].sort());
      assert.ok(dashboard.panels.some((p: Json) => p.targets[0].expr.includes('job="api"')));
    });
  });

  describe("namespaces and policies", () => {
    it("keeps every namespace restricted but the node agents', which is privileged", () => {
      for (const e of [prod, staging, devFull]) {
        const levels = Object.fromEntries(
          allOf(e, "kubernetes:core/v1:Namespace").map((n) => [
            meta(n).name,
            meta(n).labels["pod-security.kubernetes.io/enforce"],
          ]),
        );
        const below = Object.entries(levels).filter(([, level]) => level !== "restricted");
        assert.deepEqual(below, [["monitoring-node", "privileged"]], e.stack);
      }
    });

    it("puts only node-exporter and Alloy in that namespace, and the rest in the restricted one", () => {
      const kps = values(prod, "kube-prometheus-stack");
      assert.equal(kps["prometheus-node-exporter"].namespaceOverride, "monitoring-node");
      assert.equal(chart(prod, "alloy").inputs.namespace, "monitoring-node");
      assert.equal(chart(prod, "loki").inputs.namespace, "monitoring");
      assert.equal(chart(prod, "kube-prometheus-stack").inputs.namespace, "monitoring");
    });

    it("denies by default in both new namespaces", () => {
      for (const namespace of ["monitoring", "monitoring-node"])
        assert.deepEqual(policy(prod, namespace, "default-deny"), {
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
        });
    });

    it("exempts exactly the node agents from the host-access policies, with the rest of the pack on", () => {
      const config = loadPolicyConfig("prod");
      const hostAgent = (namespace: string, name: string, limits = true) => ({
        urn: `urn:pulumi:prod::platform::kubernetes:apps/v1:DaemonSet::${name}`,
        type: "kubernetes:apps/v1:DaemonSet",
        name,
        props: {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          metadata: { name, namespace },
          spec: {
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: {
                hostNetwork: true,
                hostPID: true,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65534,
                  seccompProfile: { type: "RuntimeDefault" },
                },
                containers: [
                  {
                    name,
                    image: "quay.io/prometheus/node-exporter:v1.10.2",
                    ...(limits
                      ? {
                          resources: {
                            requests: { cpu: "20m", memory: "32Mi" },
                            limits: { cpu: "200m", memory: "64Mi" },
                          },
                        }
                      : {}),
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ["ALL"] },
                    },
                    volumeMounts: [{ name: "root", mountPath: "/host/root", readOnly: true }],
                  },
                ],
                volumes: [{ name: "root", hostPath: { path: "/" } }],
              },
            },
          },
        },
      });
      // The pod-level policies at stake (the pack's stack policies see one resource here).
      const podPolicies = [
        "disallow-host-namespaces",
        "disallow-host-path",
        "restrict-volume-types",
        "require-non-root",
        "require-resource-limits",
      ];
      const mandatory = (resource: ReturnType<typeof hostAgent>) =>
        runPolicies([resource], config)
          .filter((v) => v.enforcementLevel === "mandatory" && podPolicies.includes(v.policy))
          .map((v) => v.policy)
          .sort();
      assert.deepEqual(mandatory(hostAgent("monitoring-node", "node-exporter")), []);
      const hostPolicies = ["disallow-host-namespaces", "disallow-host-path", "restrict-volume-types"];
      // The same pod under another name, or in another namespace, is refused.
      for (const [namespace, name] of [
        ["monitoring-node", "other-agent"],
        ["monitoring", "node-exporter"],
      ])
        assert.deepEqual(
          [...new Set(mandatory(hostAgent(namespace, name)))],
          hostPolicies,
          `${namespace}/${name}`,
        );
      // Exempted from host access, not from the rest of the pack.
      assert.deepEqual(mandatory(hostAgent("monitoring-node", "node-exporter", false)), [
        "require-resource-limits",
      ]);
      const namespace = (name: string) => ({
        urn: `urn:pulumi:prod::platform::kubernetes:core/v1:Namespace::${name}`,
        type: "kubernetes:core/v1:Namespace",
        name,
        props: { metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
      });
      const psa = (name: string) =>
        runPolicies([namespace(name)], config).filter((v) => v.policy === "require-namespace-psa-labels");
      assert.deepEqual(psa("monitoring-node"), []);
      assert.equal(psa("tools").length, 1);
    });
  });

  describe("sizing and cost", () => {
    it("sizes retention and volumes per stack, bounded below the volume", () => {
      const prometheus = (e: Evaluation) => values(e, "kube-prometheus-stack").prometheus.prometheusSpec;
      assert.deepEqual(
        [prometheus(prod).retention, prometheus(prod).retentionSize, prometheus(staging).retention],
        ["360h", "16GB", "168h"],
      );
      assert.equal(prometheus(prod).storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "20Gi");
      assert.equal(values(prod, "loki").loki.limits_config.retention_period, "336h");
      assert.deepEqual(values(staging, "loki").singleBinary.persistence, {
        enabled: true,
        size: "5Gi",
        storageClass: "do-block-storage",
      });
      // On a laptop: emptyDir, no claim.
      assert.equal(prometheus(devFull).storageSpec, undefined);
      assert.deepEqual(values(devFull, "loki").singleBinary.persistence, { enabled: false });
    });

    it("puts the charts' volumes into the cost estimate, and leaves nothing of them unpriced", () => {
      const monitoring = (e: Evaluation) => {
        const estimate = estimateCost(e);
        const charts = new Set(
          allOf(e, CHART)
            .filter((c) => c.name.includes("-monitoring-"))
            .map((c) => c.urn),
        );
        assert.deepEqual(
          estimate.unpriced.filter((u) => charts.has(u.urn)),
          [],
          e.stack,
        );
        return estimate.items
          .filter((i) => charts.has(i.urn))
          .map((i) => `${i.description}: ${i.basis}`)
          .sort();
      };
      assert.deepEqual(monitoring(prod), [
        "volume alertmanager per replica: 1 replica × 1 GiB at $0.10/GiB",
        "volume loki per replica: 1 replica × 20 GiB at $0.10/GiB",
        "volume prometheus per replica: 1 replica × 20 GiB at $0.10/GiB",
      ]);
      assert.deepEqual(monitoring(staging), [
        "volume alertmanager per replica: 1 replica × 1 GiB at $0.10/GiB",
        "volume loki per replica: 1 replica × 5 GiB at $0.10/GiB",
        "volume prometheus per replica: 1 replica × 5 GiB at $0.10/GiB",
      ]);
    });

    it("with metrics, installs metrics-server where the cluster lacks one and nothing else", async () => {
      const metrics = await evaluateDeployedWith("staging", LEVEL_METRICS);
      only(metrics, "platform:metrics:MetricsServer");
      assert.deepEqual(allOf(metrics, "platform:observability:MonitoringStack"), []);
      assert.ok(!metrics.resources.some((r) => r.type.startsWith("kubernetes:monitoring.coreos.com")));
      assert.equal(metrics.outputs.grafanaUrl, undefined);
    });
  });

  it("keeps the operator's CRDs when the chart goes (a transform, run by the engine on the chart's objects)", () => {
    const args = (type: string) => ({
      custom: true,
      type,
      name: "x",
      props: { metadata: { name: "prometheusrules.monitoring.coreos.com" } },
      opts: { protect: false } as pulumi.ResourceOptions,
    });
    const kept = retainCustomResourceDefinitions(
      args("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"),
    ) as pulumi.ResourceTransformResult;
    assert.deepEqual(kept.opts, { protect: false, retainOnDelete: true });
    assert.equal(retainCustomResourceDefinitions(args("kubernetes:apps/v1:Deployment")), undefined);
  });
});
