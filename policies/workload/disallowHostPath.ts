import { workloadPolicy } from "../lib/define";
import { ALLOWED_HOST_PATHS_SCHEMA, type AllowedHostPaths, isAllowedHostPath } from "../lib/hostPaths";
import { record, str } from "../lib/paths";
import { volumesOf } from "../lib/podSpec";

interface HostPathConfig {
  readonly allowedHostPaths: readonly AllowedHostPaths[];
}

/**
 * Pod Security Standards baseline, "HostPath Volumes", as `policy/check_hostPathVolumes.go` of
 * k8s.io/pod-security-admission decides it: no volume sets `hostPath` (null counts as unset). A
 * resource named in `allowedHostPaths` may mount the paths listed there, read-only (see
 * {@link AllowedHostPaths}): narrower than an exemption, which would allow any path, writable.
 */
export const disallowHostPath = workloadPolicy<HostPathConfig>({
  name: "disallow-host-path",
  description: "Pods do not mount hostPath volumes (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowedHostPaths: ALLOWED_HOST_PATHS_SCHEMA } },
  check: ({ args, pod, config, report }) => {
    for (const { volume, path } of volumesOf(pod)) {
      if (volume.hostPath !== undefined && volume.hostPath !== null) {
        if (isAllowedHostPath(config.allowedHostPaths, args, pod, volume)) continue;
        const hostPath = str(record(volume.hostPath).path) ?? "";
        report(`${path} "${str(volume.name) ?? ""}": hostPath volume "${hostPath}"`);
      }
    }
  },
});
