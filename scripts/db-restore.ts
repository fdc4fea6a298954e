// Restores the in-cluster database of a stack from one of its nightly dumps:
//
//   npm run db:restore -- --stack staging [--at 2026-11-25T02:30:00Z] --yes
//
// creates a Job from the suspended `postgres-restore` CronJob the program declares (its pod fetches
// the newest dump taken at or before --at, then pg_restore replaces the database's objects in one
// transaction), waits for it and prints its logs. Needs kubectl; the cluster's kubeconfig comes from
// the stack (`pulumi stack output kubeconfig`, or an existing cluster's kubeconfig settings) or
// from --kubeconfig. Exit codes: 0 restored, 1 the restore failed (the database is as it was),
// 2 bad usage, no --yes, or a stack without dumps to restore.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, parseConfig, PlatformConfig, readStackConfig, StackFileError } from "../config";
import { FETCH_CONTAINER, RESTORE_CRONJOB } from "../components/database/names";
import { HelpRequested, UsageError } from "./lib/cli";
import {
  nothingToRestore,
  parseRestoreArgs,
  RestoreOptions,
  restoreJob,
  restoreJobName,
} from "./lib/restore";

const PROJECT_DIR = path.resolve(__dirname, "..");
const NAMESPACE = "app";
const POLL_MS = 5000;
/** The Job's own deadline (activeDeadlineSeconds) plus time to schedule its pod. */
const TIMEOUT_MS = 65 * 60 * 1000;

const say = (line: string) => process.stderr.write(`db:restore: ${line}\n`);

/** Runs a command, returning its stdout; throws with its stderr when it fails. */
function run(command: string, args: readonly string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args[0]} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** kubectl's arguments that reach the stack's cluster; `cleanup` deletes a kubeconfig written for it. */
function clusterAccess(
  options: RestoreOptions,
  config: PlatformConfig,
): { args: string[]; cleanup: () => void } {
  const none = () => undefined;
  if (options.kubeconfig)
    return {
      args: ["--kubeconfig", options.kubeconfig, ...(options.context ? ["--context", options.context] : [])],
      cleanup: none,
    };
  if (config.cluster.provider === "existing" && config.cluster.kubeconfig.source === "path") {
    const given = config.cluster.kubeconfig.path;
    const file = given === "~" || given.startsWith("~/") ? path.join(homedir(), given.slice(1)) : given;
    return {
      args: ["--kubeconfig", file, ...(config.cluster.context ? ["--context", config.cluster.context] : [])],
      cleanup: none,
    };
  }
  // The stack's kubeconfig is a secret: written for kubectl alone, readable by this user, then deleted.
  const kubeconfig =
    config.cluster.provider === "existing"
      ? run("pulumi", [
          "config",
          "get",
          "platform:kubeconfig",
          "--stack",
          options.stack,
          "--cwd",
          PROJECT_DIR,
        ])
      : run("pulumi", [
          "stack",
          "output",
          "kubeconfig",
          "--show-secrets",
          "--stack",
          options.stack,
          "--cwd",
          PROJECT_DIR,
        ]);
  const dir = mkdtempSync(path.join(tmpdir(), "db-restore-"));
  const file = path.join(dir, "kubeconfig");
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  const context = config.cluster.provider === "existing" ? config.cluster.context : undefined;
  return {
    args: ["--kubeconfig", file, ...(context ? ["--context", context] : [])],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function waitForJob(kubectl: (args: string[]) => string, name: string): Promise<boolean> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const job = JSON.parse(kubectl(["get", "job", name, "-n", NAMESPACE, "-o", "json"])) as Json;
    const conditions = (job.status?.conditions ?? []) as Json[];
    if (conditions.some((c) => c.type === "Complete" && c.status === "True")) return true;
    if (conditions.some((c) => c.type === "Failed" && c.status === "True")) return false;
    if (Date.now() > deadline)
      throw new Error(`the Job ${name} did not finish within ${TIMEOUT_MS / 60000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseRestoreArgs(argv);
  const { values, secretKeys } = readStackConfig(PROJECT_DIR, options.stack);
  const config = parseConfig(values, options.stack, `Pulumi.${options.stack}.yaml`, new Set(secretKeys));
  const why = nothingToRestore(config);
  if (why !== undefined) {
    say(why);
    return 2;
  }
  const what = `the ${options.at ? `newest dump taken at or before ${options.at}` : "newest dump"} into the database of ${options.stack}`;
  if (!options.yes) {
    say(
      `would restore ${what}, replacing its tables (writes since that dump are lost); add --yes to go ahead`,
    );
    return 2;
  }
  const access = clusterAccess(options, config);
  const kubectl = (args: string[], input?: string) => run("kubectl", [...access.args, ...args], input);
  try {
    const cronJob = JSON.parse(
      kubectl(["get", "cronjob", RESTORE_CRONJOB, "-n", NAMESPACE, "-o", "json"]),
    ) as Json;
    const name = restoreJobName(new Date());
    const job = restoreJob(cronJob, { name, ...(options.at ? { at: options.at } : {}) });
    kubectl(["create", "-f", "-"], JSON.stringify(job));
    say(`restoring ${what}: Job ${NAMESPACE}/${name}`);
    const ok = await waitForJob(kubectl, name);
    for (const container of [FETCH_CONTAINER, "pg-restore"]) {
      try {
        process.stdout.write(kubectl(["logs", `job/${name}`, "-n", NAMESPACE, "-c", container]));
      } catch (error) {
        say(`no logs of ${container}: ${(error as Error).message}`);
      }
    }
    say(
      ok
        ? `restored (Job ${name})`
        : `the restore failed and was rolled back; see the logs above (Job ${name})`,
    );
    return ok ? 0 : 1;
  } finally {
    access.cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.usage}\n`);
      process.exit(0);
    }
    const input =
      error instanceof UsageError || error instanceof StackFileError || error instanceof ConfigError;
    say(
      input ? (error as Error).message : `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(input ? 2 : 1);
  },
);
