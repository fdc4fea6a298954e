import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Pod Security Admission version the namespaces pin their labels to (the stacks' Kubernetes minor). */
export const PSA_VERSION = "v1.33";

/** The Pod Security Standards, from the most open to the most restrictive. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** Labels that make Pod Security Admission enforce, audit and warn on one level. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = PSA_VERSION;
  }
  return labels;
}

/** A namespace of the platform whose pods Pod Security Admission holds to `level`. */
function platformNamespace(
  name: string,
  namespace: string,
  level: PodSecurityLevel,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    name,
    {
      metadata: {
        name: namespace,
        labels: { ...podSecurityLabels(level), "app.kubernetes.io/part-of": "platform" },
      },
    },
    opts,
  );
}

/** A namespace whose pods must meet the restricted Pod Security Standard. */
export function restrictedNamespace(
  name: string,
  namespace: string,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return platformNamespace(name, namespace, "restricted", opts);
}

/**
 * A namespace below the restricted level, for the few pods that must reach the node itself (host
 * namespaces, hostPath). Use it for those pods alone: the policy pack exempts them by name, so any
 * other workload placed here is still held to the restricted profile.
 */
export function hostAccessNamespace(
  name: string,
  namespace: string,
  level: Exclude<PodSecurityLevel, "restricted">,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return platformNamespace(name, namespace, level, opts);
}
