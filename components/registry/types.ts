import * as pulumi from "@pulumi/pulumi";

/** Credentials `docker push` (and @pulumi/docker's Image) use for a registry. */
export interface RegistryAuth {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/** What the rest of the program needs from a container registry, wherever it runs. */
export interface Registry {
  /**
   * Prefix of every image reference in this registry: `localhost:5001` or
   * `registry.digitalocean.com/<name>`; absent when the stack pushes nothing (images by digest).
   */
  readonly server?: pulumi.Output<string>;
  /** Push credentials (secret), absent for a registry without authentication. */
  readonly pushAuth?: pulumi.Output<RegistryAuth>;
  /** `.dockerconfigjson` the cluster pulls with (secret), absent when no credentials are needed. */
  readonly pullDockerConfigJson?: pulumi.Output<string>;
}
