import { resourcePolicy } from "../lib/define";
import { imageProblem } from "../lib/image";

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;
const FIELDS: Readonly<Record<string, string>> = {
  "docker:index/remoteImage:RemoteImage": "name",
  "docker:index/container:Container": "image",
};

/** Docker images pulled or run by `@pulumi/docker` are pinned (version tag or digest, never latest). */
export const requirePinnedDockerImages = resourcePolicy({
  name: "require-pinned-docker-images",
  description: "Docker RemoteImage names and Container images are pinned.",
  enforcementLevel: "mandatory",
  appliesTo: (type) => FIELDS[type] !== undefined,
  check: ({ args, props, report }) => {
    const field = FIELDS[args.type];
    const image = props[field];
    if (typeof image !== "string" || image === "") {
      report(`${field} is not set`);
      return;
    }
    if (IMAGE_ID.test(image)) return; // an image ID (e.g. RemoteImage.imageId) is immutable
    const problem = imageProblem(image, { requireDigest: false });
    if (problem) report(`${field}: ${problem}`);
  },
});
