import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { KEY_DEFAULTS, KEY_TYPES, SECRET_KEYS } from "../../config";
import { PROJECT_DIR } from "../helpers";

interface Declaration {
  type: string;
  default?: unknown;
  description?: string;
}

describe("Pulumi.yaml", () => {
  const file = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string };
    config: Record<string, Declaration & { value?: unknown }>;
  };
  // The project's own keys; keys of other namespaces (`pulumi:`) are settings of the engine.
  const project = {
    ...file,
    config: Object.fromEntries(Object.entries(file.config).filter(([key]) => !key.includes(":"))),
  };

  it("turns the default Kubernetes provider off: no object may reach an ambient kubeconfig", () => {
    assert.deepEqual(file.config["pulumi:disable-default-providers"], { value: ["kubernetes"] });
  });

  it("is the nodejs project `platform`", () => {
    assert.equal(project.name, "platform");
    assert.equal(project.runtime.name, "nodejs");
  });

  it("declares exactly the keys the config module validates, with the same types", () => {
    const declared = Object.fromEntries(Object.entries(project.config).map(([key, d]) => [key, d.type]));
    assert.deepEqual(declared, KEY_TYPES);
  });

  it("declares the defaults that the config module compares values of keys that do not apply with", () => {
    const declared = Object.fromEntries(Object.entries(project.config).map(([key, d]) => [key, d.default]));
    assert.deepEqual(declared, KEY_DEFAULTS);
  });

  it("says in the description of each secret key that it is one, and gives it no value", () => {
    for (const key of SECRET_KEYS) {
      assert.match(project.config[key].description ?? "", /^Secret\. /, `platform:${key}`);
      assert.equal(project.config[key].default, "", `platform:${key}`);
    }
  });

  it("describes every key", () => {
    for (const [key, declaration] of Object.entries(project.config)) {
      assert.ok((declaration.description ?? "").length > 10, `platform:${key} has no description`);
    }
  });

  it("leaves only clusterProvider without a default, so a new stack must choose where it runs", () => {
    const withoutDefault = Object.entries(project.config)
      .filter(([, d]) => d.default === undefined)
      .map(([key]) => key);
    assert.deepEqual(withoutDefault, ["clusterProvider"]);
  });
});
