import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createNetworkPolicies, NamedPolicy } from "../kube";
import { TRAEFIK_ENTRYPOINT_PORTS, TRAEFIK_NAMESPACE, TRAEFIK_POD_LABELS } from "./traefik";

/** The GatewayClass of the installed Traefik, and the controller name Traefik's Gateway provider claims. */
export const TRAEFIK_GATEWAY_CLASS = "traefik";
const TRAEFIK_GATEWAY_CONTROLLER = "traefik.io/gateway-controller";
/** Name of the platform's Gateway (in Traefik's namespace) and of its plain-HTTP listener. */
export const PLATFORM_GATEWAY = "platform";
export const HTTP_LISTENER = "http";
const GATEWAY_API = "gateway.networking.k8s.io/v1";
const ACME_SOLVER = { "acme.cert-manager.io/http01-solver": "true" };
/** Namespaces whose routes the Gateway admits: the platform's own (each carries this label). */
const PLATFORM_NAMESPACES = { "app.kubernetes.io/part-of": "platform" };

/** What routes need to attach to the platform's Gateway. */
export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  /** The plain-HTTP listener (port 80 outside), which also serves ACME HTTP-01 challenges. */
  readonly httpListener: string;
  /** The HTTPS listener of each site (`app`, `grafana`); empty without TLS. */
  readonly httpsListeners: Readonly<Record<string, string>>;
  /** Plain HTTP answers with a redirect to HTTPS: routes then attach to the HTTPS listener only. */
  readonly redirectToHttps: boolean;
  /** What a route waits for: the Gateway (itself after the CRDs, its class and Traefik). */
  readonly resource: pulumi.Resource;
}

/** Arguments of {@link PlatformGateway}. */
export interface PlatformGatewayArgs {
  readonly provider: k8s.Provider;
  /** Host name of each site the Gateway serves, by site: `{ app: "app.example.com" }`. */
  readonly sites: Readonly<Record<string, string>>;
  /** The ClusterIssuer that signs each site's certificate; absent: plain HTTP only. */
  readonly clusterIssuer?: pulumi.Input<string>;
  /** Redirect plain HTTP to HTTPS (where TLS is on and clients reach the standard ports). Default: false. */
  readonly redirectToHttps?: boolean;
  /** What the Gateway waits for: the Gateway API CRDs and the Traefik that serves it. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** A listener's Secret: the site's certificate, issued into the Gateway's namespace. */
export const siteTlsSecret = (site: string) => `${site}-tls`;

/**
 * The platform's Gateway on Traefik's Gateway provider: a GatewayClass for Traefik, one Gateway in
 * Traefik's namespace with a plain-HTTP listener and, where the stack serves TLS, one HTTPS listener
 * per site with its certificate (a cert-manager `Certificate` beside the Gateway, so the listener
 * refers to a Secret of its own namespace and no ReferenceGrant is needed). Routes stay with their
 * apps: the listeners admit routes from the platform's namespaces.
 */
export class PlatformGateway extends pulumi.ComponentResource {
  public readonly ref: GatewayRef;

  constructor(name: string, args: PlatformGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:ingress:PlatformGateway", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const tls = args.clusterIssuer !== undefined;

    const gatewayClass = new k8s.apiextensions.CustomResource(
      `${name}-class`,
      {
        apiVersion: GATEWAY_API,
        kind: "GatewayClass",
        metadata: { name: TRAEFIK_GATEWAY_CLASS },
        spec: { controllerName: TRAEFIK_GATEWAY_CONTROLLER },
      },
      { ...k8sOpts, dependsOn: [...args.dependsOn] },
    );

    const httpsListeners = tls
      ? Object.fromEntries(Object.keys(args.sites).map((site) => [site, `https-${site}`]))
      : {};
    const gateway = new k8s.apiextensions.CustomResource(
      `${name}-gateway`,
      {
        apiVersion: GATEWAY_API,
        kind: "Gateway",
        metadata: { name: PLATFORM_GATEWAY, namespace: TRAEFIK_NAMESPACE },
        spec: { gatewayClassName: TRAEFIK_GATEWAY_CLASS, listeners: gatewayListeners(args.sites, tls) },
      },
      { ...k8sOpts, dependsOn: [gatewayClass, ...args.dependsOn] },
    );

    if (tls) {
      for (const [site, host] of Object.entries(args.sites)) {
        new k8s.apiextensions.CustomResource(
          `${name}-${site}-certificate`,
          {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: site, namespace: TRAEFIK_NAMESPACE },
            spec: {
              secretName: siteTlsSecret(site),
              dnsNames: [host],
              issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: args.clusterIssuer! },
            },
          },
          // The HTTP-01 challenge is answered through the Gateway's HTTP listener.
          { ...k8sOpts, dependsOn: [gateway] },
        );
      }
      createNetworkPolicies(name, TRAEFIK_NAMESPACE, [ACME_SOLVER_FROM_TRAEFIK], {
        ...k8sOpts,
        dependsOn: [...args.dependsOn],
      });
    }

    this.ref = {
      name: PLATFORM_GATEWAY,
      namespace: TRAEFIK_NAMESPACE,
      httpListener: HTTP_LISTENER,
      httpsListeners,
      redirectToHttps: tls && (args.redirectToHttps ?? false),
      resource: gateway,
    };
    this.registerOutputs({});
  }
}

/**
 * The listeners: plain HTTP for every host on Traefik's `web` entry point, and one HTTPS listener per
 * site on `websecure`, terminating TLS with the site's Secret. Traefik binds a listener to the entry
 * point whose port it names, so the ports are the entry points' container ports, not 80 and 443.
 */
export function gatewayListeners(sites: Readonly<Record<string, string>>, tls: boolean) {
  const allowedRoutes = { namespaces: { from: "Selector", selector: { matchLabels: PLATFORM_NAMESPACES } } };
  const http = {
    name: HTTP_LISTENER,
    protocol: "HTTP",
    port: TRAEFIK_ENTRYPOINT_PORTS.web,
    allowedRoutes,
  };
  if (!tls) return [http];
  return [
    http,
    ...Object.entries(sites).map(([site, host]) => ({
      name: `https-${site}`,
      hostname: host,
      protocol: "HTTPS",
      port: TRAEFIK_ENTRYPOINT_PORTS.websecure,
      tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: siteTlsSecret(site) }] },
      allowedRoutes,
    })),
  ];
}

/**
 * cert-manager's HTTP-01 solver pods run beside the Certificates, in Traefik's namespace (which
 * denies by default): Traefik's pods reach them on the solver's port. Traefik's egress policy
 * already admits port 8089 in the platform's namespaces, its own included.
 */
const ACME_SOLVER_FROM_TRAEFIK: NamedPolicy = {
  name: "acme-solver-from-traefik",
  spec: {
    podSelector: { matchLabels: ACME_SOLVER },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: TRAEFIK_POD_LABELS } }],
        ports: [{ protocol: "TCP", port: 8089 }],
      },
    ],
  },
};
