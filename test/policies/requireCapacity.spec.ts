// Stack policy `require-capacity`: the pods' requests against what the nodes leave to pods.
import * as assert from "node:assert/strict";
import { type ResourceUnderTest, runPolicies, UNKNOWN } from "../../policies/engine";
import { requireCapacity } from "../../policies/stack/requireCapacity";
import { assertMessages, violationsOf } from "./fixtures";

const NODE_POOL = "digitalocean:index/kubernetesNodePool:KubernetesNodePool";
const urn = (type: string, name: string) => `urn:pulumi:test::k8s-platform::${type}::${name}`;
const res = (type: string, name: string, props: Record<string, unknown>): ResourceUnderTest => ({
  urn: urn(type, name),
  type,
  name,
  props,
});

/** A pool of `count` s-2vcpu-4gb nodes: 2000m and 2.5 GiB (2560 MiB) each. */
const pool = (count: number) =>
  res(NODE_POOL, "workers", { size: "s-2vcpu-4gb", autoScale: false, nodeCount: count });

/** A Deployment of `replicas` pods requesting `cpu` and `memory` each. */
const deployment = (name: string, replicas: number, cpu: string, memory: string) =>
  res("kubernetes:apps/v1:Deployment", name, {
    metadata: { name, namespace: "app" },
    spec: {
      replicas,
      template: {
        spec: { containers: [{ name, image: "r/x:1", resources: { requests: { cpu, memory } } }] },
      },
    },
  });

// 2 nodes: 4000m, 5120 MiB. 4 × 500m/1024Mi = 2000m/4096Mi: 50% CPU free, 20% memory free.
const stack = (replicas = 4) => [pool(2), deployment("api", replicas, "500m", "1024Mi")];

describe("require-capacity", () => {
  it("passes when the headroom is exactly the minimum", () => {
    assertMessages(requireCapacity, stack(), [], { minHeadroomPercent: 20 });
  });

  it("fails below the minimum, on the pool, with the numbers", () => {
    assertMessages(
      requireCapacity,
      stack(),
      [
        "at 2 nodes the pods request CPU 2 vCPU of 4 vCPU (50.0% free), memory 4 GiB of 5 GiB (20.0% free): " +
          "less than the 25% the stack keeps free",
      ],
      { minHeadroomPercent: 25 },
    );
    assert.equal(violationsOf(requireCapacity, stack(), { minHeadroomPercent: 25 })[0].resource, pool(2).urn);
  });

  it("uses 20% by default", () => {
    // 5 × 1024Mi = 5120 MiB of 5120: 0% free.
    assertMessages(requireCapacity, stack(5), [
      "at 2 nodes the pods request CPU 2.5 vCPU of 4 vCPU (37.5% free), memory 5 GiB of 5 GiB (0.0% free): " +
        "less than the 20% the stack keeps free",
    ]);
  });

  it("fails a pod larger than any node, on the workload", () => {
    const big = deployment("prometheus", 1, "100m", "3Gi");
    const violations = violationsOf(requireCapacity, [pool(3), big], {});
    assert.deepEqual(
      violations.map((v) => [v.resource, v.message]),
      [
        [
          big.urn,
          "Deployment app/prometheus requests CPU 100m and memory 3 GiB per pod, more than any node leaves to " +
            "pods beside the per-node pods: it is never scheduled",
        ],
      ],
    );
  });

  it("reports pods it cannot count only with failOnUncounted, and then each on its resource", () => {
    const chart = res("kubernetes:helm.sh/v4:Chart", "redis", {
      chart: "redis",
      version: "1.0.0",
      values: {},
    });
    assertMessages(requireCapacity, [...stack(), chart], []);
    assertMessages(
      requireCapacity,
      [...stack(), chart],
      [
        'its pods are not counted in the capacity check: Helm chart "redis": no entry in cost/chartPods.ts says ' +
          "where its pods' requests are",
      ],
      { failOnUncounted: true },
    );
  });

  it("has nothing to compare where the nodes are not known (k0s, an existing cluster)", () => {
    assertMessages(requireCapacity, [deployment("api", 50, "1", "1Gi")], []);
  });

  it("leaves exempted resources out, and reports at the configured level", () => {
    assertMessages(requireCapacity, [...stack(), deployment("batch", 1, "3", "1Gi")], [], {
      exemptions: [{ resource: "batch", reason: "runs on the team's batch pool, outside this stack" }],
    });
    const config = {
      all: "mandatory" as const,
      "require-capacity": { enforcementLevel: "advisory" as const, minHeadroomPercent: 90 },
    };
    assert.deepEqual(
      runPolicies(stack(), config, [requireCapacity]).map((v) => [v.policy, v.enforcementLevel]),
      [["require-capacity", "advisory"]],
    );
  });

  it("counts a node count unknown during preview as unknown capacity, not as a violation", () => {
    const unknownCount = res(NODE_POOL, "workers", {
      size: "s-2vcpu-4gb",
      autoScale: false,
      nodeCount: UNKNOWN,
    });
    assertMessages(requireCapacity, [unknownCount, deployment("api", 4, "500m", "1024Mi")], [], {
      minHeadroomPercent: 25,
    });
  });
});
