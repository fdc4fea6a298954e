import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GatewayRef } from "./gateway";

/** A path prefix and the Service (of the route's namespace) that serves it. */
export interface RouteBackend {
  readonly path: string;
  readonly service: pulumi.Input<string>;
  /** The Service's port number (Gateway API backend references take no port names). */
  readonly port: number;
}

/** Arguments of {@link createHttpRoutes}. */
export interface HttpRoutesArgs {
  readonly gateway: GatewayRef;
  /** The site's key on the Gateway (`app`, `grafana`): its HTTPS listener, where TLS is on. */
  readonly site: string;
  readonly host: string;
  /** Namespace of the routes and of their backends. */
  readonly namespace: pulumi.Input<string>;
  /** Name of the route object (`app`); the redirect route gets `-redirect` appended. */
  readonly routeName: string;
  readonly backends: readonly RouteBackend[];
}

const GATEWAY_API = "gateway.networking.k8s.io/v1";

/**
 * The HTTPRoutes of one site, in its own namespace (so its backends need no ReferenceGrant): the
 * site's path prefixes on its HTTPS listener, or on the HTTP listener without TLS; where the Gateway
 * redirects, a second route on the HTTP listener answers every other request with a permanent
 * redirect to HTTPS. cert-manager's challenge routes match their exact path, which takes precedence
 * over the redirect's prefix match (Gateway API, HTTPRoute rule precedence).
 */
export function createHttpRoutes(
  name: string,
  args: HttpRoutesArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource[] {
  const gw = args.gateway;
  const parent = (sectionName: string) => ({
    group: "gateway.networking.k8s.io",
    kind: "Gateway",
    name: gw.name,
    namespace: gw.namespace,
    sectionName,
  });
  const https = gw.httpsListeners[args.site];
  const listeners =
    https === undefined ? [gw.httpListener] : gw.redirectToHttps ? [https] : [https, gw.httpListener];
  const options = pulumi.mergeOptions(opts, { dependsOn: [gw.resource] });
  const routes = [
    new k8s.apiextensions.CustomResource(
      `${name}-route`,
      {
        apiVersion: GATEWAY_API,
        kind: "HTTPRoute",
        metadata: { name: args.routeName, namespace: args.namespace },
        spec: {
          parentRefs: listeners.map(parent),
          hostnames: [args.host],
          rules: args.backends.map((b) => ({
            matches: [{ path: { type: "PathPrefix", value: b.path } }],
            backendRefs: [{ name: b.service, port: b.port }],
          })),
        },
      },
      options,
    ),
  ];
  if (https !== undefined && gw.redirectToHttps) {
    routes.push(
      new k8s.apiextensions.CustomResource(
        `${name}-redirect`,
        {
          apiVersion: GATEWAY_API,
          kind: "HTTPRoute",
          metadata: { name: `${args.routeName}-redirect`, namespace: args.namespace },
          spec: {
            parentRefs: [parent(gw.httpListener)],
            hostnames: [args.host],
            rules: [
              {
                filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
              },
            ],
          },
        },
        options,
      ),
    );
  }
  return routes;
}
