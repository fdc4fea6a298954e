// One describe per Pod Security Standards restricted policy (each policy has its own file).
import { disallowPrivilegeEscalation } from "../../policies/workload/disallowPrivilegeEscalation";
import { requireDropAllCapabilities } from "../../policies/workload/requireDropAllCapabilities";
import { requireSeccompProfile } from "../../policies/workload/requireSeccompProfile";
import { restrictVolumeTypes } from "../../policies/workload/restrictVolumeTypes";
import { assertMessages, itPassesEveryCompliantKind, withField, withPodField } from "./fixtures";

const APP = 'spec.template.spec.containers[0] "app"';

describe("disallow-privilege-escalation", () => {
  itPassesEveryCompliantKind(disallowPrivilegeEscalation);
  it("reports a container that does not set allowPrivilegeEscalation", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.allowPrivilegeEscalation", undefined);
    assertMessages(disallowPrivilegeEscalation, r, [
      `${APP}: securityContext.allowPrivilegeEscalation is not set; it must be false`,
    ]);
  });
  it("reports allowPrivilegeEscalation: true on an ephemeral container", () => {
    const r = withPodField(
      "Deployment",
      "ephemeralContainers[0].securityContext.allowPrivilegeEscalation",
      true,
    );
    assertMessages(disallowPrivilegeEscalation, r, [
      'spec.template.spec.ephemeralContainers[0] "debug": securityContext.allowPrivilegeEscalation is true; it must be false',
    ]);
  });
});

describe("require-drop-all-capabilities", () => {
  itPassesEveryCompliantKind(requireDropAllCapabilities);
  it("reports a container that does not drop ALL", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.capabilities.drop", ["NET_RAW"]);
    assertMessages(requireDropAllCapabilities, r, [
      `${APP}: securityContext.capabilities.drop does not contain ALL`,
    ]);
  });
  it("reports an added capability other than NET_BIND_SERVICE", () => {
    const r = withPodField("Deployment", "initContainers[0].securityContext.capabilities.add", ["CHOWN"]);
    assertMessages(requireDropAllCapabilities, r, [
      'spec.template.spec.initContainers[0] "migrate": securityContext.capabilities.add contains CHOWN',
    ]);
  });
  it("accepts NET_BIND_SERVICE", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.capabilities.add", [
      "NET_BIND_SERVICE",
    ]);
    assertMessages(requireDropAllCapabilities, r, []);
  });
});

describe("require-seccomp-profile", () => {
  itPassesEveryCompliantKind(requireSeccompProfile);
  it("reports every container when the pod profile is removed", () => {
    const msg = "no seccompProfile on the container or the pod securityContext";
    assertMessages(
      requireSeccompProfile,
      withPodField("Deployment", "securityContext.seccompProfile", undefined),
      [
        `${APP}: ${msg}`,
        `spec.template.spec.initContainers[0] "migrate": ${msg}`,
        `spec.template.spec.ephemeralContainers[0] "debug": ${msg}`,
      ],
    );
  });
  it("reports a container that overrides the pod profile with Unconfined", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.seccompProfile", {
      type: "Unconfined",
    });
    assertMessages(requireSeccompProfile, r, [
      `${APP}: securityContext.seccompProfile.type is "Unconfined"; it must be "RuntimeDefault" or "Localhost"`,
    ]);
  });
  it("accepts a Localhost profile", () => {
    const r = withPodField("Deployment", "securityContext.seccompProfile", {
      type: "Localhost",
      localhostProfile: "p.json",
    });
    assertMessages(requireSeccompProfile, r, []);
  });
});

describe("restrict-volume-types", () => {
  itPassesEveryCompliantKind(restrictVolumeTypes);
  it("reports an nfs volume", () => {
    const r = withPodField("StatefulSet", "volumes[0]", { name: "data", nfs: { server: "nfs", path: "/" } });
    assertMessages(restrictVolumeTypes, r, [
      'spec.template.spec.volumes[0] "data": volume type nfs is not allowed',
    ]);
  });
  it("accepts projected and PVC volumes", () => {
    const r = withField(
      withPodField("StatefulSet", "volumes[0]", { name: "t", projected: { sources: [] } }),
      "spec.template.spec.volumes[1]",
      {
        name: "d",
        persistentVolumeClaim: { claimName: "d" },
      },
    );
    assertMessages(restrictVolumeTypes, r, []);
  });
});
