// The backup keys: where the in-cluster database's dumps go per cluster provider, Velero on DOKS,
// and every key refused where it does not apply, each message naming the key.
import * as assert from "node:assert/strict";
import { ConfigError, parseConfig, readStackConfig } from "../../config";
import type { CloudPlatformConfig, InClusterDatabaseConfig, PlatformConfig } from "../../config";
import { PROJECT_DIR } from "../helpers";

const S3_SECRETS = ["platform:databaseBackupS3AccessKeyId", "platform:databaseBackupS3SecretAccessKey"];

/** A shipped stack's values (project defaults applied), with `changes` on top. */
function stackWith(stack: string, changes: Record<string, string | undefined>): Record<string, string> {
  const values = { ...readStackConfig(PROJECT_DIR, stack).values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`platform:${key}`];
    else values[`platform:${key}`] = value;
  }
  return values;
}

function parse(
  stack: string,
  changes: Record<string, string | undefined>,
  secrets: string[] = [],
): PlatformConfig {
  return parseConfig(stackWith(stack, changes), stack, `Pulumi.${stack}.yaml`, new Set(secrets));
}

function problems(
  stack: string,
  changes: Record<string, string | undefined>,
  secrets: string[] = [],
): string[] {
  try {
    parse(stack, changes, secrets);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("expected the configuration to be refused");
}

const backupOf = (config: PlatformConfig) => (config.database as InClusterDatabaseConfig).backup;

const S3 = {
  databaseBackupS3Endpoint: "https://s3.eu-central-1.amazonaws.com",
  databaseBackupS3Bucket: "acme-platform-dumps",
  databaseBackupS3Region: "eu-central-1",
  databaseBackupS3AccessKeyId: "AKIAFIXTURE",
  databaseBackupS3SecretAccessKey: "a-secret-that-must-never-be-printed",
};

describe("backup configuration", () => {
  describe("the in-cluster database's dumps", () => {
    it("go to a Spaces bucket on DOKS, a volume on k0s and, without an S3 endpoint, on an existing cluster", () => {
      assert.deepEqual(backupOf(parse("staging", {})), {
        store: "spaces",
        region: "fra1",
        retentionDays: 14,
      });
      assert.deepEqual(backupOf(parse("dev", {})), { store: "volume", retentionDays: 7 });
      assert.deepEqual(backupOf(parse("existing", { databaseBackupRetentionDays: "3" })), {
        store: "volume",
        retentionDays: 3,
      });
    });

    it("go to the bucket an existing cluster's stack names, its key pair kept secret", () => {
      const backup = backupOf(parse("existing", S3, S3_SECRETS));
      assert.equal(backup.store, "s3");
      if (backup.store !== "s3") return;
      assert.deepEqual(
        { endpoint: backup.endpoint, bucket: backup.bucket, region: backup.region },
        { endpoint: S3.databaseBackupS3Endpoint, bucket: S3.databaseBackupS3Bucket, region: "eu-central-1" },
      );
      assert.equal(backup.secretAccessKey.reveal(), S3.databaseBackupS3SecretAccessKey);
      assert.equal(String(backup.secretAccessKey), "[secret]");
      // No region: the S3 default.
      const noRegion = backupOf(parse("existing", { ...S3, databaseBackupS3Region: undefined }, S3_SECRETS));
      assert.equal(noRegion.store === "s3" && noRegion.region, "us-east-1");
    });

    it("need all of the bucket's keys, and its key pair as secrets", () => {
      assert.deepEqual(problems("existing", { databaseBackupS3Endpoint: S3.databaseBackupS3Endpoint }), [
        "platform:databaseBackupS3Bucket: required with platform:databaseBackupS3Endpoint: the dumps' bucket needs its endpoint, name and key pair",
        "platform:databaseBackupS3AccessKeyId: required with platform:databaseBackupS3Endpoint: the dumps' bucket needs its endpoint, name and key pair (`pulumi config set --secret platform:databaseBackupS3AccessKeyId`)",
        "platform:databaseBackupS3SecretAccessKey: required with platform:databaseBackupS3Endpoint: the dumps' bucket needs its endpoint, name and key pair (`pulumi config set --secret platform:databaseBackupS3SecretAccessKey`)",
      ]);
      const plain = problems("existing", S3);
      assert.deepEqual(plain, [
        "platform:databaseBackupS3AccessKeyId: must be a secret: set it with `pulumi config set --secret platform:databaseBackupS3AccessKeyId`, never in plain text in a stack file",
        "platform:databaseBackupS3SecretAccessKey: must be a secret: set it with `pulumi config set --secret platform:databaseBackupS3SecretAccessKey`, never in plain text in a stack file",
      ]);
      assert.ok(!plain.join("\n").includes(S3.databaseBackupS3SecretAccessKey));
    });

    it("refuse a bad endpoint or bucket name with what is expected", () => {
      assert.deepEqual(
        problems(
          "existing",
          { ...S3, databaseBackupS3Endpoint: "s3.amazonaws.com/bucket", databaseBackupS3Bucket: "Dumps" },
          S3_SECRETS,
        ),
        [
          "platform:databaseBackupS3Endpoint: expected the http(s) URL of an S3-compatible endpoint without a path, such as https://s3.eu-central-1.amazonaws.com or http://minio.minio.svc:9000, got s3.amazonaws.com/bucket",
          "platform:databaseBackupS3Bucket: expected an S3 bucket name of 3 to 63 lowercase letters, digits, dots and dashes, got Dumps",
        ],
      );
    });

    it("refuse a retention the program does not apply: a bucket the stack names, or the managed database", () => {
      assert.deepEqual(problems("existing", { ...S3, databaseBackupRetentionDays: "30" }, S3_SECRETS), [
        "platform:databaseBackupRetentionDays: applies only where the program keeps the dumps (a volume, or the Spaces bucket it creates): give the bucket of platform:databaseBackupS3Endpoint a lifecycle rule that expires postgres/ instead",
      ]);
      assert.deepEqual(problems("prod", { databaseBackupRetentionDays: "30" }), [
        "platform:databaseBackupRetentionDays: applies only to the in-cluster database (DigitalOcean keeps the managed database's daily backups and point-in-time recovery)",
      ]);
      assert.deepEqual(problems("dev", { databaseBackupRetentionDays: "0" }), [
        "platform:databaseBackupRetentionDays: expected an integer from 1 to 3650, got 0",
      ]);
    });

    it("refuse the S3 keys outside an existing cluster", () => {
      assert.deepEqual(problems("staging", { databaseBackupS3Bucket: "dumps" }), [
        "platform:databaseBackupS3Bucket: applies only when platform:clusterProvider is existing",
      ]);
    });
  });

  describe("Velero", () => {
    it("runs on prod by default: daily at 01:00 UTC, outside the maintenance window, 14 days, no volume snapshots without a token", () => {
      const prod = parse("prod", {}) as CloudPlatformConfig;
      // A node drained by an upgrade in the window (Sunday 03:00 in Pulumi.prod.yaml) would fail a running backup.
      assert.equal(prod.cluster.maintenance.startTime, "03:00");
      assert.deepEqual(prod.velero, {
        schedule: "0 1 * * *",
        retentionDays: 14,
        region: "fra1",
      });
      assert.equal((parse("staging", {}) as CloudPlatformConfig).velero, undefined);
    });

    it("takes volume snapshots with a DigitalOcean token, kept at most 25 days (DigitalOcean's 25 snapshots a volume)", () => {
      const velero = (
        parse("prod", { veleroSnapshotToken: "dop_v1_x" }, [
          "platform:veleroSnapshotToken",
        ]) as CloudPlatformConfig
      ).velero;
      assert.equal(String(velero?.snapshotToken), "[secret]");
      assert.deepEqual(
        problems("prod", { veleroSnapshotToken: "dop_v1_x", veleroRetentionDays: "30" }, [
          "platform:veleroSnapshotToken",
        ]),
        [
          "platform:veleroRetentionDays: expected at most 25 with volume snapshots (platform:veleroSnapshotToken): DigitalOcean keeps 25 snapshots per volume and the daily backup takes one a day, got 30",
        ],
      );
      assert.deepEqual(problems("prod", { veleroSnapshotToken: "dop_v1_x" }), [
        "platform:veleroSnapshotToken: must be a secret: set it with `pulumi config set --secret platform:veleroSnapshotToken`, never in plain text in a stack file",
      ]);
    });

    it("refuses its settings without Velero, and Velero outside DOKS", () => {
      assert.deepEqual(problems("staging", { veleroSchedule: "0 4 * * *", veleroRetentionDays: "7" }), [
        "platform:veleroSchedule: applies only when platform:velero is true",
        "platform:veleroRetentionDays: applies only when platform:velero is true",
      ]);
      assert.deepEqual(problems("existing", { velero: "true" }), [
        "platform:velero: applies only when platform:clusterProvider is doks",
      ]);
      assert.deepEqual(problems("prod", { veleroSchedule: "daily" }), [
        'platform:veleroSchedule: expected a cron schedule of five fields such as "0 3 * * *", got daily',
      ]);
    });
  });
});
