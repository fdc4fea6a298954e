import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { OfflineBundle } from "../../offline";
import { RegistryAuth } from "../registry";
import { bundledAppImage, pushBundledImage } from "./bundledPush";

/** Arguments of {@link AppImage}. */
export interface AppImageArgs {
  /** Directory with the Dockerfile: the build context. */
  readonly context: string;
  /** Repository prefix in the registry (`localhost:5001`, `registry.digitalocean.com/<name>`). */
  readonly registryServer: pulumi.Input<string>;
  /** Repository name under the prefix, e.g. `api`. */
  readonly repository: string;
  /** Push credentials, when the registry needs them. */
  readonly auth?: pulumi.Input<RegistryAuth>;
  /** Target platform, e.g. `linux/amd64` for DigitalOcean nodes; default: the builder's own. */
  readonly platform?: string;
  /**
   * Take the image this offline bundle built from the same sources (same content tag) and push it
   * to the registry, instead of building it. Default: build.
   */
  readonly offlineBundle?: OfflineBundle;
}

/**
 * An image built from the repository and pushed with an immutable tag derived from the content of
 * its build context. Workloads use {@link AppImage.ref}, the digest the push returns, so what runs
 * is exactly what was built — a tag could be moved, a digest cannot.
 */
export class AppImage extends pulumi.ComponentResource {
  /** `<registry>/<repository>@sha256:…`, known once the image is pushed. */
  public readonly ref: pulumi.Output<string>;
  /** The content-derived tag, e.g. `src-3f2a9c1d0b7e`. */
  public readonly tag: string;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:app:AppImage", name, {}, opts);
    this.tag = `src-${contentDigest(args.context).slice(0, 12)}`;
    const imageName = pulumi.interpolate`${args.registryServer}/${args.repository}:${this.tag}`;
    if (args.offlineBundle) {
      const bundled = bundledAppImage(args.offlineBundle, args.repository, this.tag);
      const push = pushBundledImage(`${name}-push`, bundled, args.offlineBundle, imageName, this);
      this.ref = push.stdout.apply((out) => out.trim());
      this.registerOutputs({ ref: this.ref });
      return;
    }
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName,
        build: {
          context: args.context,
          dockerfile: path.join(args.context, "Dockerfile"),
          ...(args.platform ? { platform: args.platform } : {}),
        },
        ...(args.auth ? { registry: args.auth } : {}),
      },
      { parent: this },
    );
    this.ref = image.repoDigest;
    this.registerOutputs({ ref: this.ref });
  }
}

// What a build context holds besides sources: never part of the image (see each .dockerignore).
const SKIPPED = new Set(["node_modules", "dist", ".git", "coverage"]);

/** SHA-256 over the relative paths and contents of the build context, in a stable order. */
export function contentDigest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (current: string) => {
    for (const entry of fs
      .readdirSync(current, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIPPED.has(entry.name)) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        hash.update(path.relative(dir, full).split(path.sep).join("/"));
        hash.update("\0");
        hash.update(fs.readFileSync(full));
        hash.update("\0");
      }
    }
  };
  walk(dir);
  return hash.digest("hex");
}
