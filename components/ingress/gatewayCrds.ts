import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { OfflineBundle } from "../../offline";
import { manifestSource } from "../kube";
import { GATEWAY_API_CRDS_URL } from "./versions";

/**
 * Keeps every object of the Gateway API's manifest (its CustomResourceDefinitions, and the
 * `safe-upgrades` ValidatingAdmissionPolicy with its binding that v1.5's install adds) when the
 * manifest is deleted, as the program keeps cert-manager's CRDs: turning `routing` back to `ingress`
 * or destroying the stack must not delete the Gateways and routes other owners keep in the cluster.
 * A transform, because the objects are the manifest's children; the engine applies it to each.
 */
export const retainGatewayApiObjects: pulumi.ResourceTransform = (args) => ({
  props: args.props,
  opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }),
});

/**
 * The Gateway API's standard-channel CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute,
 * ReferenceGrant, …) from the pinned release's `standard-install.yaml`, the manifest the Gateway
 * API's install guide applies. Read by the Kubernetes provider at `pulumi up`, from the URL or, with
 * an offline bundle, from the bundle's copy; everything that uses the kinds depends on this component.
 */
export class GatewayApiCrds extends pulumi.ComponentResource {
  /** The manifest: depend on it to wait for the CRDs. */
  public readonly manifest: k8s.yaml.v2.ConfigFile;

  constructor(
    name: string,
    args: { provider: k8s.Provider; offlineBundle?: OfflineBundle },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("platform:ingress:GatewayApiCrds", name, {}, opts);
    this.manifest = new k8s.yaml.v2.ConfigFile(
      `${name}-standard`,
      { file: manifestSource(GATEWAY_API_CRDS_URL, args.offlineBundle) },
      { parent: this, provider: args.provider, transforms: [retainGatewayApiObjects] },
    );
    this.registerOutputs({});
  }
}
