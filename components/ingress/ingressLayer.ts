import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config";
import { Cluster, LOCAL_INGRESS_NODE_PORTS } from "../cluster";
import { CertManager } from "./certManager";
import { Traefik, TRAEFIK_NAMESPACE, TRAEFIK_POD_LABELS } from "./traefik";

/** What the app needs from the ingress layer. */
export interface IngressLayer {
  readonly className: string;
  readonly controllerNamespace: string;
  readonly controllerLabels: Record<string, string>;
  /** ClusterIssuer for the app's certificate, when the stack serves TLS. */
  readonly clusterIssuer?: pulumi.Output<string>;
}

/**
 * Traefik for every stack — on the local node's published NodePorts, or behind a DigitalOcean load
 * balancer — plus cert-manager with a Let's Encrypt issuer and the app host's DNS record when the
 * stack asks for them.
 */
export function createIngress(config: PlatformConfig, cluster: Cluster): IngressLayer {
  const name = `platform-${config.stack}`;
  const local = config.cluster.provider === "k0s";
  const tls = config.ingress.tls;
  const traefik = new Traefik(`${name}-traefik`, {
    provider: cluster.provider,
    replicas: config.ingress.replicas,
    spreadAcrossNodes: config.app.spreadAcrossNodes,
    exposure: local
      ? {
          kind: "nodePort",
          httpNodePort: LOCAL_INGRESS_NODE_PORTS.http,
          httpsNodePort: LOCAL_INGRESS_NODE_PORTS.https,
        }
      : { kind: "loadBalancer", name, redirectToHttps: tls !== undefined },
  });

  const certManager = tls
    ? new CertManager(`${name}-cert-manager`, {
        provider: cluster.provider,
        acmeEmail: tls.acmeEmail,
        acmeServer: tls.acmeServer,
        ingressClassName: traefik.ingressClassName,
      })
    : undefined;

  const zone = config.ingress.dnsZone;
  if (zone && traefik.loadBalancerIp) {
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
    className: traefik.ingressClassName,
    controllerNamespace: TRAEFIK_NAMESPACE,
    controllerLabels: TRAEFIK_POD_LABELS,
    ...(certManager ? { clusterIssuer: certManager.issuerName } : {}),
  };
}
