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
 * The Kubernetes API server and public HTTPS endpoints, by port alone: the API server's address is
 * not known to the program on DOKS, and an `ipBlock` would not match it anyway where the network
 * plugin gives the API server and the nodes identities of their own (Cilium, which DOKS runs, does).
 */
export const HTTPS_AND_API_EGRESS = {
  ports: [
    { protocol: "TCP", port: 443 },
    { protocol: "TCP", port: 6443 },
  ],
};

/** One named policy: what it selects and what it allows. */
export interface NamedPolicy {
  readonly name: string;
  readonly spec: NetworkPolicySpec;
  /**
   * Set on the policies that stacks deployed under the earlier child names, `<parent>-<name>`,
   * before names stopped repeating the words parent and role share (65402e6): that name becomes an
   * alias, so such a stack keeps its object. Default: no alias.
   */
  readonly deployedUnderEarlierName?: true;
}

/** The first policy of every namespace: nothing in, nothing out, unless another policy allows it. */
export const DEFAULT_DENY: NamedPolicy = {
  name: "default-deny",
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
};

/**
 * Creates the policies in one namespace. Each resource is named after its parent and its role,
 * without repeating a word the two share (`platform-prod-traefik` and `traefik-egress` give
 * `platform-prod-traefik-egress`). A policy deployed under the earlier, repeating name keeps that
 * name's state through an alias ({@link NamedPolicy.deployedUnderEarlierName}): no replacement.
 */
export function createNetworkPolicies(
  name: string,
  namespace: pulumi.Input<string>,
  policies: readonly NamedPolicy[],
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  return policies.map((policy) => {
    const child = childName(name, policy.name);
    const earlier = `${name}-${policy.name}`;
    return new k8s.networking.v1.NetworkPolicy(
      child,
      { metadata: { name: policy.name, namespace }, spec: policy.spec },
      policy.deployedUnderEarlierName && child !== earlier
        ? pulumi.mergeOptions(opts, { aliases: [{ name: earlier }] })
        : opts,
    );
  });
}

/**
 * A child resource's name from its parent's name and its role: the role is appended without the
 * words it starts with that the parent's name already ends with. `("platform-prod-cert-manager",
 * "cert-manager-webhook")` gives `platform-prod-cert-manager-webhook`.
 */
export function childName(parent: string, role: string): string {
  const parentWords = parent.split("-");
  const roleWords = role.split("-");
  for (let overlap = Math.min(parentWords.length, roleWords.length - 1); overlap > 0; overlap--) {
    if (parentWords.slice(-overlap).join("-") === roleWords.slice(0, overlap).join("-"))
      return [...parentWords, ...roleWords.slice(overlap)].join("-");
  }
  return `${parent}-${role}`;
}
