// Defers four parts of @pulumi/pulumi that it loads when it is first required and that neither the
// offline tools nor this program ever use:
// - for function serialization (closures shipped to dynamic providers and cloud callbacks) and for
//   reading a component provider's TypeScript: the TypeScript compiler (9 MB), npm's
//   @npmcli/arborist with its ~300 modules, and normalize-package-data. Together they are more than
//   half of `require('@pulumi/pulumi')`'s time.
// - its Automation API (`@pulumi/pulumi/automation`: driving the Pulumi CLI from code), with its
//   ~70 modules (execa, js-yaml, its own 13). The engine and e2e tests use it; they load it then.
// Each one is replaced in the module cache by a proxy that loads the real module on its first use
// (a property read, a call, `new`), so code that imports and uses them gets what it would get
// without the proxy, and only pays the time then. Only a look at the module object itself tells:
// `typeof` says "function", and its keys include `default`.
// Measured with `npm run bench:plan`. Preloaded by scripts/register.cjs, the loader of the offline
// tools and of mocha (.mocharc.json), never by the program under `pulumi up`;
// PLATFORM_EAGER_SDK_DEPENDENCIES=1 turns it off.
"use strict";
const path = require("node:path");

const DEFERRED = [
  "typescript",
  "@npmcli/arborist",
  "normalize-package-data",
  "./automation", // the SDK's own Automation API, relative to its folder
];

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
  // The target is a bound function: it can be called and constructed (for modules that export a
  // function or a class) and, unlike a plain function, has no own `prototype`, a non-configurable
  // key that the proxy would otherwise have to report as the target's rather than the module's.
  const target = function deferredModule() {}.bind(null);
  // `default` is what TypeScript's and esbuild's interop helpers give an importer: the module itself
  // unless it is an ES module.
  const defaultOf = (mod) => (mod.__esModule ? mod.default : mod);
  placeholder.exports = new Proxy(target, {
    // `__esModule` is answered without loading, so that the interop helpers (`__importStar`,
    // `__importDefault`, `__toESM`) keep the proxy instead of copying the module's keys at import.
    get: (_target, key) => {
      if (key === "__esModule") return true;
      const mod = load();
      return key === "default" ? defaultOf(mod) : mod[key];
    },
    set: (_target, key, value) => Reflect.set(load(), key, value),
    has: (_target, key) => key === "__esModule" || key === "default" || key in load(),
    ownKeys: () => [...new Set([...Reflect.ownKeys(load()), "default"])],
    getOwnPropertyDescriptor: (_target, key) => {
      const mod = load();
      if (key === "default")
        return { value: defaultOf(mod), writable: false, enumerable: true, configurable: true };
      const descriptor = Reflect.getOwnPropertyDescriptor(mod, key);
      // Described as configurable: a proxy may not call a key non-configurable that its target lacks.
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(load(), key),
    apply: (_target, self, args) => Reflect.apply(load(), self, args),
    // `newTarget` kept, so that a class extending the module's class constructs that subclass.
    construct: (_target, args, newTarget) => Reflect.construct(load(), args, newTarget),
  });
  require.cache[filename] = placeholder;
}

if (sdkDir !== undefined && process.env.PLATFORM_EAGER_SDK_DEPENDENCIES !== "1") DEFERRED.forEach(defer);
