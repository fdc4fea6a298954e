import * as digitalocean from "@pulumi/digitalocean";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DoksClusterConfig } from "../../config";
import { doksExecKubeconfig } from "./kubeconfig";
import { Cluster } from "./types";

/** Arguments of {@link DoksCluster}. */
export interface DoksClusterArgs extends Omit<DoksClusterConfig, "provider"> {
  /** DigitalOcean tags for the cluster, its VPC and its nodes. */
  readonly tags: readonly string[];
  /** Protect the cluster and its VPC from deletion. Default: false. */
  readonly protect?: boolean;
  /** The registry to integrate: DigitalOcean requires it to exist before the cluster. */
  readonly registry?: pulumi.Resource;
}

/**
 * A DigitalOcean Kubernetes cluster in its own VPC, at the newest patch of a configured minor
 * version, with an optional HA control plane, upgrade window, autoscaling pool and API allow-list.
 */
export class DoksCluster extends pulumi.ComponentResource implements Cluster {
  public readonly clusterName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  /** The DigitalOcean cluster ID, e.g. for a database firewall rule. */
  public readonly clusterId: pulumi.Output<string>;
  /** The VPC the nodes run in, which a managed database joins. */
  public readonly vpcId: pulumi.Output<string>;

  constructor(name: string, args: DoksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:DoksCluster", name, {}, opts);
    const child = { parent: this };
    const protect = args.protect ?? false;
    const tags = [...args.tags];

    // Never `latest`: a literal would show a replacement on every preview.
    const version = digitalocean
      .getKubernetesVersionsOutput({ versionPrefix: args.versionPrefix }, child)
      .apply((versions) => {
        if (!versions.latestVersion) {
          throw new pulumi.ResourceError(
            `platform:kubernetesVersionPrefix: DigitalOcean offers no version starting with "${args.versionPrefix}" (offered: ${versions.validVersions.join(", ")})`,
            this,
          );
        }
        return versions.latestVersion;
      });

    const vpc = new digitalocean.Vpc(
      `${name}-vpc`,
      { name: `${name}-vpc`, region: args.region, ...(args.vpcIpRange ? { ipRange: args.vpcIpRange } : {}) },
      { parent: this, protect },
    );

    const pool = args.nodePool;
    const cluster = new digitalocean.KubernetesCluster(
      `${name}-doks`,
      {
        name,
        region: args.region,
        version,
        vpcUuid: vpc.id,
        // Always explicit: DOKS turns HA on by default from 1.36, and it cannot be turned off.
        ha: args.ha,
        autoUpgrade: args.autoUpgrade,
        maintenancePolicy: { day: args.maintenance.day, startTime: args.maintenance.startTime },
        surgeUpgrade: args.surgeUpgrade,
        registryIntegration: args.registry !== undefined,
        tags,
        controlPlaneFirewall:
          args.apiAllowList.length > 0
            ? { enabled: true, allowedAddresses: [...args.apiAllowList] }
            : undefined,
        nodePool: {
          name: `${name}-default`,
          size: pool.size,
          tags,
          labels: { "platform/pool": "default" },
          ...(pool.autoScale
            ? { autoScale: true, minNodes: pool.minNodes, maxNodes: pool.maxNodes }
            : { autoScale: false, nodeCount: pool.nodeCount }),
        },
      },
      { parent: this, protect, dependsOn: args.registry ? [args.registry] : [] },
    );

    this.clusterId = cluster.id;
    this.vpcId = vpc.id;
    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.id, cluster.endpoint, cluster.kubeConfigs])
        .apply(([clusterName, clusterId, endpoint, kubeConfigs]) =>
          doksExecKubeconfig({
            clusterName,
            clusterId,
            endpoint,
            caCertificate: kubeConfigs[0]?.clusterCaCertificate ?? "",
          }),
        ),
    );
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, child);

    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
    });
  }
}
