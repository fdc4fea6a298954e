export { ConfigError } from "./errors";
export { CLUSTER_PROVIDERS, KEY_DEFAULTS, KEY_TYPES, KEYS, PROJECT, SECRET_KEYS } from "./keys";
export type { ClusterProvider, KeyName, KeyType } from "./keys";
export { loadConfig } from "./load";
export { SecretValue } from "./secret";
export type * from "./types";
export { parseConfig } from "./validate";
export { listStacks, readStackConfig, SECRET_PLACEHOLDER, StackFileError } from "./stackFile";
export type { StackConfigValues } from "./stackFile";
