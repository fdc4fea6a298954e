import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { BundleError, verifyBundle } from "../offline";
import { ConfigError } from "./errors";
import { PlatformConfig } from "./types";
import { parseConfig } from "./validate";

/**
 * Reads and validates the running stack's configuration before any resource is registered.
 * A bad configuration stops the program with every problem listed and no stack trace.
 */
export function loadConfig(): PlatformConfig {
  const stack = pulumi.getStack();
  const source = `Pulumi.${stack}.yaml`;
  try {
    const values = pulumi.runtime.allConfig();
    const secretKeys = new Set(Object.keys(values).filter((key) => isConfigSecret(key)));
    const config = parseConfig(values, stack, source, secretKeys);
    // The offline plan (the SDK's mock runtime) reads no local file: it runs where the stack's
    // kubeconfig file does not exist, e.g. in CI.
    if (!(getMonitor() instanceof MockMonitor)) checkLocalFiles(config, source);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

/**
 * A kubeconfig file that is not there is named now, not by the provider's parse error later; an
 * offline bundle's archives are checked against bundle.json before anything uses them.
 */
function checkLocalFiles(config: PlatformConfig, source: string): void {
  if (config.cluster.provider === "k0s" && "offlineBundle" in config && config.offlineBundle) {
    try {
      verifyBundle(config.offlineBundle);
    } catch (error) {
      if (error instanceof BundleError)
        throw new ConfigError(source, [`platform:offlineBundle: ${error.message}`]);
      throw error;
    }
  }
  if (config.cluster.provider !== "existing" || config.cluster.kubeconfig.source !== "path") return;
  const given = config.cluster.kubeconfig.path;
  const file = given === "~" || given.startsWith("~/") ? path.join(os.homedir(), given.slice(1)) : given;
  if (!fs.existsSync(file)) {
    throw new ConfigError(source, [
      `platform:kubeconfigPath: no kubeconfig file at ${given}${file !== given ? ` (${file})` : ""}; expected the path of the cluster's kubeconfig`,
    ]);
  }
}

// The SDK knows which keys are secret (PULUMI_CONFIG_SECRET_KEYS) but marks the helper internal.
const isConfigSecret = (key: string): boolean =>
  (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(key);
