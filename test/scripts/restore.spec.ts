// `npm run db:restore`: its arguments, and the Job it makes from the program's restore CronJob.
import * as assert from "node:assert/strict";
import { UsageError } from "../../scripts/lib/cli";
import { parseConfig, readStackConfig } from "../../config";
import {
  nothingToRestore,
  parseRestoreArgs,
  RESTORE_USAGE,
  restoreJob,
  restoreJobName,
} from "../../scripts/lib/restore";
import { evaluateDeployed } from "../app/deployed";
import { runTool, PROJECT_DIR } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("npm run db:restore", () => {
  it("takes a stack, a restore point with its zone (kept in UTC), --yes and a kubeconfig", () => {
    assert.deepEqual(parseRestoreArgs(["--stack", "staging"]), { stack: "staging", yes: false });
    assert.deepEqual(parseRestoreArgs(["--stack=staging", "--at", "2026-11-25T03:30:00+01:00", "--yes"]), {
      stack: "staging",
      at: "2026-11-25T02:30:00.000Z",
      yes: true,
    });
    assert.deepEqual(parseRestoreArgs(["--stack", "x", "--kubeconfig", "kc", "--context", "c"]), {
      stack: "x",
      yes: false,
      kubeconfig: "kc",
      context: "c",
    });
    for (const [args, message] of [
      [["--at", "2026-11-25T02:30:00Z"], /--stack is required/],
      [["--stack", "s", "--at", "2026-11-25"], /--at: expected a point in time with its zone/],
      [["--stack", "s", "--context", "c"], /--context applies only with --kubeconfig/],
      [["--stack", "s", "--force"], /unknown argument "--force"/],
    ] as const)
      assert.throws(
        () => parseRestoreArgs(args),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      );
  });

  it("makes the Job from the restore CronJob's template as it is, with RESTORE_AT for the container that fetches", async () => {
    const staging = await evaluateDeployed("staging");
    const cronJob = staging.resources.find(
      (r) =>
        r.type === "kubernetes:batch/v1:CronJob" && (r.inputs.metadata as Json).name === "postgres-restore",
    )!.inputs as Json;
    const name = restoreJobName(new Date("2026-11-30T10:15:00.123Z"));
    assert.equal(name, "postgres-restore-20261130t101500");
    const job = restoreJob(
      { ...cronJob, metadata: { ...cronJob.metadata, uid: "uid-1" } },
      { name, at: "2026-11-25T02:30:00.000Z" },
    );
    assert.deepEqual(job.metadata.ownerReferences, [
      { apiVersion: "batch/v1", kind: "CronJob", name: "postgres-restore", uid: "uid-1" },
    ]);
    assert.equal(job.metadata.namespace, "app");
    // Everything but the restore point is the CronJob's: images, Secrets, limits, security, labels.
    const fetch = job.spec.template.spec.initContainers[0];
    assert.deepEqual(fetch.env.at(-1), { name: "RESTORE_AT", value: "2026-11-25T02:30:00.000Z" });
    const template = structuredClone(cronJob.spec.jobTemplate.spec);
    template.template.spec.initContainers[0].env.push({
      name: "RESTORE_AT",
      value: "2026-11-25T02:30:00.000Z",
    });
    assert.deepEqual(job.spec, template);
    // Without a restore point: the newest dump.
    assert.deepEqual(restoreJob(cronJob, { name }).spec, cronJob.spec.jobTemplate.spec);
    assert.throws(
      () => restoreJob({ ...cronJob, metadata: { name: "postgres-backup" } }, { name }),
      /expected the CronJob postgres-restore/,
    );
  });

  it("says why a stack has nothing to restore: prod's database is managed, dev's dumps are gone with their pod", () => {
    const config = (stack: string) => {
      const { values, secretKeys } = readStackConfig(PROJECT_DIR, stack);
      return parseConfig(values, stack, `Pulumi.${stack}.yaml`, new Set(secretKeys));
    };
    assert.match(nothingToRestore(config("prod")) ?? "", /managed PostgreSQL[\s\S]*doctl databases fork/);
    assert.match(nothingToRestore(config("dev")) ?? "", /emptyDir .*nothing to restore from/);
    assert.equal(nothingToRestore(config("staging")), undefined);
  });

  it("prints its usage with --help, exit 0", () => {
    const run = runTool(PROJECT_DIR, "scripts/db-restore.ts", ["--help"]);
    assert.deepEqual([run.code, run.stdout], [0, `${RESTORE_USAGE}\n`]);
  });

  it("asks for --yes before it touches a cluster, with exit code 2", () => {
    const run = runTool(PROJECT_DIR, "scripts/db-restore.ts", [
      "--stack",
      "staging",
      "--at",
      "20261125T023000Z",
    ]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /would restore the newest dump taken at or before 2026-11-25T02:30:00.000Z into the database of staging, .*add --yes/,
    );
  });
});
