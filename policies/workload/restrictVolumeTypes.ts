import { workloadPolicy } from "../lib/define";
import { str } from "../lib/paths";
import { volumesOf } from "../lib/podSpec";

/** Volume sources the Pod Security Standards restricted profile allows. */
export const ALLOWED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Pod Security Standards restricted, "Volume Types": only the allowed volume sources. */
export const restrictVolumeTypes = workloadPolicy({
  name: "restrict-volume-types",
  description:
    "Pods use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, PVC, projected, secret volumes.",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    for (const { volume, path } of volumesOf(pod)) {
      const sources = Object.keys(volume).filter((k) => k !== "name" && volume[k] !== undefined);
      const banned = sources.filter((k) => !ALLOWED_VOLUME_TYPES.has(k));
      if (banned.length > 0)
        report(`${path} "${str(volume.name) ?? ""}": volume type ${banned.join(", ")} is not allowed`);
    }
  },
});
