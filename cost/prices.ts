// The price table (pricing/digitalocean.json): its shape, a schema check, and the loaded table.
// Plain data and functions only, so that the policy pack can import it without the Pulumi runtime.
import * as fs from "node:fs";
import * as path from "node:path";

/** One price as the table records it, with where and when it was read. */
export interface PriceEntry {
  /** Monthly list price in USD (per node, per GiB, per registry… as the section says). */
  readonly monthlyUsd: number;
  /** The page the price was read on. */
  readonly source: string;
  /** The day it was read, YYYY-MM-DD. */
  readonly read: string;
  /** Whether a DigitalOcean page states this price; false means the note says what is missing. */
  readonly confirmed: boolean;
  readonly note?: string;
}

/** How standby nodes of a managed database are priced: `factor` × the size's node price. */
export interface StandbyPricing extends Omit<PriceEntry, "monthlyUsd"> {
  readonly factor: number;
}

/**
 * What a DOKS worker node of one size offers pods: the Droplet's vCPUs and memory, and the memory
 * DigitalOcean leaves allocatable to pods after what it reserves on the node (kubelet, containerd,
 * Cilium, its agents, the OS), with where and when that was read.
 */
export interface NodeCapacityEntry extends Omit<PriceEntry, "monthlyUsd"> {
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** DigitalOcean's "maximum pod allocatable memory" for the size. */
  readonly allocatableMemoryGiB: number;
}

/** The whole price table. */
export interface PriceTable {
  readonly readme: string;
  readonly currency: "USD";
  readonly kubernetes: { readonly haControlPlane: PriceEntry };
  /** Droplet sizes by slug; DOKS worker nodes cost the same as Droplets of their size. */
  readonly droplets: Readonly<Record<string, PriceEntry>>;
  /** What a DOKS node of each size offers pods, by Droplet slug (the capacity check reads it). */
  readonly doksNodeCapacity: Readonly<Record<string, NodeCapacityEntry>>;
  readonly loadBalancer: { readonly perNode: PriceEntry };
  readonly blockStorage: { readonly perGiB: PriceEntry };
  /** Storage classes whose PersistentVolumeClaims become DigitalOcean volumes. */
  readonly blockStorageClasses: readonly string[];
  /** Container registry subscription tiers by slug. */
  readonly containerRegistry: Readonly<Record<string, PriceEntry>>;
  /** Managed PostgreSQL sizes by slug, per node. */
  readonly postgresql: Readonly<Record<string, PriceEntry>>;
  readonly postgresqlStandbyNode: StandbyPricing;
  /** Spaces object storage: the subscription (one per account) that every bucket shares. */
  readonly spaces: { readonly subscription: PriceEntry };
  /** Volume snapshots, per GiB of snapshot per month (Velero's DigitalOcean plugin takes them). */
  readonly volumeSnapshots: { readonly perGiB: PriceEntry };
}

/** Where the table lives, relative to the repository root (for messages and docs). */
export const PRICE_TABLE_FILE = "pricing/digitalocean.json";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkProvenance(
  entry: Record<string, unknown>,
  at: string,
  errors: string[],
  fields: readonly string[] = [],
): void {
  if (typeof entry.source !== "string" || !/^https:\/\/\S+$/.test(entry.source))
    errors.push(`${at}.source: expected an https URL`);
  if (typeof entry.read !== "string" || !DATE.test(entry.read) || Number.isNaN(Date.parse(entry.read)))
    errors.push(`${at}.read: expected a date YYYY-MM-DD`);
  if (typeof entry.confirmed !== "boolean") errors.push(`${at}.confirmed: expected true or false`);
  if (entry.note !== undefined && (typeof entry.note !== "string" || entry.note.trim() === ""))
    errors.push(`${at}.note: expected a non-empty string`);
  if (entry.confirmed === false && typeof entry.note !== "string")
    errors.push(`${at}.note: an unconfirmed price must say why in a note`);
  const known = new Set(["monthlyUsd", "factor", "source", "read", "confirmed", "note", ...fields]);
  for (const key of Object.keys(entry)) if (!known.has(key)) errors.push(`${at}.${key}: unknown field`);
}

function checkEntry(value: unknown, at: string, errors: string[]): void {
  if (!isRecord(value)) {
    errors.push(`${at}: expected an object`);
    return;
  }
  const usd = value.monthlyUsd;
  if (typeof usd !== "number" || !Number.isFinite(usd) || usd < 0)
    errors.push(`${at}.monthlyUsd: expected a number ≥ 0`);
  if ("factor" in value) errors.push(`${at}.factor: unknown field`);
  checkProvenance(value, at, errors);
}

function checkSection(value: unknown, at: string, keys: readonly string[] | "any", errors: string[]): void {
  if (!isRecord(value)) {
    errors.push(`${at}: expected an object`);
    return;
  }
  const names = keys === "any" ? Object.keys(value) : keys;
  if (names.length === 0) errors.push(`${at}: expected at least one price`);
  for (const name of names) checkEntry(value[name], `${at}.${name}`, errors);
  if (keys !== "any")
    for (const name of Object.keys(value))
      if (!keys.includes(name)) errors.push(`${at}.${name}: unknown field`);
}

