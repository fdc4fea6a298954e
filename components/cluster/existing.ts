import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExistingClusterConfig } from "../../config";
import { Cluster } from "./types";

/** Arguments of {@link ExistingCluster}. */
export type ExistingClusterArgs = Omit<ExistingClusterConfig, "provider">;

/**
 * A cluster the user already has (kind, minikube, k3d, Docker Desktop, a company cluster). The
 * program creates nothing here but the Kubernetes provider that deploys to it: from a kubeconfig
 * given as a Pulumi secret, or from a kubeconfig file that the provider reads on every run, so
 * that credentials refreshed in the file are used and only its path is kept in the state.
 */
export class ExistingCluster extends pulumi.ComponentResource implements Cluster {
  public readonly clusterName: pulumi.Output<string>;
  public readonly provider: k8s.Provider;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:ExistingCluster", name, {}, opts);
    const kubeconfig =
      args.kubeconfig.source === "secret"
        ? pulumi.secret(args.kubeconfig.value.reveal())
        : args.kubeconfig.path;
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig, ...(args.context !== undefined ? { context: args.context } : {}) },
      { parent: this },
    );
    this.clusterName = pulumi.output(args.context ?? `the current context of ${describe(args.kubeconfig)}`);
    this.registerOutputs({ clusterName: this.clusterName });
  }
}

function describe(kubeconfig: ExistingClusterArgs["kubeconfig"]): string {
  return kubeconfig.source === "path" ? kubeconfig.path : "the kubeconfig";
}
