import * as assert from "node:assert/strict";
import { missingPrerequisites } from "./toolchain";

const ALL_CACHED = {
  pulumi: true,
  "pulumi-kubernetes": true,
  kubernetes: true,
  etcd: true,
  kwok: true,
  "gateway-api": true,
};
const NOTHING_CACHED = {
  pulumi: false,
  "pulumi-kubernetes": false,
  kubernetes: false,
  etcd: false,
  kwok: false,
  "gateway-api": false,
};

describe("engine test: toolchain prerequisites", () => {
  it("runs from the cache without Go or curl", () => {
    assert.deepEqual(missingPrerequisites({ canBuild: false, cached: ALL_CACHED }, false), []);
  });

  it("builds with Go (or curl, to fetch Go) what is not cached", () => {
    assert.deepEqual(missingPrerequisites({ canBuild: true, cached: NOTHING_CACHED }, false), []);
  });

  it("does not run without Go and curl when something must be built, naming what", () => {
    const [reason] = missingPrerequisites({ canBuild: false, cached: { ...ALL_CACHED, etcd: false } }, false);
    assert.match(
      reason,
      /^neither Go nor curl is on the PATH and the engine toolchain is not cached \(etcd\)/,
    );
  });

  it("needs neither CLI nor control plane builds with pulumi on the PATH and a given cluster", () => {
    const onlyCrds = { ...NOTHING_CACHED, "gateway-api": true };
    assert.deepEqual(
      missingPrerequisites({ pulumiOnPath: "v3.274.1", canBuild: false, cached: onlyCrds }, true),
      [],
    );
  });

  it("needs the Gateway API CRDs on every cluster, a given one too", () => {
    const [reason] = missingPrerequisites(
      { pulumiOnPath: "v3.274.1", canBuild: false, cached: NOTHING_CACHED },
      true,
    );
    assert.match(reason, /is not cached \(gateway-api\)/);
  });
});
