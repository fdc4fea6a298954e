// Fault kind 2: image references follow the full distribution/reference grammar, as the kubelet's
// runtime reads them (ParseNormalizedNamed). Valid and invalid inputs are those of
// distribution/reference reference_test.go (TestReferenceParse) and normalize_test.go
// (TestValidateReferenceName, TestValidateRemoteName, TestParseRepositoryInfo), and the digest forms
// of opencontainers/go-digest digest_test.go; domain and path are the normalized ones.
import * as assert from "node:assert/strict";
import { imageProblem } from "../../policies/lib/image";
import { parseImage } from "../../reference/image";
import { disallowUnpinnedImages } from "../../policies/workload/disallowUnpinnedImages";
import { assertMessages, withPodField } from "./fixtures";

const F64 = "f".repeat(64);
const SHA = `sha256:${F64}`;

/** [input, domain, path, tag, digest] of a valid reference. */
type Valid = [string, string, string, string?, string?];

// reference_test.go TestReferenceParse, valid rows (domain and path after normalization).
const PARSE_VALID: Valid[] = [
  ["test_com", "docker.io", "library/test_com"],
  ["test.com:tag", "docker.io", "library/test.com", "tag"],
  ["test.com:5000", "docker.io", "library/test.com", "5000"],
  ["test.com/repo:tag", "test.com", "repo", "tag"],
  ["test:5000/repo", "test:5000", "repo"],
  ["test:5000/repo:tag", "test:5000", "repo", "tag"],
  [`test:5000/repo@${SHA}`, "test:5000", "repo", undefined, SHA],
  [`test:5000/repo:tag@${SHA}`, "test:5000", "repo", "tag", SHA],
  ["lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase"],
  [
    `${"a/".repeat(127)}a:tag-puts-this-over-max`,
    "docker.io",
    `${"a/".repeat(127)}a`,
    "tag-puts-this-over-max",
  ],
  ["sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux"],
  ["sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag"],
  [
    "b.gcr.io/test.example.com/my-app:test.example.com",
    "b.gcr.io",
    "test.example.com/my-app",
    "test.example.com",
  ],
  ["xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com"],
  [`xn--7o8h.com/myimage:xn--7o8h.com@${SHA}`, "xn--7o8h.com", "myimage", "xn--7o8h.com", SHA],
  ["foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080"],
  ["foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080"],
  ["192.168.1.1", "docker.io", "library/192.168.1.1"],
  ["192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag"],
  ["192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000"],
  ["192.168.1.1/repo", "192.168.1.1", "repo"],
  ["192.168.1.1:5000/repo", "192.168.1.1:5000", "repo"],
  ["192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050"],
  ["[2001:db8::1]/repo", "[2001:db8::1]", "repo"],
  ["[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag"],
  ["[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo"],
  ["[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag"],
  [`[2001:db8::1]:5000/repo@${SHA}`, "[2001:db8::1]:5000", "repo", undefined, SHA],
  [`[2001:db8::1]:5000/repo:tag@${SHA}`, "[2001:db8::1]:5000", "repo", "tag", SHA],
  ["[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo"],
  ["[::1]:5000/repo", "[::1]:5000", "repo"],
  [`example.com/${"a".repeat(255)}:tag`, "example.com", "a".repeat(255), "tag"],
];

// normalize_test.go TestParseRepositoryInfo and TestValidateReferenceName: familiar names.
const NORMALIZE_VALID: Valid[] = [
  ["localhost/fooo", "localhost", "fooo"],
  ["localhost/fooo/bar", "localhost", "fooo/bar"],
  ["LOCALDOMAIN/fooo", "LOCALDOMAIN", "fooo"],
  ["Docker/docker", "Docker", "docker"],
  ["fooo/bar", "docker.io", "fooo/bar"],
  ["ubuntu", "docker.io", "library/ubuntu"],
  ["index.docker.io/debian", "docker.io", "library/debian"],
  ["docker.io/docker/docker", "docker.io", "docker/docker"],
  ["127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase"],
  ["example.com:8000/privatebase", "example.com:8000", "privatebase"],
  ["192.168.0.1:80", "docker.io", "library/192.168.0.1", "80"],
  ["[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker"],
  ["[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian"],
  [
    `docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a`,
    "docker.io",
    "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
  ],
  [
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    "docker.io",
    "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
  ],
  ["docker---rules/docker", "docker.io", "docker---rules/docker"],
  ["dock__er/docker", "docker.io", "dock__er/docker"],
  ["d/docker", "docker.io", "d/docker"],
  ["jess/t", "docker.io", "jess/t"],
  // A first component that is no host but a valid path component: the whole name is a path.
  ["a_b.com/app", "", "a_b.com/app"],
  // go-digest registers sha512 by default (algorithm.go); reference_test.go's binary does not.
  [`app@sha512:${"f".repeat(128)}`, "docker.io", "library/app", undefined, `sha512:${"f".repeat(128)}`],
];

