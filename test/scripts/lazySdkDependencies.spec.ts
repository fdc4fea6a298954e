import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { transformSync } from "esbuild";
import * as ts from "typescript";
import { PROJECT_DIR } from "../helpers";

// scripts/lazy-sdk-dependencies.cjs, preloaded with the offline tools' loader, defers three of the
// SDK's dependencies and its Automation API until first use. Loading the SDK must not load them;
// using them, however the importing code was compiled, must give what it gives without the deferral.

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
const report = () =>
  JSON.stringify(["typescript", "@npmcli/arborist", "normalize-package-data", "./automation"].map(loaded));
`;

/**
 * Code that uses the three dependencies the ways importers do: a namespace import, a default import of a
 * function, a class extended, keys listed, a property written to the module. Compiled as this project's loaders
 * compile it (esbuild) and as the SDK is compiled (tsc with esModuleInterop's helpers).
 */
const IMPORTER = `
import * as arborist from "@npmcli/arborist";
import normalize from "normalize-package-data";
import * as typescript from "typescript";
class Tree extends arborist.Arborist {
  kind(): string { return "tree"; }
}
const tree = new Tree({ path: "." });
const manifest: Record<string, unknown> = { name: "shop", version: "1.2.3" };
normalize(manifest as never);
(require("typescript") as Record<string, unknown>).importedBy = "spec";
console.log(JSON.stringify({
  subclass: tree instanceof Tree && tree.kind(),
  treePath: tree.path,
  id: manifest._id,
  keyed: Object.keys(arborist).includes("Arborist"),
  written: (require("typescript") as Record<string, unknown>).importedBy,
  statements: typescript.createSourceFile("x.ts", "const a = 1; let b;", typescript.ScriptTarget.Latest).statements.length,
}));
`;

describe("the SDK's deferred dependencies (scripts/lazy-sdk-dependencies.cjs)", () => {
  it("are not loaded with @pulumi/pulumi, and are loaded with it without the deferral", async () => {
    const script = `${LOADED} require("@pulumi/pulumi"); console.log(report());`;
    assert.deepEqual(await deferredAndEager(script), ["[false,false,false,false]", "[true,true,true,true]"]);
  });

  it("load on first use: the SDK serializes a function as it does without the deferral", async () => {
    const script = `${LOADED}
      const pulumi = require("@pulumi/pulumi");
      const factor = 6;
      pulumi.runtime.serializeFunction((n) => n * factor).then(({ text }) =>
        console.log(JSON.stringify({ text, loaded: JSON.parse(report()) })));`;
    const [deferred, eager] = (await deferredAndEager(script)).map(
      (out) => JSON.parse(out) as { text: string; loaded: boolean[] },
    );
    assert.deepEqual(deferred.loaded, [true, false, false, false]); // TypeScript only: the SDK's parser
    assert.match(deferred.text, /factor: 6/); // the captured variable, found by TypeScript's parser
    assert.match(deferred.text, /n \* factor/);
    assert.equal(deferred.text, eager.text);
  });

  it("load on first use: the Automation API, the same module by either name, as without the deferral", async () => {
    // Required after the SDK, as a test that drives the CLI would (an esbuild namespace import loads
    // it at once: its helper lists the module's keys).
    const script = `${LOADED}
      const pulumi = require("@pulumi/pulumi");
      const automation = require("@pulumi/pulumi/automation");
      const before = JSON.parse(report())[3];
      const failed = { stderr: "error: no stack named 'prod' found", toString: () => "pulumi failed" };
      const error = automation.createCommandError(failed);
      console.log(JSON.stringify({
        before,
        after: JSON.parse(report())[3],
        notFound: error instanceof pulumi.automation.StackNotFoundError && error instanceof automation.CommandError,
        name: pulumi.automation.fullyQualifiedStackName("acme", "platform", "prod"),
      }));`;
    const [deferred, eager] = (await deferredAndEager(script)).map((out) => JSON.parse(out) as unknown);
    assert.deepEqual(deferred, { before: false, after: true, notFound: true, name: "acme/platform/prod" });
    assert.deepEqual(eager, { ...deferred, before: true });
  });

  for (const [compiler, compile] of [
    [
      "esbuild, as this project's loaders compile it",
      (source: string) => transformSync(source, { loader: "ts", format: "cjs" }).code,
    ],
    [
      "tsc with esModuleInterop, as the SDK is compiled",
      (source: string) =>
        ts.transpileModule(source, {
          compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
          },
        }).outputText,
    ],
  ] as const) {
    it(`behave as the real modules for code compiled by ${compiler}`, async () => {
      const [deferred, eager] = (await deferredAndEager(compile(IMPORTER))).map(
        (out) => JSON.parse(out) as unknown,
      );
      assert.deepEqual(deferred, {
        subclass: "tree",
        treePath: PROJECT_DIR,
        id: "shop@1.2.3",
        keyed: true,
        written: "spec",
        statements: 2,
      });
      assert.deepEqual(deferred, eager);
    });
  }
});
