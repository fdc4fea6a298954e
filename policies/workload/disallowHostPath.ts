import { workloadPolicy } from "../lib/define";
import { record, str } from "../lib/paths";
import { volumesOf } from "../lib/podSpec";

/**
 * Pod Security Standards baseline, "HostPath Volumes", as `policy/check_hostPathVolumes.go` of
 * k8s.io/pod-security-admission decides it: no volume sets `hostPath` (null counts as unset).
 */
export const disallowHostPath = workloadPolicy({
  name: "disallow-host-path",
  description: "Pods do not mount hostPath volumes (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const { volume, path } of volumesOf(pod)) {
      if (volume.hostPath !== undefined && volume.hostPath !== null) {
        const hostPath = str(record(volume.hostPath).path) ?? "";
        report(`${path} "${str(volume.name) ?? ""}": hostPath volume "${hostPath}"`);
      }
    }
  },
});
