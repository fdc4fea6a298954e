// Missing checks 6: availability. require-multiple-replicas (Polaris deploymentMissingReplicas,
// kube-score deployment-replicas) and require-topology-spread (kube-score
// deployment-has-host-podantiaffinity, Polaris topologySpreadConstraint), with their neighbours.
import * as assert from "node:assert/strict";
import { loadPolicyConfig, runPolicies, type ResourceUnderTest } from "../../policies/engine";
import { requireMultipleReplicas } from "../../policies/stack/requireMultipleReplicas";
import { requireTopologySpread } from "../../policies/stack/requireTopologySpread";
import { assertMessages, kube, withField, workload } from "./fixtures";

const hpa = (target: string, minReplicas: number, namespace = "shop") =>
  kube("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: target, namespace },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
      minReplicas,
      maxReplicas: 5,
    },
  });
const EXEMPT = { exemptions: [{ resource: "Deployment/shop/app", reason: "a singleton leader" }] };
const ONE_NODE = "they may all run on one node";

describe("require-multiple-replicas", () => {
  const msg = (shown: string) =>
    `Deployment/shop/app: spec.replicas ${shown} and no HorizontalPodAutoscaler scales it; one node drain or failure takes it down (the stack asks for at least 2)`;
  it("reports a Deployment with one replica and no HPA", () =>
    assertMessages(requireMultipleReplicas, workload("Deployment", 1), [msg("is 1")]));
  it("reports a Deployment without spec.replicas (1)", () =>
    assertMessages(requireMultipleReplicas, workload("Deployment"), [msg("is not set (1)")]));
  it("reports zero replicas", () =>
    assertMessages(requireMultipleReplicas, workload("Deployment", 0), [msg("is 0")]));
  it("reports a StatefulSet with one replica", () =>
    assertMessages(requireMultipleReplicas, workload("StatefulSet", 1), [
      "StatefulSet/shop/app: spec.replicas is 1 and no HorizontalPodAutoscaler scales it; one node drain or failure takes it down (the stack asks for at least 2)",
    ]));
  it("passes two replicas", () => assertMessages(requireMultipleReplicas, workload("Deployment", 2), []));
  it("passes a Deployment an HPA scales (its minimum is require-hpa-min-replicas' concern)", () =>
    assertMessages(requireMultipleReplicas, [workload("Deployment", 1), hpa("app", 1)], []));
  it("does not count an HPA of another namespace", () =>
    assertMessages(
      requireMultipleReplicas,
      [workload("Deployment", 1), hpa("app", 2, "other")],
      [msg("is 1")],
    ));
  for (const kind of ["DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"] as const) {
    it(`leaves a ${kind} alone`, () => assertMessages(requireMultipleReplicas, workload(kind), []));
  }
  it("respects an exemption", () =>
    assertMessages(requireMultipleReplicas, workload("Deployment", 1), [], EXEMPT));
  it("takes the minimum from the config", () =>
    assertMessages(
      requireMultipleReplicas,
      workload("Deployment", 2),
      [
        "Deployment/shop/app: spec.replicas is 2 and no HorizontalPodAutoscaler scales it; one node drain or failure takes it down (the stack asks for at least 3)",
      ],
      { minReplicas: 3 },
    ));
});

