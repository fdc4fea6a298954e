import { requireResourceLimits } from "../../policies/workload/requireResourceLimits";
import { assertMessages, itPassesEveryCompliantKind, withPodField } from "./fixtures";

describe("require-resource-limits", () => {
  itPassesEveryCompliantKind(requireResourceLimits);

  it("reports a container without a CPU limit", () => {
    assertMessages(
      requireResourceLimits,
      withPodField("Deployment", "containers[0].resources.limits.cpu", undefined),
      ['spec.template.spec.containers[0] "app": missing resources.limits.cpu'],
    );
  });

  it("accepts a missing CPU limit when requireCpuLimit is false", () => {
    const r = withPodField("Deployment", "containers[0].resources.limits.cpu", undefined);
    assertMessages(requireResourceLimits, r, [], { requireCpuLimit: false });
  });

  it("reports an init container without a memory request", () => {
    assertMessages(
      requireResourceLimits,
      withPodField("Deployment", "initContainers[0].resources.requests.memory", undefined),
      [
        'spec.template.spec.initContainers[0] "migrate": missing resources.requests.memory; ' +
          "Kubernetes copies resources.limits.memory into the missing request, so the container would " +
          "request as much as its limit: set the requests explicitly to what it needs",
      ],
    );
  });

  it("reports every missing field of a container without resources", () => {
    assertMessages(requireResourceLimits, withPodField("StatefulSet", "containers[0].resources", undefined), [
      'spec.template.spec.containers[0] "app": missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
    ]);
  });

  it("checks the CronJob's job template", () => {
    assertMessages(
      requireResourceLimits,
      withPodField("CronJob", "containers[0].resources.limits.memory", ""),
      ['spec.jobTemplate.spec.template.spec.containers[0] "app": missing resources.limits.memory'],
    );
  });

  it("checks a PodTemplate's template", () => {
    assertMessages(
      requireResourceLimits,
      withPodField("PodTemplate", "containers[0].resources.requests.cpu", undefined),
      [
        'template.spec.containers[0] "app": missing resources.requests.cpu; Kubernetes copies ' +
          "resources.limits.cpu into the missing request, so the container would request as much as its " +
          "limit: set the requests explicitly to what it needs",
      ],
    );
  });

  it("explains that Kubernetes copies limits into missing requests (limits only)", () => {
    const r = withPodField("Deployment", "containers[0].resources", {
      limits: { cpu: "500m", memory: "256Mi" },
    });
    assertMessages(requireResourceLimits, r, [
      'spec.template.spec.containers[0] "app": missing resources.requests.cpu, resources.requests.memory; ' +
        "Kubernetes copies resources.limits.cpu and resources.limits.memory into the missing requests, so " +
        "the container would request as much as its limit: set the requests explicitly to what it needs",
    ]);
  });

  it("notes only the requests whose limit is set", () => {
    const r = withPodField("Deployment", "containers[0].resources", { limits: { cpu: "500m" } });
    assertMessages(requireResourceLimits, r, [
      'spec.template.spec.containers[0] "app": missing resources.requests.cpu, resources.requests.memory, ' +
        "resources.limits.memory; Kubernetes copies resources.limits.cpu into the missing request, so the " +
        "container would request as much as its limit: set the requests explicitly to what it needs",
    ]);
  });

  it("accepts requests and limits both set", () => {
    assertMessages(
      requireResourceLimits,
      withPodField("Deployment", "containers[0].resources.limits.cpu", "1"),
      [],
    );
  });
});
