import * as pulumi from "@pulumi/pulumi";
import { ExternalRegistryConfig } from "../../config";
import { Registry } from "./types";

/**
 * A registry the user names for an existing cluster. Nothing is created: images are pushed with the
 * local Docker login (`docker login <registry>`), and the cluster pulls with the given
 * `.dockerconfigjson`, if any.
 */
export function externalRegistry(config: ExternalRegistryConfig): Registry {
  return {
    ...(config.server !== undefined ? { server: pulumi.output(config.server) } : {}),
    ...(config.pullDockerConfigJson
      ? { pullDockerConfigJson: pulumi.secret(config.pullDockerConfigJson.reveal()) }
      : {}),
  };
}
