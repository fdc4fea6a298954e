import * as assert from "node:assert/strict";
import { CERT_MANAGER_CHART_VERSION, TRAEFIK_CHART_VERSION } from "../../components/ingress";
import { VELERO_CHART_VERSION } from "../../components/backup";
import { METRICS_SERVER_CHART_VERSION } from "../../components/metrics";
import {
  ALLOY_CHART_VERSION,
  KUBE_PROMETHEUS_STACK_CHART_VERSION,
  LOKI_CHART_VERSION,
} from "../../components/observability";
import { Evaluation } from "../../scripts/lib/evaluate";
import { allOf, only } from "../helpers";
import { evaluateDeployed } from "./deployed";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const API = { "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "platform-app" };
const WEB = { "app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "platform-app" };
const POSTGRES = { "app.kubernetes.io/name": "postgres", "app.kubernetes.io/part-of": "platform-app" };
const BACKUP = { "app.kubernetes.io/name": "postgres-backup", "app.kubernetes.io/part-of": "platform-app" };
const FROM_TRAEFIK = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } },
  podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
};
const HTTP = [{ protocol: "TCP", port: 8080 }];
const DNS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

function policiesIn(evaluation: Evaluation, namespace: string): Record<string, Json> {
  return Object.fromEntries(
    allOf(evaluation, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .filter((p) => (p.inputs.metadata as Json).namespace === namespace)
      .map((p) => [(p.inputs.metadata as Json).name, p.inputs.spec]),
  );
}

function byName(evaluation: Evaluation, type: string, name: string) {
  const found = allOf(evaluation, type).filter((r) => (r.inputs.metadata as Json).name === name);
  assert.equal(found.length, 1, `one ${type} named ${name}`);
  return found[0].inputs as Json;
}

describe("app topology per stack", () => {
  const stacks = new Map<string, Evaluation>();
  before(async () => {
    for (const stack of ["dev", "staging", "prod"]) stacks.set(stack, await evaluateDeployed(stack));
  });

  describe("network policies", () => {
    it("deny everything in the app namespace, then allow exactly the app's flows (in-cluster database)", () => {
      assert.deepEqual(policiesIn(stacks.get("dev")!, "app"), {
        "default-deny": { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        "allow-dns": { podSelector: {}, policyTypes: ["Egress"], egress: [DNS] },
        "web-from-ingress": {
          podSelector: { matchLabels: WEB },
          policyTypes: ["Ingress"],
          ingress: [{ from: [FROM_TRAEFIK], ports: HTTP }],
        },
        "api-from-ingress-and-web": {
          podSelector: { matchLabels: API },
          policyTypes: ["Ingress"],
          ingress: [{ from: [FROM_TRAEFIK, { podSelector: { matchLabels: WEB } }], ports: HTTP }],
        },
        "web-to-api": {
          podSelector: { matchLabels: WEB },
          policyTypes: ["Egress"],
          egress: [{ to: [{ podSelector: { matchLabels: API } }], ports: HTTP }],
        },
        "api-to-database": {
          podSelector: { matchLabels: API },
          policyTypes: ["Egress"],
          egress: [
            { to: [{ podSelector: { matchLabels: POSTGRES } }], ports: [{ protocol: "TCP", port: 5432 }] },
          ],
        },
        "database-from-api-and-backup": {
          podSelector: { matchLabels: POSTGRES },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: API } }, { podSelector: { matchLabels: BACKUP } }],
              ports: [{ protocol: "TCP", port: 5432 }],
            },
          ],
        },
        // dev keeps its dumps on an emptyDir: the backup pod reaches the database only, and no
        // restore pod exists (staging's in test/database/backupResources.spec.ts).
        "backup-egress": {
          podSelector: { matchLabels: BACKUP },
          policyTypes: ["Egress"],
          egress: [
            { to: [{ podSelector: { matchLabels: POSTGRES } }], ports: [{ protocol: "TCP", port: 5432 }] },
          ],
        },
      });
    });

    it("admit the managed database by the VPC range and its port, and cert-manager's solvers from the ingress", () => {
      const prod = policiesIn(stacks.get("prod")!, "app");
      assert.deepEqual(Object.keys(prod).sort(), [
        "acme-solver-from-ingress",
        "allow-dns",
        "api-from-ingress-and-web",
        // Prometheus's scrape of /metrics (observability full; test/components/observability.spec.ts).
        "api-metrics-from-prometheus",
        "api-to-database",
        "default-deny",
        "web-from-ingress",
        "web-to-api",
      ]);
      assert.deepEqual(prod["api-to-database"].egress, [
        { to: [{ ipBlock: { cidr: "10.130.0.0/20" } }], ports: [{ protocol: "TCP", port: 25060 }] },
      ]);
      assert.deepEqual(prod["acme-solver-from-ingress"], {
        podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [FROM_TRAEFIK], ports: [{ protocol: "TCP", port: 8089 }] }],
      });
    });

    it("deny by default in the ingress controller's and cert-manager's namespaces too", () => {
      const prod = stacks.get("prod")!;
      assert.deepEqual(Object.keys(policiesIn(prod, "traefik")).sort(), [
        "default-deny",
        "traefik-egress",
        "traefik-entrypoints",
      ]);
      assert.deepEqual(Object.keys(policiesIn(prod, "cert-manager")).sort(), [
        "cert-manager-egress",
        "cert-manager-metrics-from-prometheus",
        "cert-manager-webhook",
        "default-deny",
      ]);
      assert.deepEqual(policiesIn(stacks.get("dev")!, "cert-manager"), {}, "no cert-manager in dev");
    });
  });

  describe("controller namespaces", () => {
    it("let clients reach Traefik's entry points and Traefik reach DNS, the API server and the platform's backends", () => {
      const traefik = policiesIn(stacks.get("prod")!, "traefik");
      const traefikPods = { matchLabels: { "app.kubernetes.io/name": "traefik" } };
      assert.deepEqual(traefik["traefik-entrypoints"], {
        podSelector: traefikPods,
        policyTypes: ["Ingress"],
        ingress: [
          {
            ports: [
              { protocol: "TCP", port: 8000 },
              { protocol: "TCP", port: 8443 },
            ],
          },
        ],
      });
      assert.deepEqual(traefik["traefik-egress"].egress, [
        DNS,
        // By port: an ipBlock would not match the API server under Cilium (DOKS).
        {
          ports: [
            { protocol: "TCP", port: 443 },
            { protocol: "TCP", port: 6443 },
          ],
        },
        {
          to: [{ namespaceSelector: { matchLabels: { "app.kubernetes.io/part-of": "platform" } } }],
          ports: [
            { protocol: "TCP", port: 8080 },
            { protocol: "TCP", port: 8089 },
          ],
        },
      ]);
    });

    it("let cert-manager reach ACME and the API server, check its own challenges through Traefik, and serve its webhook", () => {
      const certManager = policiesIn(stacks.get("prod")!, "cert-manager");
      assert.deepEqual(certManager["cert-manager-egress"].egress.slice(2), [
        { ports: [{ protocol: "TCP", port: 80 }] },
        {
          to: [FROM_TRAEFIK],
          ports: [
            { protocol: "TCP", port: 8000 },
            { protocol: "TCP", port: 8443 },
          ],
        },
      ]);
      assert.deepEqual(certManager["cert-manager-webhook"], {
        podSelector: { matchLabels: { "app.kubernetes.io/component": "webhook" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ protocol: "TCP", port: 10250 }] }],
      });
    });

    it("creates cert-manager's HTTP-01 solver Services as ClusterIP, which the app namespace's quota admits", () => {
      const issuer = only(stacks.get("prod")!, "kubernetes:cert-manager.io/v1:ClusterIssuer").inputs as Json;
      assert.equal(issuer.spec.acme.solvers[0].http01.ingress.serviceType, "ClusterIP");
      const quota = byName(stacks.get("prod")!, "kubernetes:core/v1:ResourceQuota", "app");
      assert.equal(quota.spec.hard["services.nodeports"], "0");
    });
  });

  describe("namespace", () => {
    it("enforces the restricted Pod Security Standard at a pinned version, with quota and defaults", () => {
      const ns = byName(stacks.get("prod")!, "kubernetes:core/v1:Namespace", "app");
      assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
      assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce-version"], "v1.33");
      const quota = byName(stacks.get("prod")!, "kubernetes:core/v1:ResourceQuota", "app");
      assert.equal(quota.metadata.namespace, "app");
      assert.equal(quota.spec.hard["services.loadbalancers"], "0");
      const limits = byName(stacks.get("prod")!, "kubernetes:core/v1:LimitRange", "app");
      assert.deepEqual(limits.spec.limits[0].default, { cpu: "250m", memory: "256Mi" });
    });

    it("gives each service an account without a token", () => {
      for (const name of ["api", "web"]) {
        const account = byName(stacks.get("dev")!, "kubernetes:core/v1:ServiceAccount", name);
        assert.equal(account.automountServiceAccountToken, false);
      }
    });
  });

  describe("scaling", () => {
    it("runs one replica per service in dev and staging, with no HPA and no PDB", () => {
      for (const stack of ["dev", "staging"]) {
        const evaluation = stacks.get(stack)!;
        for (const name of ["api", "web"])
          assert.equal(byName(evaluation, "kubernetes:apps/v1:Deployment", name).spec.replicas, 1);
        assert.equal(allOf(evaluation, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length, 0, stack);
        assert.equal(allOf(evaluation, "kubernetes:policy/v1:PodDisruptionBudget").length, 0, stack);
      }
    });

    it("autoscales prod's services with an HPA that owns the replica count, and keeps a PDB", () => {
      const prod = stacks.get("prod")!;
      for (const name of ["api", "web"]) {
        const deployment = byName(prod, "kubernetes:apps/v1:Deployment", name);
        assert.equal(deployment.spec.replicas, undefined, `${name} must not set replicas under an HPA`);
        const hpa = byName(prod, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name);
        assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name });
        assert.equal(hpa.spec.minReplicas, 2);
        assert.equal(hpa.spec.maxReplicas, 6);
        assert.equal(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
        const pdb = byName(prod, "kubernetes:policy/v1:PodDisruptionBudget", name);
        assert.deepEqual(pdb.spec, {
          maxUnavailable: 1,
          selector: { matchLabels: name === "api" ? API : WEB },
        });
      }
    });
  });

  describe("ingress", () => {
    it("routes /api to the api and everything else to the web front end", () => {
      const ingress = byName(stacks.get("dev")!, "kubernetes:networking.k8s.io/v1:Ingress", "app");
      assert.equal(ingress.spec.ingressClassName, "traefik");
      assert.deepEqual(ingress.spec.rules, [
        {
          host: "app.localhost",
          http: {
            paths: [
              {
                path: "/api",
                pathType: "Prefix",
                backend: { service: { name: "api", port: { name: "http" } } },
              },
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "web", port: { name: "http" } } },
              },
            ],
          },
        },
      ]);
      assert.equal(ingress.spec.tls, undefined);
    });

    it("serves TLS in the cloud with a certificate from the stack's Let's Encrypt issuer", () => {
      for (const [stack, host, issuer, server] of [
        [
          "staging",
          "app.staging.example.com",
          "letsencrypt-staging",
          "https://acme-staging-v02.api.letsencrypt.org/directory",
        ],
        [
          "prod",
          "app.example.com",
          "letsencrypt-production",
          "https://acme-v02.api.letsencrypt.org/directory",
        ],
      ]) {
        const evaluation = stacks.get(stack)!;
        const ingress = byName(evaluation, "kubernetes:networking.k8s.io/v1:Ingress", "app");
        assert.deepEqual(ingress.spec.tls, [{ hosts: [host], secretName: "app-tls" }]);
        assert.equal(ingress.metadata.annotations["cert-manager.io/cluster-issuer"], issuer);
        const clusterIssuer = only(evaluation, "kubernetes:cert-manager.io/v1:ClusterIssuer").inputs as Json;
        assert.equal(clusterIssuer.metadata.name, issuer);
        assert.equal(clusterIssuer.spec.acme.server, server);
        assert.deepEqual(clusterIssuer.spec.acme.solvers, [
          { http01: { ingress: { ingressClassName: "traefik", serviceType: "ClusterIP" } } },
        ]);
      }
    });

    it("installs the charts each stack needs, each at the one version pinned in the code", () => {
      const pinned: Record<string, string> = {
        traefik: TRAEFIK_CHART_VERSION,
        "cert-manager": CERT_MANAGER_CHART_VERSION,
        "metrics-server": METRICS_SERVER_CHART_VERSION,
        "kube-prometheus-stack": KUBE_PROMETHEUS_STACK_CHART_VERSION,
        loki: LOKI_CHART_VERSION,
        alloy: ALLOY_CHART_VERSION,
        velero: VELERO_CHART_VERSION,
      };
      // DOKS ships no metrics-server; staging and prod run the monitoring stack (observability full).
      const monitoring = ["metrics-server", "kube-prometheus-stack", "loki", "alloy"];
      for (const [stack, charts] of [
        ["dev", ["traefik"]],
        ["staging", ["traefik", "cert-manager", ...monitoring]],
        // prod backs the cluster up with Velero.
        ["prod", ["traefik", "cert-manager", ...monitoring, "velero"]],
      ] as const) {
        const found = allOf(stacks.get(stack)!, "kubernetes:helm.sh/v4:Chart");
        assert.deepEqual(found.map((c) => c.inputs.chart).sort(), [...charts].sort(), stack);
        for (const chart of found)
          assert.equal(chart.inputs.version, pinned[chart.inputs.chart as string], stack);
      }
    });

    it("publishes Traefik on the local node's NodePorts in dev and behind a load balancer with HTTPS redirect in the cloud", () => {
      const values = (stack: string) =>
        allOf(stacks.get(stack)!, "kubernetes:helm.sh/v4:Chart").find((c) => c.inputs.chart === "traefik")!
          .inputs.values as Json;
      assert.deepEqual(values("dev").service, { spec: { type: "NodePort" } });
      assert.deepEqual(values("dev").ports, { web: { nodePort: 30080 }, websecure: { nodePort: 30443 } });
      // Without a load balancer Traefik reports loopback as every Ingress's address; Pulumi waits for one.
      assert.deepEqual(values("dev").providers.kubernetesIngress, {
        enabled: true,
        publishedService: { enabled: false },
        ingressEndpoint: { ip: "127.0.0.1" },
      });
      assert.deepEqual(values("prod").providers.kubernetesIngress, {
        enabled: true,
        publishedService: { enabled: true },
      });
      assert.equal(values("prod").service.spec.type, "LoadBalancer");
      assert.equal(
        values("prod").service.annotations["service.beta.kubernetes.io/do-loadbalancer-name"],
        "platform-prod",
      );
      assert.deepEqual(values("prod").ports.web, {
        http: { redirections: { entryPoint: { to: "websecure", scheme: "https", permanent: true } } },
      });
      assert.deepEqual(values("prod").ingressClass, { enabled: true, isDefaultClass: true, name: "traefik" });
      assert.equal(values("prod").securityContext.readOnlyRootFilesystem, true);
      assert.equal(values("prod").podSecurityContext.runAsNonRoot, true);
      assert.equal(values("prod").deployment.replicas, 2);
      assert.deepEqual(values("prod").podDisruptionBudget, { enabled: true, maxUnavailable: 1 });
    });

    it("points the app host's DNS record at the load balancer where the stack manages a zone", () => {
      const record = only(
        stacks.get("prod")!,
        "digitalocean:index/dnsRecord:DnsRecord",
        "platform-prod-app-dns",
      ).inputs;
      assert.deepEqual(
        { ...record, value: undefined },
        { domain: "example.com", type: "A", name: "app", ttl: 300, value: undefined },
      );
      assert.equal(allOf(stacks.get("dev")!, "digitalocean:index/dnsRecord:DnsRecord").length, 0);
    });
  });

  describe("database", () => {
    it("keeps dev's in-cluster database in an emptyDir, with backups to an emptyDir", () => {
      const dev = stacks.get("dev")!;
      const set = byName(dev, "kubernetes:apps/v1:StatefulSet", "postgres");
      assert.equal(set.spec.volumeClaimTemplates, undefined);
      assert.deepEqual(
        set.spec.template.spec.volumes.find((v: Json) => v.name === "data"),
        { name: "data", emptyDir: { sizeLimit: "1Gi" } },
      );
      assert.equal(set.spec.template.spec.containers[0].securityContext.runAsUser, 999);
      const headless = byName(dev, "kubernetes:core/v1:Service", "postgres");
      assert.equal(headless.spec.clusterIP, "None");
      const cron = byName(dev, "kubernetes:batch/v1:CronJob", "postgres-backup");
      assert.equal(cron.spec.schedule, "30 2 * * *");
      assert.equal(cron.spec.concurrencyPolicy, "Forbid");
    });

    it("keeps staging's database on a DigitalOcean block-storage volume, backed up nightly outside the cluster", () => {
      const staging = stacks.get("staging")!;
      const set = byName(staging, "kubernetes:apps/v1:StatefulSet", "postgres");
      assert.deepEqual(set.spec.persistentVolumeClaimRetentionPolicy, {
        whenDeleted: "Retain",
        whenScaled: "Retain",
      });
      assert.deepEqual(set.spec.volumeClaimTemplates[0].spec, {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "do-block-storage",
        resources: { requests: { storage: "5Gi" } },
      });
      // The dumps go to a Spaces bucket (test/database/backupResources.spec.ts), not to a volume.
      assert.deepEqual(
        allOf(staging, "kubernetes:core/v1:PersistentVolumeClaim").filter(
          (c) => (c.inputs.metadata as Json).name === "postgres-backups",
        ),
        [],
      );
      const cron = byName(staging, "kubernetes:batch/v1:CronJob", "postgres-backup");
      const volumes = cron.spec.jobTemplate.spec.template.spec.volumes.map((v: Json) => v.name);
      assert.deepEqual(volumes, ["work", "tmp"]);
    });

    it("gives prod managed PostgreSQL with a standby node, a firewall that admits only the cluster, and verified TLS", () => {
      const prod = stacks.get("prod")!;
      assert.equal(allOf(prod, "kubernetes:apps/v1:StatefulSet").length, 0);
      const db = only(prod, "digitalocean:index/databaseCluster:DatabaseCluster");
      assert.deepEqual(
        {
          engine: db.inputs.engine,
          version: db.inputs.version,
          size: db.inputs.size,
          nodeCount: db.inputs.nodeCount,
        },
        { engine: "pg", version: "17", size: "db-s-2vcpu-4gb", nodeCount: 2 },
      );
      assert.equal(db.inputs.privateNetworkUuid, "platform-prod-vpc-id");
      assert.equal(db.protect, true);
      const firewall = only(prod, "digitalocean:index/databaseFirewall:DatabaseFirewall").inputs;
      assert.deepEqual(firewall.rules, [{ type: "k8s", value: "platform-prod-doks-id" }]);
      const api = byName(prod, "kubernetes:apps/v1:Deployment", "api");
      // The settings ConfigMap is auto-named (a change rolls the pods): found by its resource name.
      const settings = only(prod, "kubernetes:core/v1:ConfigMap", "platform-prod-app-api-settings")
        .inputs as Json;
      assert.equal(settings.data.DATABASE_CA_FILE, "/etc/database-ca/ca.crt");
      assert.deepEqual(api.spec.template.spec.containers[0].volumeMounts[1], {
        name: "database-ca",
        mountPath: "/etc/database-ca",
        readOnly: true,
      });
    });

    it("protects the app namespace in prod, whose deletion would take every volume in it along", () => {
      assert.equal(
        allOf(stacks.get("prod")!, "kubernetes:core/v1:Namespace").find(
          (n) => (n.inputs.metadata as Json).name === "app",
        )!.protect,
        true,
      );
      assert.equal(
        allOf(stacks.get("staging")!, "kubernetes:core/v1:Namespace").find(
          (n) => (n.inputs.metadata as Json).name === "app",
        )!.protect,
        false,
      );
    });

    it("keeps database credentials in Secrets, never in plain inputs", () => {
      for (const evaluation of stacks.values()) {
        // Auto-named (a change rolls the api): found by its resource name.
        const secret = allOf(evaluation, "kubernetes:core/v1:Secret").find((s) =>
          s.name.endsWith("-postgres-app"),
        )!.inputs as Json;
        assert.deepEqual(
          Object.keys(secret.stringData).sort(),
          evaluation.stack === "prod" ? ["DATABASE_URL", "ca.crt"] : ["DATABASE_URL"],
        );
        assert.equal(secret.stringData.DATABASE_URL, "[secret]");
        assert.ok(!JSON.stringify(evaluation.resources).includes("fixture-password"), evaluation.stack);
        assert.ok(!JSON.stringify(evaluation.resources).includes("fixture-db-password"), evaluation.stack);
      }
    });
  });

  describe("images", () => {
    it("builds each service from its folder with a content-derived tag, for amd64 in the cloud", () => {
      for (const [stack, server, platform] of [
        ["dev", "localhost:5001", undefined],
        ["prod", "registry.digitalocean.com/k8s-platform-prod", "linux/amd64"],
      ] as const) {
        const images = allOf(stacks.get(stack)!, "docker:index/image:Image");
        assert.deepEqual(
          images.map((i) => (i.inputs.build as Json).context.split("/").slice(-2).join("/")),
          ["app/api", "app/web"],
        );
        for (const image of images) {
          assert.match(
            String(image.inputs.imageName),
            new RegExp(`^${server.replace(/\./g, "\\.")}/(api|web):src-[0-9a-f]{12}$`),
          );
          assert.equal((image.inputs.build as Json).platform, platform);
        }
      }
    });

    it("pushes to the local registry only once its container runs", () => {
      const dev = stacks.get("dev")!;
      const registry = only(dev, "docker:index/container:Container", "platform-dev-registry-server");
      for (const image of allOf(dev, "docker:index/image:Image")) {
        assert.ok(image.propertyDependencies.imageName.includes(registry.urn), image.name);
      }
    });

    it("pushes to DOCR with the push credentials, kept secret", () => {
      const image = allOf(stacks.get("prod")!, "docker:index/image:Image")[0];
      assert.deepEqual(image.inputs.registry, {
        server: "[secret]",
        username: "[secret]",
        password: "[secret]",
      });
    });
  });
});

describe("secrets in a deployed stack", () => {
  it("never appear in any input or output, in any stack", async () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const text = JSON.stringify(await evaluateDeployed(stack));
      // The fixtures' passwords, the registry's basic auth (u:p), the database CA stays visible only as [secret].
      for (const value of [
        "fixture-password",
        "fixture-db-password",
        Buffer.from("u:p").toString("base64"),
        "fixture\\n-----END",
      ]) {
        assert.ok(!text.includes(value), `${stack} shows ${value}`);
      }
    }
  });
});
