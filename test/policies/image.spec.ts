import * as assert from "node:assert/strict";
import { imageProblem } from "../../policies/lib/image";
import { parseImage } from "../../reference/image";

const DIGEST = `sha256:${"c".repeat(64)}`;

describe("image reference parsing", () => {
  const cases: [string, { domain: string; repository: string; tag?: string; digest?: string }][] = [
    ["localhost:5000/app", { domain: "localhost:5000", repository: "app" }],
    ["host:443/team/app:latest", { domain: "host:443", repository: "team/app", tag: "latest" }],
    [`app@${DIGEST}`, { domain: "docker.io", repository: "library/app", digest: DIGEST }],
    ["nginx", { domain: "docker.io", repository: "library/nginx" }],
    ["ghcr.io/org/app:1.2.3", { domain: "ghcr.io", repository: "org/app", tag: "1.2.3" }],
    [`localhost/app:1@${DIGEST}`, { domain: "localhost", repository: "app", tag: "1", digest: DIGEST }],
  ];
  for (const [image, expected] of cases) {
    it(`parses ${image}`, () => {
      const { domain, repository, tag, digest } = parseImage(image);
      assert.deepEqual(
        Object.fromEntries(
          Object.entries({ domain, repository, tag, digest }).filter(([, v]) => v !== undefined),
        ),
        expected,
      );
    });
  }

  it("explains why an image is not pinned", () => {
    const opts = { requireDigest: false };
    assert.equal(
      imageProblem("localhost:5000/app", opts),
      'image "localhost:5000/app" has no tag (it means latest)',
    );
    assert.equal(
      imageProblem("host:443/team/app:latest", opts),
      'image "host:443/team/app:latest" uses the latest tag',
    );
    assert.equal(imageProblem(`app@${DIGEST}`, opts), undefined);
    assert.equal(imageProblem("nginx", opts), 'image "nginx" has no tag (it means latest)');
    assert.equal(
      imageProblem("nginx:1.27", { requireDigest: true }),
      'image "nginx:1.27" is not pinned by digest',
    );
  });
});
