import { resourcePolicy } from "../lib/define";
import { hostnames, isGatewayApiKind, LISTENER_KINDS, ROUTE_KINDS } from "../lib/gatewayApi";
import { record, records, str } from "../lib/paths";

/** Listener protocols that terminate or pass through TLS for the hosts they name. */
const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);

/**
 * Gateway listeners and routes name exact hosts. In the Gateway API
 * (https://gateway-api.sigs.k8s.io/reference/spec/, `Hostname`, `Listener.hostname`,
 * `HTTPRouteSpec.hostnames`) a name that starts with `*.` matches every name below it, and a missing
 * one matches every host: a route without `hostnames` answers for whatever its listener accepts, and
 * an HTTPS or TLS listener without `hostname` serves its certificate to any host. Either way a site
 * answers for names nobody registered with it. A plain-HTTP listener may omit the hostname (it
 * carries the redirect to HTTPS and the ACME challenges of every site), since its routes name theirs.
 */
export const disallowWildcardHostnames = resourcePolicy({
  name: "disallow-wildcard-hostnames",
  description:
    "Gateway listeners (HTTPS, TLS) and routes name exact hosts: never a wildcard (*.example.com), never none.",
  enforcementLevel: "mandatory",
  appliesTo: (type) => isGatewayApiKind(type, [...LISTENER_KINDS, ...ROUTE_KINDS]),
  check: ({ props, report }) => {
    for (const { path, hostname } of hostnames(props)) {
      if (hostname.startsWith("*")) report(`${path} "${hostname}" is a wildcard`);
    }
    const spec = record(props.spec);
    if (props.kind !== undefined && ROUTE_KINDS.includes(props.kind as (typeof ROUTE_KINDS)[number])) {
      if (!Array.isArray(spec.hostnames) || spec.hostnames.length === 0)
        report("spec.hostnames is empty: the route answers for every host its listeners accept");
    }
    records(spec.listeners).forEach((listener, i) => {
      const protocol = str(listener.protocol);
      if (protocol !== undefined && TLS_PROTOCOLS.has(protocol) && str(listener.hostname) === undefined)
        report(`spec.listeners[${i}] (${protocol}) has no hostname: it serves every host`);
    });
  },
});
