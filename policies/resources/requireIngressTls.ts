import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record, records, str } from "../lib/paths";

/** Config of {@link requireIngressTls}. */
export interface IngressTlsConfig {
  /** Require TLS for every Ingress host. Default: true. */
  readonly requireTls: boolean;
}

/** Every Ingress serves TLS, and every rule host is listed in a `spec.tls` entry. */
export const requireIngressTls = resourcePolicy<IngressTlsConfig>({
  name: "require-ingress-tls",
  description: "Ingresses terminate TLS for every host where the stack requires it.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { requireTls: { type: "boolean", default: true, description: "Require TLS on Ingresses." } },
  },
  appliesTo: (type) => isKind(type, ["networking.k8s.io", "extensions"], "Ingress"),
  check: ({ props, config, report }) => {
    if (!config.requireTls) return;
    const spec = record(props.spec);
    const tls = records(spec.tls);
    if (tls.length === 0) {
      report("spec.tls is not set");
      return;
    }
    const covered = new Set(tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.map(String) : [])));
    records(spec.rules).forEach((rule, i) => {
      const host = str(rule.host);
      if (host !== undefined && !covered.has(host))
        report(`spec.rules[${i}].host "${host}" is not listed in spec.tls`);
    });
  },
});
