export { ConfigError } from "./errors";
export { KEY_TYPES, PROJECT } from "./keys";
export type { KeyName, KeyType } from "./keys";
export { loadConfig } from "./load";
export type * from "./types";
export { parseConfig } from "./validate";
export { listStacks, readStackConfig, SECRET_PLACEHOLDER, StackFileError } from "./stackFile";
export type { StackConfigValues } from "./stackFile";
