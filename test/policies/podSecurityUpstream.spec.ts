// Fault kind 1: every Pod Security control follows its upstream check. Each case changes the compliant
// Pod (containers "app", initContainers "migrate", ephemeralContainers "debug") and expects the verdict
// of k8s.io/pod-security-admission at its newest version: the check file is named in each describe,
// and the values come from that check's "Allowed Values" and from the tables of its
// policy/check_*_test.go and test/fixtures_*.go.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Policies } from "@pulumi/policy";
import { loadPolicyConfig, runPolicies, type ResourceUnderTest } from "../../policies/engine";
import { checkManifests } from "../../policies/manifest";
import { disallowHostNamespaces } from "../../policies/workload/disallowHostNamespaces";
import { disallowHostPath } from "../../policies/workload/disallowHostPath";
import { disallowHostPorts } from "../../policies/workload/disallowHostPorts";
import { disallowHostProcess } from "../../policies/workload/disallowHostProcess";
import { disallowPrivilegeEscalation } from "../../policies/workload/disallowPrivilegeEscalation";
import { disallowPrivilegedContainers } from "../../policies/workload/disallowPrivilegedContainers";
import { disallowProbeHost } from "../../policies/workload/disallowProbeHost";
import { requireDropAllCapabilities } from "../../policies/workload/requireDropAllCapabilities";
import { requireNonRoot } from "../../policies/workload/requireNonRoot";
import { requireReadOnlyRootFilesystem } from "../../policies/workload/requireReadOnlyRootFilesystem";
import { requireSeccompProfile } from "../../policies/workload/requireSeccompProfile";
import { restrictAddedCapabilities } from "../../policies/workload/restrictAddedCapabilities";
import { restrictAppArmor } from "../../policies/workload/restrictAppArmor";
import { restrictProcMount } from "../../policies/workload/restrictProcMount";
import { restrictSeccomp } from "../../policies/workload/restrictSeccomp";
import { restrictSeLinux } from "../../policies/workload/restrictSeLinux";
import { restrictSysctls } from "../../policies/workload/restrictSysctls";
import { restrictVolumeTypes } from "../../policies/workload/restrictVolumeTypes";
import { setPath, violationsOf, withField, workload, WORKLOADS, type WorkloadKind } from "./fixtures";

type Verdict = "allowed" | "refused";
/** Field changes relative to the pod spec (`undefined` deletes the field). */
type Changes = Record<string, unknown>;

function pod(changes: Changes, kind: WorkloadKind = "Pod"): ResourceUnderTest {
  let r = workload(kind);
  for (const [path, value] of Object.entries(changes))
    r = withField(r, `${WORKLOADS[kind].podPath}.${path}`, value);
  return r;
}

function verdictOf(
  policy: Policies[number],
  r: ResourceUnderTest,
  settings?: Record<string, unknown>,
): Verdict {
  return violationsOf(policy, [r], settings).length === 0 ? "allowed" : "refused";
}

/** One `it` per case: the policy's verdict on the changed Pod equals the upstream check's. */
function cases(
  policy: Policies[number],
  table: readonly [string, Changes, Verdict][],
  settings?: Record<string, unknown>,
): void {
  for (const [name, changes, expected] of table) {
    it(`${expected === "allowed" ? "allows" : "refuses"} ${name}`, () =>
      assert.equal(verdictOf(policy, pod(changes), settings), expected));
  }
}

const LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;
const WINDOWS = { "os.name": "windows" };
/** The Linux-only fields the API refuses on a Windows pod, removed as a Windows pod spec has them. */
const WINDOWS_POD: Changes = {
  ...WINDOWS,
  "securityContext.seccompProfile": undefined,
  "securityContext.runAsUser": undefined,
  ...Object.fromEntries(LISTS.flatMap((l) => [[`${l}[0].securityContext`, {}]])),
};

