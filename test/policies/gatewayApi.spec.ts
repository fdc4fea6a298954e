// Gateway API policies: HTTPS listeners with certificates, cross-namespace references through
// ReferenceGrants, no wildcard host names. Expected values follow the Gateway API reference
// (https://gateway-api.sigs.k8s.io/reference/spec/).
import * as assert from "node:assert/strict";
import { checkManifests } from "../../policies/manifest";
import { disallowWildcardHostnames } from "../../policies/resources/disallowWildcardHostnames";
import { requireGatewayTls } from "../../policies/resources/requireGatewayTls";
import { requireReferenceGrants } from "../../policies/stack/requireReferenceGrants";
import { loadPolicyConfig } from "../../policies/engine";
import { assertMessages, kube, violationsOf, withField } from "./fixtures";

const GW = "gateway.networking.k8s.io/v1";
const gateway = () =>
  kube(`kubernetes:${GW}:Gateway`, {
    apiVersion: GW,
    kind: "Gateway",
    metadata: { name: "edge", namespace: "edge" },
    spec: {
      gatewayClassName: "traefik",
      listeners: [
        { name: "http", protocol: "HTTP", port: 8000 },
        {
          name: "https",
          protocol: "HTTPS",
          port: 8443,
          hostname: "shop.example.com",
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "shop-tls" }] },
        },
      ],
    },
  });
const route = (backendRefs: Record<string, unknown>[]) =>
  kube(
    `kubernetes:${GW}:HTTPRoute`,
    {
      apiVersion: GW,
      kind: "HTTPRoute",
      metadata: { name: "shop", namespace: "shop" },
      spec: {
        parentRefs: [{ name: "edge", namespace: "edge" }],
        hostnames: ["shop.example.com"],
        rules: [{ backendRefs }],
      },
    },
    "shop",
  );
const grant = (namespace: string, from: Record<string, unknown>, to: Record<string, unknown>) =>
  kube(
    `kubernetes:${GW}:ReferenceGrant`,
    {
      apiVersion: GW,
      kind: "ReferenceGrant",
      metadata: { name: "from-shop", namespace },
      spec: { from: [from], to: [to] },
    },
    `grant-${namespace}`,
  );
const FROM_SHOP_ROUTES = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "shop" };

describe("require-gateway-tls", () => {
  it("passes a Gateway whose HTTPS listener terminates TLS with a certificate", () =>
    assertMessages(requireGatewayTls, gateway(), []));
  it("reports a Gateway without an HTTPS listener", () => {
    const httpOnly = withField(gateway(), "spec.listeners", [{ name: "http", protocol: "HTTP", port: 8000 }]);
    assertMessages(requireGatewayTls, httpOnly, ["spec.listeners has no HTTPS listener"]);
  });
  it("reports an HTTPS listener without certificateRefs (required in Terminate mode, the default)", () => {
    assertMessages(requireGatewayTls, withField(gateway(), "spec.listeners[1].tls", { mode: "Terminate" }), [
      "spec.listeners[1] (https): HTTPS without tls.certificateRefs",
    ]);
    assertMessages(requireGatewayTls, withField(gateway(), "spec.listeners[1].tls", undefined), [
      "spec.listeners[1] (https): HTTPS without tls.certificateRefs",
    ]);
  });
  it("reports an HTTPS listener in Passthrough mode (which only the TLS protocol takes)", () => {
    assertMessages(requireGatewayTls, withField(gateway(), "spec.listeners[1].tls.mode", "Passthrough"), [
      "spec.listeners[1] (https): HTTPS with tls.mode Passthrough, not Terminate",
    ]);
  });
  it("accepts plain HTTP where the stack does not require TLS", () => {
    const httpOnly = withField(gateway(), "spec.listeners", [{ name: "http", protocol: "HTTP", port: 8000 }]);
    assertMessages(requireGatewayTls, httpOnly, [], { requireTls: false });
  });
  it("gives Gateways the level each stack gives Ingresses", () => {
    for (const stack of ["dev", "staging", "prod", "existing"]) {
      const config = loadPolicyConfig(stack) as Record<
        string,
        { enforcementLevel?: string; requireTls?: boolean }
      >;
      assert.deepEqual(
        [config["require-gateway-tls"]?.enforcementLevel, config["require-gateway-tls"]?.requireTls],
        [config["require-ingress-tls"]?.enforcementLevel, config["require-ingress-tls"]?.requireTls],
        stack,
      );
    }
  });
});

