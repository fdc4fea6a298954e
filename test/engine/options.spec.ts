import * as assert from "node:assert/strict";
import { parseEngineArgs, UsageError } from "./options";

const API = `ghcr.io/acme/api@sha256:${"a".repeat(64)}`;
const WEB = `ghcr.io/acme/web@sha256:${"b".repeat(64)}`;

describe("engine test: arguments", () => {
  it("runs on its own control plane without arguments", () => {
    assert.deepEqual(parseEngineArgs([]), {});
  });

  it("takes a cluster with its context and pullable images by digest, in both flag forms", () => {
    assert.deepEqual(
      parseEngineArgs([
        "--kubeconfig",
        "kind.yaml",
        "--context=kind-platform",
        `--api-image=${API}`,
        "--web-image",
        WEB,
      ]),
      {
        kubeconfig: "kind.yaml",
        context: "kind-platform",
        images: { api: API, web: WEB },
      },
    );
  });

  const refused: [string, string[], RegExp][] = [
    ["an unknown flag", ["--keep"], /^unknown argument "--keep"/],
    ["a flag without its value", ["--kubeconfig"], /^--kubeconfig needs a value/],
    [
      "a real cluster without images",
      ["--kubeconfig", "k.yaml"],
      /^--kubeconfig needs --api-image and --web-image/,
    ],
    [
      "an image by tag",
      ["--kubeconfig", "k.yaml", "--api-image", "ghcr.io/acme/api:1", "--web-image", WEB],
      /^--api-image: expected an image reference by digest/,
    ],
    [
      "images without a cluster",
      ["--api-image", API],
      /^--context, --api-image and --web-image go with --kubeconfig/,
    ],
  ];
  for (const [what, argv, message] of refused) {
    it(`refuses ${what} with a usage error`, () => {
      assert.throws(
        () => parseEngineArgs(argv),
        (error: Error) => error instanceof UsageError && message.test(error.message),
      );
    });
  }
});
