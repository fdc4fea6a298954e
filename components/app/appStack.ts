import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../config";
import { AppDatabase } from "../database";
import { createHttpRoutes, IngressTarget } from "../ingress";

import { APP_PORT, AppService } from "./appService";
import {
  componentLabels,
  createNetworkPolicies,
  DEFAULT_DENY,
  DNS_EGRESS,
  NamedPolicy,
  podsIn,
  restrictedNamespace,
} from "../kube";

/** Where the ingress controller runs, and the TLS issuer when there is one. */
export type AppIngressArgs = IngressTarget;

/** Arguments of {@link AppStack}. */
export interface AppStackArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the app (created here). */
  readonly namespace: string;
  readonly app: AppConfig;
  /** Image references pinned by digest. */
  readonly images: { readonly api: pulumi.Input<string>; readonly web: pulumi.Input<string> };
  /** `.dockerconfigjson` to pull the images with; absent when the registry needs none. */
  readonly pullDockerConfigJson?: pulumi.Input<string>;
  readonly ingress: AppIngressArgs;
  /** Protect the namespace (deleting it would delete the database's volumes with it). Default: false. */
  readonly protect?: boolean;
  /** Builds the database in the namespace (in-cluster or managed). */
  readonly database: (namespace: pulumi.Output<string>, parent: pulumi.Resource) => AppDatabase;
}

/** Where the api serves its Prometheus metrics (bare `/metrics`, never under the public `/api`). */
export interface ApiMetricsEndpoint {
  /** The app's namespace: its name, and the output of its Namespace (what is placed in it waits for it). */
  readonly namespace: { readonly name: string; readonly output: pulumi.Output<string> };
  readonly serviceName: string;
  /** Labels of the api's Service and pods. */
  readonly labels: Record<string, string>;
  readonly portName: string;
  readonly port: number;
  readonly path: string;
}

const API = componentLabels("api");
const WEB = componentLabels("web");
const ACME_SOLVER = { "acme.cert-manager.io/http01-solver": "true" };

/**
 * The sample app on the cluster: a restricted namespace with quota and defaults, the database, the
 * api and web services, network policies that deny everything but the app's own flows, and an
 * Ingress (or, with the Gateway API, HTTPRoutes) that sends `/api` to the api and everything else to
 * the web front end.
 */
export class AppStack extends pulumi.ComponentResource {
  public readonly url: string;
  /** The api's metrics, for a scraper's ServiceMonitor and network policy. */
  public readonly apiMetrics: ApiMetricsEndpoint;

