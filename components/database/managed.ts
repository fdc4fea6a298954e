import * as digitalocean from "@pulumi/digitalocean";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ManagedDatabaseConfig } from "../../config";
import { NamedPolicy } from "../kube";
import { AppDatabase } from "./types";

/** Arguments of {@link ManagedPostgres}. */
export interface ManagedPostgresArgs extends Omit<ManagedDatabaseConfig, "mode"> {
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Input<string>;
  /** The DOKS cluster: the only source the database firewall admits. */
  readonly clusterId: pulumi.Input<string>;
  /** VPC the database joins (the cluster's). */
  readonly vpcId: pulumi.Input<string>;
  readonly tags: readonly string[];
  /** Protect the database cluster from deletion. Default: false. */
  readonly protect?: boolean;
}

/**
 * DigitalOcean managed PostgreSQL in the cluster's VPC (a standby node when nodeCount > 1, daily
 * backups and point-in-time recovery by DigitalOcean), a database and user for the app, a firewall
 * that admits only the Kubernetes cluster, and a Secret with the private TLS connection string and
 * the CA certificate to verify it.
 */
export class ManagedPostgres extends pulumi.ComponentResource implements AppDatabase {
  public readonly secretName: pulumi.Output<string>;
  public readonly hasCaCertificate = true;
  public readonly networkPolicies: readonly NamedPolicy[] = [];
  public readonly egressRule: k8s.types.input.networking.v1.NetworkPolicyEgressRule;

  constructor(name: string, args: ManagedPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:database:ManagedPostgres", name, {}, opts);
    const child = { parent: this };

    const cluster = new digitalocean.DatabaseCluster(
      `${name}-pg`,
      {
        name,
        engine: "pg",
        version: args.version,
        size: args.size,
        nodeCount: args.nodeCount,
        region: args.region,
        privateNetworkUuid: args.vpcId,
        tags: [...args.tags],
      },
      { parent: this, protect: args.protect ?? false },
    );
    new digitalocean.DatabaseFirewall(
      `${name}-firewall`,
      { clusterId: cluster.id, rules: [{ type: "k8s", value: args.clusterId }] },
      child,
    );
    const database = new digitalocean.DatabaseDb(`${name}-db`, { clusterId: cluster.id, name: "app" }, child);
    const user = new digitalocean.DatabaseUser(
      `${name}-user`,
      { clusterId: cluster.id, name: "app" },
      { parent: this, additionalSecretOutputs: ["password"] },
    );
    const ca = digitalocean.getDatabaseCaOutput({ clusterId: cluster.id }, child);

    const secret = new k8s.core.v1.Secret(
      `${name}-app`,
      {
        // Auto-named: a new password or CA gets a new name and rolls the api.
        metadata: { namespace: args.namespace },
        stringData: {
          DATABASE_URL: pulumi.interpolate`postgresql://${user.name}:${user.password}@${cluster.privateHost}:${cluster.port}/${database.name}?sslmode=require`,
          "ca.crt": ca.certificate,
        },
      },
      { parent: this, provider: args.provider },
    );

    this.secretName = secret.metadata.name;
    // NetworkPolicies cannot name hosts: the database is admitted by the VPC range and its port.
    this.egressRule = {
      to: [{ ipBlock: { cidr: args.vpcIpRange } }],
      ports: [{ protocol: "TCP", port: 25060 }],
    };
    this.registerOutputs({ secretName: this.secretName });
  }
}
