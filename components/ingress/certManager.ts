import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  chartSource,
  createNetworkPolicies,
  DEFAULT_DENY,
  DNS_EGRESS,
  HTTPS_AND_API_EGRESS,
  NamedPolicy,
  podsIn,
  restrictedNamespace,
} from "../kube";
import { TRAEFIK_NAMESPACE } from "./traefik";
import { CERT_MANAGER_CHART_REPO, CERT_MANAGER_CHART_VERSION } from "./versions";

const ACME_SERVERS = {
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
  production: "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** Labels of cert-manager's controller pods and of the Service in front of its metrics (port 9402). */
export const CERT_MANAGER_CONTROLLER_LABELS = {
  "app.kubernetes.io/name": "cert-manager",
  "app.kubernetes.io/component": "controller",
};

/** The ingress controller's pods, which answer cert-manager's HTTP-01 self-check. */
export interface IngressControllerPods {
  readonly namespace: string;
  /** Labels of its pods; empty: every pod of the namespace. */
  readonly labels: Record<string, string>;
}

/** Arguments of {@link CertManager}. */
export interface CertManagerArgs {
  readonly provider: k8s.Provider;
  /**
   * Install cert-manager from its chart (true), or use the one the cluster already runs (false):
   * then only the ClusterIssuer is created. Default: true.
   */
  readonly install?: boolean;
  /** Contact address Let's Encrypt writes to about expiring certificates. */
  readonly acmeEmail: string;
  /** Let's Encrypt staging (untrusted, generous limits) or production. */
  readonly acmeServer: keyof typeof ACME_SERVERS;
  /** IngressClass that serves the HTTP-01 challenges. */
  readonly ingressClassName: string;
  /** The controller behind that class, for cert-manager's egress policy. */
  readonly ingressController: IngressControllerPods;
  /**
   * Solve HTTP-01 through this Gateway listener instead of an Ingress (`routing: gateway`): the
   * chart's Gateway API support is switched on and waits for the CRDs. Default: through the IngressClass.
   */
  readonly gatewayApi?: { readonly crds: pulumi.Resource; readonly listener: GatewayListenerRef };
}

/** A listener of a Gateway, as an HTTPRoute's parentRef names it. */
export interface GatewayListenerRef {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName: string;
}

/**
 * cert-manager from its official chart (with its CRDs), or the cluster's own, and a Let's Encrypt
 * ClusterIssuer that answers HTTP-01 challenges through the ingress controller.
 */
export class CertManager extends pulumi.ComponentResource {
  /** Name of the ClusterIssuer that Ingresses reference (`cert-manager.io/cluster-issuer`). */
  public readonly issuerName: pulumi.Output<string>;
  /** The namespace of the installed cert-manager (an output of its Namespace); absent when the cluster's own is used. */
  public readonly namespace?: pulumi.Output<string>;

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:ingress:CertManager", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    // What the issuer waits for: the chart (its webhooks' CA bundle) and the network policies that
    // let the API server reach the webhook.
    const install = (args.install ?? true) ? this.install(name, args) : undefined;
    const installed = install?.resources ?? [];
    this.namespace = install?.namespace;

    const issuerName = `letsencrypt-${args.acmeServer}`;
    const issuer = new k8s.apiextensions.CustomResource(
      `${name}-issuer`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: issuerName },
        spec: {
          acme: {
            server: ACME_SERVERS[args.acmeServer],
            email: args.acmeEmail,
            privateKeySecretRef: { name: `${issuerName}-account-key` },
            solvers: [{ http01: http01Solver(args) }],
          },
        },
      },
      // The ClusterIssuer CRD comes with the chart.
      { ...k8sOpts, dependsOn: installed },
    );
    this.issuerName = issuer.metadata.name;
    this.registerOutputs({ issuerName: this.issuerName });
  }

  /** The chart in a restricted namespace of its own, with its network policies. */
  private install(
    name: string,
    args: CertManagerArgs,
  ): { namespace: pulumi.Output<string>; resources: pulumi.Resource[] } {
    const k8sOpts = { parent: this, provider: args.provider };
    const namespace = restrictedNamespace(`${name}-ns`, "cert-manager", k8sOpts);
    const chart = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        name: "cert-manager",
        // Never from an offline bundle: cert-manager runs only where Let's Encrypt is reachable.
        ...chartSource({
          chart: "cert-manager",
          version: CERT_MANAGER_CHART_VERSION,
          repo: CERT_MANAGER_CHART_REPO,
        }),
        namespace: namespace.metadata.name,
        values: certManagerValues({ gatewayApi: args.gatewayApi !== undefined }),
      },
      { ...k8sOpts, dependsOn: [namespace, ...(args.gatewayApi ? [args.gatewayApi.crds] : [])] },
    );
    const policies = createNetworkPolicies(
      name,
      namespace.metadata.name,
      certManagerNetworkPolicies(args.ingressController),
      { ...k8sOpts, dependsOn: [namespace] },
    );
    return { namespace: namespace.metadata.name, resources: [chart, ...policies] };
  }
}

