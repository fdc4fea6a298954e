// The in-cluster database's backups as the program declares them (mock runtime, shipped stacks):
// a private, versioned Spaces bucket with a lifecycle rule and a key of its own on DOKS, its key pair a
// secret from the provider to the pod, the nightly CronJob that stores dumps there, the restore
// CronJob `npm run db:restore` starts Jobs from, and what the policy pack says of them.
import * as assert from "node:assert/strict";
import { KEYS } from "../../config";
import { Evaluation, PlannedResource } from "../../scripts/lib/evaluate";
import { checkEvaluation } from "../../scripts/lib/policyCheck";
import { evaluateDeployed, FIXTURE_DIGEST } from "../app/deployed";
import { allOf, only } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUCKET = "digitalocean:index/spacesBucket:SpacesBucket";
const KEY = "digitalocean:index/spacesKey:SpacesKey";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const SECRET = "kubernetes:core/v1:Secret";

function byName(evaluation: Evaluation, type: string, name: string): PlannedResource {
  const found = allOf(evaluation, type).filter((r) => (r.inputs.metadata as Json)?.name === name);
  assert.equal(found.length, 1, `one ${type} named ${name}`);
  return found[0];
}
const pod = (cronJob: PlannedResource) =>
  (cronJob.inputs.spec as Json).jobTemplate.spec.template.spec as Json;
const env = (container: Json) =>
  Object.fromEntries((container.env as Json[]).map((e) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));

