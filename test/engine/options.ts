// Arguments and exit codes of `npm run test:engine`. Pure, unit-tested in options.spec.ts.
import { parseImage } from "../../reference/image";

/** Exit codes of `npm run test:engine`, as those of `npm run test:e2e`, plus bad usage. */
export const EXIT = {
  passed: 0,
  failed: 1,
  /** Bad arguments. */
  usage: 2,
  /** Not run: nothing to build the toolchain with and nothing cached. Never a pass. */
  notRun: 3,
  interrupted: 130,
} as const;

export const ENGINE_USAGE =
  "usage: npm run test:engine [-- --kubeconfig FILE [--context NAME] --api-image REF@sha256:… --web-image REF@sha256:…]";

/** A problem with the arguments: exit code 2, the message says which and what is expected. */
export class UsageError extends Error {}

export interface EngineOptions {
  /** A cluster of the user's (kind, minikube, …) instead of the local control plane. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Pullable images by digest: required with --kubeconfig (a real node pulls what it runs). */
  readonly images?: { readonly api: string; readonly web: string };
}

/** Parses the arguments, refusing anything unknown, and images that are not pinned by digest. */
export function parseEngineArgs(argv: readonly string[]): EngineOptions {
  const values: Record<string, string> = {};
  const known = ["--kubeconfig", "--context", "--api-image", "--web-image"];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!known.includes(flag)) throw new UsageError(`unknown argument "${argv[i]}"\n${ENGINE_USAGE}`);
    const value = inline ?? argv[++i];
    if (!value || value.startsWith("--")) throw new UsageError(`${flag} needs a value\n${ENGINE_USAGE}`);
    values[flag] = value;
  }
  const kubeconfig = values["--kubeconfig"];
  const api = values["--api-image"];
  const web = values["--web-image"];
  if (!kubeconfig) {
    if (values["--context"] || api || web)
      throw new UsageError(`--context, --api-image and --web-image go with --kubeconfig\n${ENGINE_USAGE}`);
    return {};
  }
  if (!api || !web)
    throw new UsageError(
      `--kubeconfig needs --api-image and --web-image: a real cluster pulls the images it runs\n${ENGINE_USAGE}`,
    );
  for (const [flag, ref] of [
    ["--api-image", api],
    ["--web-image", web],
  ] as const) {
    let digest: string | undefined;
    try {
      digest = parseImage(ref).digest;
    } catch {
      digest = undefined;
    }
    if (!digest)
      throw new UsageError(`${flag}: expected an image reference by digest (name@sha256:…), got ${ref}`);
  }
  return {
    kubeconfig,
    ...(values["--context"] ? { context: values["--context"] } : {}),
    images: { api, web },
  };
}