/**
 * What the ClusterIssuer must wait for: its create goes through cert-manager's webhooks, whose
 * TLS the API server can only check once cainjector has written the CA bundle into both webhook
 * configurations. Helm runs the chart's `startupapicheck` hook for this; `helm.v4.Chart` runs no
 * hooks, so Pulumi waits for the bundle instead (`pulumi.com/waitFor` on each configuration; the
 * issuer depends on the chart, hence on them).
 */
export const WEBHOOK_CA_BUNDLE_WAIT = {
  "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}",
};

/** The controller's configuration with the Gateway API turned on (`--enable-gateway-api` as a file). */
const CONTROLLER_CONFIGURATION_WITH_GATEWAY_API = {
  apiVersion: "controller.config.cert-manager.io/v1alpha1",
  kind: "ControllerConfiguration",
  enableGatewayAPI: true,
} as const;

/**
 * Chart values: CRDs installed and kept on delete (`crds.keep` annotates them
 * `helm.sh/resource-policy: keep`, which `helm.v4.Chart` turns into `retainOnDelete`:
 * pulumi-kubernetes `provider/pkg/provider/helm/v4/chart.go`, `preregister`), so that turning TLS
 * off or destroying the stack never deletes other owners' Certificates and issuers; the webhooks
 * awaited until their CA bundle is injected; the hook job that `helm.v4` would not run switched
 * off; every component bounded and restricted.
 */
export function certManagerValues(options: { gatewayApi?: boolean } = {}): Record<string, unknown> {
  const resources = { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
  const podSecurity = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } };
  const containerSecurity = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
  };
  const component = { resources, securityContext: podSecurity, containerSecurityContext: containerSecurity };
  return {
    crds: { enabled: true, keep: true },
    ...component,
    webhook: {
      ...component,
      validatingWebhookConfigurationAnnotations: WEBHOOK_CA_BUNDLE_WAIT,
      mutatingWebhookConfigurationAnnotations: WEBHOOK_CA_BUNDLE_WAIT,
    },
    cainjector: component,
    startupapicheck: { enabled: false },
    // The controller's Gateway API integration (off by default), which the gatewayHTTPRoute solver
    // needs: the chart's `config` is the controller's configuration file, a ControllerConfiguration
    // (cert-manager's docs, "ACME HTTP-01 → Configuring the HTTP-01 Gateway API solver", since 1.15).
    ...(options.gatewayApi ? { config: CONTROLLER_CONFIGURATION_WITH_GATEWAY_API } : {}),
  };
}

/**
 * How the issuer answers HTTP-01: an Ingress of the controller's class, or (Gateway API) an
 * HTTPRoute that cert-manager attaches to the Gateway's plain-HTTP listener, created beside the
 * Certificate. ClusterIP, not cert-manager's default NodePort: the namespaces' quotas allow none.
 */
function http01Solver(args: CertManagerArgs): Record<string, unknown> {
  if (!args.gatewayApi)
    return { ingress: { ingressClassName: args.ingressClassName, serviceType: "ClusterIP" } };
  const { name, namespace, sectionName } = args.gatewayApi.listener;
  return {
    gatewayHTTPRoute: {
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name, namespace, sectionName }],
      serviceType: "ClusterIP",
    },
  };
}

/**
 * Default deny in cert-manager's namespace, then: DNS, the API server and ACME over HTTPS, the
 * HTTP-01 self-check over HTTP, and the API server calling the webhook.
 */
export function certManagerNetworkPolicies(controller: IngressControllerPods): NamedPolicy[] {
  return [
    DEFAULT_DENY,
    {
      name: "cert-manager-egress",
      deployedUnderEarlierName: true,
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          DNS_EGRESS,
          HTTPS_AND_API_EGRESS,
          { ports: [{ protocol: "TCP", port: 80 }] },
          // The HTTP-01 self-check to the load balancer's address is routed inside the cluster straight
          // to the controller's pods, where an ipBlock does not match: allow them by selector.
          { to: [podsIn(controller.namespace, controller.labels)], ...controllerPorts(controller) },
        ],
      },
    },
    {
      name: "cert-manager-webhook",
      deployedUnderEarlierName: true,
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/component": "webhook" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ protocol: "TCP", port: 10250 }] }],
      },
    },
  ];
}

/**
 * Ports of the controller's pods that the self-check reaches: Traefik's entry points, or for
 * another controller any port (its pods' ports are not known to the program).
 */
function controllerPorts(controller: IngressControllerPods) {
  if (controller.namespace !== TRAEFIK_NAMESPACE) return {};
  return { ports: [8000, 8443].map((port) => ({ protocol: "TCP", port })) };
}