describe("database backups (staging: in the cluster, dumps to Spaces)", () => {
  let staging: Evaluation;
  let dev: Evaluation;
  let prod: Evaluation;
  before(async () => {
    staging = await evaluateDeployed("staging");
    dev = await evaluateDeployed("dev");
    prod = await evaluateDeployed("prod");
  });

  it("creates a private, versioned bucket in the cluster's region whose dumps expire after the stack's 14 days", () => {
    const bucket = only(staging, BUCKET);
    assert.deepEqual(bucket.inputs, {
      region: "fra1",
      acl: "private",
      versioning: { enabled: true },
      lifecycleRules: [
        {
          enabled: true,
          prefix: "postgres/",
          expiration: { days: 14 },
          // A dump deleted or overwritten with the bucket's own key can be brought back for a week.
          noncurrentVersionExpiration: { days: 7 },
          abortIncompleteMultipartUploadDays: 1,
        },
      ],
      // Staging protects nothing: destroy removes the bucket with its dumps (and ends the subscription).
      forceDestroy: true,
    });
    assert.equal(bucket.protect, false);
    assert.equal(staging.outputs.databaseBackupBucket, "platform-staging-postgres-backups-bucket-0a1b2c3");
  });

  it("gives the bucket a key that reaches it alone, whose pair is a secret from the provider to the pod", () => {
    const key = only(staging, KEY);
    assert.deepEqual(key.inputs.grants, [
      { bucket: "platform-staging-postgres-backups-bucket-0a1b2c3", permission: "readwrite" },
    ]);
    const credentials = only(staging, SECRET, "platform-staging-postgres-backup-store");
    assert.deepEqual((credentials.inputs as Json).stringData, {
      AWS_ACCESS_KEY_ID: "[secret]",
      AWS_SECRET_ACCESS_KEY: "[secret]",
    });
    assert.ok(credentials.dependencies.includes(key.urn));
    // The provider's answers (test/app/deployed.ts) appear nowhere: not in any input, nor an output.
    const text = JSON.stringify(staging);
    for (const value of ["FIXTUREACCESSKEYID", "fixture-spaces-secret-key"])
      assert.ok(!text.includes(value), value);
  });

  it("dumps nightly with the server's pg_dump and stores the dump in the bucket with the api image's tool", () => {
    const cron = byName(staging, CRONJOB, "postgres-backup");
    assert.equal((cron.inputs.spec as Json).schedule, "30 2 * * *");
    const spec = pod(cron);
    const [dump] = spec.initContainers as Json[];
    const [store] = spec.containers as Json[];
    // The server's own image (the project default), so that pg_dump matches the server.
    assert.equal(dump.image, KEYS.databaseImage.default);
    assert.deepEqual(dump.command, ["pg_dump", "--format=custom", "--file=/work/app.dump"]);
    // The tool is the api image's, pinned by the digest the push returned.
    assert.equal(store.image, `registry.digitalocean.com/k8s-platform-staging/api@${FIXTURE_DIGEST}`);
    assert.deepEqual(store.args, ["dist/backup.js", "store", "/work/app.dump"]);
    // The credentials Secret is auto-named after its resource (a new key pair gets a new name).
    const credentials = env(store).AWS_ACCESS_KEY_ID.name as string;
    assert.match(credentials, /^platform-staging-postgres-backup-store-[0-9a-f]{8}$/);
    assert.deepEqual(env(store), {
      BACKUP_STORE: "s3",
      BACKUP_S3_ENDPOINT: "https://fra1.digitaloceanspaces.com",
      BACKUP_S3_REGION: "fra1",
      BACKUP_S3_BUCKET: "platform-staging-postgres-backups-bucket-0a1b2c3",
      BACKUP_S3_FORCE_PATH_STYLE: "false",
      BACKUP_PREFIX: "postgres/",
      AWS_ACCESS_KEY_ID: { name: credentials, key: "AWS_ACCESS_KEY_ID" },
      AWS_SECRET_ACCESS_KEY: { name: credentials, key: "AWS_SECRET_ACCESS_KEY" },
    });
    // Nothing of the dumps stays in the cluster: an emptyDir between the two containers, sized to the database.
    assert.deepEqual(spec.volumes, [
      { name: "work", emptyDir: { sizeLimit: "5Gi" } },
      { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ]);
    assert.deepEqual(store.volumeMounts[0], { name: "work", mountPath: "/work", readOnly: true });
  });

  it("keeps a suspended restore CronJob whose Job fetches the chosen dump and restores it in one transaction", () => {
    const cron = byName(staging, CRONJOB, "postgres-restore");
    const spec = cron.inputs.spec as Json;
    assert.equal(spec.suspend, true);
    assert.equal(spec.jobTemplate.spec.backoffLimit, 0);
    const [fetch] = pod(cron).initContainers as Json[];
    const [restore] = pod(cron).containers as Json[];
    assert.equal(fetch.name, "fetch-dump");
    assert.deepEqual(fetch.args, ["dist/backup.js", "fetch", "/work/app.dump"]);
    assert.equal(env(fetch).RESTORE_AT, undefined, "db:restore sets it on the Job");
    assert.equal(env(fetch).BACKUP_S3_BUCKET, "platform-staging-postgres-backups-bucket-0a1b2c3");
    assert.deepEqual(restore.command, [
      "pg_restore",
      "--clean",
      "--if-exists",
      "--no-owner",
      "--single-transaction",
      "--exit-on-error",
      "--dbname=$(PGDATABASE)",
      "/work/app.dump",
    ]);
    assert.equal(pod(cron).restartPolicy, "Never");
  });

  it("lets the backup and restore pods reach the database and the bucket's HTTPS port, nothing else", () => {
    const policy = (name: string) =>
      (byName(staging, "kubernetes:networking.k8s.io/v1:NetworkPolicy", name).inputs.spec as Json).egress;
    const database = {
      to: [
        {
          podSelector: {
            matchLabels: {
              "app.kubernetes.io/name": "postgres",
              "app.kubernetes.io/part-of": "platform-app",
            },
          },
        },
      ],
      ports: [{ protocol: "TCP", port: 5432 }],
    };
    for (const name of ["backup-egress", "restore-egress"])
      assert.deepEqual(policy(name), [database, { ports: [{ protocol: "TCP", port: 443 }] }], name);
    const ingress = (
      byName(staging, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "database-from-api-and-backup").inputs
        .spec as Json
    ).ingress[0].from.map((f: Json) => f.podSelector.matchLabels["app.kubernetes.io/name"]);
    assert.deepEqual(ingress, ["api", "postgres-backup", "postgres-restore"]);
  });

  it("keeps dev's dumps on an emptyDir, with no bucket and nothing to restore from", () => {
    assert.equal(allOf(dev, BUCKET).length, 0);
    assert.equal(
      allOf(dev, CRONJOB).filter((c) => (c.inputs.metadata as Json).name === "postgres-restore").length,
      0,
    );
    const [store] = pod(byName(dev, CRONJOB, "postgres-backup")).containers as Json[];
    assert.deepEqual(env(store), {
      BACKUP_STORE: "directory",
      BACKUP_DIR: "/backups",
      BACKUP_RETENTION_DAYS: "7",
    });
  });

  it("leaves prod's managed database to DigitalOcean's backups: no dump bucket, no backup CronJob", () => {
    assert.equal(allOf(prod, CRONJOB).length, 0);
    assert.equal(prod.outputs.databaseBackupBucket, undefined);
  });

  it("passes the policy pack: no violation of any level on the backup resources", async () => {
    const mine = (urn: string) =>
      /postgres-(backup|restore)|backups-(bucket|key)|backup-store|(backup|restore)-egress/.test(urn);
    const violations = (await checkEvaluation(staging)).filter((v) => mine(v.resource ?? ""));
    assert.deepEqual(violations, []);
  });
});
