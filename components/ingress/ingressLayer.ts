import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config";
import { Cluster, LOCAL_INGRESS_NODE_PORTS } from "../cluster";
import { CertManager, IngressControllerPods } from "./certManager";
import { GatewayRef, HTTP_LISTENER, PLATFORM_GATEWAY, PlatformGateway } from "./gateway";
import { GatewayApiCrds } from "./gatewayCrds";
import { Traefik, TRAEFIK_NAMESPACE, TRAEFIK_POD_LABELS } from "./traefik";

/** What the app needs from the ingress layer. */
export interface IngressLayer {
  readonly className: string;
  readonly controllerNamespace: string;
  /** Labels of the controller's pods; empty: every pod of its namespace. */
  readonly controllerLabels: Record<string, string>;
  /** ClusterIssuer for the app's certificate, when the stack serves TLS. */
  readonly clusterIssuer?: pulumi.Output<string>;
  /** What an Ingress must wait for: the controller the program installs (its IngressClass and admission). */
  readonly controller?: pulumi.Resource;
  /** The load balancer's address, where the program installs Traefik behind one (for more DNS records). */
  readonly loadBalancerIp?: pulumi.Output<string>;
  /** The cert-manager the program installs: its namespace (an output of the Namespace), for its metrics. */
  readonly certManagerNamespace?: pulumi.Output<string>;
  /** With `routing: gateway`: the Gateway that routes attach to, instead of Ingresses. */
  readonly gateway?: GatewayRef;
}

/**
 * The ingress controller — Traefik on the node's published NodePorts (k0s, and existing clusters),
 * behind a DigitalOcean load balancer (DOKS), or the existing cluster's own controller — plus
 * cert-manager (installed or the cluster's own) with a Let's Encrypt issuer, or an issuer the
 * cluster has, and the app host's DNS record when the stack asks for them.
 */
export function createIngress(config: PlatformConfig, cluster: Cluster): IngressLayer {
  const name = `platform-${config.stack}`;
  const tls = config.ingress.tls;
  const controller = config.ingress.controller;
  let pods: IngressControllerPods;
  let className: string;
  let traefik: Traefik | undefined;
  const offlineBundle = "offlineBundle" in config ? config.offlineBundle : undefined;
  // The Gateway API's CRDs come first: Traefik's Gateway provider and cert-manager watch the kinds.
  const gatewayApi =
    config.ingress.routing === "gateway"
      ? new GatewayApiCrds(`${name}-gateway-api`, {
          provider: cluster.provider,
          ...(offlineBundle ? { offlineBundle } : {}),
        })
      : undefined;
  if (controller.kind === "traefik") {
    traefik = new Traefik(`${name}-traefik`, {
      provider: cluster.provider,
      replicas: controller.replicas,
      spreadAcrossNodes: config.app.spreadAcrossNodes,
      ...(gatewayApi ? { gatewayApi: { crds: gatewayApi } } : {}),
      ...(offlineBundle ? { offlineBundle } : {}),
      exposure:
        config.cluster.provider === "doks"
          ? // With the Gateway API the redirect is an HTTPRoute: an entry point redirect would send
            // cert-manager's HTTP-01 challenges, which only the HTTP listener serves, to HTTPS.
            { kind: "loadBalancer", name, redirectToHttps: tls !== undefined && !gatewayApi }
          : {
              kind: "nodePort",
              httpNodePort: LOCAL_INGRESS_NODE_PORTS.http,
              httpsNodePort: LOCAL_INGRESS_NODE_PORTS.https,
            },
    });
    pods = { namespace: TRAEFIK_NAMESPACE, labels: TRAEFIK_POD_LABELS };
    className = traefik.ingressClassName;
  } else {
    pods = { namespace: controller.namespace, labels: {} };
    className = controller.className;
  }

  let clusterIssuer: pulumi.Output<string> | undefined;
  let certManager: CertManager | undefined;
  if (tls?.issuer.kind === "existing") clusterIssuer = pulumi.output(tls.issuer.name);
  else if (tls?.issuer.kind === "letsencrypt") {
    certManager = new CertManager(`${name}-cert-manager`, {
      provider: cluster.provider,
      install: tls.certManager === "install",
      acmeEmail: tls.issuer.acmeEmail,
      acmeServer: tls.issuer.acmeServer,
      ingressClassName: className,
      ingressController: pods,
      ...(gatewayApi
        ? {
            gatewayApi: {
              crds: gatewayApi,
              listener: { name: PLATFORM_GATEWAY, namespace: pods.namespace, sectionName: HTTP_LISTENER },
            },
          }
        : {}),
    });
    clusterIssuer = certManager.issuerName;
  }

  const gateway =
    gatewayApi && traefik
      ? new PlatformGateway(`${name}-routing`, {
          provider: cluster.provider,
          sites: gatewaySites(config),
          ...(clusterIssuer ? { clusterIssuer } : {}),
          // As the Ingress does: where clients reach the load balancer's standard ports.
          redirectToHttps: config.cluster.provider === "doks",
          dependsOn: [gatewayApi, traefik],
        })
      : undefined;

  const zone = config.ingress.dnsZone;
  if (zone && traefik?.loadBalancerIp) {
    new digitalocean.DnsRecord(
      `${name}-app-dns`,
      {
        domain: zone,
        type: "A",
        name: config.app.host.slice(0, -(zone.length + 1)),
        value: traefik.loadBalancerIp,
        ttl: 300,
      },
      { parent: traefik },
    );
  }

  return {
    className,
    controllerNamespace: pods.namespace,
    controllerLabels: pods.labels,
    ...(clusterIssuer ? { clusterIssuer } : {}),
    ...(traefik ? { controller: traefik } : {}),
    ...(traefik?.loadBalancerIp ? { loadBalancerIp: traefik.loadBalancerIp } : {}),
    ...(certManager?.namespace ? { certManagerNamespace: certManager.namespace } : {}),
    ...(gateway ? { gateway: gateway.ref } : {}),
  };
}

/** The sites the Gateway serves, each with its own HTTPS listener: the app, and Grafana where it runs. */
function gatewaySites(config: PlatformConfig): Record<string, string> {
  const observability = config.observability;
  return {
    app: config.app.host,
    ...(observability.level === "full" ? { grafana: observability.grafana.host } : {}),
  };
}
