// Loads the project's TypeScript files by transpiling them with esbuild, and nothing else.
// tsx hooks every module load, which doubles the time @pulumi/pulumi takes to load; the offline
// tools are meant to start about as fast as the SDK itself (`npm run plan`, `npm run policy`).
// mocha loads the specs through it too (.mocharc.json). It emits inline source maps, used only
// when Node runs with --enable-source-maps (see the README's Tests section for why not always).
// Transpiled files are cached by content and project-relative path under node_modules/.cache, so a
// copy of the project elsewhere (a worktree of `plan --diff`, a test's scratch repository) hits the
// same entries instead of adding its own. Type errors are `npm run build`'s job, not this loader's.
"use strict";
// The SDK's function-serialization dependencies load on first use only (see that file).
require("./lazy-sdk-dependencies.cjs");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
// Processes started from this one with the loader (the base commit's plan under `plan --diff`, the
// tools the tests run) inherit the first process's transpile cache through this variable.
const CACHE_DIR = (process.env.REGISTER_TS_CACHE_DIR ||= path.join(
  ROOT,
  "node_modules",
  ".cache",
  "register-ts",
));

// V8's code cache for every module loaded from here on (node_modules and the transpiled files
// alike): Node's own module.enableCompileCache (Node 22.1+), kept beside the transpile cache.
// Only in a tree whose packages are installed in it: Node keys entries by absolute path, so a copy
// that links another tree's packages (a `plan --diff` worktree, a test's scratch project) would
// leave entries for its own files behind at every run (1.5 GB of them, before this rule). A copy
// runs without it, about 0.15 s slower. NODE_COMPILE_CACHE, when set, wins; NODE_DISABLE_COMPILE_CACHE=1
// turns it off.
if (ownsPackages(ROOT))
  require("node:module").enableCompileCache?.(path.join(ROOT, "node_modules", ".cache", "v8-compile"));

function ownsPackages(root) {
  try {
    const packages = path.join(root, "node_modules", "@pulumi");
    return fs.realpathSync(packages) === path.join(fs.realpathSync(root), "node_modules", "@pulumi");
  } catch {
    return false;
  }
}
let esbuild; // loaded on the first cache miss only

function transpile(source, filename) {
  esbuild ??= require("esbuild");
  return esbuild.transformSync(source, {
    loader: "ts",
    format: "cjs",
    target: "node22",
    // Relative to the generated file, which is the source's own path: right for every copy.
    sourcefile: path.basename(filename),
    sourcemap: "inline",
  }).code;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = crypto
    .createHash("sha256")
    .update(path.relative(ROOT, filename))
    .update("\0")
    .update(source)
    .digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    code = transpile(source, filename);
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      fs.writeFileSync(`${cached}.${process.pid}`, code);
      fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
      // A read-only tree still works, only slower.
    }
  }
  module._compile(code, filename);
};
