import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link SpacesBackupBucket}. */
export interface SpacesBackupBucketArgs {
  /** DigitalOcean region of the bucket (the cluster's, so that traffic between them is free). */
  readonly region: string;
  /**
   * Days after which objects under `prefix` expire (a lifecycle rule). Default: none, for a writer
   * that deletes what it no longer needs itself (Velero deletes expired backups).
   */
  readonly expireAfterDays?: number;
  /** The folder the expiry applies to. Default: the whole bucket. */
  readonly prefix?: string;
  /**
   * Days the previous version of an overwritten or deleted object is kept: a deletion with the
   * bucket's own key (a compromised cluster's, say) can be undone for this long. Default: 7.
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Protect the bucket from deletion. Unprotected, `pulumi destroy` deletes it with every object in
   * it (a Spaces subscription is billed while any bucket exists). Default: false.
   */
  readonly protect?: boolean;
}

/**
 * A private, versioned DigitalOcean Spaces bucket for backups, with a lifecycle rule, and an access
 * key of its own that may read and write this bucket only (`readwrite` grant): the credentials a
 * cluster gets never reach other buckets of the account. The key pair is a Pulumi secret.
 */
export class SpacesBackupBucket extends pulumi.ComponentResource {
  /** The bucket's name (auto-named: bucket names are unique across a region's customers). */
  public readonly bucketName: pulumi.Output<string>;
  public readonly region: string;
  /** The region's S3 endpoint, `https://<region>.digitaloceanspaces.com`. */
  public readonly endpoint: string;
  /** The bucket key's pair (secrets). */
  public readonly accessKeyId: pulumi.Output<string>;
  public readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: SpacesBackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:backup:SpacesBackupBucket", name, {}, opts);
    const protect = args.protect ?? false;
    const bucket = new digitalocean.SpacesBucket(
      `${name}-bucket`,
      {
        region: args.region,
        acl: "private",
        versioning: { enabled: true },
        lifecycleRules: [
          {
            enabled: true,
            ...(args.prefix !== undefined ? { prefix: args.prefix } : {}),
            ...(args.expireAfterDays !== undefined ? { expiration: { days: args.expireAfterDays } } : {}),
            noncurrentVersionExpiration: { days: args.noncurrentVersionDays ?? 7 },
            abortIncompleteMultipartUploadDays: 1,
          },
        ],
        // Where data is not protected, destroy removes the bucket with its objects, as the stack's
        // other data; where it is, the bucket is protected and never emptied by Pulumi.
        forceDestroy: !protect,
      },
      { parent: this, protect },
    );
    const key = new digitalocean.SpacesKey(
      `${name}-key`,
      { grants: [{ bucket: bucket.name, permission: "readwrite" }] },
      { parent: this, additionalSecretOutputs: ["accessKey", "secretKey"] },
    );
    this.bucketName = bucket.name;
    this.region = args.region;
    this.endpoint = `https://${args.region}.digitaloceanspaces.com`;
    this.accessKeyId = pulumi.secret(key.accessKey);
    this.secretAccessKey = pulumi.secret(key.secretKey);
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