  constructor(name: string, args: AppStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:app:AppStack", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const ns = restrictedNamespace(`${name}-ns`, args.namespace, {
      ...k8sOpts,
      protect: args.protect ?? false,
    });
    const namespace = ns.metadata.name;
    const inNs = { ...k8sOpts, dependsOn: [ns] };

    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      {
        metadata: { name: "app", namespace },
        spec: {
          hard: {
            "requests.cpu": "4",
            "requests.memory": "6Gi",
            "limits.cpu": "12",
            "limits.memory": "12Gi",
            pods: "40",
            persistentvolumeclaims: "4",
            "requests.storage": "200Gi",
            "services.loadbalancers": "0",
            "services.nodeports": "0",
          },
        },
      },
      inNs,
    );
    // Defaults for pods the program does not write itself, such as cert-manager's HTTP-01 solvers.
    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      {
        metadata: { name: "app", namespace },
        spec: {
          limits: [
            {
              type: "Container",
              defaultRequest: { cpu: "50m", memory: "64Mi" },
              default: { cpu: "250m", memory: "256Mi" },
              max: { cpu: "2", memory: "2Gi" },
            },
          ],
        },
      },
      inNs,
    );

    const pullSecret = args.pullDockerConfigJson
      ? new k8s.core.v1.Secret(
          `${name}-registry-pull`,
          {
            // Auto-named: new credentials roll the pods that pull with them.
            metadata: { namespace },
            type: "kubernetes.io/dockerconfigjson",
            stringData: { ".dockerconfigjson": args.pullDockerConfigJson },
          },
          inNs,
        ).metadata.name
      : undefined;

    const database = args.database(namespace, this);
    const caVolume = database.hasCaCertificate
      ? {
          volumes: [
            {
              name: "database-ca",
              secret: { secretName: database.secretName, items: [{ key: "ca.crt", path: "ca.crt" }] },
            },
          ],
          volumeMounts: [{ name: "database-ca", mountPath: "/etc/database-ca", readOnly: true }],
        }
      : {};
    const common = {
      provider: args.provider,
      namespace,
      scaling: args.app.scaling,
      spreadAcrossNodes: args.app.spreadAcrossNodes,
      imagePullSecret: pullSecret,
    };
    const api = new AppService(
      `${name}-api`,
      {
        ...common,
        component: "api",
        image: args.images.api,
        settings: {
          LOG_LEVEL: args.app.logLevel,
          READY_TIMEOUT_MS: "1000",
          // No shell in the image for a preStop sleep: readiness fails first, then the server drains.
          SHUTDOWN_DELAY_MS: "5000",
          ...(database.hasCaCertificate ? { DATABASE_CA_FILE: "/etc/database-ca/ca.crt" } : {}),
        },
        secretEnv: { secretName: database.secretName, keys: { DATABASE_URL: "DATABASE_URL" } },
        readinessPath: "/readyz",
        initArgs: ["dist/migrate.js"],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        ...caVolume,
      },
      { parent: this, dependsOn: [ns] },
    );
    const web = new AppService(
      `${name}-web`,
      {
        ...common,
        component: "web",
        image: args.images.web,
        settings: { API_URL: `http://api:${APP_PORT}` },
        readinessPath: "/healthz",
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
      },
      { parent: this, dependsOn: [ns] },
    );

    createNetworkPolicies(name, namespace, appNetworkPolicies(args, database), inNs);

    const tls = args.ingress.clusterIssuer !== undefined;
    if (args.ingress.gateway)
      createHttpRoutes(
        name,
        {
          gateway: args.ingress.gateway,
          site: "app",
          host: args.app.host,
          namespace,
          routeName: "app",
          backends: [
            { path: "/api", service: api.serviceName, port: APP_PORT },
            { path: "/", service: web.serviceName, port: APP_PORT },
          ],
        },
        { ...k8sOpts, dependsOn: [ns, api, web] },
      );
    else
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: {
            name: "app",
            namespace,
            annotations: tls ? { "cert-manager.io/cluster-issuer": args.ingress.clusterIssuer! } : {},
          },
          spec: {
            ingressClassName: args.ingress.className,
            rules: [
              {
                host: args.app.host,
                http: {
                  paths: [
                    {
                      path: "/api",
                      pathType: "Prefix",
                      backend: { service: { name: api.serviceName, port: { name: "http" } } },
                    },
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: web.serviceName, port: { name: "http" } } },
                    },
                  ],
                },
              },
            ],
            ...(tls ? { tls: [{ hosts: [args.app.host], secretName: "app-tls" }] } : {}),
          },
        },
        { ...inNs, dependsOn: [ns, api, web, ...(args.ingress.controller ? [args.ingress.controller] : [])] },
      );

    this.url = `${tls ? "https" : "http"}://${args.app.host}`;
    this.apiMetrics = {
      namespace: { name: args.namespace, output: namespace },
      serviceName: "api",
      labels: API,
      portName: "http",
      port: APP_PORT,
      path: "/metrics",
    };
    this.registerOutputs({ url: this.url });
  }
}

/** Default deny, then exactly the app's flows: ingress → web and api, web → api, api → database, DNS. */
export function appNetworkPolicies(
  args: Pick<AppStackArgs, "ingress">,
  database: Pick<AppDatabase, "egressRule" | "networkPolicies">,
): NamedPolicy[] {
  const fromController = podsIn(args.ingress.controllerNamespace, args.ingress.controllerLabels);
  const http = [{ protocol: "TCP", port: APP_PORT }];
  return [
    DEFAULT_DENY,
    { name: "allow-dns", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [DNS_EGRESS] } },
    {
      name: "web-from-ingress",
      spec: {
        podSelector: { matchLabels: WEB },
        policyTypes: ["Ingress"],
        ingress: [{ from: [fromController], ports: http }],
      },
    },
    {
      name: "api-from-ingress-and-web",
      spec: {
        podSelector: { matchLabels: API },
        policyTypes: ["Ingress"],
        ingress: [{ from: [fromController, { podSelector: { matchLabels: WEB } }], ports: http }],
      },
    },
    {
      name: "web-to-api",
      spec: {
        podSelector: { matchLabels: WEB },
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: { matchLabels: API } }], ports: http }],
      },
    },
    {
      name: "api-to-database",
      spec: { podSelector: { matchLabels: API }, policyTypes: ["Egress"], egress: [database.egressRule] },
    },
    ...database.networkPolicies,
    // The HTTP-01 solver's pods run beside the Certificate: here for the Ingress's; with a Gateway,
    // in the Gateway's namespace.
    ...(args.ingress.clusterIssuer !== undefined && !args.ingress.gateway
      ? [
          {
            name: "acme-solver-from-ingress",
            spec: {
              podSelector: { matchLabels: ACME_SOLVER },
              policyTypes: ["Ingress"],
              ingress: [{ from: [fromController], ports: [{ protocol: "TCP", port: 8089 }] }],
            },
          },
        ]
      : []),
  ];
}
