// Where database dumps are kept: an S3-compatible bucket (DigitalOcean Spaces, or any endpoint a stack
// names) or a directory (a volume in the cluster). Both list, store and fetch dumps by name.
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, HeadObjectCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

/** A place that keeps dumps under names (keys). */
export interface DumpStore {
  /** Where it is, for log lines (never a credential). */
  readonly description: string;
  /** Every key in the store's prefix, in no particular order. */
  list(): Promise<string[]>;
  /** Copies the local `file` to `key`; resolves with the bytes stored. */
  put(file: string, key: string): Promise<number>;
  /** Copies `key` to the local `file`; resolves with the bytes fetched. */
  get(key: string, file: string): Promise<number>;
  /** Deletes `key` (a directory's pruning; buckets expire dumps by their lifecycle rule). */
  remove?(key: string): Promise<void>;
}

/** How the backup tool reaches its store, from the environment. */
export type BackupSettings =
  | {
      readonly store: "s3";
      readonly endpoint: string;
      readonly region: string;
      readonly bucket: string;
      /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most S3-compatible servers need. */
      readonly forcePathStyle: boolean;
      /** Folder of the bucket the dumps live in, ending in `/` (or empty). */
      readonly prefix: string;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
    }
  | {
      readonly store: "directory";
      readonly directory: string;
      /** Dumps older than this are deleted after each new one is stored. */
      readonly retentionDays: number;
    };

/** Thrown for an environment variable with an unusable value; the message names the variable. */
export class BackupConfigError extends Error {
  override readonly name = "BackupConfigError";
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") throw new BackupConfigError(`${name} must be set`);
  return value.trim();
}

/**
 * Reads the store's settings: `BACKUP_STORE` `s3` (with `BACKUP_S3_ENDPOINT`, `BACKUP_S3_BUCKET`,
 * `BACKUP_S3_REGION` (default us-east-1), `BACKUP_S3_FORCE_PATH_STYLE`, `BACKUP_PREFIX` (default
 * `postgres/`) and the key pair in `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`) or `directory`
 * (with `BACKUP_DIR` and `BACKUP_RETENTION_DAYS`, default 7).
 */
export function loadBackupSettings(env: NodeJS.ProcessEnv): BackupSettings {
  const store = env.BACKUP_STORE;
  if (store === "directory") {
    const raw = env.BACKUP_RETENTION_DAYS ?? "7";
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3650)
      throw new BackupConfigError(`BACKUP_RETENTION_DAYS must be an integer from 1 to 3650, got "${raw}"`);
    return { store, directory: required(env, "BACKUP_DIR"), retentionDays: Number(raw) };
  }
  if (store !== "s3")
    throw new BackupConfigError(`BACKUP_STORE must be s3 or directory, got "${store ?? ""}"`);
  const endpoint = required(env, "BACKUP_S3_ENDPOINT");
  if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint))
    throw new BackupConfigError(
      `BACKUP_S3_ENDPOINT must be an http(s) URL without a path, got "${endpoint}"`,
    );
  const pathStyle = env.BACKUP_S3_FORCE_PATH_STYLE ?? "false";
  if (pathStyle !== "true" && pathStyle !== "false")
    throw new BackupConfigError(`BACKUP_S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  const prefix = env.BACKUP_PREFIX ?? "postgres/";
  if (prefix !== "" && (!prefix.endsWith("/") || prefix.startsWith("/")))
    throw new BackupConfigError(`BACKUP_PREFIX must be empty or a folder such as postgres/, got "${prefix}"`);
  return {
    store,
    endpoint,
    region: env.BACKUP_S3_REGION?.trim() || "us-east-1",
    bucket: required(env, "BACKUP_S3_BUCKET"),
    forcePathStyle: pathStyle === "true",
    prefix,
    accessKeyId: required(env, "AWS_ACCESS_KEY_ID"),
    secretAccessKey: required(env, "AWS_SECRET_ACCESS_KEY"),
  };
}

/** The store the settings describe. */
export function openStore(settings: BackupSettings): DumpStore {
  return settings.store === "s3" ? s3Store(settings) : directoryStore(settings.directory);
}

/** A bucket of an S3-compatible service. */
export function s3Store(settings: Extract<BackupSettings, { store: "s3" }>): DumpStore {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Checksums only where the S3 API requires them: DigitalOcean Spaces (like other S3-compatible
    // services) refuses the CRC32 headers the SDK sends by default since January 2025.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 5,
  });
  const Bucket = settings.bucket;
  return {
    description: `s3 bucket ${Bucket} at ${settings.endpoint}${settings.prefix ? `, prefix ${settings.prefix}` : ""}`,
    async list() {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: settings.prefix })) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      }
      return keys;
    },
    async put(file, key) {
      const { size } = await stat(file);
      // Multipart above the part size, so that a dump of any size fits (a single PUT stops at 5 GiB).
      await new Upload({
        client,
        params: { Bucket, Key: key, Body: createReadStream(file), ContentType: "application/octet-stream" },
      }).done();
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      if (head.ContentLength !== size)
        throw new Error(`${key}: stored ${head.ContentLength ?? "no"} bytes, expected ${size}`);
      return size;
    },
    async get(key, file) {
      const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!(object.Body instanceof Readable)) throw new Error(`${key}: the response has no body`);
      await pipeline(object.Body, createWriteStream(file, { mode: 0o644 }));
      const { size } = await stat(file);
      if (object.ContentLength !== undefined && object.ContentLength !== size)
        throw new Error(`${key}: fetched ${size} bytes, expected ${object.ContentLength}`);
      return size;
    },
  };
}

/** A directory, such as a volume mounted into the backup pod. */
export function directoryStore(directory: string): DumpStore {
  return {
    description: `directory ${directory}`,
    async list() {
      return readdir(directory);
    },
    async put(file, key) {
      const target = join(directory, key);
      await mkdir(dirname(target), { recursive: true });
      // Copied under a name no dump has, then renamed: a dump that is there is whole.
      const partial = join(directory, `.${key}.partial`);
      await copyFile(file, partial);
      await rename(partial, target);
      return (await stat(target)).size;
    },
    async get(key, file) {
      await copyFile(join(directory, key), file);
      return (await stat(file)).size;
    },
    async remove(key) {
      await unlink(join(directory, key));
    },
  };
}
