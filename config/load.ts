import * as pulumi from "@pulumi/pulumi";
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
    return parseConfig(pulumi.runtime.allConfig(), stack, `Pulumi.${stack}.yaml`);
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
