import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHttpRoutes, GatewayRef } from "../ingress";
import { PORTS } from "./names";

/** How Grafana is reached from outside: its host, and the ingress or Gateway in front of it. */
export interface GrafanaRouteArgs {
  readonly host: string;
  readonly namespace: pulumi.Input<string>;
  readonly className: string;
  /** ClusterIssuer of the Ingress's certificate; absent: plain HTTP. With a Gateway, its listener holds the certificate. */
  readonly clusterIssuer?: pulumi.Input<string>;
  /** HTTPRoutes on this Gateway instead of an Ingress (`routing: gateway`). */
  readonly gateway?: GatewayRef;
}

/**
 * Grafana's Ingress (with cert-manager's annotation where the stack serves TLS), or its HTTPRoutes
 * on the platform's Gateway: what the DNS record waits for.
 */
export function grafanaRoutes(
  name: string,
  args: GrafanaRouteArgs,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  if (args.gateway)
    return createHttpRoutes(
      `${name}-grafana`,
      {
        gateway: args.gateway,
        site: "grafana",
        host: args.host,
        namespace: args.namespace,
        routeName: "grafana",
        backends: [{ path: "/", service: "grafana", port: PORTS.grafanaService }],
      },
      opts,
    );
  const tls = args.clusterIssuer !== undefined;
  return [
    new k8s.networking.v1.Ingress(
      `${name}-grafana-ingress`,
      {
        metadata: {
          name: "grafana",
          namespace: args.namespace,
          annotations: tls ? { "cert-manager.io/cluster-issuer": args.clusterIssuer! } : {},
        },
        spec: {
          ingressClassName: args.className,
          rules: [
            {
              host: args.host,
              http: {
                paths: [
                  {
                    path: "/",
                    pathType: "Prefix",
                    backend: { service: { name: "grafana", port: { number: PORTS.grafanaService } } },
                  },
                ],
              },
            },
          ],
          ...(tls ? { tls: [{ hosts: [args.host], secretName: "grafana-tls" }] } : {}),
        },
      },
      opts,
    ),
  ];
}
