import * as digitalocean from "@pulumi/digitalocean";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DoksClusterConfig } from "../../config";
import { doksExecKubeconfig } from "./kubeconfig";
import { Cluster } from "./types";

/**
 * The cluster's default node pool: DOKS requires one, and DigitalOcean's provider replaces the whole
 * cluster when its size changes, so it is small, fixed and never changed. The smallest size DOKS
 * runs its system pods on.
 */
export const SYSTEM_POOL = { size: "s-1vcpu-2gb", nodeCount: 1 } as const;

/** The system pool's taint: workloads stay off it (CoreDNS tolerates it, as DigitalOcean's agents do). */
export const SYSTEM_POOL_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;

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
 * A DigitalOcean Kubernetes cluster in its own VPC, created at the newest patch of a configured
 * minor version, with an optional HA control plane, upgrade window and API allow-list; a small
 * fixed default pool ({@link SYSTEM_POOL}) and the configured pool (fixed or autoscaling) for the
 * workloads. Versions after creation are DigitalOcean's (see {@link kubernetesVersion}).
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
    const protect = args.protect ?? false;
    const tags = [...args.tags];

    const version = kubernetesVersion(name, args, this);
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
        // Load balancers and volumes DigitalOcean created for the cluster's Services and claims go
        // with it, or they would outlive it and block the VPC; a protected stack keeps them.
        destroyAllAssociatedResources: !protect,
        tags,
        controlPlaneFirewall:
          args.apiAllowList.length > 0
            ? { enabled: true, allowedAddresses: [...args.apiAllowList] }
            : undefined,
        // The default pool is DigitalOcean's to require and the provider's to replace the whole
        // cluster for when its size changes: it stays small and fixed, and the workloads run on
        // the pool below.
        nodePool: {
          name: `${name}-system`,
          size: SYSTEM_POOL.size,
          nodeCount: SYSTEM_POOL.nodeCount,
          autoScale: false,
          tags,
          labels: { "platform/pool": "system" },
          // Only what tolerates it (CoreDNS and DigitalOcean's own agents) runs here; the workloads
          // go to the workers pool, as on AKS's and GKE's system pools.
          taints: [SYSTEM_POOL_TAINT],
        },
      },
      {
        parent: this,
        protect,
        dependsOn: args.registry ? [args.registry] : [],
        // After creation the version belongs to DigitalOcean (patches in the maintenance window, or
        // `doctl kubernetes cluster upgrade`): Pulumi never changes it, so it cannot upgrade outside
        // the window, nor ask for a lower version (which the provider would meet by replacing the
        // cluster). The default pool too is left as created: a cluster created with the workloads
        // on it keeps it, and gets the workers pool beside it.
        ignoreChanges: ["version", "nodePool"],
      },
    );

    // Named by its size: a new size is a new pool, created (at its fixed count, or an autoscaled
    // pool's minimum) before the old one is deleted (Pulumi's create-before-delete replacement).
    const workers = new digitalocean.KubernetesNodePool(
      `${name}-workers`,
      {
        clusterId: cluster.id,
        name: `${name}-workers-${pool.size}`,
        size: pool.size,
        tags,
        labels: { "platform/pool": "workers" },
        ...(pool.autoScale
          ? { autoScale: true, minNodes: pool.minNodes, maxNodes: pool.maxNodes }
          : { autoScale: false, nodeCount: pool.nodeCount }),
      },
      // Never protected: it holds no data, and a protected pool could not be replaced by a new size.
      { parent: this },
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
    // Nothing is deployed before the workers pool exists: the system node takes no workloads.
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig },
      { parent: this, dependsOn: [workers] },
    );
    warnWhenBehind(cluster, name, args, this);

    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
    });
  }
}

/**
 * The version to create the cluster at: the newest patch of `versionPrefix` that DigitalOcean
 * offers (never `latest`, which would show a replacement on every preview). It matters only at
 * creation: the cluster ignores later changes of `version` (see {@link DoksCluster}), so a patch
 * DigitalOcean publishes changes nothing. When nothing matches the prefix any more, a running
 * cluster is fine: the preview warns that a new cluster could not be created, and does not fail.
 */
export function kubernetesVersion(
  name: string,
  args: Pick<DoksClusterArgs, "versionPrefix">,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const offered = digitalocean.getKubernetesVersionsOutput({ versionPrefix: args.versionPrefix }, { parent });
  return offered.apply((versions) => {
    if (versions.latestVersion) return versions.latestVersion;
    pulumi.log.warn(
      `platform:kubernetesVersionPrefix: DigitalOcean offers no version starting with "${args.versionPrefix}" (offered: ${versions.validVersions.join(", ")}): a running ${name} keeps its version, but a new one cannot be created with this prefix`,
      parent,
    );
    // Ignored for a running cluster; refused by DigitalOcean for a new one, after the warning.
    return args.versionPrefix;
  });
}

/**
 * Warns when DigitalOcean offers a newer version than the cluster runs: a patch (applied in the
 * maintenance window with `autoUpgrade`, else by hand) or the newer minor the prefix asks for.
 */
function warnWhenBehind(
  cluster: digitalocean.KubernetesCluster,
  name: string,
  args: Pick<DoksClusterArgs, "versionPrefix" | "autoUpgrade">,
  parent: pulumi.Resource,
): void {
  const offered = digitalocean.getKubernetesVersionsOutput({}, { parent });
  pulumi.all([cluster.version, offered]).apply(([current, versions]) => {
    if (!current) return;
    const behind = newerOffered(current, args.versionPrefix, versions.validVersions);
    if (!behind) return;
    const how =
      args.autoUpgrade && minorOf(behind) === minorOf(current)
        ? "DigitalOcean applies it in the maintenance window (autoUpgrade)."
        : `Upgrade it in a maintenance window: doctl kubernetes cluster upgrade ${name} --version ${behind}`;
    pulumi.log.warn(`${name} runs Kubernetes ${current}; ${behind} is offered. ${how}`, parent);
  });
}

/** The minor of a DOKS version slug: `1.33.6-do.1` → 33. */
function minorOf(slug: string): number {
  return Number(slug.split(".")[1]);
}

/** The newest offered version the running one should move to: a newer patch, or the prefix's newer minor. */
export function newerOffered(
  current: string,
  prefix: string,
  offered: readonly string[],
): string | undefined {
  const key = (slug: string) => slug.split(/[.-]/).map((part) => Number(part.replace(/\D/g, "")) || 0);
  const newer = (a: string, b: string) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
    return false;
  };
  const candidates = offered.filter((v) => v.startsWith(prefix) && newer(v, current));
  return candidates.sort((a, b) => (newer(a, b) ? -1 : 1))[0];
}
