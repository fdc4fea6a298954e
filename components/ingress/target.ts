import * as pulumi from "@pulumi/pulumi";
import type { GatewayRef } from "./gateway";

/**
 * How a site of the platform (the app, Grafana) is reached from outside: the ingress controller
 * its Ingress names, the ClusterIssuer that signs its certificate, or the Gateway its HTTPRoutes
 * attach to where `routing` is `gateway`.
 */
export interface IngressTarget {
  readonly className: string;
  readonly controllerNamespace: string;
  /** Labels of the controller's pods; empty: every pod of its namespace. */
  readonly controllerLabels: Record<string, string>;
  /** ClusterIssuer that signs the host's certificate; absent: plain HTTP. */
  readonly clusterIssuer?: pulumi.Input<string>;
  /** The controller the program installs: the Ingress is created once it runs. */
  readonly controller?: pulumi.Resource;
  /** Route through this Gateway (HTTPRoutes) instead of an Ingress; its listeners carry the TLS. */
  readonly gateway?: GatewayRef;
}
