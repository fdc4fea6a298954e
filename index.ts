// One Kubernetes platform per stack. Everything that differs between stacks comes from the
// stack's configuration, which is validated as a whole before any resource is declared.
import { createApp } from "./components/app";
import { createIngress } from "./components/ingress";
import { createPlatform } from "./components/platform";
import { loadConfig } from "./config";

const config = loadConfig();
const { cluster, registry } = createPlatform(config);
const ingress = createIngress(config, cluster);
const app = createApp(config, { cluster, registry, ingress });

export const clusterName = cluster.clusterName;
export const clusterEndpoint = cluster.endpoint;
/** Admin kubeconfig (secret): `pulumi stack output kubeconfig --show-secrets > kubeconfig`. */
export const kubeconfig = cluster.kubeconfig;
/** Prefix of the app's image references: push to it, the cluster pulls from it. */
export const registryServer = registry.server;
/** Where the app answers: `/` the web front end, `/api` the api. */
export const appUrl = app.url;
/** The images the app runs, by digest. */
export const appImages = app.images;
