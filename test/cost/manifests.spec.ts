// Manifests applied with yaml/v2.ConfigFile: the Gateway API's release manifests are API objects
// (CRDs and a ValidatingAdmissionPolicy), any other manifest is opaque offline.
import * as assert from "node:assert/strict";
import { estimateCost } from "../../cost";
import { GATEWAY_API_CRDS_URL } from "../../components/ingress/versions";
import { resource } from "./fixtures";

const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";
const unpriced = (file: string) =>
  estimateCost([resource(CONFIG_FILE, "manifest", { file })]).unpriced.map((u) => u.reason);

describe("cost of manifests", () => {
  it("counts the Gateway API's CRD manifest as free, the pinned one and another release's", () => {
    assert.deepEqual(unpriced(GATEWAY_API_CRDS_URL), []);
    assert.deepEqual(
      unpriced(
        "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0/experimental-install.yaml",
      ),
      [],
    );
  });

  it("lists any other manifest as unpriced, never as free", () => {
    for (const file of [
      "https://example.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
      "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/webhook-install.yaml",
      "./manifests/app.yaml",
    ])
      assert.equal(unpriced(file).length, 1, file);
  });
});
