import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { PROJECT_DIR } from "../helpers";

// scripts/lazy-sdk-dependencies.cjs, preloaded with the offline tools' loader, defers three of the
// SDK's dependencies until first use. Loading the SDK must not load them; using what needs them
// (function serialization) must still work as without the deferral.

/** Runs `script` in a fresh Node process with the tools' loader, as `npm run plan` starts; its stdout. */
function withToolsLoader(script: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ["-r", "./scripts/register.cjs", "-e", script],
      { cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    ),
  );
}

/** The script's output with the deferral and without it, run side by side. */
function deferredAndEager(script: string): Promise<[string, string]> {
  return Promise.all([
    withToolsLoader(script),
    withToolsLoader(script, { PLATFORM_EAGER_SDK_DEPENDENCIES: "1" }),
  ]);
}

const LOADED = `
const { isProxy } = require("node:util").types;
const loaded = (id) => {
  const file = require.resolve(id, { paths: [require("node:path").dirname(require.resolve("@pulumi/pulumi/package.json"))] });
  return require.cache[file] !== undefined && !isProxy(require.cache[file].exports);
};
const report = () => JSON.stringify(["typescript", "@npmcli/arborist", "normalize-package-data"].map(loaded));
`;

describe("the SDK's deferred dependencies (scripts/lazy-sdk-dependencies.cjs)", () => {
  it("are not loaded with @pulumi/pulumi, and are without the deferral", async () => {
    const script = `${LOADED} require("@pulumi/pulumi"); console.log(report());`;
    assert.deepEqual(await deferredAndEager(script), ["[false,false,false]", "[true,true,true]"]);
  });

  it("load on first use, and work as without the deferral: a function serialized, npm's tree and manifest read", async () => {
    const script = `${LOADED}
      const pulumi = require("@pulumi/pulumi");
      const factor = 6;
      (async () => {
        const { text } = await pulumi.runtime.serializeFunction((n) => n * factor);
        const { Arborist } = require("@npmcli/arborist");
        const tree = new Arborist({ path: "." });
        const manifest = { name: "shop", version: "1.2.3" };
        require("normalize-package-data")(manifest);
        console.log(JSON.stringify({ text, tree: tree.path, id: manifest._id, loaded: JSON.parse(report()) }));
      })();`;
    const [deferred, eager] = (await deferredAndEager(script)).map(
      (out) => JSON.parse(out) as Record<string, unknown>,
    );
    assert.deepEqual(deferred.loaded, [true, true, true]);
    assert.match(String(deferred.text), /factor: 6/); // the closure's captured variable, found by TypeScript's parser
    assert.match(String(deferred.text), /n \* factor/);
    assert.equal(deferred.tree, PROJECT_DIR);
    assert.equal(deferred.id, "shop@1.2.3");
    assert.deepEqual(deferred, eager);
  });
});