describe("Pod Security baseline, as upstream", () => {
  describe("disallow-privileged-containers (check_privileged.go)", () => {
    cases(disallowPrivilegedContainers, [
      ...LISTS.map((l): [string, Changes, Verdict] => [
        `privileged: true in ${l}`,
        { [`${l}[0].securityContext.privileged`]: true },
        "refused",
      ]),
      ["privileged: false", { "containers[0].securityContext.privileged": false }, "allowed"],
      ["privileged: null", { "containers[0].securityContext.privileged": null }, "allowed"],
    ]);
  });

  describe("disallow-host-namespaces (check_hostNamespaces.go)", () => {
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
      cases(disallowHostNamespaces, [
        [`${field}: true`, { [field]: true }, "refused"],
        [`${field}: false`, { [field]: false }, "allowed"],
      ]);
    }
  });

  describe("disallow-host-path (check_hostPathVolumes.go)", () => {
    cases(disallowHostPath, [
      ["a hostPath volume", { "volumes[0]": { name: "h", hostPath: { path: "/var/run" } } }, "refused"],
      ["hostPath: null", { "volumes[0]": { name: "h", hostPath: null, emptyDir: {} } }, "allowed"],
    ]);
  });

  describe("disallow-host-ports (check_hostPorts.go)", () => {
    cases(disallowHostPorts, [
      ["hostPort 8080 on a container", { "containers[0].ports[0].hostPort": 8080 }, "refused"],
      [
        "hostPort 80 on an init container",
        { "initContainers[0].ports": [{ containerPort: 80, hostPort: 80 }] },
        "refused",
      ],
      ["hostPort 0", { "containers[0].ports[0].hostPort": 0 }, "allowed"],
      ["hostPort unset", { "containers[0].ports[0].hostPort": undefined }, "allowed"],
    ]);
  });

  describe("disallow-host-process (check_windowsHostProcess.go)", () => {
    cases(disallowHostProcess, [
      ["pod hostProcess: true", { "securityContext.windowsOptions": { hostProcess: true } }, "refused"],
      ...LISTS.map((l): [string, Changes, Verdict] => [
        `hostProcess: true in ${l}`,
        { [`${l}[0].securityContext.windowsOptions`]: { hostProcess: true } },
        "refused",
      ]),
      ["hostProcess: false", { "securityContext.windowsOptions": { hostProcess: false } }, "allowed"],
    ]);
  });

  describe("restrict-added-capabilities (check_capabilities_baseline.go)", () => {
    const DEFAULT_SET = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD"];
    const MORE = ["NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
    cases(restrictAddedCapabilities, [
      [
        "the whole default set",
        { "containers[0].securityContext.capabilities.add": [...DEFAULT_SET, ...MORE] },
        "allowed",
      ],
      ...["NET_RAW", "SYS_ADMIN", "ALL", "chown"].map((cap): [string, Changes, Verdict] => [
        `adding ${cap}`,
        { "initContainers[0].securityContext.capabilities.add": [cap] },
        "refused",
      ]),
      [
        "adding SYS_ADMIN in an ephemeral container",
        { "ephemeralContainers[0].securityContext.capabilities.add": ["SYS_ADMIN"] },
        "refused",
      ],
      // Baseline has no Windows exemption: only the restricted capabilities check has one.
      [
        "adding SYS_ADMIN on a Windows pod",
        { ...WINDOWS, "containers[0].securityContext.capabilities.add": ["SYS_ADMIN"] },
        "refused",
      ],
    ]);
  });

  describe("restrict-apparmor (check_appArmorProfile.go)", () => {
    const annotation = "container.apparmor.security.beta.kubernetes.io/app";
    const annotated = (value: unknown) =>
      withField(workload("Pod"), `metadata.annotations`, { [annotation]: value });
    cases(restrictAppArmor, [
      [
        "pod type RuntimeDefault",
        { "securityContext.appArmorProfile": { type: "RuntimeDefault" } },
        "allowed",
      ],
      [
        "pod type Localhost",
        { "securityContext.appArmorProfile": { type: "Localhost", localhostProfile: "p" } },
        "allowed",
      ],
      ["pod type Unconfined", { "securityContext.appArmorProfile": { type: "Unconfined" } }, "refused"],
      ...LISTS.map((l): [string, Changes, Verdict] => [
        `type Unconfined in ${l}`,
        { [`${l}[0].securityContext.appArmorProfile`]: { type: "Unconfined" } },
        "refused",
      ]),
    ]);
    for (const [value, expected] of [
      ["runtime/default", "allowed"],
      ["localhost/foo", "allowed"],
      ["", "allowed"],
      ["unconfined", "refused"],
      ["docker/default", "refused"],
    ] as const) {
      it(`${expected === "allowed" ? "allows" : "refuses"} the annotation value "${value}"`, () =>
        assert.equal(verdictOf(restrictAppArmor, annotated(value)), expected));
    }
  });

  describe("restrict-selinux (check_seLinuxOptions.go, v1.31 types)", () => {
    cases(restrictSeLinux, [
      ...["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"].map(
        (type): [string, Changes, Verdict] => [
          `type "${type}"`,
          { "securityContext.seLinuxOptions": { type } },
          "allowed",
        ],
      ),
      ["a level", { "containers[0].securityContext.seLinuxOptions": { level: "somevalue" } }, "allowed"],
      ["type somevalue on the pod", { "securityContext.seLinuxOptions": { type: "somevalue" } }, "refused"],
      [
        "type spc_t on an init container",
        { "initContainers[0].securityContext.seLinuxOptions": { type: "spc_t" } },
        "refused",
      ],
      [
        "type spc_t on an ephemeral container",
        { "ephemeralContainers[0].securityContext.seLinuxOptions": { type: "spc_t" } },
        "refused",
      ],
      ["a user", { "securityContext.seLinuxOptions": { user: "somevalue" } }, "refused"],
      ["a role", { "containers[0].securityContext.seLinuxOptions": { role: "somevalue" } }, "refused"],
      ["an empty user and role", { "securityContext.seLinuxOptions": { user: "", role: "" } }, "allowed"],
    ]);
  });

  describe("restrict-proc-mount (check_procMount_baseline.go, check_procMount_restricted.go)", () => {
    const unmasked = (l: string) => ({ [`${l}[0].securityContext.procMount`]: "Unmasked" });
    describe("restricted (the default)", () => {
      cases(restrictProcMount, [
        ["Default", { "containers[0].securityContext.procMount": "Default" }, "allowed"],
        ...LISTS.map((l): [string, Changes, Verdict] => [`Unmasked in ${l}`, unmasked(l), "refused"]),
        ["Unmasked even with hostUsers: false", { ...unmasked("containers"), hostUsers: false }, "refused"],
      ]);
    });
    describe("baseline", () => {
      cases(
        restrictProcMount,
        [
          ["Unmasked with hostUsers: true", { ...unmasked("initContainers"), hostUsers: true }, "refused"],
          [
            "Unmasked with hostUsers: false (v1.35)",
            { ...unmasked("containers"), hostUsers: false },
            "allowed",
          ],
        ],
        { profile: "baseline" },
      );
    });
  });

  describe("restrict-seccomp (check_seccompProfile_baseline.go)", () => {
    cases(restrictSeccomp, [
      ["pod Unconfined", { "securityContext.seccompProfile": { type: "Unconfined" } }, "refused"],
      ...LISTS.map((l): [string, Changes, Verdict] => [
        `Unconfined in ${l}`,
        { [`${l}[0].securityContext.seccompProfile`]: { type: "Unconfined" } },
        "refused",
      ]),
      [
        "no profile at all (a restricted concern)",
        { "securityContext.seccompProfile": undefined },
        "allowed",
      ],
      [
        "Localhost",
        { "containers[0].securityContext.seccompProfile": { type: "Localhost", localhostProfile: "p.json" } },
        "allowed",
      ],
    ]);
  });

  describe("restrict-sysctls (check_sysctls.go, v1.37 set)", () => {
    const SAFE = [
      "kernel.shm_rmid_forced",
      "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies",
      "net.ipv4.ping_group_range",
      "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.ip_local_reserved_ports", // v1.27
      "net.ipv4.tcp_keepalive_time", // v1.29
      "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl",
      "net.ipv4.tcp_keepalive_probes",
      "net.ipv4.tcp_rmem", // v1.32
      "net.ipv4.tcp_wmem",
      "net.ipv4.tcp_slow_start_after_idle", // v1.37
      "net.ipv4.tcp_notsent_lowat",
    ];
    cases(restrictSysctls, [
      ...SAFE.map((name): [string, Changes, Verdict] => [
        name,
        { "securityContext.sysctls": [{ name, value: "1" }] },
        "allowed",
      ]),
      ["othersysctl", { "securityContext.sysctls": [{ name: "othersysctl", value: "other" }] }, "refused"],
      ["kernel.msgmax", { "securityContext.sysctls": [{ name: "kernel.msgmax", value: "1" }] }, "refused"],
      [
        "net.ipv4/tcp_syncookies (slash form)",
        { "securityContext.sysctls": [{ name: "net.ipv4/tcp_syncookies", value: "1" }] },
        "refused",
      ],
    ]);
  });

  describe("disallow-probe-host (check_hostProbesAndhostLifecycle.go, v1.34)", () => {
    const HANDLERS = [
      "livenessProbe",
      "readinessProbe",
      "startupProbe",
      "lifecycle.postStart",
      "lifecycle.preStop",
    ];
    for (const list of LISTS) {
      for (const handler of HANDLERS) {
        for (const action of ["httpGet", "tcpSocket"]) {
          const at = `${list}[0].${handler}.${action}`;
          const port = action === "httpGet" ? { path: "/", port: 8080 } : { port: 8080 };
          cases(disallowProbeHost, [
            ...["127.0.0.1", "localhost", "::1", "invalid.host", "10.0.0.1"].map(
              (host): [string, Changes, Verdict] => [
                `${at}.host ${host}`,
                { [at]: { ...port, host } },
                "refused",
              ],
            ),
            [`${at}.host unset`, { [at]: port }, "allowed"],
            [`${at}.host ""`, { [at]: { ...port, host: "" } }, "allowed"],
          ]);
        }
      }
    }
    cases(disallowProbeHost, [
      ["a null host", { "containers[0].readinessProbe.httpGet.host": null }, "allowed"],
    ]);
  });
});

