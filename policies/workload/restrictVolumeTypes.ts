import { workloadPolicy } from "../lib/define";
import { ALLOWED_HOST_PATHS_SCHEMA, type AllowedHostPaths, isAllowedHostPath } from "../lib/hostPaths";
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

// The other inline sources of the Volume API (the restricted fields of the upstream check). A key that
// is neither is not a volume source: the schema check reports it as an unknown field.
const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
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
]);

/**
 * Pod Security Standards restricted, "Volume Types", as `policy/check_restrictedVolumes.go` of
 * k8s.io/pod-security-admission decides it: every volume's source is one of the allowed ones. A
 * source set to null counts as unset; a volume with no source at all is defaulted to emptyDir by the
 * API server, so it passes. A hostPath volume that `allowedHostPaths` allows (a listed prefix,
 * read-only) passes, as in `disallow-host-path`.
 */
export const restrictVolumeTypes = workloadPolicy<{ readonly allowedHostPaths: readonly AllowedHostPaths[] }>(
  {
    name: "restrict-volume-types",
    description:
      "Pods use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, PVC, projected, secret volumes.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowedHostPaths: ALLOWED_HOST_PATHS_SCHEMA } },
    check: ({ args, pod, config, report }) => {
      for (const { volume, path } of volumesOf(pod)) {
        const sources = Object.keys(volume).filter((k) => volume[k] !== undefined && volume[k] !== null);
        if (sources.some((k) => ALLOWED_VOLUME_TYPES.has(k))) continue;
        const hostPathAllowed = isAllowedHostPath(config.allowedHostPaths, args, pod, volume);
        const banned = sources.filter(
          (k) => RESTRICTED_VOLUME_TYPES.has(k) && !(k === "hostPath" && hostPathAllowed),
        );
        if (banned.length > 0)
          report(`${path} "${str(volume.name) ?? ""}": volume type ${banned.join(", ")} is not allowed`);
      }
    },
  },
);