// Invalid rows of the same tables, and go-digest's digest errors.
const INVALID: string[] = [
  "",
  ":justtag",
  `@${SHA}`,
  `repo@sha256:${"f".repeat(34)}`,
  `validname@invaliddigest:${F64}`,
  "Uppercase:tag",
  "test:5000/Uppercase/lowercase:tag",
  `domain/${"a".repeat(256)}:tag`,
  "aa/asdf$$^/aa",
  "[2001:db8::1]",
  "[2001:db8::1]:5000",
  "[2001:db8::1]:tag",
  "[fe80::1%eth0]:5000/repo",
  "[fe80::1%@invalidzone]:5000/repo",
  "https://github.com/docker/docker",
  "docker/Docker",
  "-docker",
  "-docker/docker",
  "-docker.io/docker/docker",
  "docker///docker",
  "docker.io/docker/Docker",
  "[fc00::1]",
  "[fc00::1]:5000",
  "fc00::1:5000/debian",
  "[2001:db8:3:4::192.0.2.33]:5000/debian",
  "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
  "docker-/docker",
  "____/____",
  "_docker/_docker",
  "dock..er/docker",
  "dock_.er/docker",
  "dock-.er/docker",
  "docker/",
  `${"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4)}/docker`,
  "docker.io/x:5000/y", // a host:port inside the path
  `app@sha256:${"E58FCF7418D4390DEC8E8FB69D88C06EC07039D651FEDD3AA72AF9972E7D046B"}`, // uppercase hex
];

describe("image references (distribution/reference)", () => {
  for (const [input, domain, path, tag, digest] of [...PARSE_VALID, ...NORMALIZE_VALID]) {
    it(`parses ${input.length > 70 ? `${input.slice(0, 60)}…` : input}`, () => {
      const ref = parseImage(input);
      assert.deepEqual(
        { domain: ref.domain, repository: ref.repository, tag: ref.tag, digest: ref.digest },
        { domain, repository: path, tag, digest },
      );
    });
  }

  for (const input of INVALID) {
    it(`refuses ${JSON.stringify(input.length > 70 ? `${input.slice(0, 60)}…` : input)}`, () =>
      assert.throws(() => parseImage(input)));
  }
});

describe("image references that take a backtracking parser minutes", () => {
  for (const input of [
    "a".repeat(50_000) + "!",
    "x/" + "a-".repeat(25_000) + "!",
    `${"a".repeat(64)}/${"b_".repeat(20_000)}!`,
  ]) {
    it(`refuses a ${input.length}-character invalid name at once`, () => {
      const start = Date.now();
      assert.throws(() => parseImage(input));
      assert.ok(Date.now() - start < 500, "parsing took too long");
    });
  }
});

describe("pinning on every grammar branch", () => {
  const opts = { requireDigest: false };
  for (const [image, problem] of [
    ["[::1]:5000/app", "has no tag (it means latest)"],
    ["[2001:db8::1]:5000/team/app:latest", "uses the latest tag"],
    ["localhost/app", "has no tag (it means latest)"],
    ["localhost:5000/app", "has no tag (it means latest)"],
    ["192.168.1.1:5000/app", "has no tag (it means latest)"],
    ["LOCALDOMAIN/app", "has no tag (it means latest)"],
  ] as const) {
    it(`reports ${image}: ${problem}`, () =>
      assert.equal(imageProblem(image, opts), `image "${image}" ${problem}`));
  }
  for (const image of [
    "[::1]:5000/app:1.0",
    "[2001:db8::1]:5000/app@" + SHA,
    "192.168.1.1:5000/app:5050",
    "LOCALDOMAIN/app:2",
    `${"a/".repeat(127)}a:1`,
    `registry.example.com/app:latest@${SHA}`,
  ]) {
    it(`accepts ${image.length > 70 ? `${image.slice(0, 60)}…` : image}`, () =>
      assert.equal(imageProblem(image, opts), undefined));
  }

  it("names the reason of an invalid reference in the policy message", () =>
    assertMessages(
      disallowUnpinnedImages,
      withPodField("Pod", "containers[0].image", "[fe80::1%eth0]:5000/app:1"),
      [
        'spec.containers[0] "app": image "[fe80::1%eth0]:5000/app:1" is not a valid reference (invalid reference format)',
      ],
    ));
});
