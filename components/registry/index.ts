export { authFromDockerConfig, DigitalOceanRegistry } from "./docr";
export type { DigitalOceanRegistryArgs } from "./docr";
export { externalRegistry } from "./external";
export { LocalRegistry } from "./local";
export type { LocalRegistryArgs } from "./local";
export type { Registry, RegistryAuth } from "./types";
