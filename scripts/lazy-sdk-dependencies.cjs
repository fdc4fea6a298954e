// Defers three of @pulumi/pulumi's dependencies until something uses them. The SDK loads them when it
// is first required, for function serialization (closures shipped to dynamic providers and cloud
// callbacks): the TypeScript compiler (9 MB), npm's @npmcli/arborist with its ~300 modules, and
// normalize-package-data. Together they are more than half of `require('@pulumi/pulumi')`'s time,
// and neither the offline tools nor this program ever serialize a function. Each one is replaced
// in the module cache by a proxy that loads the real module on its first use (a property read, a
// call, `new`), so nothing changes for code that does use them: it only pays the time then.
// Measured with `npm run bench:plan`. Only the tools and tests that preload scripts/register.cjs get
// this, never the program under `pulumi up`; PLATFORM_EAGER_SDK_DEPENDENCIES=1 turns it off.
"use strict";
const path = require("node:path");

const DEFERRED = ["typescript", "@npmcli/arborist", "normalize-package-data"];

let sdkDir;
try {
  sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
} catch {
  sdkDir = undefined; // no SDK installed here: nothing to defer
}

function defer(id) {
  let filename;
  try {
    // Resolved from the SDK's own folder: the copy it would load.
    filename = require.resolve(id, { paths: [sdkDir] });
  } catch {
    return; // not installed: the SDK falls back (its vendored TypeScript), as it would anyway
  }
  if (require.cache[filename]) return; // already loaded for real
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[filename];
      real = require(filename);
    }
    return real;
  };
  const placeholder = new module.constructor(filename, null);
  placeholder.filename = filename;
  placeholder.loaded = true;
  // A function target, so that modules exporting a function or class can be called and constructed.
  placeholder.exports = new Proxy(function deferredModule() {}, {
    // `__esModule` answered without loading: TypeScript's `__importStar`/`__importDefault` helpers
    // then keep the proxy instead of copying the module's keys (which would load it); `default`
    // gives what those helpers would have given, the module itself.
    get: (_target, key) => {
      if (key === "__esModule") return true;
      const mod = load();
      return key === "default" && !mod.__esModule ? mod : mod[key];
    },
    has: (_target, key) => key in load(),
    // A proxy must list its target's non-configurable keys (a function's `prototype`) and describe
    // them as the target does; every other key is the module's own, described as configurable.
    ownKeys: (target) =>
      [...new Set([...Reflect.ownKeys(load()), "prototype"])].filter(
        (key) => key !== "prototype" || Reflect.has(target, key),
      ),
    getOwnPropertyDescriptor: (target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      if (key === "prototype" && descriptor === undefined)
        return Reflect.getOwnPropertyDescriptor(target, key);
      return descriptor && { ...descriptor, configurable: true };
    },
    apply: (_target, self, args) => Reflect.apply(load(), self, args),
    construct: (_target, args) => Reflect.construct(load(), args),
  });
  require.cache[filename] = placeholder;
}

if (sdkDir !== undefined && process.env.PLATFORM_EAGER_SDK_DEPENDENCIES !== "1") DEFERRED.forEach(defer);
