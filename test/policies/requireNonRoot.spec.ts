import { requireNonRoot } from "../../policies/workload/requireNonRoot";
import { assertMessages, itPassesEveryCompliantKind, setPath, withPodField } from "./fixtures";

describe("require-non-root", () => {
  itPassesEveryCompliantKind(requireNonRoot);

  it("reports a container runAsUser 0 under a pod runAsNonRoot: true", () => {
    assertMessages(requireNonRoot, withPodField("Deployment", "containers[0].securityContext.runAsUser", 0), [
      'spec.template.spec.containers[0] "app": runs as root: runAsUser is 0 (spec.template.spec.containers[0].securityContext.runAsUser)',
    ]);
  });

  it("reports a pod-level runAsUser 0 on every container that inherits it", () => {
    const from = "(spec.template.spec.securityContext.runAsUser)";
    assertMessages(requireNonRoot, withPodField("Deployment", "securityContext.runAsUser", 0), [
      "spec.template.spec.securityContext.runAsUser is 0 (root)",
      `spec.template.spec.containers[0] "app": runs as root: runAsUser is 0 ${from}`,
      `spec.template.spec.initContainers[0] "migrate": runs as root: runAsUser is 0 ${from}`,
      `spec.template.spec.ephemeralContainers[0] "debug": runs as root: runAsUser is 0 ${from}`,
    ]);
  });

  it("reports a pod-level runAsUser 0 even when every container overrides it", () => {
    const pod = withPodField("Pod", "securityContext.runAsUser", 0);
    for (const list of ["containers", "initContainers", "ephemeralContainers"]) {
      setPath(pod.props, `spec.${list}[0].securityContext.runAsUser`, 1000);
    }
    assertMessages(requireNonRoot, pod, ["spec.securityContext.runAsUser is 0 (root)"]);
  });

  it("reports an explicit runAsNonRoot: false on a container even under a pod true", () => {
    assertMessages(
      requireNonRoot,
      withPodField("Deployment", "containers[0].securityContext.runAsNonRoot", false),
      ['spec.template.spec.containers[0] "app": securityContext.runAsNonRoot is false'],
    );
  });

  it("reports an explicit runAsNonRoot: false on the pod once", () => {
    assertMessages(requireNonRoot, withPodField("Deployment", "securityContext.runAsNonRoot", false), [
      "spec.template.spec.securityContext.runAsNonRoot is false",
    ]);
  });

  it("reports containers when no level sets runAsNonRoot", () => {
    const msg = "runAsNonRoot is not set to true on the container or the pod securityContext";
    assertMessages(requireNonRoot, withPodField("Pod", "securityContext.runAsNonRoot", undefined), [
      `spec.containers[0] "app": ${msg}`,
      `spec.initContainers[0] "migrate": ${msg}`,
      `spec.ephemeralContainers[0] "debug": ${msg}`,
    ]);
  });

  it("reports an ephemeral container that runs as root", () => {
    assertMessages(
      requireNonRoot,
      withPodField("Pod", "ephemeralContainers[0].securityContext.runAsUser", 0),
      [
        'spec.ephemeralContainers[0] "debug": runs as root: runAsUser is 0 (spec.ephemeralContainers[0].securityContext.runAsUser)',
      ],
    );
  });

  it("reports a CronJob init container that runs as root", () => {
    assertMessages(
      requireNonRoot,
      withPodField("CronJob", "initContainers[0].securityContext.runAsUser", 0),
      [
        'spec.jobTemplate.spec.template.spec.initContainers[0] "migrate": runs as root: runAsUser is 0 (spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser)',
      ],
    );
  });
});
