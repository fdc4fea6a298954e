import { disallowUnpinnedImages } from "../../policies/workload/disallowUnpinnedImages";
import { assertMessages, itPassesEveryCompliantKind, withPodField } from "./fixtures";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("disallow-unpinned-images", () => {
  itPassesEveryCompliantKind(disallowUnpinnedImages);

  it("reads localhost:5000/app as untagged: the colon is a registry port", () => {
    assertMessages(
      disallowUnpinnedImages,
      withPodField("Deployment", "initContainers[0].image", "localhost:5000/app"),
      [
        'spec.template.spec.initContainers[0] "migrate": image "localhost:5000/app" has no tag (it means latest)',
      ],
    );
  });

  it("reports host:443/team/app:latest in an ephemeral container", () => {
    const r = withPodField("Deployment", "ephemeralContainers[0].image", "host:443/team/app:latest");
    assertMessages(disallowUnpinnedImages, r, [
      'spec.template.spec.ephemeralContainers[0] "debug": image "host:443/team/app:latest" uses the latest tag',
    ]);
  });

  it("reads nginx as nginx:latest", () => {
    assertMessages(disallowUnpinnedImages, withPodField("Pod", "containers[0].image", "nginx"), [
      'spec.containers[0] "app": image "nginx" has no tag (it means latest)',
    ]);
  });

  it("accepts an image pinned by digest only", () => {
    assertMessages(disallowUnpinnedImages, withPodField("Pod", "containers[0].image", `app@${DIGEST}`), []);
  });

  it("accepts a tagged image behind a registry port", () => {
    assertMessages(
      disallowUnpinnedImages,
      withPodField("Pod", "containers[0].image", "localhost:5000/app:1.0.0"),
      [],
    );
  });

  it("requires a digest when requireDigest is set", () => {
    assertMessages(
      disallowUnpinnedImages,
      withPodField("Pod", "containers[0].image", "nginx:1.27.3"),
      [
        'spec.containers[0] "app": image "nginx:1.27.3" is not pinned by digest',
        'spec.initContainers[0] "migrate": image "registry.example.com/shop/migrate:1.2.3" is not pinned by digest',
        'spec.ephemeralContainers[0] "debug": image "registry.example.com/tools/debug:0.4.0" is not pinned by digest',
      ],
      { requireDigest: true },
    );
  });

  it("accepts tag plus digest when requireDigest is set", () => {
    // Only the other two containers (tags without digests) are reported.
    const r = withPodField("Pod", "containers[0].image", `nginx:1.27.3@${DIGEST}`);
    assertMessages(
      disallowUnpinnedImages,
      r,
      [
        'spec.initContainers[0] "migrate": image "registry.example.com/shop/migrate:1.2.3" is not pinned by digest',
        'spec.ephemeralContainers[0] "debug": image "registry.example.com/tools/debug:0.4.0" is not pinned by digest',
      ],
      { requireDigest: true },
    );
  });

  it("reports an invalid reference", () => {
    assertMessages(disallowUnpinnedImages, withPodField("Pod", "containers[0].image", "Shop/App:1"), [
      'spec.containers[0] "app": image "Shop/App:1" is not a valid reference (invalid reference format: repository name must be lowercase)',
    ]);
  });

  it("reports a container without an image", () => {
    assertMessages(disallowUnpinnedImages, withPodField("Job", "containers[0].image", undefined), [
      'spec.template.spec.containers[0] "app": image is not set',
    ]);
  });

  it("checks the CronJob's job template", () => {
    assertMessages(disallowUnpinnedImages, withPodField("CronJob", "containers[0].image", "busybox:latest"), [
      'spec.jobTemplate.spec.template.spec.containers[0] "app": image "busybox:latest" uses the latest tag',
    ]);
  });
});
