// Turns the program's alert rule groups and the test cases into the two files `promtool test rules`
// reads: a rule file (exactly what the PrometheusRule's spec carries) and a unit-test file.
import { stringify } from "yaml";
import type { AlertRule, AlertRuleGroup } from "../../components/observability";
import type { AlertCase } from "./cases";

/** A Prometheus rule file with these groups (a PrometheusRule's spec is the same document). */
export function ruleFile(groups: readonly AlertRuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}

/**
 * An annotation as Prometheus renders it for an alert with these labels. The rules' annotations use
 * `{{ $labels.<name> }}` only (no `$value`, no functions), so a substitution renders them exactly;
 * anything else is refused, so that a richer template cannot slip past this test.
 */
export function expandAnnotation(template: string, labels: Readonly<Record<string, string>>): string {
  const expanded = template.replace(/\{\{ \$labels\.([A-Za-z_][A-Za-z0-9_]*) \}\}/g, (_, name: string) => {
    if (!(name in labels))
      throw new Error(`the annotation uses $labels.${name}, which the alert does not carry`);
    return labels[name];
  });
  if (expanded.includes("{{")) throw new Error(`unsupported template in annotation: ${template}`);
  return expanded;
}

/** The rule an alert name refers to. */
export function ruleNamed(groups: readonly AlertRuleGroup[], alert: string): AlertRule {
  const rule = groups.flatMap((g) => g.rules).find((r) => r.alert === alert);
  if (!rule) throw new Error(`no alert ${alert} in the rules`);
  return rule;
}

/** A promtool unit-test file with one test group per case, reading `ruleFileName`. */
export function testFile(
  groups: readonly AlertRuleGroup[],
  cases: readonly AlertCase[],
  ruleFileName: string,
): string {
  const tests = cases.map((c) => {
    const rule = ruleNamed(groups, c.alert);
    const labels = { ...c.labels, severity: rule.labels.severity };
    const expected = () => ({
      exp_labels: labels,
      exp_annotations: Object.fromEntries(
        Object.entries(rule.annotations).map(([key, text]) => [key, expandAnnotation(text, labels)]),
      ),
    });
    return {
      name: `${c.alert} ${c.name}`,
      interval: "1m",
      input_series: c.series,
      alert_rule_test: [
        {
          eval_time: c.evalTime,
          alertname: c.alert,
          exp_alerts: c.fires ? [expected()] : [],
        },
      ],
    };
  });
  return stringify({ rule_files: [ruleFileName], evaluation_interval: "1m", tests }, { lineWidth: 0 });
}