describe("require-reference-grants", () => {
  it("passes a route to a Service of its own namespace (a backendRef without namespace)", () =>
    assertMessages(requireReferenceGrants, [route([{ name: "web", port: 8080 }])], []));

  it("reports a route to a Service in another namespace without a ReferenceGrant", () => {
    assertMessages(
      requireReferenceGrants,
      [route([{ name: "api", namespace: "backend", port: 8080 }])],
      [
        "HTTPRoute/shop/shop: spec.rules[0].backendRefs[0] refers to Service backend/api in another namespace, and no ReferenceGrant in backend allows HTTPRoutes from shop",
      ],
    );
  });

  it("passes it once the target namespace grants HTTPRoutes of the route's namespace its Services", () => {
    const allowed = grant("backend", FROM_SHOP_ROUTES, { group: "", kind: "Service" });
    assertMessages(
      requireReferenceGrants,
      [route([{ name: "api", namespace: "backend", port: 8080 }]), allowed],
      [],
    );
  });

  it("reports it when the grant is elsewhere, for another namespace, another kind or another Service name", () => {
    const backend = route([{ name: "api", namespace: "backend", port: 8080 }]);
    const wrong = [
      grant("shop", FROM_SHOP_ROUTES, { group: "", kind: "Service" }), // in the route's namespace, not the target's
      grant("backend", { ...FROM_SHOP_ROUTES, namespace: "other" }, { group: "", kind: "Service" }),
      grant("backend", { ...FROM_SHOP_ROUTES, kind: "GRPCRoute" }, { group: "", kind: "Service" }),
      grant("backend", FROM_SHOP_ROUTES, { group: "", kind: "Service", name: "billing" }),
    ];
    for (const g of wrong)
      assert.equal(
        violationsOf(requireReferenceGrants, [backend, g]).length,
        1,
        JSON.stringify(g.props.spec),
      );
  });

  it("checks the backends of RequestMirror filters too", () => {
    const mirrored = withField(route([{ name: "web", port: 8080 }]), "spec.rules[0].filters", [
      {
        type: "RequestMirror",
        requestMirror: { backendRef: { name: "shadow", namespace: "canary", port: 8080 } },
      },
    ]);
    assertMessages(
      requireReferenceGrants,
      [mirrored],
      [
        "HTTPRoute/shop/shop: spec.rules[0].filters[0].requestMirror.backendRef refers to Service canary/shadow in another namespace, and no ReferenceGrant in canary allows HTTPRoutes from shop",
      ],
    );
  });

  it("checks a listener's certificate in another namespace (a Secret needs a grant for Gateways)", () => {
    const elsewhere = withField(gateway(), "spec.listeners[1].tls.certificateRefs[0].namespace", "certs");
    assertMessages(
      requireReferenceGrants,
      [elsewhere],
      [
        "Gateway/edge/edge: spec.listeners[1].tls.certificateRefs[0] refers to Secret certs/shop-tls in another namespace, and no ReferenceGrant in certs allows Gateways from edge",
      ],
    );
    const allowed = grant(
      "certs",
      { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "edge" },
      { group: "", kind: "Secret", name: "shop-tls" },
    );
    assertMessages(requireReferenceGrants, [elsewhere, allowed], []);
  });

  it("runs in the manifest check over a bundle of manifests", async () => {
    const yaml = [
      "apiVersion: gateway.networking.k8s.io/v1",
      "kind: HTTPRoute",
      "metadata: {name: shop, namespace: shop}",
      "spec:",
      "  parentRefs: [{name: edge, namespace: edge}]",
      "  rules: [{backendRefs: [{name: api, namespace: backend, port: 8080}]}]",
    ].join("\n");
    const report = await checkManifests([{ source: "route.yaml", text: yaml }], { all: "mandatory" });
    assert.ok(
      report.violations.some((v) => v.policy === "require-reference-grants"),
      JSON.stringify(report.violations.map((v) => v.policy)),
    );
  });
});

describe("disallow-wildcard-hostnames", () => {
  it("passes exact host names on listeners and routes", () => {
    assertMessages(disallowWildcardHostnames, [gateway(), route([{ name: "web", port: 8080 }])], []);
  });
  it("reports a wildcard listener hostname", () => {
    assertMessages(
      disallowWildcardHostnames,
      withField(gateway(), "spec.listeners[1].hostname", "*.example.com"),
      ['spec.listeners[1].hostname "*.example.com" is a wildcard'],
    );
  });
  it("reports a wildcard route hostname", () => {
    const wildcard = withField(route([{ name: "web", port: 8080 }]), "spec.hostnames", [
      "shop.example.com",
      "*.example.com",
    ]);
    assertMessages(disallowWildcardHostnames, wildcard, ['spec.hostnames[1] "*.example.com" is a wildcard']);
  });
  it("reports a route without hostnames and an HTTPS listener without one, which match every host", () => {
    const anyHost = withField(route([{ name: "web", port: 8080 }]), "spec.hostnames", []);
    assertMessages(disallowWildcardHostnames, anyHost, [
      "spec.hostnames is empty: the route answers for every host its listeners accept",
    ]);
    const noHost = withField(gateway(), "spec.listeners[1].hostname", undefined);
    assertMessages(disallowWildcardHostnames, noHost, [
      "spec.listeners[1] (HTTPS) has no hostname: it serves every host",
    ]);
    // The plain-HTTP listener of the fixture has none: it carries the redirect and ACME challenges.
    assertMessages(disallowWildcardHostnames, gateway(), []);
  });
  it("is mandatory in prod and advisory elsewhere", () => {
    const level = (stack: string) => {
      const config = loadPolicyConfig(stack) as Record<string, { enforcementLevel?: string } | string>;
      const own = config["disallow-wildcard-hostnames"];
      return (typeof own === "object" ? own.enforcementLevel : undefined) ?? config.all;
    };
    assert.deepEqual(["dev", "staging", "existing", "prod"].map(level), [
      "advisory",
      "advisory",
      "advisory",
      "mandatory",
    ]);
  });
});
