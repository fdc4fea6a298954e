// The values the Pulumi policy SDK puts where a property is not known during preview. The estimate
// prices such a property as unknown (a range, or "unpriced"), never as zero.
// `@pulumi/policy` marks these @internal, so its .d.ts files omit them; the `proxy` module exports
// them, and importing it directly keeps the analyzer server and gRPC out of offline tools.
import * as proxyModule from "@pulumi/policy/proxy";

type SentinelName =
  | "unknownBooleanValue"
  | "unknownNumberValue"
  | "unknownStringValue"
  | "unknownArrayValue"
  | "unknownAssetValue"
  | "unknownArchiveValue"
  | "unknownObjectValue";

const sdk = proxyModule as unknown as Record<SentinelName, string>;

/** Every sentinel the SDK treats as unknown (string, number, boolean, array, object, asset, archive). */
export const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set([
  sdk.unknownBooleanValue,
  sdk.unknownNumberValue,
  sdk.unknownStringValue,
  sdk.unknownArrayValue,
  sdk.unknownAssetValue,
  sdk.unknownArchiveValue,
  sdk.unknownObjectValue,
]);
