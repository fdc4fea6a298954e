import * as assert from "node:assert/strict";
import { underPrefix } from "../../policies/lib/hostPaths";
import { disallowHostPath } from "../../policies/workload/disallowHostPath";
import { restrictVolumeTypes } from "../../policies/workload/restrictVolumeTypes";
import { loadPolicyConfig } from "../../policies/policyConfig";
import { assertMessages, withField, workload } from "./fixtures";

// `allowedHostPaths` lets one named resource mount host paths below the listed prefixes, read-only
// in every container (PodSecurityPolicy's allowedHostPaths with readOnly), instead of exempting it
// from the host-path checks altogether. The monitoring stack's log collector is the case in point.
const POD = "spec.template.spec";
const ALLOY_ONLY = {
  allowedHostPaths: [
    { resource: "DaemonSet/monitoring-node/alloy", pathPrefixes: ["/var/log"], reason: "tails pod logs" },
  ],
};

/** A DaemonSet `alloy` in `monitoring-node` whose first container mounts host path `hostPath`. */
function alloy(hostPath: string, readOnly: boolean | undefined, name = "alloy") {
  let ds = withField(workload("DaemonSet"), "metadata", { name, namespace: "monitoring-node" });
  ds = withField(ds, `${POD}.volumes[1]`, { name: "logs", hostPath: { path: hostPath } });
  return withField(ds, `${POD}.containers[0].volumeMounts`, [
    { name: "logs", mountPath: "/host/logs", ...(readOnly === undefined ? {} : { readOnly }) },
  ]);
}

describe("allowedHostPaths (disallow-host-path, restrict-volume-types)", () => {
  it("allows the named resource's read-only mounts at or below a listed prefix", () => {
    for (const policy of [disallowHostPath, restrictVolumeTypes]) {
      assertMessages(policy, alloy("/var/log", true), [], ALLOY_ONLY);
      assertMessages(policy, alloy("/var/log/pods", true), [], ALLOY_ONLY);
    }
  });

  it("refuses a writable mount, another path, a path that only looks like the prefix, and another resource", () => {
    const volume = `${POD}.volumes[1] "logs"`;
    for (const [resource, hostPath] of [
      [alloy("/var/log", false), "/var/log"],
      [alloy("/var/log", undefined), "/var/log"], // readOnly defaults to false
      [alloy("/", true), "/"], // the reviewer's case: the whole node
      [alloy("/var/logs", true), "/var/logs"], // whole path segments only
      [alloy("/var/log/../../etc", true), "/var/log/../../etc"],
      [alloy("/var/log", true, "collector"), "/var/log"],
    ] as const) {
      assertMessages(disallowHostPath, resource, [`${volume}: hostPath volume "${hostPath}"`], ALLOY_ONLY);
      assertMessages(
        restrictVolumeTypes,
        resource,
        [`${volume}: volume type hostPath is not allowed`],
        ALLOY_ONLY,
      );
    }
  });

  it("compares paths by whole segments after resolving `..`", () => {
    assert.deepEqual(
      [
        underPrefix("/var/log", "/var/log"),
        underPrefix("/var/log/", "/var/log"),
        underPrefix("/var/log/pods", "/var/log/"),
        underPrefix("/var/logs", "/var/log"),
        underPrefix("/var/log/../lib", "/var/log"),
        underPrefix("var/log", "/var/log"),
        underPrefix("/etc", "/"),
      ],
      [true, true, true, false, false, false, true],
    );
  });

  it("is how every stack's config lets node-exporter and Alloy mount host paths, with no exemption left", () => {
    for (const stack of ["dev", "staging", "prod", "existing"]) {
      const config = loadPolicyConfig(stack) as Record<string, Record<string, unknown>>;
      for (const policy of ["disallow-host-path", "restrict-volume-types"]) {
        const own = config[policy] ?? {};
        assert.equal(own.exemptions, undefined, `${stack} ${policy}`);
        assert.deepEqual(
          (own.allowedHostPaths as { resource: string; pathPrefixes: string[] }[]).map((a) => [
            a.resource,
            a.pathPrefixes,
          ]),
          [
            ["DaemonSet/monitoring-node/node-exporter", ["/"]],
            ["DaemonSet/monitoring-node/alloy", ["/var/log"]],
          ],
          `${stack} ${policy}`,
        );
      }
    }
  });
});
