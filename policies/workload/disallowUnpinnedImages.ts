import { workloadPolicy } from "../lib/define";
import { imageProblem } from "../lib/image";
import { containersOf } from "../lib/podSpec";

/** Config of {@link disallowUnpinnedImages}. */
export interface PinnedImagesConfig {
  /** Require every image to carry a digest. Default: false. */
  readonly requireDigest: boolean;
}

/**
 * Every image in every container list is pinned: a version tag other than `latest`, or a digest.
 * Registry ports (`localhost:5000/app`) are not tags.
 */
export const disallowUnpinnedImages = workloadPolicy<PinnedImagesConfig>({
  name: "disallow-unpinned-images",
  description: "Container images are pinned: no latest, no missing tag; optionally a digest is required.",
  enforcementLevel: "mandatory",
  remediationSteps: "Use an exact version tag (or a digest: name@sha256:...) for every image.",
  configSchema: {
    properties: {
      requireDigest: { type: "boolean", default: false, description: "Require a digest on every image." },
    },
  },
  check: ({ pod, config, report }) => {
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      if (typeof image !== "string" || image.trim() === "") {
        report(`${c.label}: image is not set`);
        continue;
      }
      const problem = imageProblem(image, { requireDigest: config.requireDigest });
      if (problem) report(`${c.label}: ${problem}`);
    }
  },
});
