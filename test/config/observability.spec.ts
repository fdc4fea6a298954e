import * as assert from "node:assert/strict";
import { ConfigError, parseConfig, readStackConfig } from "../../config";
import type { ObservabilityConfig, PlatformConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";

/** A shipped stack's values (project defaults applied), with `changes` on top; undefined removes a key. */
function stackWith(stack: string, changes: Record<string, string | undefined>): Record<string, string> {
  const values = { ...readStackConfig(PROJECT_DIR, stack).values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`platform:${key}`];
    else values[`platform:${key}`] = value;
  }
  return values;
}

function parse(stack: string, changes: Record<string, string | undefined> = {}, secrets: string[] = []) {
  return parseConfig(stackWith(stack, changes), stack, `Pulumi.${stack}.yaml`, new Set(secrets));
}

function problemsOf(stack: string, changes: Record<string, string | undefined>, secrets: string[] = []) {
  try {
    parse(stack, changes, secrets);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("expected the configuration to be refused");
}

/** Another level for a stack shipped with full: the keys that size the full stack go with it. */
const level = (value: string) => ({
  observability: value,
  grafanaHost: undefined,
  metricsRetentionDays: undefined,
  metricsStorageGi: undefined,
  logsRetentionDays: undefined,
  logsStorageGi: undefined,
});

const full = (config: PlatformConfig) => {
  const o: ObservabilityConfig = config.observability;
  assert.equal(o.level, "full");
  return o as Extract<ObservabilityConfig, { level: "full" }>;
};

describe("platform:observability", () => {
  it("ships metrics on dev and existing, full on staging and prod, sized per stack", () => {
    assert.deepEqual(parse("dev").observability, { level: "metrics" });
    assert.deepEqual(parse("existing").observability, { level: "metrics" });
    assert.deepEqual(full(parse("staging")), {
      level: "full",
      grafana: { host: "grafana.staging.example.com" },
      metrics: { retentionDays: 7, storage: { kind: "pvc", sizeGi: 5, storageClass: "do-block-storage" } },
      logs: { retentionDays: 7, storage: { kind: "pvc", sizeGi: 5, storageClass: "do-block-storage" } },
    });
    const prod = full(parse("prod"));
    assert.deepEqual([prod.metrics.retentionDays, prod.logs.retentionDays], [15, 14]);
  });

  it("installs metrics-server wherever the cluster lacks one and the level is not off", () => {
    // DOKS ships none: staging gets one although it has no HPA.
    assert.equal(parse("staging").installMetricsServer, true);
    assert.equal(parse("staging", level("metrics")).installMetricsServer, true);
    // k0s ships its own; an existing cluster says whether it has one.
    assert.equal(parse("dev", { observability: "full" }).installMetricsServer, false);
    assert.equal(parse("existing").installMetricsServer, false);
    assert.equal(parse("existing", { metricsServer: "install" }).installMetricsServer, true);
    assert.equal(parse("staging", level("off")).installMetricsServer, false);
  });

  it("refuses off where the app's HPAs would have no metrics-server, and says what to do", () => {
    assert.deepEqual(problemsOf("prod", level("off")), [
      "platform:observability: off leaves the app's HorizontalPodAutoscalers without metrics-server, which DOKS does not ship: use metrics or full, or set platform:appAutoscale false",
    ]);
    // Without HPAs, or on a cluster that has metrics-server, off is fine.
    assert.equal(parse("prod", { ...level("off"), appAutoscale: "false" }).observability.level, "off");
    assert.equal(
      parse("existing", { observability: "off", appAutoscale: "true" }).observability.level,
      "off",
    );
  });

  it("names the key and the values it takes", () => {
    assert.deepEqual(problemsOf("dev", { observability: "all" }), [
      "platform:observability: expected one of off, metrics, full, got all",
    ]);
    assert.deepEqual(problemsOf("staging", { metricsRetentionDays: "0", logsStorageGi: "big" }), [
      "platform:metricsRetentionDays: expected an integer from 1 to 365, got 0",
      "platform:logsStorageGi: expected an integer from 1 to 1000, got big",
    ]);
  });

  it("refuses the keys that size the stack unless it is full, and metricsServer with off", () => {
    assert.deepEqual(problemsOf("dev", { grafanaHost: "grafana.localhost", logsRetentionDays: "3" }), [
      "platform:grafanaHost: applies only when platform:observability is full",
      "platform:logsRetentionDays: applies only when platform:observability is full",
    ]);
    assert.deepEqual(problemsOf("existing", { observability: "off", metricsServer: "install" }), [
      "platform:metricsServer: applies only when platform:observability is metrics or full (it says whether the cluster has metrics-server)",
    ]);
    // The volumes' sizes mean nothing on a laptop's emptyDir.
    assert.deepEqual(problemsOf("dev", { observability: "full", metricsStorageGi: "20" }), [
      "platform:metricsStorageGi: applies only when platform:clusterProvider is doks or existing",
    ]);
  });

  it("serves Grafana at grafana.<appHost> unless grafanaHost says otherwise, on emptyDir on a laptop", () => {
    const dev = full(parse("dev", { observability: "full" }));
    assert.deepEqual(dev.grafana, { host: "grafana.app.localhost" });
    assert.deepEqual(dev.metrics.storage, { kind: "emptyDir" });
    // An existing cluster's volumes take its default StorageClass.
    assert.deepEqual(full(parse("existing", { observability: "full" })).logs.storage, {
      kind: "pvc",
      sizeGi: 10,
    });
  });

  it("keeps Grafana's host apart from the app's and inside the DNS zone the program writes to", () => {
    assert.deepEqual(problemsOf("staging", { grafanaHost: "app.staging.example.com" }), [
      "platform:grafanaHost: must differ from platform:appHost (app.staging.example.com)",
    ]);
    assert.deepEqual(problemsOf("prod", { grafanaHost: "grafana.example.org" }), [
      "platform:grafanaHost: grafana.example.org is not in platform:dnsZone example.com, where the program creates its DNS record",
    ]);
  });

  it("takes Grafana's admin password only as a secret, and never shows it", () => {
    const password = "a-password-nobody-may-read-1234";
    assert.deepEqual(problemsOf("staging", { grafanaAdminPassword: password }), [
      "platform:grafanaAdminPassword: must be a secret: set it with `pulumi config set --secret platform:grafanaAdminPassword`, never in plain text in a stack file",
    ]);
    const given = full(
      parse("staging", { grafanaAdminPassword: password }, ["platform:grafanaAdminPassword"]),
    );
    assert.equal(given.grafana.adminPassword?.reveal(), password);
    assert.ok(!JSON.stringify(given).includes(password));
    const short = problemsOf("staging", { grafanaAdminPassword: "short" }, ["platform:grafanaAdminPassword"]);
    assert.deepEqual(short, [
      "platform:grafanaAdminPassword: expected a password of at least 16 characters, got [secret]",
    ]);
  });
});
