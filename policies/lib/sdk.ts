// Typed access to the policy SDK's preview helpers. `@pulumi/policy` marks them @internal, so its
// .d.ts files omit them; the module itself exports them (and the root index re-exports the proxy).
// Importing the `proxy` module directly keeps the analyzer server and gRPC out of offline tools.
import * as proxyModule from "@pulumi/policy/proxy";
import { UNKNOWN_SENTINELS } from "../../cost/sentinels";

interface ProxyModule {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: new (
    sentinel: string,
    props: (string | symbol)[],
  ) => Error & { props: (string | symbol)[] };
  unknownStringValue: string;
}

const sdk = proxyModule as unknown as ProxyModule;

/** The SDK's `unknownCheckingProxy`: property reads of an unknown value throw {@link UnknownValueError}. */
export const unknownCheckingProxy = sdk.unknownCheckingProxy;

/** The SDK's error for a read of a value that is unknown during preview. */
export const UnknownValueError = sdk.UnknownValueError;

/**
 * The unknown-value sentinel the Pulumi runtime puts in place of a value not known during preview
 * (the same string as `pulumi.runtime.unknownValue`).
 */
export const UNKNOWN = sdk.unknownStringValue;

/** Every sentinel the SDK treats as unknown; the cost estimate reads the same set. */
export { UNKNOWN_SENTINELS };

/** Whether a value holds an unknown sentinel anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(containsUnknown);
  for (const key in value) {
    if (containsUnknown((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
