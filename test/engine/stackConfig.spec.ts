import * as assert from "node:assert/strict";
import * as path from "node:path";
import { contentDigest } from "../../components/app";
import { KEY_DEFAULTS, parseConfig, readStackConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";
import { configString, devSettingsForExisting, engineStackConfig, fakeImageRef } from "./stackConfig";

const KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://127.0.0.1:1}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n";

/**
 * The Automation API config as the program would receive it: project defaults applied (as the CLI
 * does from Pulumi.yaml), path keys folded into objects.
 */
function asProgramConfig(config: ReturnType<typeof engineStackConfig>): {
  values: Record<string, string>;
  secrets: Set<string>;
} {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(KEY_DEFAULTS))
    if (value !== undefined) values[`platform:${name}`] = configString(value);
  const objects: Record<string, Record<string, string>> = {};
  const secrets = new Set<string>();
  for (const [key, { value, secret }] of Object.entries(config)) {
    const [name, field] = key.split(".");
    if (field) (objects[name] ??= {})[field] = value;
    else values[name] = value;
    if (secret) secrets.add(name);
  }
  for (const [name, object] of Object.entries(objects)) values[name] = JSON.stringify(object);
  return { values, secrets };
}

describe("engine test: the stack made from the dev stack", () => {
  const dev = readStackConfig(PROJECT_DIR, "dev").values;
  const images = {
    api: fakeImageRef("api", contentDigest(path.join(PROJECT_DIR, "app", "api"))),
    web: fakeImageRef("web", contentDigest(path.join(PROJECT_DIR, "app", "web"))),
  };
  const config = engineStackConfig(dev, {
    kubeconfig: KUBECONFIG,
    images,
    databasePassword: "p".repeat(24),
    ingressClassName: "engine-test",
    ingressControllerNamespace: "ingress-engine-test",
    storageClass: "engine-test",
  });

  it("is a valid existing-cluster configuration, with the kubeconfig and the password as secrets", () => {
    const { values, secrets } = asProgramConfig(config);
    const parsed = parseConfig(values, "engine", "engine stack", secrets);
    assert.equal(parsed.cluster.provider, "existing");
    assert.deepEqual([...secrets].sort(), ["platform:databasePassword", "platform:kubeconfig"]);
    assert.deepEqual(parsed.app.images, { source: "reference", ...images });
    assert.deepEqual(parsed.ingress, {
      controller: { kind: "existing", className: "engine-test", namespace: "ingress-engine-test" },
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

  it("names images in the reserved registry.invalid by the SHA-256 of their sources", () => {
    assert.match(images.api, /^registry\.invalid\/platform\/api@sha256:[0-9a-f]{64}$/);
    assert.notEqual(images.api.split("@")[1], images.web.split("@")[1]);
  });
});
