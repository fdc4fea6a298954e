// Loads the project's TypeScript files by transpiling them with esbuild, and nothing else.
// tsx hooks every module load, which doubles the time @pulumi/pulumi takes to load; the offline
// tools are meant to start about as fast as the SDK itself (`npm run plan`, `npm run policy`).
// Type errors are `npm run build`'s job, not this loader's.
"use strict";
const fs = require("node:fs");
const esbuild = require("esbuild");

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  const { code } = esbuild.transformSync(fs.readFileSync(filename, "utf8"), {
    loader: "ts",
    format: "cjs",
    target: "node22",
    sourcefile: filename,
    sourcemap: "inline",
  });
  module._compile(code, filename);
};
