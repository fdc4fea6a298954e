/** Every problem found in a stack's configuration, each naming its key and what was expected. */
export class ConfigError extends Error {
  constructor(
    /** Where the configuration came from, e.g. `Pulumi.dev.yaml` or `stack "dev"`. */
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}
