import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { BundleImage, bundlePath, normalizeImage, OfflineBundle } from "../../offline";

/**
 * The bundle's build of one app image: the `registry` image whose repository ends in
 * `/<repository>` with the content-derived tag the sources give today.
 * @throws pulumi.RunError naming both tags when the sources changed since the bundle was made.
 */
export function bundledAppImage(bundle: OfflineBundle, repository: string, tag: string): BundleImage {
  const builds = bundle.manifest.images.filter(
    (image) =>
      image.target === "registry" &&
      normalizeImage(image.ref)
        .replace(/:[^:/]+$/, "")
        .endsWith(`/${repository}`),
  );
  const found = builds.find((image) => normalizeImage(image.ref).endsWith(`/${repository}:${tag}`));
  if (found) return found;
  const had = builds.map((image) => image.ref).join(", ") || "none";
  throw new pulumi.RunError(
    `platform:offlineBundle: the offline bundle ${bundle.dir} has no build of app/${repository} at ${tag} (it has ${had}): the sources changed since the bundle was made; make it again with \`npm run bundle\``,
  );
}

// Loads the archive, tags the image with the name the registry serves it under, pushes it there
// (a local registry: no network) and prints the digest the push recorded.
const LOAD_AND_PUSH = [
  "set -eu",
  'docker load --input "$ARCHIVE" >/dev/null',
  'docker tag "$BUNDLED" "$TARGET"',
  'docker push "$TARGET" >/dev/null',
  `docker inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$TARGET" | grep -m1 "^\${TARGET%:*}@"`,
].join("\n");

/**
 * Seeds the local registry with an app image from the offline bundle instead of building it (its
 * build would fetch packages). `stdout` is `<registry>/<repository>@sha256:…`.
 */
export function pushBundledImage(
  name: string,
  image: BundleImage,
  bundle: OfflineBundle,
  target: pulumi.Input<string>,
  parent: pulumi.Resource,
): command.local.Command {
  return new command.local.Command(
    name,
    {
      create: LOAD_AND_PUSH,
      environment: {
        ARCHIVE: bundlePath(bundle, image.file),
        BUNDLED: image.ref,
        TARGET: target,
      },
      triggers: [image.fileDigest, target],
      logging: "stderr",
    },
    { parent },
  );
}
