import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** Pods of a namespace (by its automatic `kubernetes.io/metadata.name` label) with these labels. */
export function podsIn(namespace: string, labels: Record<string, string>): Peer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    podSelector: { matchLabels: labels },
  };
}

/** Cluster DNS: the kube-dns pods in kube-system. */
export const DNS_EGRESS = {
  to: [podsIn("kube-system", { "k8s-app": "kube-dns" })],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/**
 * The Kubernetes API server and public HTTPS endpoints. The API server's address is not known to
 * the program on DOKS, so controllers get these ports to any address.
 */
export const HTTPS_AND_API_EGRESS = {
  to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
  ports: [
    { protocol: "TCP", port: 443 },
    { protocol: "TCP", port: 6443 },
  ],
};

/** One named policy: what it selects and what it allows. */
export interface NamedPolicy {
  readonly name: string;
  readonly spec: NetworkPolicySpec;
}

/** The first policy of every namespace: nothing in, nothing out, unless another policy allows it. */
export const DEFAULT_DENY: NamedPolicy = {
  name: "default-deny",
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
};

/** Creates the policies in one namespace, named `${name}-<policy>`. */
export function createNetworkPolicies(
  name: string,
  namespace: pulumi.Input<string>,
  policies: readonly NamedPolicy[],
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  return policies.map(
    (policy) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy.name}`,
        { metadata: { name: policy.name, namespace }, spec: policy.spec },
        opts,
      ),
  );
}
