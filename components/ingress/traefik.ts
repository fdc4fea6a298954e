import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { OfflineBundle } from "../../offline";
import {
  chartSource,
  createNetworkPolicies,
  DEFAULT_DENY,
  DNS_EGRESS,
  HTTPS_AND_API_EGRESS,
  NamedPolicy,
  restrictedNamespace,
  spreadAcrossNodes,
} from "../kube";
import { TRAEFIK_CHART_REPO, TRAEFIK_CHART_VERSION } from "./versions";

/** How the controller is reached from outside the cluster. */
export type TraefikExposure =
  /** The local node publishes these NodePorts on 127.0.0.1 (no hostPort, no hostNetwork). */
  | { readonly kind: "nodePort"; readonly httpNodePort: number; readonly httpsNodePort: number }
  /** A DigitalOcean load balancer, HTTP redirected to HTTPS. */
  | { readonly kind: "loadBalancer"; readonly name: string; readonly redirectToHttps: boolean };

/** Arguments of {@link Traefik}. */
export interface TraefikArgs {
  readonly provider: k8s.Provider;
  readonly exposure: TraefikExposure;
  /** Controller replicas; a PodDisruptionBudget comes with more than one. */
  readonly replicas: number;
  /** Spread replicas across nodes. Default: false. */
  readonly spreadAcrossNodes?: boolean;
  /**
   * Serve the Gateway API too (Traefik's Gateway provider), once its CRDs exist. The program owns
   * the GatewayClass and the Gateway, so the chart creates neither. Default: Ingress only.
   */
  readonly gatewayApi?: { readonly crds: pulumi.Resource };
  /** Install the chart from this offline bundle instead of its repository. Default: the repository. */
  readonly offlineBundle?: OfflineBundle;
}

/** The namespace, IngressClass and Service name the rest of the program refers to. */
export const TRAEFIK_NAMESPACE = "traefik";
export const TRAEFIK_INGRESS_CLASS = "traefik";
const RELEASE = "traefik";
/** Labels of the controller's pods (the chart's). */
export const TRAEFIK_POD_LABELS = { "app.kubernetes.io/name": "traefik" };
/** Container ports of the chart's entry points (`ports.web.port`, `ports.websecure.port`). */
export const TRAEFIK_ENTRYPOINT_PORTS = { web: 8000, websecure: 8443 } as const;
const ENTRYPOINT_PORTS = [TRAEFIK_ENTRYPOINT_PORTS.web, TRAEFIK_ENTRYPOINT_PORTS.websecure];

/**
 * Traefik from its official chart, as the cluster's default IngressClass, non-root with a read-only
 * root filesystem and bounded resources. `helm.v4.Chart` renders the chart into ordinary resources,
 * so `pulumi preview --policy-pack` checks every object it creates.
 */
export class Traefik extends pulumi.ComponentResource {
  /** Namespace of the controller's pods, for network policies that admit its traffic. */
  public readonly namespace: pulumi.Output<string>;
  public readonly ingressClassName: string = TRAEFIK_INGRESS_CLASS;
  /** External IP of the load balancer (cloud), unknown until it exists. */
  public readonly loadBalancerIp?: pulumi.Output<string>;
  /** The chart, for resources that must wait for the controller. */
  public readonly chart: k8s.helm.v4.Chart;

  constructor(name: string, args: TraefikArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:ingress:Traefik", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const namespace = restrictedNamespace(`${name}-ns`, TRAEFIK_NAMESPACE, k8sOpts);

    this.chart = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        name: RELEASE,
        ...chartSource(
          { chart: "traefik", version: TRAEFIK_CHART_VERSION, repo: TRAEFIK_CHART_REPO },
          args.offlineBundle,
        ),
        namespace: namespace.metadata.name,
        values: traefikValues(args),
      },
      { ...k8sOpts, dependsOn: [namespace, ...(args.gatewayApi ? [args.gatewayApi.crds] : [])] },
    );
    createNetworkPolicies(name, namespace.metadata.name, traefikNetworkPolicies(), {
      ...k8sOpts,
      dependsOn: [namespace],
    });
    this.namespace = namespace.metadata.name;
    if (args.exposure.kind === "loadBalancer") {
      this.loadBalancerIp = this.chart.resources.apply((resources: unknown[]) => {
        const service = resources.find((r) => k8s.core.v1.Service.isInstance(r)) as
          k8s.core.v1.Service | undefined;
        // A DNS record pointing nowhere would be a silent outage: a chart without its Service fails.
        if (!service)
          throw new pulumi.ResourceError(
            `the traefik chart ${TRAEFIK_CHART_VERSION} rendered no Service, so the app's DNS record has no load balancer address`,
            this,
          );
        return service.status.loadBalancer.ingress[0].ip;
      });
    }
    this.registerOutputs({ namespace: this.namespace });
  }
}

