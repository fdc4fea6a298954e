import * as assert from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import { fakeClusterManifest, FAKE_CLUSTER_SETUP, kwokctlConfiguration } from "./cluster";

describe("engine test: the local control plane", () => {
  it("gives kwokctl every binary (nothing downloaded), loopback only, admission and RBAC on", () => {
    const config = parse(
      kwokctlConfiguration({
        kubeApiserver: "/b/kube-apiserver",
        kubeControllerManager: "/b/kube-controller-manager",
        kubeScheduler: "/b/kube-scheduler",
        etcd: "/b/etcd",
        kwok: "/b/kwok",
        kwokctl: "/b/kwokctl",
      }),
    );
    assert.equal(config.kind, "KwokctlConfiguration");
    assert.deepEqual(config.options, {
      runtime: "binary",
      bindAddress: "127.0.0.1",
      kubeAdmission: true,
      kubeAuthorization: true,
      kubeApiserverBinary: "/b/kube-apiserver",
      kubeControllerManagerBinary: "/b/kube-controller-manager",
      kubeSchedulerBinary: "/b/kube-scheduler",
      etcdBinary: "/b/etcd",
      kwokControllerBinary: "/b/kwok",
    });
  });

  it("adds the IngressClass it plays the controller of, and static volumes of its StorageClass", () => {
    const docs = parseAllDocuments(fakeClusterManifest({ ingressClass: true, volumes: 2 })).map((d) =>
      d.toJS(),
    );
    assert.deepEqual(
      docs.map((d) => `${d.kind}/${d.metadata.name}`),
      [
        `IngressClass/${FAKE_CLUSTER_SETUP.ingressClass}`,
        `StorageClass/${FAKE_CLUSTER_SETUP.storageClass}`,
        "PersistentVolume/engine-test-0",
        "PersistentVolume/engine-test-1",
      ],
    );
    assert.equal(docs[1].volumeBindingMode, "Immediate");
    assert.equal(docs[1].allowVolumeExpansion, true);
    assert.ok(docs.slice(2).every((pv) => pv.spec.storageClassName === FAKE_CLUSTER_SETUP.storageClass));
  });

  it("adds only the IngressClass to a cluster of the user's", () => {
    const docs = parseAllDocuments(
      fakeClusterManifest({ ingressClass: true, volumes: 0, storageClass: false }),
    ).map((d) => d.toJS());
    assert.deepEqual(
      docs.map((d) => d.kind),
      ["IngressClass"],
    );
  });
});
