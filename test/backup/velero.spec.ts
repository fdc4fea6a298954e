// Velero's cluster backups: on prod as shipped (objects only), and the component with a DigitalOcean
// token for volume snapshots (mock runtime).
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Velero, VELERO_CHART_VERSION, veleroValues } from "../../components/backup";
import { Evaluation, PlannedResource, runUnderMocks } from "../../scripts/lib/evaluate";
import { evaluateDeployed } from "../app/deployed";
import { allOf, only } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHART = "kubernetes:helm.sh/v4:Chart";
const SCHEDULE = "kubernetes:velero.io/v1:Schedule";
const LOCATION = "kubernetes:velero.io/v1:BackupStorageLocation";
const SNAPSHOTS = "kubernetes:velero.io/v1:VolumeSnapshotLocation";
const TOKEN = "dop_v1_fixture-token";

const chartOf = (evaluation: Evaluation) =>
  allOf(evaluation, CHART).find((c) => c.inputs.chart === "velero") as PlannedResource;

describe("Velero on prod (as shipped: Kubernetes objects, no volume snapshots)", () => {
  let prod: Evaluation;
  before(async () => {
    prod = await evaluateDeployed("prod");
  });

  it("backs the whole cluster up daily and keeps each backup 14 days", () => {
    const schedule = only(prod, SCHEDULE);
    assert.deepEqual((schedule.inputs.metadata as Json).namespace, "velero");
    assert.deepEqual(schedule.inputs.spec, {
      schedule: "0 1 * * *",
      useOwnerReferencesInBackup: false,
      template: {
        ttl: "336h0m0s",
        includedNamespaces: ["*"],
        storageLocation: "default",
        snapshotVolumes: false,
      },
    });
    assert.equal(allOf(prod, SNAPSHOTS).length, 0);
  });

  it("creates the backup location and the schedule after the chart, whose CRDs they need", () => {
    const chart = chartOf(prod);
    const location = only(prod, LOCATION);
    assert.ok(location.dependencies.includes(chart.urn));
    const schedule = only(prod, SCHEDULE);
    assert.ok(schedule.dependencies.includes(chart.urn));
    assert.ok(schedule.dependencies.includes(location.urn));
  });

  it("stores the backups in a protected, private, versioned Spaces bucket of its own, with its own key", () => {
    const bucket = allOf(prod, "digitalocean:index/spacesBucket:SpacesBucket");
    assert.equal(bucket.length, 1);
    assert.equal(bucket[0].protect, true);
    assert.equal(bucket[0].inputs.forceDestroy, false);
    assert.equal(bucket[0].inputs.acl, "private");
    assert.deepEqual(bucket[0].inputs.versioning, { enabled: true });
    // Velero deletes expired backups itself: no expiry, only deleted versions go after a week.
    assert.deepEqual(bucket[0].inputs.lifecycleRules, [
      { enabled: true, noncurrentVersionExpiration: { days: 7 }, abortIncompleteMultipartUploadDays: 1 },
    ]);
    const name = "platform-prod-velero-backups-bucket-0a1b2c3";
    assert.equal(prod.outputs.clusterBackupBucket, name);
    const location = only(prod, LOCATION).inputs.spec as Json;
    assert.deepEqual(location.objectStorage, { bucket: name, prefix: "cluster" });
    assert.deepEqual(location.config, {
      region: "fra1",
      s3Url: "https://fra1.digitaloceanspaces.com",
      checksumAlgorithm: "",
    });
    assert.equal(location.credential.key, "cloud");
    // Spaces refuses the AWS SDK's default checksums, also on multipart uploads, which the location's
    // setting does not reach (velero-io/velero#10543): the SDK computes them only where required.
    const env = (chartOf(prod).inputs.values as Json).configuration.extraEnvVars as Json[];
    assert.deepEqual(
      env.filter((e) => e.name.startsWith("AWS_")),
      [
        { name: "AWS_REQUEST_CHECKSUM_CALCULATION", value: "when_required" },
        { name: "AWS_RESPONSE_CHECKSUM_VALIDATION", value: "when_required" },
      ],
    );
    const key = only(prod, "digitalocean:index/spacesKey:SpacesKey");
    assert.deepEqual(key.inputs.grants, [{ bucket: name, permission: "readwrite" }]);
    const credentials = allOf(prod, "kubernetes:core/v1:Secret").find(
      (s) => s.name === "platform-prod-velero-credentials",
    )!;
    assert.deepEqual((credentials.inputs as Json).stringData, { cloud: "[secret]" });
  });

  it("installs the pinned chart in a restricted namespace, without Helm hooks, the node agent or a location of its own", () => {
    const chart = chartOf(prod);
    assert.equal(chart.inputs.version, VELERO_CHART_VERSION);
    const values = chart.inputs.values as Json;
    assert.equal(values.upgradeCRDs, false);
    assert.equal(values.cleanUpCRDs, false);
    assert.equal(values.deployNodeAgent, false);
    assert.equal(values.backupsEnabled, false);
    assert.equal(values.snapshotsEnabled, false);
    assert.deepEqual(values.schedules, {});
    const ns = allOf(prod, "kubernetes:core/v1:Namespace").find(
      (n) => (n.inputs.metadata as Json).name === "velero",
    )!;
    assert.equal((ns.inputs.metadata as Json).labels["pod-security.kubernetes.io/enforce"], "restricted");
  });

  it("denies everything in its namespace but the server's DNS and HTTPS egress, and Prometheus's scrape", () => {
    const policies = allOf(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter(
      (p) => (p.inputs.metadata as Json).namespace === "velero",
    );
    // The last one is the monitoring stack's (prod observes with `full`).
    assert.deepEqual(policies.map((p) => (p.inputs.metadata as Json).name).sort(), [
      "default-deny",
      "velero-egress",
      "velero-metrics-from-prometheus",
    ]);
    const egress = (
      policies.find((p) => (p.inputs.metadata as Json).name === "velero-egress")!.inputs.spec as Json
    ).egress as Json[];
    assert.deepEqual(egress[1], {
      ports: [
        { protocol: "TCP", port: 443 },
        { protocol: "TCP", port: 6443 },
      ],
    });
  });
});

describe("Velero values: hardened", () => {
  it("pins every image, bounds every container and runs each restricted", () => {
    const values = veleroValues("credentials", true) as Json;
    assert.match(
      `${values.image.repository}:${values.image.tag}`,
      /^docker\.io\/velero\/velero:v\d+\.\d+\.\d+$/,
    );
    for (const plugin of values.initContainers as Json[]) {
      assert.match(plugin.image, /^docker\.io\/[a-z]+\/velero-plugin[a-z-]*:v\d+\.\d+\.\d+$/);
      assert.ok(plugin.resources.limits.cpu && plugin.resources.limits.memory, plugin.name);
      assert.deepEqual(plugin.securityContext, values.containerSecurityContext);
    }
    assert.deepEqual(values.containerSecurityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.equal(values.podSecurityContext.seccompProfile.type, "RuntimeDefault");
    assert.ok(values.resources.limits.cpu && values.resources.limits.memory);
  });
});

describe("Velero with a DigitalOcean token (volume snapshots)", () => {
  let evaluation: Evaluation;
  before(async () => {
    evaluation = await runUnderMocks(
      { project: "platform", stack: "test", config: {}, preview: false },
      () => {
        const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
        new Velero("velero", {
          provider,
          region: "ams3",
          schedule: "15 1 * * *",
          retentionDays: 7,
          snapshotToken: pulumi.secret(TOKEN),
        });
        return {};
      },
    );
  });

  it("adds DigitalOcean's plugin, its snapshot location, and snapshots to the schedule", () => {
    const values = chartOf(evaluation).inputs.values as Json;
    assert.deepEqual(
      (values.initContainers as Json[]).map((c) => c.name),
      ["velero-plugin-for-aws", "velero-plugin-for-digitalocean"],
    );
    assert.deepEqual(only(evaluation, SNAPSHOTS).inputs.spec, {
      provider: "digitalocean.com/velero",
      config: { region: "ams3" },
    });
    const schedule = only(evaluation, SCHEDULE);
    assert.deepEqual((schedule.inputs.spec as Json).template, {
      ttl: "168h0m0s",
      includedNamespaces: ["*"],
      storageLocation: "default",
      snapshotVolumes: true,
      volumeSnapshotLocations: ["default"],
    });
    assert.ok(schedule.dependencies.includes(only(evaluation, SNAPSHOTS).urn));
  });

  it("hands the token to the server from its Secret, as a secret all the way", () => {
    const values = chartOf(evaluation).inputs.values as Json;
    const secret = only(evaluation, "kubernetes:core/v1:Secret");
    assert.deepEqual((secret.inputs as Json).stringData, {
      cloud: "[secret]",
      digitalocean_token: "[secret]",
    });
    const token = (values.configuration.extraEnvVars as Json[]).find((e) => e.name === "DIGITALOCEAN_TOKEN")!;
    assert.deepEqual(token.valueFrom.secretKeyRef.key, "digitalocean_token");
    assert.equal(token.value, undefined);
    assert.ok(!JSON.stringify(evaluation).includes(TOKEN));
  });
});
