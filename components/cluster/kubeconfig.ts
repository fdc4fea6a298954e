import { parseDocument } from "yaml";

/**
 * Points every cluster entry of a kubeconfig at `server`. k0s writes its admin kubeconfig for the
 * address inside the container; from the laptop the API is the port published on 127.0.0.1.
 * `localhost` is used because it is among the API certificate's names.
 */
export function rewriteServer(kubeconfig: string, server: string): string {
  const doc = parseDocument(kubeconfig);
  const clusters = doc.get("clusters");
  const items = (clusters as { items?: unknown[] } | undefined)?.items;
  if (!items || items.length === 0) throw new Error("kubeconfig has no clusters to rewrite");
  for (let i = 0; i < items.length; i++) doc.setIn(["clusters", i, "cluster", "server"], server);
  return doc.toString();
}

/** Inputs of a kubeconfig that authenticates through `doctl` instead of a stored token. */
export interface DoksKubeconfigArgs {
  readonly clusterName: string;
  readonly clusterId: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA, as DigitalOcean returns it. */
  readonly caCertificate: string;
}

/**
 * A DOKS kubeconfig whose credentials come from `doctl kubernetes cluster kubeconfig
 * exec-credential` at each use. The static kubeconfig DigitalOcean returns carries a token that
 * expires after 7 days, which would break any later `pulumi up`/`destroy` that reads it from state;
 * this one holds no token at all, only the API address and CA, and needs `doctl` with a
 * DIGITALOCEAN_ACCESS_TOKEN wherever it is used.
 */
export function doksExecKubeconfig(args: DoksKubeconfigArgs): string {
  const context = `do-${args.clusterName}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `  - name: ${context}`,
    "    cluster:",
    `      server: ${args.endpoint}`,
    `      certificate-authority-data: ${args.caCertificate}`,
    "contexts:",
    `  - name: ${context}`,
    "    context:",
    `      cluster: ${context}`,
    `      user: ${context}-admin`,
    `current-context: ${context}`,
    "users:",
    `  - name: ${context}-admin`,
    "    user:",
    "      exec:",
    "        apiVersion: client.authentication.k8s.io/v1beta1",
    "        command: doctl",
    "        args:",
    "          - kubernetes",
    "          - cluster",
    "          - kubeconfig",
    "          - exec-credential",
    "          - --version=v1beta1",
    `          - ${args.clusterId}`,
    "        interactiveMode: Never",
    "",
  ].join("\n");
}
