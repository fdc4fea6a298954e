// Service policies: load balancers, node ports, external IPs.
import { disallowExternalIps } from "../../policies/resources/disallowExternalIps";
import { disallowNodePortServices } from "../../policies/resources/disallowNodePortServices";
import { restrictLoadBalancerServices } from "../../policies/resources/restrictLoadBalancerServices";
import { assertMessages, kube, withField } from "./fixtures";

const service = () =>
  kube("kubernetes:core/v1:Service", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "shop" },
    spec: { selector: { "app.kubernetes.io/name": "web" }, ports: [{ port: 80 }] },
  });

describe("restrict-load-balancer-services", () => {
  it("passes a ClusterIP Service", () => assertMessages(restrictLoadBalancerServices, service(), []));
  it("reports a LoadBalancer for an application", () => {
    assertMessages(restrictLoadBalancerServices, withField(service(), "spec.type", "LoadBalancer"), [
      "spec.type is LoadBalancer but the Service is not an ingress controller (traefik, ingress-nginx, nginx-ingress, haproxy-ingress, contour, envoy, kong)",
    ]);
  });
  it("accepts a LoadBalancer for Traefik", () => {
    const lb = withField(withField(service(), "spec.type", "LoadBalancer"), "spec.selector", {
      "app.kubernetes.io/name": "traefik",
    });
    assertMessages(restrictLoadBalancerServices, lb, []);
  });
  it("uses the configured controller names", () => {
    const lb = withField(service(), "spec.type", "LoadBalancer");
    assertMessages(restrictLoadBalancerServices, lb, [], { ingressControllers: ["web"] });
  });
});

describe("disallow-node-port-services", () => {
  it("passes a ClusterIP Service", () => assertMessages(disallowNodePortServices, service(), []));
  it("reports a NodePort Service", () => {
    assertMessages(disallowNodePortServices, withField(service(), "spec.type", "NodePort"), [
      "spec.type is NodePort",
    ]);
  });
  it("accepts NodePort where the stack allows it", () => {
    assertMessages(disallowNodePortServices, withField(service(), "spec.type", "NodePort"), [], {
      allowNodePort: true,
    });
  });
});

describe("disallow-external-ips", () => {
  it("passes a Service without externalIPs", () => assertMessages(disallowExternalIps, service(), []));
  it("reports externalIPs", () => {
    assertMessages(disallowExternalIps, withField(service(), "spec.externalIPs", ["203.0.113.7"]), [
      "spec.externalIPs is set (203.0.113.7)",
    ]);
  });
});
