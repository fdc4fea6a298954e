// The monitoring charts' values against the charts themselves: Loki's values.schema.json (the only one
// of the three charts that ships a schema), and for all three that every key the program sets exists
// in the chart's own values.yaml (subcharts included), so that a misspelt or renamed key, which Helm
// ignores silently, fails here. The charts are not in the repository and cannot be fetched by tests:
// the spec reads them from PLATFORM_CHART_SOURCES (default ~/.cache/k8s-platform-charts), one folder
// per chart, `<chart>-<version>` with its subcharts unpacked, and skips with the reason where a chart
// is missing:
//
//   helm pull <chart> --repo <repo> --version <version> --untar --untardir /tmp/c
//   (cd /tmp/c/<chart>/charts && for t in *.tgz; do tar xzf "$t"; done)   # kube-prometheus-stack
//   mv /tmp/c/<chart> ~/.cache/k8s-platform-charts/<chart>-<version>
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { parse } from "yaml";
import type { TelemetryStoreConfig } from "../../config";
import {
  ALLOY_CHART_REPO,
  ALLOY_CHART_VERSION,
  alloyValues,
  KUBE_PROMETHEUS_STACK_CHART_REPO,
  KUBE_PROMETHEUS_STACK_CHART_VERSION,
  kubePrometheusStackValues,
  LOKI_CHART_REPO,
  LOKI_CHART_VERSION,
  LOKI_PUSH_URL,
  lokiValues,
} from "../../components/observability";
import { validateJsonSchema } from "../../policies/lib/jsonSchema";

type Values = Record<string, unknown>;

const SOURCES =
  process.env.PLATFORM_CHART_SOURCES ?? path.join(os.homedir(), ".cache", "k8s-platform-charts");

const isRecord = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** Kubernetes objects the charts pass through as they are: any of their fields is valid. */
const KUBERNETES_OBJECT =
  /(^|\.)(securityContext|containerSecurityContext|podSecurityContext|resources|tolerations)$/;

/**
 * Keys of `values` that the chart's defaults do not have. Below a key whose default is an empty map
 * or null (a map the chart passes on), below `open` paths and Kubernetes objects, anything goes.
 */
function unknownKeys(values: Values, defaults: unknown, open: readonly string[], prefix = ""): string[] {
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (open.includes(at) || KUBERNETES_OBJECT.test(at)) continue;
    if (!isRecord(defaults) || !(key in defaults)) {
      unknown.push(at);
      continue;
    }
    const fallback = defaults[key];
    if (fallback === null || (isRecord(fallback) && Object.keys(fallback).length === 0)) continue;
    if (isRecord(value)) unknown.push(...unknownKeys(value, fallback, open, at));
  }
  return unknown;
}

/** A chart's defaults, its subcharts' merged under their names as Helm merges them. */
function chartDefaults(dir: string, subcharts: readonly string[] = []): Values {
  const own = parse(fs.readFileSync(path.join(dir, "values.yaml"), "utf8")) as Values;
  for (const sub of subcharts) {
    const subDefaults = chartDefaults(path.join(dir, "charts", sub));
    own[sub] = merge(subDefaults, own[sub]);
  }
  return own;
}

function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over ?? base;
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** The chart's folder, or skips the test with how to get it. */
function chartDir(ctx: Mocha.Context, chart: string, version: string, repo: string): string {
  const dir = path.join(SOURCES, `${chart}-${version}`);
  if (!fs.existsSync(path.join(dir, "values.yaml"))) {
    console.log(
      `    skipped: no ${chart} ${version} in ${SOURCES} (helm pull ${chart} --repo ${repo} --version ${version} --untar; see this spec's header)`,
    );
    ctx.skip();
  }
  return dir;
}

const store = (sizeGi: number): TelemetryStoreConfig => ({
  retentionDays: 14,
  storage: { kind: "pvc", sizeGi, storageClass: "do-block-storage" },
});

describe("monitoring chart values against the charts", () => {
  it(`kube-prometheus-stack ${KUBE_PROMETHEUS_STACK_CHART_VERSION}: every key exists in the chart or its subcharts`, function () {
    const dir = chartDir(
      this,
      "kube-prometheus-stack",
      KUBE_PROMETHEUS_STACK_CHART_VERSION,
      KUBE_PROMETHEUS_STACK_CHART_REPO,
    );
    const values = kubePrometheusStackValues({
      metrics: store(20),
      grafanaUrl: "https://grafana.example.com/",
      grafanaAdminSecret: "grafana-admin",
      tls: true,
      scrapeControlPlane: false,
    });
    const defaults = chartDefaults(dir, ["grafana", "kube-state-metrics", "prometheus-node-exporter"]);
    // grafana.ini is Grafana's own configuration file, rendered key by key; Grafana's chart reads
    // fullnameOverride (templates/_helpers.tpl) without declaring it in its values.yaml.
    assert.deepEqual(unknownKeys(values, defaults, ["grafana.grafana.ini", "grafana.fullnameOverride"]), []);
  });

  it(`loki ${LOKI_CHART_VERSION}: valid against the chart's values.schema.json, every key in the chart`, function () {
    const dir = chartDir(this, "loki", LOKI_CHART_VERSION, LOKI_CHART_REPO);
    const values = lokiValues({ logs: store(20) });
    const schema = JSON.parse(
      fs.readFileSync(path.join(dir, "values.schema.json"), "utf8"),
    ) as PolicyConfigJSONSchema;
    assert.deepEqual(validateJsonSchema(values, schema), []);
    // Loki's own configuration sections, passed to loki.yaml as they are.
    const lokiConfig = ["limits_config", "compactor", "schemaConfig", "analytics"].map((k) => `loki.${k}`);
    assert.deepEqual(unknownKeys(values, chartDefaults(dir), lokiConfig), []);
  });

  it(`alloy ${ALLOY_CHART_VERSION}: every key exists in the chart`, function () {
    const dir = chartDir(this, "alloy", ALLOY_CHART_VERSION, ALLOY_CHART_REPO);
    assert.deepEqual(unknownKeys(alloyValues({ lokiPushUrl: LOKI_PUSH_URL }), chartDefaults(dir), []), []);
  });

  it("finds a misspelt key (the check itself)", () => {
    const defaults = { grafana: { persistence: { enabled: true }, podLabels: {} } };
    assert.deepEqual(
      unknownKeys({ grafana: { persistance: { enabled: false }, podLabels: { a: "b" } } }, defaults, []),
      ["grafana.persistance"],
    );
  });
});
