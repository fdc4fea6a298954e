// One describe per Pod Security Standards baseline policy (each policy has its own file).
import { disallowHostNamespaces } from "../../policies/workload/disallowHostNamespaces";
import { disallowHostPath } from "../../policies/workload/disallowHostPath";
import { disallowHostPorts } from "../../policies/workload/disallowHostPorts";
import { disallowHostProcess } from "../../policies/workload/disallowHostProcess";
import { disallowPrivilegedContainers } from "../../policies/workload/disallowPrivilegedContainers";
import { disallowProbeHost } from "../../policies/workload/disallowProbeHost";
import { restrictAddedCapabilities } from "../../policies/workload/restrictAddedCapabilities";
import { restrictAppArmor } from "../../policies/workload/restrictAppArmor";
import { restrictProcMount } from "../../policies/workload/restrictProcMount";
import { restrictSeccomp } from "../../policies/workload/restrictSeccomp";
import { restrictSeLinux } from "../../policies/workload/restrictSeLinux";
import { restrictSysctls } from "../../policies/workload/restrictSysctls";
import { assertMessages, itPassesEveryCompliantKind, withField, withPodField, workload } from "./fixtures";

const APP = 'spec.template.spec.containers[0] "app"';

describe("disallow-privileged-containers", () => {
  itPassesEveryCompliantKind(disallowPrivilegedContainers);
  it("reports a privileged container", () => {
    assertMessages(
      disallowPrivilegedContainers,
      withPodField("Deployment", "containers[0].securityContext.privileged", true),
      [`${APP}: securityContext.privileged is true`],
    );
  });
  it("reports a privileged init container of a CronJob", () => {
    const r = withPodField("CronJob", "initContainers[0].securityContext.privileged", true);
    assertMessages(disallowPrivilegedContainers, r, [
      'spec.jobTemplate.spec.template.spec.initContainers[0] "migrate": securityContext.privileged is true',
    ]);
  });
  it("accepts privileged: false", () => {
    assertMessages(
      disallowPrivilegedContainers,
      withPodField("Deployment", "containers[0].securityContext.privileged", false),
      [],
    );
  });
});

describe("disallow-host-namespaces", () => {
  itPassesEveryCompliantKind(disallowHostNamespaces);
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    it(`reports ${field}: true`, () => {
      assertMessages(disallowHostNamespaces, withPodField("DaemonSet", field, true), [
        `spec.template.spec.${field} is true`,
      ]);
    });
  }
  it("accepts hostNetwork: false", () => {
    assertMessages(disallowHostNamespaces, withPodField("DaemonSet", "hostNetwork", false), []);
  });
});

describe("disallow-host-process", () => {
  itPassesEveryCompliantKind(disallowHostProcess);
  it("reports a pod-level HostProcess", () => {
    assertMessages(
      disallowHostProcess,
      withPodField("Pod", "securityContext.windowsOptions", { hostProcess: true }),
      ["spec.securityContext.windowsOptions.hostProcess is true"],
    );
  });
  it("reports a container HostProcess", () => {
    const r = withPodField("Pod", "ephemeralContainers[0].securityContext.windowsOptions", {
      hostProcess: true,
    });
    assertMessages(disallowHostProcess, r, [
      'spec.ephemeralContainers[0] "debug": securityContext.windowsOptions.hostProcess is true',
    ]);
  });
});

describe("disallow-host-path", () => {
  itPassesEveryCompliantKind(disallowHostPath);
  it("reports a hostPath volume", () => {
    assertMessages(
      disallowHostPath,
      withPodField("Deployment", "volumes[0]", { name: "tmp", hostPath: { path: "/var/run" } }),
      ['spec.template.spec.volumes[0] "tmp": hostPath volume "/var/run"'],
    );
  });
});

describe("disallow-host-ports", () => {
  itPassesEveryCompliantKind(disallowHostPorts);
  it("reports a hostPort", () => {
    assertMessages(disallowHostPorts, withPodField("Deployment", "containers[0].ports[0].hostPort", 8080), [
      `${APP}: ports[0].hostPort is 8080`,
    ]);
  });
  it("accepts hostPort 0", () => {
    assertMessages(disallowHostPorts, withPodField("Deployment", "containers[0].ports[0].hostPort", 0), []);
  });
});

describe("restrict-added-capabilities", () => {
  itPassesEveryCompliantKind(restrictAddedCapabilities);
  it("reports a capability outside the baseline set", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.capabilities.add", [
      "CHOWN",
      "SYS_ADMIN",
    ]);
    assertMessages(restrictAddedCapabilities, r, [
      `${APP}: securityContext.capabilities.add contains SYS_ADMIN`,
    ]);
  });
  it("accepts baseline capabilities", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.capabilities.add", [
      "NET_BIND_SERVICE",
      "CHOWN",
    ]);
    assertMessages(restrictAddedCapabilities, r, []);
  });
});