describe("Pod Security restricted, as upstream", () => {
  describe("disallow-privilege-escalation (check_allowPrivilegeEscalation.go)", () => {
    cases(disallowPrivilegeEscalation, [
      ...LISTS.flatMap((l) =>
        [true, null, undefined].map((value): [string, Changes, Verdict] => [
          `allowPrivilegeEscalation ${String(value)} in ${l}`,
          { [`${l}[0].securityContext.allowPrivilegeEscalation`]: value },
          "refused",
        ]),
      ),
      ["allowPrivilegeEscalation: false everywhere", {}, "allowed"],
      ["a Windows pod that does not set it (v1.25)", WINDOWS_POD, "allowed"],
      [
        "a pod with os.name linux that does not set it",
        { "os.name": "linux", "containers[0].securityContext": {} },
        "refused",
      ],
    ]);
  });

  describe("require-drop-all-capabilities (check_capabilities_restricted.go)", () => {
    const ALL_BUT_ALL = [
      "SYS_TIME",
      "SYS_MODULE",
      "SYS_ADMIN",
      "NET_RAW",
      "CHOWN",
      "SETUID",
      "NET_BIND_SERVICE",
    ];
    cases(requireDropAllCapabilities, [
      [
        "drop [ALL] and add NET_BIND_SERVICE",
        { "containers[0].securityContext.capabilities": { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } },
        "allowed",
      ],
      ["drop []", { "initContainers[0].securityContext.capabilities.drop": [] }, "refused"],
      [
        "drop of every named capability but not ALL",
        { "containers[0].securityContext.capabilities.drop": ALL_BUT_ALL },
        "refused",
      ],
      ["drop [all] (lowercase)", { "containers[0].securityContext.capabilities.drop": ["all"] }, "refused"],
      [
        "no capabilities on an ephemeral container",
        { "ephemeralContainers[0].securityContext.capabilities": undefined },
        "refused",
      ],
      [
        "add CHOWN (in the baseline set)",
        { "containers[0].securityContext.capabilities.add": ["CHOWN"] },
        "refused",
      ],
      ["a Windows pod without capabilities (v1.25)", WINDOWS_POD, "allowed"],
    ]);
  });

  describe("require-seccomp-profile (check_seccompProfile_restricted.go)", () => {
    const every = (type: string) =>
      Object.fromEntries(LISTS.map((l) => [`${l}[0].securityContext.seccompProfile`, { type }]));
    cases(requireSeccompProfile, [
      ["pod RuntimeDefault, containers unset", {}, "allowed"],
      [
        "pod Localhost",
        { "securityContext.seccompProfile": { type: "Localhost", localhostProfile: "p.json" } },
        "allowed",
      ],
      [
        "pod unset, every container RuntimeDefault",
        { "securityContext.seccompProfile": undefined, ...every("RuntimeDefault") },
        "allowed",
      ],
      ["pod unset, containers unset", { "securityContext.seccompProfile": undefined }, "refused"],
      [
        "pod unset, the ephemeral container unset",
        {
          "securityContext.seccompProfile": undefined,
          ...every("RuntimeDefault"),
          "ephemeralContainers[0].securityContext.seccompProfile": undefined,
        },
        "refused",
      ],
      [
        "pod Unconfined although every container sets RuntimeDefault",
        { "securityContext.seccompProfile": { type: "Unconfined" }, ...every("RuntimeDefault") },
        "refused",
      ],
      [
        "a container Unconfined under a RuntimeDefault pod",
        { "initContainers[0].securityContext.seccompProfile": { type: "Unconfined" } },
        "refused",
      ],
      ["a Windows pod without a profile (v1.25)", WINDOWS_POD, "allowed"],
    ]);
  });

  describe("require-non-root (check_runAsNonRoot.go, check_runAsUser.go)", () => {
    const everyNonRoot = Object.fromEntries(LISTS.map((l) => [`${l}[0].securityContext.runAsNonRoot`, true]));
    cases(requireNonRoot, [
      ["pod runAsNonRoot true", {}, "allowed"],
      [
        "pod unset, every container true",
        { "securityContext.runAsNonRoot": undefined, ...everyNonRoot },
        "allowed",
      ],
      [
        "pod unset, one container unset",
        {
          "securityContext.runAsNonRoot": undefined,
          ...everyNonRoot,
          "initContainers[0].securityContext.runAsNonRoot": undefined,
        },
        "refused",
      ],
      [
        "pod false, every container true",
        { "securityContext.runAsNonRoot": false, ...everyNonRoot },
        "refused",
      ],
      ...LISTS.map((l): [string, Changes, Verdict] => [
        `runAsNonRoot false in ${l}`,
        { [`${l}[0].securityContext.runAsNonRoot`]: false },
        "refused",
      ]),
      ["runAsUser 1000", { "securityContext.runAsUser": 1000 }, "allowed"],
      ["pod runAsUser 0", { "securityContext.runAsUser": 0 }, "refused"],
      ...LISTS.map((l): [string, Changes, Verdict] => [
        `runAsUser 0 in ${l}`,
        { [`${l}[0].securityContext.runAsUser`]: 0 },
        "refused",
      ]),
      [
        "runAsUser 0 and runAsNonRoot false with hostUsers: false (v1.35)",
        { hostUsers: false, "securityContext.runAsUser": 0, "securityContext.runAsNonRoot": false },
        "allowed",
      ],
      ["runAsUser 0 with hostUsers: true", { hostUsers: true, "securityContext.runAsUser": 0 }, "refused"],
      [
        "a Windows pod without runAsNonRoot (no OS exemption)",
        { ...WINDOWS_POD, "securityContext.runAsNonRoot": undefined },
        "refused",
      ],
    ]);
  });

  describe("restrict-volume-types (check_restrictedVolumes.go)", () => {
    const ALLOWED: Record<string, unknown> = {
      configMap: { name: "c" },
      csi: { driver: "d" },
      downwardAPI: {},
      emptyDir: {},
      ephemeral: { volumeClaimTemplate: { spec: {} } },
      image: { reference: "registry.example.com/data:1" },
      persistentVolumeClaim: { claimName: "c" },
      projected: { sources: [] },
      secret: { secretName: "s" },
    };
    const RESTRICTED = [
      "hostPath",
      "gcePersistentDisk",
      "awsElasticBlockStore",
      "gitRepo",
      "nfs",
      "iscsi",
      "glusterfs",
      "rbd",
      "flexVolume",
      "cinder",
      "cephfs",
      "flocker",
      "fc",
      "azureFile",
      "vsphereVolume",
      "quobyte",
      "azureDisk",
      "portworxVolume",
      "photonPersistentDisk",
      "scaleIO",
      "storageos",
    ];
    cases(restrictVolumeTypes, [
      ...Object.entries(ALLOWED).map(([type, source]): [string, Changes, Verdict] => [
        type,
        { "volumes[0]": { name: "v", [type]: source } },
        "allowed",
      ]),
      ...RESTRICTED.map((type): [string, Changes, Verdict] => [
        type,
        { "volumes[0]": { name: "v", [type]: {} } },
        "refused",
      ]),
      ["a volume without a source (defaulted to emptyDir)", { "volumes[0]": { name: "v" } }, "allowed"],
      [
        "a restricted source set to null",
        { "volumes[0]": { name: "v", nfs: null, emptyDir: {} } },
        "allowed",
      ],
    ]);
  });
});

