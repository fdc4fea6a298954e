import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { criRegistryDropIn, k0sMinorVersion, rewriteServer } from "../../components/cluster";

describe("kubeconfig and containerd helpers", () => {
  it("rewrites the server of every cluster and keeps the rest", () => {
    const original =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: QQ==\n- name: b\n  cluster:\n    server: https://10.0.0.2:6443\n";
    const rewritten = parse(rewriteServer(original, "https://localhost:7443")) as {
      clusters: { name: string; cluster: Record<string, string> }[];
    };
    assert.deepEqual(rewritten.clusters, [
      { name: "a", cluster: { server: "https://localhost:7443", "certificate-authority-data": "QQ==" } },
      { name: "b", cluster: { server: "https://localhost:7443" } },
    ]);
  });

  it("refuses a kubeconfig without clusters", () => {
    assert.throws(
      () => rewriteServer("apiVersion: v1\nkind: Config\n", "https://localhost:1"),
      /no clusters/,
    );
  });

  it("reads the minor version of a k0s release and refuses anything else", () => {
    assert.equal(k0sMinorVersion("v1.36.3+k0s.2"), 36);
    assert.equal(k0sMinorVersion("v1.35.7+k0s.0"), 35);
    assert.throws(
      () => k0sMinorVersion("latest"),
      /k0sVersion: expected a release such as v1.36.3\+k0s.2, got latest/,
    );
  });

  it("writes the drop-in under /etc/k0s/containerd.d", () => {
    assert.equal(criRegistryDropIn("v1.36.3+k0s.2").file, "/etc/k0s/containerd.d/cri-registry.toml");
  });
});
