import { resourcePolicy } from "../lib/define";
import { hostnames, isGatewayApiKind, LISTENER_KINDS, ROUTE_KINDS } from "../lib/gatewayApi";

/**
 * No wildcard host names on Gateway listeners (`spec.listeners[].hostname`) or routes
 * (`spec.hostnames`). In the Gateway API (https://gateway-api.sigs.k8s.io/reference/spec/,
 * `Hostname`) a name that starts with `*.` matches every name below it, so a listener or route
 * meant for one site answers for any host of the domain, including names nobody registered with it.
 */
export const disallowWildcardHostnames = resourcePolicy({
  name: "disallow-wildcard-hostnames",
  description: "Gateway listeners and routes name exact hosts, never a wildcard (*.example.com).",
  enforcementLevel: "mandatory",
  appliesTo: (type) => isGatewayApiKind(type, [...LISTENER_KINDS, ...ROUTE_KINDS]),
  check: ({ props, report }) => {
    for (const { path, hostname } of hostnames(props)) {
      if (hostname.startsWith("*")) report(`${path} "${hostname}" is a wildcard`);
    }
  },
});
