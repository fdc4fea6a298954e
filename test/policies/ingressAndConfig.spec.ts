// Ingress TLS, ConfigMap secrets, default namespace, Helm chart versions.
import { disallowDefaultNamespace } from "../../policies/resources/disallowDefaultNamespace";
import { disallowSecretsInConfigMaps } from "../../policies/resources/disallowSecretsInConfigMaps";
import { requireIngressTls } from "../../policies/resources/requireIngressTls";
import { requirePinnedHelmCharts } from "../../policies/resources/requirePinnedHelmCharts";
import { assertMessages, itPassesEveryCompliantKind, kube, withField, workload } from "./fixtures";

const ingress = () =>
  kube("kubernetes:networking.k8s.io/v1:Ingress", {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "web", namespace: "shop" },
    spec: {
      tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }],
      rules: [{ host: "shop.example.com", http: { paths: [] } }],
    },
  });

describe("require-ingress-tls", () => {
  it("passes an Ingress with TLS for its host", () => assertMessages(requireIngressTls, ingress(), []));
  it("reports an Ingress without TLS", () => {
    assertMessages(requireIngressTls, withField(ingress(), "spec.tls", undefined), ["spec.tls is not set"]);
  });
  it("reports a host that TLS does not cover", () => {
    assertMessages(requireIngressTls, withField(ingress(), "spec.rules[0].host", "api.example.com"), [
      'spec.rules[0].host "api.example.com" is not listed in spec.tls',
    ]);
  });
  it("accepts no TLS where the stack does not require it", () => {
    assertMessages(requireIngressTls, withField(ingress(), "spec.tls", undefined), [], { requireTls: false });
  });
});

const configMap = () =>
  kube("kubernetes:core/v1:ConfigMap", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "web", namespace: "shop" },
    data: {
      LOG_LEVEL: "info",
      DB_PASSWORD_FILE: "/run/secrets/db",
      "app.yaml": "password: ${DB_PASSWORD}\n",
    },
  });

describe("disallow-secrets-in-configmaps", () => {
  it("passes a ConfigMap without secrets", () =>
    assertMessages(disallowSecretsInConfigMaps, configMap(), []));
  it("reports a secret-named key", () => {
    assertMessages(disallowSecretsInConfigMaps, withField(configMap(), "data.API_KEY", "abc123"), [
      'data["API_KEY"]: the key looks like a secret; use a Secret',
    ]);
  });
  it("reports a password inside a config file", () => {
    assertMessages(
      disallowSecretsInConfigMaps,
      withField(configMap(), "data.settings", "db:\n  password: hunter22\n"),
      ['data["settings"]: the value contains what looks like a secret; use a Secret'],
    );
  });
  it("reports a private key value", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n";
    assertMessages(disallowSecretsInConfigMaps, withField(configMap(), "data.tls", pem), [
      'data["tls"]: the value contains what looks like a secret; use a Secret',
    ]);
  });
});

describe("disallow-default-namespace", () => {
  itPassesEveryCompliantKind(disallowDefaultNamespace);
  it("reports a workload in default", () => {
    assertMessages(
      disallowDefaultNamespace,
      withField(workload("Deployment"), "metadata.namespace", "default"),
      ['metadata.namespace is "default"'],
    );
  });
  it("reports a workload without a namespace", () => {
    assertMessages(
      disallowDefaultNamespace,
      withField(workload("CronJob"), "metadata.namespace", undefined),
      ["metadata.namespace is not set, so the workload lands in the default namespace"],
    );
  });
});

const release = () =>
  kube(
    "kubernetes:helm.sh/v3:Release",
    { chart: "traefik", version: "37.1.2", repositoryOpts: { repo: "https://traefik.github.io/charts" } },
    "traefik",
  );

describe("require-pinned-helm-charts", () => {
  it("passes an exact version", () => assertMessages(requirePinnedHelmCharts, release(), []));
  it("reports a missing version", () => {
    assertMessages(requirePinnedHelmCharts, withField(release(), "version", undefined), [
      'chart "traefik": version is not set',
    ]);
  });
  it("reports a range on a v4 Chart", () => {
    const chart = { ...withField(release(), "version", "^37.0.0"), type: "kubernetes:helm.sh/v4:Chart" };
    assertMessages(requirePinnedHelmCharts, chart, [
      'chart "traefik": version "^37.0.0" is not an exact version',
    ]);
  });
  it("accepts a local chart without a version", () => {
    assertMessages(
      requirePinnedHelmCharts,
      withField(withField(release(), "chart", "./charts/app"), "version", undefined),
      [],
    );
  });
});