const NODE_FIELDS = ["vcpus", "memoryGiB", "allocatableMemoryGiB"];

function checkNodeCapacity(value: unknown, droplets: unknown, errors: string[]): void {
  if (!isRecord(value)) {
    errors.push("doksNodeCapacity: expected an object");
    return;
  }
  for (const [size, entry] of Object.entries(value)) {
    const at = `doksNodeCapacity.${size}`;
    if (!isRecord(entry)) {
      errors.push(`${at}: expected an object`);
      continue;
    }
    if (isRecord(droplets) && !(size in droplets)) errors.push(`${at}: no Droplet price for this size`);
    for (const key of NODE_FIELDS) {
      const n = entry[key];
      if (typeof n !== "number" || !Number.isFinite(n) || n <= 0)
        errors.push(`${at}.${key}: expected a number > 0`);
    }
    for (const key of ["monthlyUsd", "factor"]) if (key in entry) errors.push(`${at}.${key}: unknown field`);
    const { memoryGiB, allocatableMemoryGiB } = entry;
    if (
      typeof memoryGiB === "number" &&
      typeof allocatableMemoryGiB === "number" &&
      allocatableMemoryGiB > memoryGiB
    )
      errors.push(`${at}.allocatableMemoryGiB: more than the node's memoryGiB`);
    checkProvenance(entry, at, errors, NODE_FIELDS);
  }
}

/** Every problem with a parsed price table, each naming its path; empty when the table is valid. */
export function validatePriceTable(raw: unknown): string[] {
  const errors: string[] = [];
  if (!isRecord(raw)) return ["the price table must be a JSON object"];
  const sections = [
    "readme",
    "currency",
    "kubernetes",
    "droplets",
    "doksNodeCapacity",
    "loadBalancer",
    "blockStorage",
    "blockStorageClasses",
    "containerRegistry",
    "postgresql",
    "postgresqlStandbyNode",
    "spaces",
    "volumeSnapshots",
  ];
  for (const key of Object.keys(raw)) if (!sections.includes(key)) errors.push(`${key}: unknown section`);
  if (typeof raw.readme !== "string" || raw.readme.trim() === "") errors.push("readme: expected a string");
  if (raw.currency !== "USD") errors.push('currency: expected "USD"');
  checkSection(raw.kubernetes, "kubernetes", ["haControlPlane"], errors);
  checkSection(raw.droplets, "droplets", "any", errors);
  checkNodeCapacity(raw.doksNodeCapacity, raw.droplets, errors);
  checkSection(raw.loadBalancer, "loadBalancer", ["perNode"], errors);
  checkSection(raw.blockStorage, "blockStorage", ["perGiB"], errors);
  checkSection(raw.containerRegistry, "containerRegistry", "any", errors);
  checkSection(raw.postgresql, "postgresql", "any", errors);
  checkSection(raw.spaces, "spaces", ["subscription"], errors);
  checkSection(raw.volumeSnapshots, "volumeSnapshots", ["perGiB"], errors);
  const classes = raw.blockStorageClasses;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === "string" && c))
    errors.push("blockStorageClasses: expected a non-empty list of storage class names");
  const standby = raw.postgresqlStandbyNode;
  if (!isRecord(standby)) errors.push("postgresqlStandbyNode: expected an object");
  else {
    if (typeof standby.factor !== "number" || !(standby.factor >= 0))
      errors.push("postgresqlStandbyNode.factor: expected a number ≥ 0");
    if ("monthlyUsd" in standby) errors.push("postgresqlStandbyNode.monthlyUsd: unknown field");
    checkProvenance(standby, "postgresqlStandbyNode", errors);
  }
  return errors;
}

/** Checks a parsed table and returns it typed; throws one error listing every problem. */
export function parsePriceTable(raw: unknown, source = PRICE_TABLE_FILE): PriceTable {
  const errors = validatePriceTable(raw);
  if (errors.length > 0) throw new Error(`${source}: ${errors.join("; ")}`);
  return raw as PriceTable;
}

/** A price table that cannot be read or does not pass its checks; the message names the file. */
export class PriceTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceTableError";
  }
}

let loaded: PriceTable | undefined;

/**
 * The repository's price table, read and checked on first use (not at import), so that a broken
 * table is a clear error of the command that needs prices rather than a crash while loading.
 */
export function loadPrices(): PriceTable {
  if (loaded) return loaded;
  const file = path.join(__dirname, "..", PRICE_TABLE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new PriceTableError(`${PRICE_TABLE_FILE}: cannot be read as JSON (${(error as Error).message})`);
  }
  try {
    loaded = parsePriceTable(raw);
  } catch (error) {
    throw new PriceTableError((error as Error).message);
  }
  return loaded;
}
