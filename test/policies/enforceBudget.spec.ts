// Stack policy `budget`: the estimated monthly cost against maxMonthlyUsd.
import * as assert from "node:assert/strict";
import { loadPolicyConfig, type ResourceUnderTest, runPolicies, UNKNOWN } from "../../policies/engine";
import { enforceBudget } from "../../policies/stack/enforceBudget";
import { cluster, pvc, registry, resource } from "../cost/fixtures";
import { assertMessages, violationsOf } from "./fixtures";

// $48.00 nodes + $5.00 registry + $0.50 volume = $53.50
const stack = (): ResourceUnderTest[] =>
  [cluster("s-2vcpu-4gb", 2), registry("basic"), pvc("5Gi")].map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: r.props!,
  }));

const OVER =
  "doks: default node pool $48.00 (2 × s-2vcpu-4gb at $24.00); docr: registry (basic) $5.00 (basic tier); " +
  "backups: volume backups $0.50 (5 GiB at $0.10/GiB)";

describe("budget", () => {
  it("passes an estimate exactly at the budget", () => {
    assertMessages(enforceBudget, stack(), [], { maxMonthlyUsd: 53.5 });
  });

  it("fails an estimate one cent over the budget, listing what makes up the cost", () => {
    assertMessages(
      enforceBudget,
      stack(),
      [`estimated monthly cost $53.50 exceeds the budget of $53.49: ${OVER}`],
      { maxMonthlyUsd: 53.49 },
    );
  });

  it("compares the estimate's maximum, so an autoscaling pool counts at its largest", () => {
    const auto: ResourceUnderTest = {
      ...stack()[0],
      props: { ha: false, nodePool: { size: "s-4vcpu-8gb", autoScale: true, minNodes: 1, maxNodes: 3 } },
    };
    assertMessages(
      enforceBudget,
      [auto],
      [
        "estimated monthly cost $48.00–$144.00 exceeds the budget of $100.00: doks: default node pool $48.00–$144.00 (1–3 × s-4vcpu-8gb at $48.00)",
      ],
      { maxMonthlyUsd: 100 },
    );
  });

  it("reports at the configured level", () => {
    const config = {
      all: "mandatory" as const,
      budget: { enforcementLevel: "advisory" as const, maxMonthlyUsd: 10 },
    };
    const violations = runPolicies(stack(), config, [enforceBudget]);
    assert.deepEqual(
      violations.map((v) => [v.policy, v.enforcementLevel, v.resource]),
      [["budget", "advisory", "stack"]],
    );
  });

  it("checks nothing without maxMonthlyUsd, or when disabled", () => {
    assertMessages(enforceBudget, stack(), []);
    assert.deepEqual(runPolicies(stack(), { budget: "disabled" }, [enforceBudget]), []);
  });

  it("mentions unpriced resources, and reports each when failOnUnpriced", () => {
    const droplet = resource("digitalocean:index/droplet:Droplet", "bastion", { size: "s-1vcpu-1gb" });
    const resources = [
      ...stack(),
      { urn: droplet.urn, type: droplet.type, name: droplet.name, props: droplet.props! },
    ];
    assertMessages(
      enforceBudget,
      resources,
      [`estimated monthly cost $53.50 exceeds the budget of $50.00: ${OVER}; plus 1 unpriced`],
      {
        maxMonthlyUsd: 50,
      },
    );
    const violations = violationsOf(enforceBudget, resources, { maxMonthlyUsd: 100, failOnUnpriced: true });
    assert.deepEqual(
      violations.map((v) => [v.resource, v.message]),
      [
        [
          droplet.urn,
          "bastion (digitalocean:index/droplet:Droplet) cannot be priced, so the budget cannot cover it: DigitalOcean resource type not in the price table",
        ],
      ],
    );
  });

  it("leaves exempted resources out of the estimate", () => {
    assertMessages(enforceBudget, stack(), [], {
      maxMonthlyUsd: 10,
      exemptions: [
        { resource: "doks", reason: "paid from another budget" },
        { resource: "docr", reason: "shared registry" },
      ],
    });
  });

  it("prices a resource whose other inputs are unknown during preview, without an advisory", () => {
    const [doks, ...rest] = stack();
    const withUnknown = { ...doks, props: { ...doks.props, version: UNKNOWN, vpcUuid: UNKNOWN } };
    assertMessages(enforceBudget, [withUnknown, ...rest], [], { maxMonthlyUsd: 53.5 });
  });

  it("lists a node count unknown during preview as unpriced instead of failing the check", () => {
    const [doks] = stack();
    const unknownCount = {
      ...doks,
      props: { ha: false, nodePool: { size: "s-2vcpu-4gb", autoScale: false, nodeCount: UNKNOWN } },
    };
    assert.deepEqual(
      violationsOf(enforceBudget, [unknownCount], { maxMonthlyUsd: 1, failOnUnpriced: true }).map(
        (v) => v.message,
      ),
      [
        "doks (digitalocean:index/kubernetesCluster:KubernetesCluster) cannot be priced, so the budget cannot cover it: default node pool: nodeCount is unknown until deploy",
      ],
    );
  });

  it("accepts its settings in the stack configs: staging and prod have a budget, dev none", () => {
    // loadPolicyConfig validates every entry against the policies' config schemas.
    assert.deepEqual(loadPolicyConfig("staging").budget, { maxMonthlyUsd: 85, failOnUnpriced: true });
    assert.deepEqual(loadPolicyConfig("prod").budget, { maxMonthlyUsd: 460, failOnUnpriced: true });
    assert.equal(loadPolicyConfig("dev").budget, "disabled");
  });
});
