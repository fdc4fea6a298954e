/** An item as the API returns it. */
export interface Item {
  readonly id: number;
  readonly name: string;
  /** ISO 8601 timestamp in UTC. */
  readonly createdAt: string;
}

/** The outcome of validating client input: a value, or a message for a 400 response. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Longest accepted name, in characters (Unicode code points, as PostgreSQL's `char_length` counts). */
export const MAX_NAME_LENGTH = 200;
/** Most items one `GET /items` returns, and the default. */
export const MAX_LIST_LIMIT = 100;
export const DEFAULT_LIST_LIMIT = 50;

/** Validates a `POST /items` body: exactly `{ "name": string }`, 1..200 characters once trimmed. */
export function parseNewItem(body: unknown): Parsed<{ name: string }> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: "body must be a JSON object" };
  }
  const unexpected = Object.keys(body).filter((key) => key !== "name");
  if (unexpected.length > 0) return { ok: false, error: `unexpected field "${unexpected[0]}"` };
  const name: unknown = (body as Record<string, unknown>).name;
  if (typeof name !== "string") return { ok: false, error: "name must be a string" };
  const trimmed = name.trim();
  if (trimmed.length === 0) return { ok: false, error: "name must not be empty" };
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    return { ok: false, error: `name must be at most ${MAX_NAME_LENGTH} characters` };
  }
  return { ok: true, value: { name: trimmed } };
}

/** Validates the `:id` of `/items/:id`: a positive integer a JavaScript number holds exactly. */
export function parseItemId(raw: string): Parsed<number> {
  return /^[1-9]\d{0,14}$/.test(raw)
    ? { ok: true, value: Number(raw) }
    : { ok: false, error: "id must be a positive integer" };
}

/** Validates the optional `limit` query parameter of `GET /items`. */
export function parseListLimit(raw: string | null): Parsed<number> {
  if (raw === null) return { ok: true, value: DEFAULT_LIST_LIMIT };
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIST_LIMIT) {
    return { ok: false, error: `limit must be an integer from 1 to ${MAX_LIST_LIMIT}` };
  }
  return { ok: true, value: Number(raw) };
}

/** The part of `pg.Pool` the item queries need. */
export interface Queryable {
  query<R extends object>(sql: string, params: unknown[]): Promise<{ rows: R[] }>;
}

interface ItemRow {
  id: string;
  name: string;
  created_at: Date;
}

function toItem(row: ItemRow): Item {
  return { id: Number(row.id), name: row.name, createdAt: row.created_at.toISOString() };
}

/** The newest `limit` items, newest first. */
export async function listItems(db: Queryable, limit: number): Promise<Item[]> {
  const { rows } = await db.query<ItemRow>(
    "SELECT id, name, created_at FROM items ORDER BY created_at DESC, id DESC LIMIT $1",
    [limit],
  );
  return rows.map(toItem);
}

/** Stores a new item and returns it. */
export async function createItem(db: Queryable, name: string): Promise<Item> {
  const { rows } = await db.query<ItemRow>(
    "INSERT INTO items (name) VALUES ($1) RETURNING id, name, created_at",
    [name],
  );
  return toItem(rows[0]);
}

/** The item with `id`, or undefined. */
export async function getItem(db: Queryable, id: number): Promise<Item | undefined> {
  const { rows } = await db.query<ItemRow>("SELECT id, name, created_at FROM items WHERE id = $1", [id]);
  return rows.length === 0 ? undefined : toItem(rows[0]);
}