describe("require-topology-spread", () => {
  const spread = (r: ResourceUnderTest, field: string, value: unknown) =>
    withField(r, `spec.template.spec.${field}`, value);
  const own = { matchLabels: { app: "app" } };
  const hostname = "kubernetes.io/hostname";
  const report = (replicas: number, kind = "Deployment") =>
    `${kind}/shop/app: ${replicas} replicas but no topologySpreadConstraint or pod anti-affinity on ${hostname} selects its pods; ${ONE_NODE}`;

  it("reports two replicas without spread or anti-affinity", () =>
    assertMessages(requireTopologySpread, workload("Deployment", 2), [report(2)]));
  it("reports an HPA minimum of 2 when spec.replicas is unset", () =>
    assertMessages(requireTopologySpread, [workload("Deployment"), hpa("app", 2)], [report(2)]));
  it("reports a StatefulSet of three", () =>
    assertMessages(requireTopologySpread, workload("StatefulSet", 3), [report(3, "StatefulSet")]));
  it("passes one replica", () => assertMessages(requireTopologySpread, workload("Deployment", 1), []));
  it("passes a DaemonSet (one pod per node already)", () =>
    assertMessages(requireTopologySpread, workload("DaemonSet"), []));
  it("passes a hostname topologySpreadConstraint that selects its pods", () =>
    assertMessages(
      requireTopologySpread,
      spread(workload("Deployment", 2), "topologySpreadConstraints", [
        { maxSkew: 1, topologyKey: hostname, whenUnsatisfiable: "ScheduleAnyway", labelSelector: own },
      ]),
      [],
    ));
  it("reports a constraint whose selector misses its pods", () =>
    assertMessages(
      requireTopologySpread,
      spread(workload("Deployment", 2), "topologySpreadConstraints", [
        {
          maxSkew: 1,
          topologyKey: hostname,
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { app: "other" } },
        },
      ]),
      [report(2)],
    ));
  it("reports a constraint without a selector (it counts no pods)", () =>
    assertMessages(
      requireTopologySpread,
      spread(workload("Deployment", 2), "topologySpreadConstraints", [
        { maxSkew: 1, topologyKey: hostname, whenUnsatisfiable: "DoNotSchedule" },
      ]),
      [report(2)],
    ));
  it("reports a zone spread by default, and accepts it when the stack lists the zone key", () => {
    const r = spread(workload("Deployment", 2), "topologySpreadConstraints", [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: own,
      },
    ]);
    assertMessages(requireTopologySpread, r, [report(2)]);
    assertMessages(requireTopologySpread, r, [], { topologyKeys: [hostname, "topology.kubernetes.io/zone"] });
  });
  it("passes a required pod anti-affinity on the hostname", () =>
    assertMessages(
      requireTopologySpread,
      spread(workload("Deployment", 2), "affinity", {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: hostname, labelSelector: own }],
        },
      }),
      [],
    ));
  it("passes a preferred pod anti-affinity on the hostname", () =>
    assertMessages(
      requireTopologySpread,
      spread(workload("Deployment", 2), "affinity", {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: hostname, labelSelector: own } },
          ],
        },
      }),
      [],
    ));
  it("reports a pod affinity (not anti-affinity)", () =>
    assertMessages(
      requireTopologySpread,
      spread(workload("Deployment", 2), "affinity", {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: hostname, labelSelector: own }],
        },
      }),
      [report(2)],
    ));
  it("respects an exemption", () =>
    assertMessages(requireTopologySpread, workload("Deployment", 2), [], EXEMPT));
});

describe("availability levels per stack", () => {
  const levels = (stack: string) =>
    runPolicies(
      [workload("Deployment", 1), withField(workload("StatefulSet", 2), "metadata.name", "db")],
      loadPolicyConfig(stack),
    )
      .filter((v) => v.policy === "require-multiple-replicas" || v.policy === "require-topology-spread")
      .map((v) => `${v.enforcementLevel} ${v.policy}`)
      .sort();
  it("reports both, as advisories, on prod", () =>
    assert.deepEqual(levels("prod"), [
      "advisory require-multiple-replicas",
      "advisory require-topology-spread",
    ]));
  it("reports only the spread on staging", () =>
    assert.deepEqual(levels("staging"), ["advisory require-topology-spread"]));
  for (const stack of ["dev", "existing"]) {
    it(`reports neither on ${stack} (one node)`, () => assert.deepEqual(levels(stack), []));
  }
  it("can be made mandatory", () => {
    const config = { all: "mandatory" as const, "require-multiple-replicas": "mandatory" as const };
    assert.equal(
      runPolicies([workload("Deployment", 1)], config, [requireMultipleReplicas])[0].enforcementLevel,
      "mandatory",
    );
  });
});
