export { createApp } from "./appLayer";
export type { AppLayer } from "./appLayer";
export { contentDigest, AppImage } from "./appImage";
export type { AppImageArgs } from "./appImage";
export { APP_PORT, APP_UID, AppService } from "./appService";
export type { AppServiceArgs } from "./appService";
export { appNetworkPolicies, AppStack } from "./appStack";
export type { ApiMetricsEndpoint, AppIngressArgs, AppStackArgs } from "./appStack";
