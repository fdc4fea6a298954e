// The alert rules as data (no promtool here; `npm run test:alerts` evaluates them): what each says
// to the operator, what it watches, and that every alert has a firing and a silent promtool case.
import * as assert from "node:assert/strict";
import { alertRuleGroups } from "../../components/observability";
import { ALERT_CASES, RULE_OPTIONS } from "../alerts/cases";
import { expandAnnotation, ruleNamed } from "../alerts/render";

describe("alert rules", () => {
  const groups = alertRuleGroups(RULE_OPTIONS);
  const rules = groups.flatMap((g) => g.rules);

  it("cover the api's errors and latency, restarts, PostgreSQL, certificates, volumes and cluster backups", () => {
    assert.deepEqual(
      rules.map((r) => r.alert),
      [
        "ApiHighErrorRatio",
        "ApiHighLatency",
        "AppPodRestarting",
        "PostgresDown",
        "PostgresUnreachable",
        "CertificateExpiresSoon",
        "VolumeAlmostFull",
        "ClusterBackupMissing",
      ],
    );
  });

  it("tell the operator what is wrong, what it means and what to do, with a severity", () => {
    for (const rule of rules) {
      assert.match(rule.labels.severity, /^(warning|critical)$/, rule.alert);
      assert.match(rule.for, /^\d+[mh]$/, rule.alert);
      assert.ok(rule.annotations.summary.length > 20, rule.alert);
      assert.ok(rule.annotations.description.length > 40, rule.alert);
      const steps = rule.annotations.runbook.split("\n");
      assert.ok(steps.length >= 2, `${rule.alert}: a runbook of steps`);
      steps.forEach((step, i) => assert.ok(step.startsWith(`${i + 1}. `), `${rule.alert}: ${step}`));
    }
  });

  it("watch the api by the job its ServiceMonitor gives it, users' requests only", () => {
    for (const alert of ["ApiHighErrorRatio", "ApiHighLatency"]) {
      const expr = ruleNamed(groups, alert).expr;
      assert.ok(expr.includes('namespace="app",job="api"'), alert);
      assert.ok(expr.includes('route!~"/healthz|/readyz|/metrics"'), alert);
    }
    assert.ok(ruleNamed(groups, "PostgresUnreachable").expr.includes('route="/readyz"'));
  });

  it("follow the stack: no StatefulSet alert for a managed database, no certificate alert without cert-manager, no backup alert without Velero", () => {
    const { clusterBackupSchedule: _none, ...withoutVelero } = RULE_OPTIONS;
    const managed = alertRuleGroups({ ...withoutVelero, database: "managed", certificates: false });
    const alerts = managed.flatMap((g) => g.rules.map((r) => r.alert));
    assert.ok(!alerts.includes("PostgresDown"));
    assert.ok(alerts.includes("PostgresUnreachable"));
    assert.ok(!alerts.includes("CertificateExpiresSoon"));
    assert.ok(!alerts.includes("ClusterBackupMissing"));
    assert.ok(!managed.some((g) => g.rules.length === 0), "no empty group");
  });

  it("have a firing and a silent promtool case each, whose labels fill every annotation", () => {
    for (const rule of rules) {
      const cases = ALERT_CASES.filter((c) => c.alert === rule.alert);
      assert.ok(cases.some((c) => c.fires) && cases.some((c) => !c.fires), rule.alert);
      for (const c of cases.filter((x) => x.fires)) {
        const labels = { ...c.labels, severity: rule.labels.severity };
        for (const text of Object.values(rule.annotations))
          assert.doesNotThrow(() => expandAnnotation(text, labels));
      }
    }
    assert.throws(() => expandAnnotation("{{ $value }}", {}), /unsupported template/);
  });
});
