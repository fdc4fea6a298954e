import * as assert from "node:assert/strict";
import {
  GATEWAY_API_VERSION,
  retainGatewayApiObjects,
  TRAEFIK_ENTRYPOINT_PORTS,
} from "../../components/ingress";
import { Evaluation, PlannedResource } from "../../scripts/lib/evaluate";
import { evaluateDeployed, evaluateDeployedWith } from "../app/deployed";
import { allOf, only } from "../helpers";

// `platform:routing` on staging (TLS through Let's Encrypt, Grafana, a DO load balancer): `ingress`
// as shipped, `gateway` the Gateway API. Each evaluation runs the whole program under mocks.

const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const GATEWAY_CLASS = "kubernetes:gateway.networking.k8s.io/v1:GatewayClass";
const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const CHART = "kubernetes:helm.sh/v4:Chart";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const gatewayApiObjects = (e: Evaluation) =>
  e.resources.filter((r) => r.type.includes("gateway.networking.k8s.io"));
const chart = (e: Evaluation, name: string) =>
  e.resources.find((r) => r.type === CHART && r.inputs.chart === name)!;
const meta = (r: PlannedResource) => r.inputs.metadata as Obj;
const routeNamed = (e: Evaluation, name: string) => allOf(e, HTTP_ROUTE).find((r) => meta(r).name === name)!;
/** Whether `r` waits for `on`, directly or through the resources it waits for. */
function waitsFor(e: Evaluation, r: PlannedResource, on: PlannedResource, seen = new Set<string>()): boolean {
  if (r.dependencies.includes(on.urn)) return true;
  return r.dependencies.some((urn) => {
    if (seen.has(urn)) return false;
    seen.add(urn);
    const next = e.resources.find((x) => x.urn === urn);
    return next !== undefined && waitsFor(e, next, on, seen);
  });
}

describe("routing: ingress (the default)", () => {
  let staging: Evaluation;
  before(async () => {
    staging = await evaluateDeployed("staging");
  });

  it("keeps the Ingresses and declares no Gateway API object, CRD manifest or Gateway provider", () => {
    assert.deepEqual(
      allOf(staging, INGRESS)
        .map((r) => meta(r).name)
        .sort(),
      ["app", "grafana"],
    );
    assert.deepEqual(gatewayApiObjects(staging), []);
    assert.deepEqual(allOf(staging, CONFIG_FILE), []);
    const providers = (chart(staging, "traefik").inputs.values as Obj).providers as Obj;
    assert.equal(providers.kubernetesGateway, undefined);
  });

  it("solves HTTP-01 through an Ingress of Traefik's class", () => {
    const issuer = only(staging, ISSUER);
    assert.deepEqual(Object.keys((issuer.inputs.spec as Obj).acme.solvers[0].http01), ["ingress"]);
  });
});

