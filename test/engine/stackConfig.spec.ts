import * as assert from "node:assert/strict";
import * as path from "node:path";
import { contentDigest } from "../../components/app";
import { parseConfig, readStackConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";
import { devSettingsForExisting, engineStackConfig, fakeImageRef, programConfig } from "./stackConfig";

const KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://127.0.0.1:1}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n";

describe("engine test: the stack made from the dev stack", () => {
  const dev = readStackConfig(PROJECT_DIR, "dev").values;
  const images = {
    api: fakeImageRef("api", contentDigest(path.join(PROJECT_DIR, "app", "api"))),
    web: fakeImageRef("web", contentDigest(path.join(PROJECT_DIR, "app", "web"))),
  };
  const inputs = {
    kubeconfig: KUBECONFIG,
    images,
    databasePassword: "p".repeat(24),
    ingressClassName: "engine-test",
    ingressControllerNamespace: "ingress-engine-test",
    storageClass: "engine-test",
  };
  const { config, dropped } = engineStackConfig(dev, inputs);

  it("is a valid existing-cluster configuration, with the kubeconfig and the password as secrets", () => {
    const { values, secrets } = programConfig(config);
    assert.deepEqual(dropped, []);
    const parsed = parseConfig(values, "engine", "engine stack", secrets);
    assert.equal(parsed.cluster.provider, "existing");
    assert.deepEqual([...secrets].sort(), ["platform:databasePassword", "platform:kubeconfig"]);
    assert.deepEqual(parsed.app.images, { source: "reference", ...images });
    assert.deepEqual(parsed.ingress, {
      controller: { kind: "existing", className: "engine-test", namespace: "ingress-engine-test" },
      routing: "ingress",
    });
  });

  it("keeps the dev stack's own settings that apply to an existing cluster, and none of k0s's", () => {
    const settings = devSettingsForExisting({
      ...dev,
      "platform:appReplicas": "2",
      "platform:k0sApiPort": "7443",
    });
    assert.deepEqual(settings, { "platform:appReplicas": "2" });
  });

  it("leaves out a dev setting that the engine stack's own settings make meaningless, and says so", () => {
    const changed = { ...dev, "platform:ingressReplicas": "2", "platform:appReplicas": "3" };
    const result = engineStackConfig(changed, inputs);
    assert.deepEqual(result.dropped, ["platform:ingressReplicas"]);
    const { values, secrets } = programConfig(result.config);
    const parsed = parseConfig(values, "engine", "engine stack", secrets);
    assert.deepEqual(parsed.app.scaling, { autoscale: false, replicas: 3 });
  });

  it("names images in the reserved registry.invalid by the SHA-256 of their sources", () => {
    assert.match(images.api, /^registry\.invalid\/platform\/api@sha256:[0-9a-f]{64}$/);
    assert.notEqual(images.api.split("@")[1], images.web.split("@")[1]);
  });
});