describe("the Windows pod of issue 11", () => {
  // A Deployment whose template sets os.name windows and runAsNonRoot, and no seccomp profile,
  // capabilities or allowPrivilegeEscalation: restricted since v1.25, so no mandatory violation.
  const windows = () => {
    const r = pod(WINDOWS_POD, "Deployment");
    setPath(r.props, "spec.replicas", 2);
    return r;
  };
  const mandatory = (r: ResourceUnderTest) =>
    runPolicies([r], loadPolicyConfig("prod"))
      .filter((v) => v.enforcementLevel === "mandatory")
      .map((v) => v.policy);

  it("has no mandatory violation on prod", () => assert.deepEqual(mandatory(windows()), []));

  it("is not asked for a read-only root filesystem (a Linux-only field)", () =>
    assert.equal(verdictOf(requireReadOnlyRootFilesystem, windows()), "allowed"));

  it("still fails the three Linux-only controls as a Linux pod", () => {
    const linux = withField(windows(), "spec.template.spec.os", undefined);
    assert.deepEqual(mandatory(linux).sort(), [
      "disallow-privilege-escalation",
      "disallow-privilege-escalation",
      "disallow-privilege-escalation",
      "require-drop-all-capabilities",
      "require-drop-all-capabilities",
      "require-drop-all-capabilities",
      "require-seccomp-profile",
      "require-seccomp-profile",
      "require-seccomp-profile",
    ]);
  });

  it("has no mandatory violation as a manifest either (npm run policy -- --stack prod)", async () => {
    const file = path.join(__dirname, "..", "fixtures", "manifests", "windows.yaml");
    const text = fs.readFileSync(file, "utf8");
    const { violations } = await checkManifests([{ source: file, text }], loadPolicyConfig("prod"));
    assert.deepEqual(
      violations.filter((v) => v.enforcementLevel === "mandatory"),
      [],
    );
    const linux = text.replace("      os:\n        name: windows\n", "");
    const refused = await checkManifests([{ source: file, text: linux }], loadPolicyConfig("prod"));
    assert.deepEqual(
      [
        ...new Set(refused.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy)),
      ].sort(),
      ["disallow-privilege-escalation", "require-drop-all-capabilities", "require-seccomp-profile"],
    );
  });
});
