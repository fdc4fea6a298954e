import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../policies/engine";
import { prefetchSchemas, validateKubernetesSchema } from "../../policies/schema";
import { kube, withField, withPodField, workload, WORKLOAD_KINDS } from "./fixtures";

describe("kubernetes-schema", () => {
  for (const kind of WORKLOAD_KINDS) {
    it(`accepts the compliant ${kind}`, async () =>
      assert.deepEqual(await validateKubernetesSchema([workload(kind)]), []));
  }

  it("reports a wrong type with the field path", async () => {
    const r = withField(workload("Deployment"), "spec.replicas", "two");
    assert.deepEqual(await validateKubernetesSchema([r]), [
      {
        policy: "kubernetes-schema",
        enforcementLevel: "mandatory",
        resource: r.urn,
        message: "spec.replicas must be integer",
      },
    ]);
  });

  it("reports a missing required field", async () => {
    const r = withPodField("CronJob", "containers[0].name", undefined);
    assert.deepEqual(
      (await validateKubernetesSchema([r])).map((v) => v.message),
      ["spec.jobTemplate.spec.template.spec.containers[0].name is required"],
    );
  });

  it("joins the alternatives of an int-or-string field", async () => {
    const r = kube("kubernetes:policy/v1:PodDisruptionBudget", {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "app", namespace: "shop" },
      spec: { maxUnavailable: true },
    });
    assert.deepEqual(
      (await validateKubernetesSchema([r])).map((v) => v.message),
      ["spec.maxUnavailable must be string or must be integer"],
    );
  });

  it("fills apiVersion and kind from the type token when the props lack them", async () => {
    const r = withField(withField(workload("Job"), "apiVersion", undefined), "kind", undefined);
    assert.deepEqual(await validateKubernetesSchema([r]), []);
  });

  it("reports an unknown value as not checkable instead of a type error", async () => {
    const r = withField(workload("Deployment"), "spec.replicas", UNKNOWN);
    assert.deepEqual(await validateKubernetesSchema([r]), [
      {
        policy: "kubernetes-schema",
        enforcementLevel: "advisory",
        resource: r.urn,
        message: "cannot be checked during preview: spec.replicas is unknown",
      },
    ]);
  });

  it("skips kinds without a schema (custom resources, Pulumi helper types)", async () => {
    const crd = kube("kubernetes:cert-manager.io/v1:ClusterIssuer", {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      spec: 1,
    });
    const chart = { ...kube("kubernetes:helm.sh/v4:Chart", { chart: "traefik" }), name: "traefik" };
    assert.deepEqual(await validateKubernetesSchema([crd, chart]), []);
  });

  it("prefetches schemas, skipping types without one, and validates the same afterwards", async () => {
    const types = [
      "kubernetes:cert-manager.io/v1:ClusterIssuer",
      "kubernetes:helm.sh/v4:Chart",
      "platform:app:AppStack",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    ];
    assert.deepEqual(await prefetchSchemas(types), ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler"]);
    const r = kube("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "api", namespace: "shop" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, maxReplicas: "four" },
    });
    assert.deepEqual(
      (await validateKubernetesSchema([r])).map((v) => v.message),
      ["spec.maxReplicas must be integer"],
    );
  });
});
