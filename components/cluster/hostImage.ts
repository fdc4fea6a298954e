import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { bundledImage, bundlePath, OfflineBundle } from "../../offline";
import { fromBundle } from "../kube";

/**
 * Loads an image of the offline bundle into this machine's Docker engine (`docker load`) before a
 * `docker.RemoteImage` of the same reference: the Docker provider looks for an image locally before
 * it pulls, so nothing is pulled. The archive's digest was checked when the configuration was
 * loaded; a new archive (another digest) loads again.
 * @throws pulumi.RunError naming `platform:offlineBundle` when the bundle lacks the image.
 */
function loadHostImage(
  name: string,
  ref: string,
  bundle: OfflineBundle,
  parent: pulumi.Resource,
): command.local.Command {
  const entry = fromBundle(() => bundledImage(bundle, ref));
  return new command.local.Command(
    name,
    {
      create: 'docker load --input "$ARCHIVE"',
      environment: { ARCHIVE: bundlePath(bundle, entry.file) },
      triggers: [entry.fileDigest],
      logging: "stderr",
    },
    { parent },
  );
}

/**
 * An image of this machine's Docker engine, kept after use: pulled by the Docker provider, or, with
 * an offline bundle, loaded from the bundle first (see {@link loadHostImage}), so nothing is pulled.
 * @throws pulumi.RunError naming `platform:offlineBundle` when the bundle lacks the image.
 */
export function hostImage(
  name: string,
  ref: string,
  bundle: OfflineBundle | undefined,
  parent: pulumi.Resource,
): docker.RemoteImage {
  const loaded = bundle ? [loadHostImage(`${name}-load`, ref, bundle, parent)] : [];
  return new docker.RemoteImage(name, { name: ref, keepLocally: true }, { parent, dependsOn: loaded });
}
