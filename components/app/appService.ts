import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../config";
import {
  componentLabels,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  spreadAcrossNodes,
  TMP_MOUNT,
  TMP_VOLUME,
} from "../kube";

/** The app images run as this numeric user and listen on this port (see app/README.md). */
export const APP_UID = 10001;
export const APP_PORT = 8080;

type Container = k8s.types.input.core.v1.Container;
type ResourceRequirements = k8s.types.input.core.v1.ResourceRequirements;

/** Arguments of {@link AppService}. */
export interface AppServiceArgs {
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Input<string>;
  /** Component name: `api` or `web`; also the Service's DNS name. */
  readonly component: string;
  /** Image reference pinned by digest. */
  readonly image: pulumi.Input<string>;
  /** Non-secret settings, as environment variables from a ConfigMap; a change rolls the pods. */
  readonly settings: Record<string, string>;
  /** Secret environment variables: name → key in `secretName`. */
  readonly secretEnv?: { readonly secretName: pulumi.Input<string>; readonly keys: Record<string, string> };
  /** Extra volumes (e.g. a CA certificate) and their mounts in every container. */
  readonly volumes?: k8s.types.input.core.v1.Volume[];
  readonly volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
  /** Path of the readiness probe: `/readyz` where readiness depends on the database. */
  readonly readinessPath: string;
  readonly resources: ResourceRequirements;
  /** Arguments of an init container that runs the same image first (e.g. migrations). */
  readonly initArgs?: string[];
  readonly scaling: AppConfig["scaling"];
  readonly spreadAcrossNodes: boolean;
  readonly imagePullSecret?: pulumi.Input<string>;
}

/**
 * One stateless service of the app: ServiceAccount without a token, ConfigMap, hardened
 * Deployment with probes and rolling updates that never drop below the desired count, ClusterIP
 * Service, and — with more than one replica — a PodDisruptionBudget; with autoscaling an HPA
 * owns the replica count.
 */
export class AppService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly labels: Record<string, string>;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:app:AppService", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const labels = componentLabels(args.component);
    const metadata = { name: args.component, namespace: args.namespace, labels };

    const account = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata, automountServiceAccountToken: false },
      k8sOpts,
    );
    // Auto-named: Pulumi replaces a ConfigMap whose data changes (it treats them as immutable), so a
    // changed setting gets a new name, which changes the pod template and rolls the pods.
    const settings = new k8s.core.v1.ConfigMap(
      `${name}-settings`,
      { metadata: { namespace: args.namespace, labels }, data: args.settings },
      k8sOpts,
    );

    const env = Object.entries(args.secretEnv?.keys ?? {}).map(([envName, key]) => ({
      name: envName,
      valueFrom: { secretKeyRef: { name: args.secretEnv!.secretName, key } },
    }));
    const container = (containerName: string, extra: Partial<Container>): Container => ({
      name: containerName,
      image: args.image,
      envFrom: [{ configMapRef: { name: settings.metadata.name } }],
      env,
      resources: args.resources,
      securityContext: restrictedContainerSecurity(APP_UID),
      volumeMounts: [TMP_MOUNT, ...(args.volumeMounts ?? [])],
      ...extra,
    });
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port: "http" },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 2,
    });
    const minReplicas = args.scaling.autoscale ? args.scaling.minReplicas : args.scaling.replicas;

    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: {
          // An HPA owns the count when autoscaling; a fixed `replicas` would fight it on every update.
          ...(args.scaling.autoscale ? {} : { replicas: args.scaling.replicas }),
          selector: { matchLabels: labels },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: account.metadata.name,
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurity(APP_UID),
              ...(args.imagePullSecret ? { imagePullSecrets: [{ name: args.imagePullSecret }] } : {}),
              ...(args.initArgs
                ? { initContainers: [container(`${args.component}-init`, { args: args.initArgs })] }
                : {}),
              containers: [
                container(args.component, {
                  ports: [{ name: "http", containerPort: APP_PORT }],
                  startupProbe: probe("/healthz", 2, 30),
                  readinessProbe: probe(args.readinessPath, 5, 3),
                  livenessProbe: probe("/healthz", 10, 3),
                }),
              ],
              volumes: [TMP_VOLUME, ...(args.volumes ?? [])],
              terminationGracePeriodSeconds: 30,
              ...(args.spreadAcrossNodes ? spreadAcrossNodes(labels) : {}),
            },
          },
        },
      },
      k8sOpts,
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata,
        spec: {
          type: "ClusterIP",
          selector: labels,
          ports: [{ name: "http", port: APP_PORT, targetPort: "http" }],
        },
      },
      k8sOpts,
    );

    if (minReplicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
        k8sOpts,
      );
    }
    if (args.scaling.autoscale) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata,
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
            minReplicas: args.scaling.minReplicas,
            maxReplicas: args.scaling.maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
              },
            ],
            behavior: {
              scaleDown: {
                stabilizationWindowSeconds: 300,
                policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
              },
            },
          },
        },
        k8sOpts,
      );
    }

    this.serviceName = service.metadata.name;
    this.labels = labels;
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