/** The chart values: pure, so tests can check them exactly. */
export function traefikValues(args: Omit<TraefikArgs, "provider">): Record<string, unknown> {
  const exposure = args.exposure;
  const ports =
    exposure.kind === "nodePort"
      ? { web: { nodePort: exposure.httpNodePort }, websecure: { nodePort: exposure.httpsNodePort } }
      : {
          web: exposure.redirectToHttps
            ? {
                http: { redirections: { entryPoint: { to: "websecure", scheme: "https", permanent: true } } },
              }
            : {},
          websecure: {},
        };
  const service =
    exposure.kind === "nodePort"
      ? { spec: { type: "NodePort" } }
      : {
          spec: { type: "LoadBalancer", externalTrafficPolicy: "Cluster" },
          annotations: {
            "service.beta.kubernetes.io/do-loadbalancer-name": exposure.name,
            "service.beta.kubernetes.io/do-loadbalancer-size-unit": "1",
          },
        };
  return {
    fullnameOverride: RELEASE,
    deployment: { replicas: args.replicas },
    resources: {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "256Mi" },
    },
    // The chart's defaults, stated so that a chart upgrade cannot loosen them unnoticed.
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
    },
    ingressClass: { enabled: true, isDefaultClass: true, name: TRAEFIK_INGRESS_CLASS },
    providers: {
      // Traefik writes this address into each Ingress's status; Pulumi waits for it before an
      // Ingress counts as ready. Behind a load balancer it is the Service's; on the laptop, loopback.
      kubernetesIngress:
        exposure.kind === "loadBalancer"
          ? { enabled: true, publishedService: { enabled: true } }
          : { enabled: true, publishedService: { enabled: false }, ingressEndpoint: { ip: "127.0.0.1" } },
      kubernetesCRD: { enabled: true },
      ...(args.gatewayApi ? { kubernetesGateway: gatewayProvider(exposure) } : {}),
    },
    ...(args.gatewayApi ? { gateway: { enabled: false }, gatewayClass: { enabled: false } } : {}),
    ingressRoute: { dashboard: { enabled: false } },
    ports,
    service,
    podDisruptionBudget: args.replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    ...(args.spreadAcrossNodes ? spreadAcrossNodes(TRAEFIK_POD_LABELS) : {}),
    log: { level: "INFO", format: "json" },
    accessLog: { enabled: true, format: "json" },
  };
}

/**
 * Traefik's Gateway provider, writing the address clients reach into each Gateway's status as it
 * does for Ingresses: the load balancer's, or loopback on the laptop's published NodePorts.
 */
function gatewayProvider(exposure: TraefikExposure): Record<string, unknown> {
  return {
    enabled: true,
    statusAddress:
      exposure.kind === "loadBalancer"
        ? { service: { enabled: true } }
        : { ip: "127.0.0.1", service: { enabled: false } },
  };
}

/**
 * Default deny in the controller's namespace, then: clients to the entry points, the controller to
 * app backends (namespaces of this platform, ports 8080 and cert-manager's solver 8089), to DNS and
 * to the API server it watches.
 */
export function traefikNetworkPolicies(): NamedPolicy[] {
  return [
    DEFAULT_DENY,
    {
      name: "traefik-entrypoints",
      deployedUnderEarlierName: true,
      spec: {
        podSelector: { matchLabels: TRAEFIK_POD_LABELS },
        policyTypes: ["Ingress"],
        ingress: [{ ports: ENTRYPOINT_PORTS.map((port) => ({ protocol: "TCP", port })) }],
      },
    },
    {
      name: "traefik-egress",
      deployedUnderEarlierName: true,
      spec: {
        podSelector: { matchLabels: TRAEFIK_POD_LABELS },
        policyTypes: ["Egress"],
        egress: [
          DNS_EGRESS,
          HTTPS_AND_API_EGRESS,
          {
            to: [{ namespaceSelector: { matchLabels: { "app.kubernetes.io/part-of": "platform" } } }],
            ports: [
              { protocol: "TCP", port: 8080 },
              { protocol: "TCP", port: 8089 },
            ],
          },
        ],
      },
    },
  ];
}
