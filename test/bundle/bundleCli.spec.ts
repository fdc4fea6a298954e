import * as assert from "node:assert/strict";
import { parseBundleArgs } from "../../scripts/bundle";
import { HelpRequested, UsageError } from "../../scripts/lib/cli";
import { PROJECT_DIR, runToolAsync } from "../helpers";
import { parseImageList, renderedImages } from "../../scripts/lib/bundle/chartImages";

describe("npm run bundle: arguments and what it reads from tools", () => {
  it("takes --stack (required) and --out (default bundle)", () => {
    assert.deepEqual(parseBundleArgs(["--stack", "dev"]), { stack: "dev", out: "bundle" });
    assert.deepEqual(parseBundleArgs(["--out", "/media/usb/b", "--stack", "dev"]), {
      stack: "dev",
      out: "/media/usb/b",
    });
    assert.throws(
      () => parseBundleArgs([]),
      (e: Error) => e instanceof UsageError && /--stack is required/.test(e.message),
    );
    assert.throws(() => parseBundleArgs(["--stack"]), /--stack: expected a value/);
    assert.throws(() => parseBundleArgs(["--stack", "dev", "--pull", "x"]), /unknown argument --pull/);
    assert.throws(() => parseBundleArgs(["--help"]), HelpRequested);
  });

  it("prints its usage with --help (exit 0), and refuses a stack that is not k0s before looking for Docker", async () => {
    const [help, staging] = await Promise.all([
      runToolAsync(PROJECT_DIR, "scripts/bundle.ts", ["--help"]),
      runToolAsync(PROJECT_DIR, "scripts/bundle.ts", ["--stack", "staging"]),
    ]);
    assert.deepEqual(help, {
      code: 0,
      stdout: "usage: npm run bundle -- --stack <name> [--out <dir>]\n",
      stderr: "",
    });
    assert.deepEqual(staging, {
      code: 2,
      stdout: "",
      stderr:
        "bundle: --stack staging: its clusterProvider is doks; a bundle is for a k0s stack (platform:offlineBundle applies only there)\n",
    });
  });

  it("lists every container image of a rendered chart: init and ephemeral containers, CronJobs, no repeats", () => {
    const rendered = [
      "apiVersion: batch/v1",
      "kind: CronJob",
      "metadata: {name: c, namespace: n}",
      "spec:",
      "  schedule: '* * * * *'",
      "  jobTemplate:",
      "    spec:",
      "      template:",
      "        spec:",
      "          initContainers: [{name: i, image: 'quay.io/a/init:1.0'}]",
      "          containers: [{name: m, image: 'quay.io/a/main:2.0'}]",
      "---",
      "apiVersion: apps/v1",
      "kind: DaemonSet",
      "metadata: {name: d, namespace: n}",
      "spec:",
      "  template:",
      "    spec:",
      "      containers: [{name: m, image: 'quay.io/a/main:2.0'}, {name: s, image: 'docker.io/grafana/alloy:v1.11.0'}]",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: x, namespace: n}",
      "data: {image: 'not/an-image:1'}",
    ].join("\n");
    assert.deepEqual(renderedImages(rendered, "test"), [
      "quay.io/a/main:2.0",
      "quay.io/a/init:1.0",
      "docker.io/grafana/alloy:v1.11.0",
    ]);
  });

  it("reads k0s's image list one reference a line", () => {
    assert.deepEqual(
      parseImageList("quay.io/k0sproject/pause:3.10.1\n\n  quay.io/k0sproject/coredns:1.12.2  \n"),
      ["quay.io/k0sproject/pause:3.10.1", "quay.io/k0sproject/coredns:1.12.2"],
    );
  });
});