describe("restrict-apparmor", () => {
  itPassesEveryCompliantKind(restrictAppArmor);
  it("reports an Unconfined pod profile", () => {
    assertMessages(
      restrictAppArmor,
      withPodField("Deployment", "securityContext.appArmorProfile", { type: "Unconfined" }),
      ['spec.template.spec.securityContext.appArmorProfile.type is "Unconfined"'],
    );
  });
  it("reports an Unconfined container profile", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.appArmorProfile", {
      type: "Unconfined",
    });
    assertMessages(restrictAppArmor, r, [`${APP}: securityContext.appArmorProfile.type is "Unconfined"`]);
  });
  it("reports the legacy unconfined annotation", () => {
    const key = "container.apparmor.security.beta.kubernetes.io/app";
    const r = withField(workload("Deployment"), "spec.template.metadata.annotations", {
      [key]: "unconfined",
    });
    assertMessages(restrictAppArmor, r, [`spec.template.metadata.annotations["${key}"] is "unconfined"`]);
  });
  it("accepts RuntimeDefault and localhost profiles", () => {
    const key = "container.apparmor.security.beta.kubernetes.io/app";
    const r = withField(workload("Deployment"), "spec.template.metadata.annotations", {
      [key]: "localhost/k8s-app",
    });
    assertMessages(restrictAppArmor, r, []);
  });
});

describe("restrict-selinux", () => {
  itPassesEveryCompliantKind(restrictSeLinux);
  it("reports a privileged SELinux type", () => {
    const r = withPodField("Deployment", "containers[0].securityContext.seLinuxOptions", { type: "spc_t" });
    assertMessages(restrictSeLinux, r, [`${APP}: securityContext.seLinuxOptions.type is "spc_t"`]);
  });
  it("reports a custom SELinux user on the pod", () => {
    const r = withPodField("Deployment", "securityContext.seLinuxOptions", { user: "system_u" });
    assertMessages(restrictSeLinux, r, ["spec.template.spec.securityContext.seLinuxOptions.user is set"]);
  });
  it("accepts container_t with a level", () => {
    const r = withPodField("Deployment", "securityContext.seLinuxOptions", {
      type: "container_t",
      level: "s0:c1,c2",
    });
    assertMessages(restrictSeLinux, r, []);
  });
});

describe("restrict-proc-mount", () => {
  itPassesEveryCompliantKind(restrictProcMount);
  it("reports an Unmasked /proc", () => {
    assertMessages(
      restrictProcMount,
      withPodField("Deployment", "containers[0].securityContext.procMount", "Unmasked"),
      [`${APP}: securityContext.procMount is "Unmasked"`],
    );
  });
  it("accepts Default", () => {
    assertMessages(
      restrictProcMount,
      withPodField("Deployment", "containers[0].securityContext.procMount", "Default"),
      [],
    );
  });
});

describe("restrict-seccomp", () => {
  itPassesEveryCompliantKind(restrictSeccomp);
  it("reports an Unconfined pod profile", () => {
    assertMessages(
      restrictSeccomp,
      withPodField("Deployment", "securityContext.seccompProfile.type", "Unconfined"),
      ['spec.template.spec.securityContext.seccompProfile.type is "Unconfined"'],
    );
  });
  it("reports an Unconfined init container profile", () => {
    const r = withPodField("Deployment", "initContainers[0].securityContext.seccompProfile", {
      type: "Unconfined",
    });
    assertMessages(restrictSeccomp, r, [
      'spec.template.spec.initContainers[0] "migrate": securityContext.seccompProfile.type is "Unconfined"',
    ]);
  });
});

describe("restrict-sysctls", () => {
  itPassesEveryCompliantKind(restrictSysctls);
  it("reports an unsafe sysctl", () => {
    const r = withPodField("Deployment", "securityContext.sysctls", [
      { name: "kernel.msgmax", value: "65536" },
    ]);
    assertMessages(restrictSysctls, r, [
      'spec.template.spec.securityContext.sysctls[0] "kernel.msgmax" is not a safe sysctl',
    ]);
  });
  it("accepts a safe sysctl", () => {
    const r = withPodField("Deployment", "securityContext.sysctls", [
      { name: "net.ipv4.tcp_syncookies", value: "1" },
    ]);
    assertMessages(restrictSysctls, r, []);
  });
});

describe("disallow-probe-host", () => {
  itPassesEveryCompliantKind(disallowProbeHost);
  const unset = "leave it unset (the pod's IP)";
  it("reports a probe sent to another host", () => {
    assertMessages(
      disallowProbeHost,
      withPodField("Deployment", "containers[0].livenessProbe.httpGet.host", "10.0.0.1"),
      [`${APP}: livenessProbe.httpGet.host is "10.0.0.1"; ${unset}`],
    );
  });
  it("reports a lifecycle hook sent to another host", () => {
    const r = withPodField("Deployment", "containers[0].lifecycle", {
      preStop: { tcpSocket: { host: "db", port: 5432 } },
    });
    assertMessages(disallowProbeHost, r, [`${APP}: lifecycle.preStop.tcpSocket.host is "db"; ${unset}`]);
  });
  // check_hostProbesAndhostLifecycle_test.go: "invalid pod with local host IP as probe host".
  it("reports a loopback host (127.0.0.1): the kubelet would probe the node", () => {
    assertMessages(
      disallowProbeHost,
      withPodField("Deployment", "containers[0].readinessProbe.httpGet.host", "127.0.0.1"),
      [`${APP}: readinessProbe.httpGet.host is "127.0.0.1"; ${unset}`],
    );
  });
});