describe("routing: gateway", () => {
  let staging: Evaluation;
  before(async () => {
    staging = await evaluateDeployedWith("staging", { routing: "gateway" });
  });

  it("installs the pinned standard-channel CRDs, kept when they are deleted", () => {
    const crds = only(staging, CONFIG_FILE);
    assert.equal(
      crds.inputs.file,
      `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`,
    );
    // The transform the manifest's children go through (transforms do not run under mocks).
    const child = retainGatewayApiObjects({
      type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
      name: "gateways.gateway.networking.k8s.io",
      custom: true,
      props: {},
      opts: {},
    });
    assert.equal(child && "opts" in child ? child.opts.retainOnDelete : undefined, true);
  });

  it("replaces every Ingress by HTTPRoutes: the app's two paths and Grafana's, each to a Service of its own namespace", () => {
    assert.deepEqual(allOf(staging, INGRESS), []);
    const services = allOf(staging, "kubernetes:core/v1:Service").map(
      (s) => `${meta(s).namespace}/${meta(s).name}`,
    );
    const app = routeNamed(staging, "app");
    const rules = (app.inputs.spec as Obj).rules as Obj[];
    assert.deepEqual(
      rules.map((r) => [r.matches[0].path, r.backendRefs[0].name]),
      [
        [{ type: "PathPrefix", value: "/api" }, "api"],
        [{ type: "PathPrefix", value: "/" }, "web"],
      ],
    );
    for (const r of rules) {
      assert.equal(r.backendRefs[0].namespace, undefined, "a backend in the route's own namespace");
      assert.ok(services.includes(`${meta(app).namespace}/${r.backendRefs[0].name}`));
    }
    assert.deepEqual((app.inputs.spec as Obj).hostnames, ["app.staging.example.com"]);
    const grafana = routeNamed(staging, "grafana");
    assert.deepEqual((grafana.inputs.spec as Obj).hostnames, ["grafana.staging.example.com"]);
    assert.equal(meta(grafana).namespace, "monitoring");
  });

  it("gives the Gateway an HTTP listener on Traefik's web entry point and an HTTPS listener per site, whose Secret cert-manager issues for its host", () => {
    const gateway = only(staging, GATEWAY);
    assert.equal(meta(gateway).namespace, "traefik");
    const listeners = (gateway.inputs.spec as Obj).listeners as Obj[];
    const http = listeners.filter((l) => l.protocol === "HTTP");
    assert.deepEqual(
      http.map((l) => [l.port, l.hostname]),
      [[TRAEFIK_ENTRYPOINT_PORTS.web, undefined]],
    );
    const https = listeners.filter((l) => l.protocol === "HTTPS");
    assert.deepEqual(https.map((l) => l.hostname).sort(), [
      "app.staging.example.com",
      "grafana.staging.example.com",
    ]);
    const issuer = only(staging, ISSUER);
    const certificates = allOf(staging, CERTIFICATE);
    for (const l of https) {
      assert.equal(l.port, TRAEFIK_ENTRYPOINT_PORTS.websecure);
      const [ref] = l.tls.certificateRefs as Obj[];
      assert.equal(ref.namespace, undefined, "the Secret is in the Gateway's namespace: no ReferenceGrant");
      const certificate = certificates.find(
        (c) =>
          meta(c).namespace === meta(gateway).namespace && (c.inputs.spec as Obj).secretName === ref.name,
      );
      assert.ok(certificate, `no Certificate issues ${ref.name}`);
      const spec = certificate.inputs.spec as Obj;
      assert.deepEqual(spec.dnsNames, [l.hostname]);
      assert.equal(spec.issuerRef.name, meta(issuer).name);
      assert.ok(waitsFor(staging, certificate, gateway), "the HTTP-01 challenge needs the Gateway");
    }
  });

  it("attaches the site routes to HTTPS only, and redirects plain HTTP with a route on the HTTP listener", () => {
    const listenerOf = (r: PlannedResource) =>
      ((r.inputs.spec as Obj).parentRefs as Obj[]).map((p) => `${p.namespace}/${p.name}/${p.sectionName}`);
    assert.deepEqual(listenerOf(routeNamed(staging, "app")), ["traefik/platform/https-app"]);
    assert.deepEqual(listenerOf(routeNamed(staging, "grafana")), ["traefik/platform/https-grafana"]);
    for (const site of ["app", "grafana"]) {
      const redirect = routeNamed(staging, `${site}-redirect`);
      assert.deepEqual(listenerOf(redirect), ["traefik/platform/http"]);
      const [rule] = (redirect.inputs.spec as Obj).rules as Obj[];
      assert.deepEqual(rule.filters, [
        { type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } },
      ]);
      assert.equal(rule.matches, undefined, "every path, the ACME challenge's exact path taking precedence");
    }
    // Traefik's own entry point redirect would catch the challenges before any route: off.
    const ports = (chart(staging, "traefik").inputs.values as Obj).ports as Obj;
    assert.deepEqual(ports.web, {});
  });

  it("admits routes from the platform's namespaces on every listener", () => {
    const listeners = (only(staging, GATEWAY).inputs.spec as Obj).listeners as Obj[];
    for (const l of listeners)
      assert.deepEqual(l.allowedRoutes.namespaces, {
        from: "Selector",
        selector: { matchLabels: { "app.kubernetes.io/part-of": "platform" } },
      });
    const namespaces = allOf(staging, "kubernetes:core/v1:Namespace");
    for (const route of allOf(staging, HTTP_ROUTE)) {
      const ns = namespaces.find((n) => meta(n).name === meta(route).namespace)!;
      assert.equal(meta(ns).labels["app.kubernetes.io/part-of"], "platform", meta(route).name);
    }
  });

  it("turns on Traefik's Gateway provider and cert-manager's Gateway API support, and solves HTTP-01 through the HTTP listener", () => {
    const traefik = chart(staging, "traefik").inputs.values as Obj;
    assert.equal(traefik.providers.kubernetesGateway.enabled, true);
    // The program owns the class and the Gateway: the chart makes neither.
    assert.deepEqual([traefik.gateway, traefik.gatewayClass], [{ enabled: false }, { enabled: false }]);
    assert.equal(
      (only(staging, GATEWAY_CLASS).inputs.spec as Obj).controllerName,
      "traefik.io/gateway-controller",
    );
    // cert-manager's controller reads `config` as its ControllerConfiguration file; the Gateway API
    // switch there is `enableGatewayAPI` (cert-manager.io, "Configuring the HTTP-01 Gateway API solver").
    assert.deepEqual((chart(staging, "cert-manager").inputs.values as Obj).config, {
      apiVersion: "controller.config.cert-manager.io/v1alpha1",
      kind: "ControllerConfiguration",
      enableGatewayAPI: true,
    });
    const issuer = only(staging, ISSUER);
    const solver = (issuer.inputs.spec as Obj).acme.solvers[0].http01;
    assert.deepEqual(solver, {
      gatewayHTTPRoute: {
        parentRefs: [
          {
            group: "gateway.networking.k8s.io",
            kind: "Gateway",
            name: "platform",
            namespace: "traefik",
            sectionName: "http",
          },
        ],
        serviceType: "ClusterIP",
      },
    });
  });

  it("makes the charts and every Gateway API object wait for the CRDs, and the routes for Traefik", () => {
    const crds = only(staging, CONFIG_FILE);
    for (const r of [
      chart(staging, "traefik"),
      chart(staging, "cert-manager"),
      ...gatewayApiObjects(staging),
    ])
      assert.ok(waitsFor(staging, r, crds), `${r.type} ${r.name} does not wait for the CRDs`);
    for (const route of allOf(staging, HTTP_ROUTE))
      assert.ok(
        waitsFor(staging, route, chart(staging, "traefik")),
        `${route.name} does not wait for Traefik`,
      );
  });

  it("lets Traefik reach the HTTP-01 solver pods that run beside the Certificates", () => {
    const policy = allOf(staging, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => meta(p).namespace === "traefik" && meta(p).name === "acme-solver-from-traefik",
    )!;
    const spec = policy.inputs.spec as Obj;
    assert.deepEqual(spec.podSelector.matchLabels, { "acme.cert-manager.io/http01-solver": "true" });
    assert.deepEqual(spec.ingress[0].from, [
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } } },
    ]);
  });

  it("admits solver pods only where they run: in the Gateway's namespace, no longer beside the app or Grafana", async () => {
    const solverPolicies = (e: Evaluation) =>
      allOf(e, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .filter((p) => meta(p).name.startsWith("acme-solver-from-"))
        .map((p) => `${meta(p).namespace}/${meta(p).name}`)
        .sort();
    assert.deepEqual(solverPolicies(staging), ["traefik/acme-solver-from-traefik"]);
    assert.deepEqual(solverPolicies(await evaluateDeployed("staging")), [
      "app/acme-solver-from-ingress",
      "monitoring/acme-solver-from-ingress",
    ]);
  });

  it("keeps the app's URL and DNS record", async () => {
    const ingress = await evaluateDeployed("staging");
    assert.equal(staging.outputs.appUrl, ingress.outputs.appUrl);
    assert.equal(staging.outputs.grafanaUrl, ingress.outputs.grafanaUrl);
    const records = (e: Evaluation) =>
      allOf(e, "digitalocean:index/dnsRecord:DnsRecord").map((r) => [r.inputs.name, r.inputs.value]);
    assert.deepEqual(records(staging), records(ingress));
  });
});

describe("routing: gateway without TLS (dev)", () => {
  it("serves the app on the HTTP listener, with no certificate and no redirect", async () => {
    const dev = await evaluateDeployedWith("dev", { routing: "gateway" });
    const listeners = (only(dev, GATEWAY).inputs.spec as Obj).listeners as Obj[];
    assert.deepEqual(
      listeners.map((l) => l.protocol),
      ["HTTP"],
    );
    assert.deepEqual(allOf(dev, CERTIFICATE), []);
    assert.deepEqual(
      allOf(dev, HTTP_ROUTE).map((r) => meta(r).name),
      ["app"],
    );
    assert.equal(dev.outputs.appUrl, "http://app.localhost:8080");
    // Traefik publishes loopback into the Gateway's status, as into Ingresses.
    const provider = ((chart(dev, "traefik").inputs.values as Obj).providers as Obj).kubernetesGateway;
    assert.deepEqual(provider.statusAddress, { ip: "127.0.0.1", service: { enabled: false } });
  });
});
