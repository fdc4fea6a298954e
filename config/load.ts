import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { ConfigError } from "./errors";
import { PlatformConfig } from "./types";
import { parseConfig } from "./validate";

/**
 * Reads and validates the running stack's configuration before any resource is registered.
 * A bad configuration stops the program with every problem listed and no stack trace.
 */
export function loadConfig(): PlatformConfig {
  const stack = pulumi.getStack();
  try {
    const values = pulumi.runtime.allConfig();
    const secretKeys = new Set(Object.keys(values).filter((key) => isConfigSecret(key)));
    return parseConfig(values, stack, `Pulumi.${stack}.yaml`, secretKeys);
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

// The SDK knows which keys are secret (PULUMI_CONFIG_SECRET_KEYS) but marks the helper internal.
const isConfigSecret = (key: string): boolean =>
  (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(key);
