// The pure parts of `npm run db:restore`: its arguments, and the restore Job it creates from the
// suspended `postgres-restore` CronJob that the program declares (so the Job's pod is the one the
// policy pack checked, with the stack's own images, Secrets and network policies).
import { parseRestoreAt, RestoreAtError } from "../../app/api/src/dumps";
import { FETCH_CONTAINER, RESTORE_CRONJOB } from "../../components/database/names";
import type { PlatformConfig } from "../../config";
import { HelpRequested, isHelp, UsageError } from "./cli";

export const RESTORE_USAGE =
  "usage: npm run db:restore -- --stack <name> [--at <time>] [--yes] [--kubeconfig <file> [--context <name>]]";

/** Options of `npm run db:restore`. */
export interface RestoreOptions {
  readonly stack: string;
  /** The restore point, normalised to UTC (`2026-11-25T02:30:00.000Z`); absent: the newest dump. */
  readonly at?: string;
  /** Go ahead: a restore replaces the database's tables with the dump's. */
  readonly yes: boolean;
  /** A kubeconfig file to use instead of the stack's (and its context). */
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** Parses the command's arguments, refusing anything it does not know or a restore point that is not one. */
export function parseRestoreArgs(argv: readonly string[]): RestoreOptions {
  const values: Record<string, string> = {};
  let yes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (isHelp(arg)) throw new HelpRequested(RESTORE_USAGE);
    if (arg === "--yes") {
      yes = true;
      continue;
    }
    const name = ["--stack", "--at", "--kubeconfig", "--context"].find(
      (n) => arg === n || arg.startsWith(`${n}=`),
    );
    if (!name) throw new UsageError(`unknown argument "${arg}"\n${RESTORE_USAGE}`);
    const value = arg === name ? argv[++i] : arg.slice(name.length + 1);
    if (!value || value.startsWith("--")) throw new UsageError(`${name} needs a value\n${RESTORE_USAGE}`);
    values[name.slice(2)] = value;
  }
  if (!values.stack) throw new UsageError(`--stack is required\n${RESTORE_USAGE}`);
  if (values.context && !values.kubeconfig)
    throw new UsageError(`--context applies only with --kubeconfig\n${RESTORE_USAGE}`);
  let at: string | undefined;
  if (values.at !== undefined) {
    try {
      at = parseRestoreAt(values.at).toISOString();
    } catch (error) {
      if (error instanceof RestoreAtError) throw new UsageError(`--at: ${error.message}`);
      throw error;
    }
  }
  return {
    stack: values.stack,
    yes,
    ...(at !== undefined ? { at } : {}),
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The Job that restores the database: the `postgres-restore` CronJob's job template as it is (what
 * `kubectl create job --from=cronjob/postgres-restore` makes), with `RESTORE_AT` in the environment
 * of the container that fetches the dump when a restore point is given.
 */
export function restoreJob(cronJob: Json, options: { readonly name: string; readonly at?: string }): Json {
  if (cronJob?.kind !== "CronJob" || cronJob.metadata?.name !== RESTORE_CRONJOB)
    throw new Error(
      `expected the CronJob ${RESTORE_CRONJOB}, got ${cronJob?.kind} ${cronJob?.metadata?.name}`,
    );
  const template = structuredClone(cronJob.spec.jobTemplate) as Json;
  const pod = template.spec.template.spec as Json;
  const fetch = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].find(
    (c: Json) => c.name === FETCH_CONTAINER,
  );
  if (!fetch) throw new Error(`the CronJob ${RESTORE_CRONJOB} has no container ${FETCH_CONTAINER}`);
  fetch.env = [
    ...(fetch.env ?? []).filter((e: Json) => e.name !== "RESTORE_AT"),
    ...(options.at !== undefined ? [{ name: "RESTORE_AT", value: options.at }] : []),
  ];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: options.name,
      namespace: cronJob.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: {
        // What `kubectl create job --from` marks, and what was asked for.
        "cronjob.kubernetes.io/instantiate": "manual",
        "platform.example/restore-at": options.at ?? "newest dump",
      },
      ...(cronJob.metadata.uid
        ? {
            ownerReferences: [
              { apiVersion: "batch/v1", kind: "CronJob", name: RESTORE_CRONJOB, uid: cronJob.metadata.uid },
            ],
          }
        : {}),
    },
    spec: template.spec,
  };
}

/** A Job name for a restore started at `now`: `postgres-restore-20261130t101500`. */
export function restoreJobName(now: Date): string {
  return `${RESTORE_CRONJOB}-${now.toISOString().slice(0, 19).replace(/[-:]/g, "").toLowerCase()}`;
}

/** Why the stack has nothing for db:restore to restore (with what to do instead), or undefined when it has. */
export function nothingToRestore(config: PlatformConfig): string | undefined {
  if (config.database.mode === "managed") return MANAGED_RESTORE_HELP;
  if (config.database.backup.store === "volume" && config.database.storage.kind === "emptyDir")
    return "the stack keeps its dumps on an emptyDir (a laptop's throwaway database): there is nothing to restore from";
  return undefined;
}

/** What to do instead, for a stack whose database the program does not dump. */
export const MANAGED_RESTORE_HELP = `The stack's database is DigitalOcean managed PostgreSQL: DigitalOcean keeps its daily backups
and point-in-time recovery, and restores them into a new database cluster (a fork):

  doctl databases list                                  # the cluster's id
  doctl databases backups <cluster-id>                  # the backups it can restore
  doctl databases fork <new-name> --restore-from-cluster-id <cluster-id> \\
    --restore-from-timestamp "2026-11-25 02:30:00 +0000 UTC" --wait

Then copy what you need from the fork into the stack's cluster, or adopt the fork (see the README,
Operations, "Backups and restore").`;
