import { resourcePolicy } from "../lib/define";
import { GATEWAY_GROUP, isGatewayApiKind, LISTENER_KINDS } from "../lib/gatewayApi";
import { isKind } from "../lib/kinds";
import { record, records, str } from "../lib/paths";

/** Config of {@link requireGatewayTls}. */
export interface GatewayTlsConfig {
  /** Require an HTTPS listener with a certificate on every Gateway. Default: true. */
  readonly requireTls: boolean;
}

/**
 * Every Gateway serves HTTPS: at least one listener of protocol `HTTPS`, and each HTTPS listener
 * (of a Gateway or a ListenerSet) terminates TLS with a certificate. The Gateway API reference
 * (https://gateway-api.sigs.k8s.io/reference/spec/, `Listener.tls` and `GatewayTLSConfig`): `tls` is
 * required when the protocol is HTTPS; HTTPS listeners only terminate TLS (`mode: Terminate`, the
 * default; `Passthrough` is for the TLS protocol), and in Terminate mode `certificateRefs` names the
 * certificate — a listener without one has nothing to serve. The Ingress counterpart is
 * `require-ingress-tls`; the stacks give both the same level.
 */
export const requireGatewayTls = resourcePolicy<GatewayTlsConfig>({
  name: "require-gateway-tls",
  description:
    "Gateways have an HTTPS listener, each HTTPS listener a certificate, where the stack requires TLS.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireTls: { type: "boolean", default: true, description: "Require HTTPS listeners on Gateways." },
    },
  },
  appliesTo: (type) => isGatewayApiKind(type, LISTENER_KINDS),
  check: ({ args, props, config, report }) => {
    if (!config.requireTls) return;
    const listeners = records(record(props.spec).listeners);
    const https = listeners.map((l, i) => ({ l, i })).filter(({ l }) => str(l.protocol) === "HTTPS");
    // A ListenerSet adds listeners to a Gateway that may serve HTTPS itself: only its HTTPS ones are checked.
    if (https.length === 0 && isKind(args.type, [GATEWAY_GROUP], "Gateway"))
      report("spec.listeners has no HTTPS listener");
    for (const { l, i } of https) {
      const tls = record(l.tls);
      const name = str(l.name) ?? String(i);
      const mode = str(tls.mode) ?? "Terminate";
      if (mode !== "Terminate")
        report(`spec.listeners[${i}] (${name}): HTTPS with tls.mode ${mode}, not Terminate`);
      else if (records(tls.certificateRefs).length === 0)
        report(`spec.listeners[${i}] (${name}): HTTPS without tls.certificateRefs`);
    }
  },
});
