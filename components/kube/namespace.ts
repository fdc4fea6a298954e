import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Pod Security Admission version the namespaces pin their labels to (the stacks' Kubernetes minor). */
export const PSA_VERSION = "v1.33";

/** Labels that make Pod Security Admission enforce, audit and warn on the restricted profile. */
export function restrictedPodSecurityLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
    labels[`pod-security.kubernetes.io/${mode}-version`] = PSA_VERSION;
  }
  return labels;
}

/** A namespace whose pods must meet the restricted Pod Security Standard. */
export function restrictedNamespace(
  name: string,
  namespace: string,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    name,
    {
      metadata: {
        name: namespace,
        labels: { ...restrictedPodSecurityLabels(), "app.kubernetes.io/part-of": "platform" },
      },
    },
    opts,
  );
}
