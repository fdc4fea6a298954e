import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record, str } from "../lib/paths";

/** Config of {@link restrictLoadBalancerServices}. */
export interface LoadBalancerConfig {
  /** `app.kubernetes.io/name` values that identify the ingress controller. Default: common controllers. */
  readonly ingressControllers: readonly string[];
}

const NAME_LABELS = ["app.kubernetes.io/name", "app"];

/**
 * Only the ingress controller gets a cloud load balancer: a Service of type LoadBalancer must carry
 * (in its labels or selector) an `app.kubernetes.io/name` (or `app`) of a configured ingress controller.
 */
export const restrictLoadBalancerServices = resourcePolicy<LoadBalancerConfig>({
  name: "restrict-load-balancer-services",
  description: "Services of type LoadBalancer are allowed only for the ingress controller.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ingressControllers: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["traefik", "ingress-nginx", "nginx-ingress", "haproxy-ingress", "contour", "envoy", "kong"],
        description: "app.kubernetes.io/name values of ingress controllers.",
      },
    },
  },
  appliesTo: (type) => isKind(type, ["core"], "Service"),
  check: ({ props, config, report }) => {
    const spec = record(props.spec);
    if (spec.type !== "LoadBalancer") return;
    const labels = { ...record(record(props.metadata).labels), ...record(spec.selector) };
    const names = NAME_LABELS.map((l) => str(labels[l])).filter((n): n is string => n !== undefined);
    if (!names.some((n) => config.ingressControllers.includes(n))) {
      report(
        `spec.type is LoadBalancer but the Service is not an ingress controller (${config.ingressControllers.join(", ")})`,
      );
    }
  },
});
