import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NamedPolicy } from "../kube";

/** What the app needs from its database, wherever it runs. */
export interface AppDatabase {
  /** Kubernetes Secret in the app's namespace holding `DATABASE_URL` (and `ca.crt` when TLS is verified). */
  readonly secretName: pulumi.Output<string>;
  /** Whether the Secret carries `ca.crt`, to be mounted and named in `DATABASE_CA_FILE`. */
  readonly hasCaCertificate: boolean;
  /** The NetworkPolicy egress rule that lets the api reach the database. */
  readonly egressRule: k8s.types.input.networking.v1.NetworkPolicyEgressRule;
  /** Policies for the database's own pods, when it runs in the cluster. */
  readonly networkPolicies: readonly NamedPolicy[];
}
