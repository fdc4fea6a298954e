import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** What the rest of the program needs from a cluster, wherever it runs. */
export interface Cluster {
  /** Cluster name (the Docker container of the node, the DOKS cluster, or the kubeconfig context). */
  readonly clusterName: pulumi.Output<string>;
  /** URL of the Kubernetes API server; absent for an existing cluster (its kubeconfig says). */
  readonly endpoint?: pulumi.Output<string>;
  /** Admin kubeconfig, always a Pulumi secret; absent for an existing cluster (the user has it). */
  readonly kubeconfig?: pulumi.Output<string>;
  /** Provider that deploys Kubernetes objects to this cluster. */
  readonly provider: k8s.Provider;
}
