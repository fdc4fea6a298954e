export { criRegistryDropIn, k0sMinorVersion, mirrorHostsFile } from "./containerd";
export type { RegistryMirror } from "./containerd";
export { DoksCluster } from "./doks";
export type { DoksClusterArgs } from "./doks";
export { K0sCluster, LOCAL_INGRESS_NODE_PORTS } from "./k0s";
export type { K0sClusterArgs } from "./k0s";
export { doksExecKubeconfig, rewriteServer } from "./kubeconfig";
export type { Cluster } from "./types";
