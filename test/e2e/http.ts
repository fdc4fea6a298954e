// HTTP through the local ingress. `app.localhost` resolves to loopback on most systems but not all,
// so requests go to 127.0.0.1:<port> with the app's host in the Host header, which is what the
// Ingress rule matches on.
import * as http from "node:http";

/** Where to connect and what Host header to send for the app's URL. */
export interface Target {
  /** Address connected to: always loopback, the ingress is published on 127.0.0.1 only. */
  readonly connectHost: string;
  readonly port: number;
  /** Host header: the URL's host, with the port when it is not 80. */
  readonly hostHeader: string;
  /** The URL's path without a trailing slash ("" for the root); API paths are appended to it. */
  readonly basePath: string;
}

/** Parses the stack's `appUrl` output (`http://app.localhost:8080`). Only plain HTTP is expected in dev. */
export function targetFromUrl(appUrl: string): Target {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    throw new Error(`appUrl is not a URL: ${JSON.stringify(appUrl)}`);
  }
  if (url.protocol !== "http:") {
    throw new Error(`appUrl must be http:// for the local dev ingress, got ${JSON.stringify(appUrl)}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`appUrl must be a plain http://host[:port][/path] URL, got ${JSON.stringify(appUrl)}`);
  }
  const port = url.port === "" ? 80 : Number(url.port);
  return {
    connectHost: "127.0.0.1",
    port,
    // url.host keeps a non-default port and drops :80, as a browser's Host header does.
    hostHeader: url.host,
    basePath: url.pathname.replace(/\/+$/, ""),
  };
}

/** Status, body and headers of one response. */
export interface Response {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** One request to `target`; rejects on connection errors and after `timeoutMs`. */
export function request(
  target: Target,
  method: "GET" | "POST",
  path: string,
  json?: unknown,
  timeoutMs = 10_000,
): Promise<Response> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const headers: http.OutgoingHttpHeaders = { Host: target.hostHeader, Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.connectHost,
        port: target.port,
        method,
        path: `${target.basePath}${path}`,
        headers,
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: res.headers,
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no response within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Options of {@link waitForStatus}. */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Called when what the endpoint answers changes (first answer, new status, new error). */
  readonly onChange?: (observation: string, elapsedMs: number) => void;
  /** Stops waiting early (e.g. on SIGINT). */
  readonly cancelled?: () => boolean;
}

/** Polls `GET path` until it answers `status`; throws with the last observation at the deadline. */
export async function waitForStatus(
  target: Target,
  path: string,
  status: number,
  options: WaitOptions,
): Promise<{ attempts: number; elapsedMs: number }> {
  const started = Date.now();
  let last = "no request made";
  for (let attempts = 1; ; attempts++) {
    if (options.cancelled?.()) throw new Error(`cancelled while waiting for ${path} (last: ${last})`);
    let observation: string;
    try {
      const res = await request(target, "GET", path, undefined, Math.min(10_000, options.timeoutMs));
      if (res.status === status) return { attempts, elapsedMs: Date.now() - started };
      observation = `HTTP ${res.status} ${snippet(res.body)}`.trimEnd();
    } catch (error) {
      observation = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (observation !== last) options.onChange?.(observation, Date.now() - started);
    last = observation;
    const elapsed = Date.now() - started;
    if (elapsed + options.intervalMs > options.timeoutMs) {
      throw new Error(
        `${path} did not answer ${status} within ${Math.round(options.timeoutMs / 1000)} s ` +
          `(${attempts} attempts; last: ${last})`,
      );
    }
    await sleep(options.intervalMs);
  }
}

/** An item as the API returns it. */
export interface Item {
  readonly id: string | number;
  readonly name: string;
  readonly createdAt: string;
}

/**
 * `POST /api/items` with `name` (expects 201 and the item back), then `GET /api/items/<id>`
 * (expects 200 and the same item). Returns the item; throws naming the first check that failed.
 */
export async function createAndReadItem(target: Target, name: string): Promise<Item> {
  const created = await request(target, "POST", "/api/items", { name });
  expectStatus("POST /api/items", created, 201);
  const item = parseItem("POST /api/items", created.body);
  if (item.name !== name) {
    throw new Error(
      `POST /api/items returned name ${JSON.stringify(item.name)}, sent ${JSON.stringify(name)}`,
    );
  }

  const path = `/api/items/${encodeURIComponent(String(item.id))}`;
  const read = await request(target, "GET", path);
  expectStatus(`GET ${path}`, read, 200);
  const again = parseItem(`GET ${path}`, read.body);
  if (String(again.id) !== String(item.id) || again.name !== name || again.createdAt !== item.createdAt) {
    throw new Error(`GET ${path} returned ${JSON.stringify(again)}, expected ${JSON.stringify(item)}`);
  }
  return item;
}

/** Throws unless the response has `status`. */
export function expectStatus(what: string, res: Response, status: number): void {
  if (res.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${res.status} ${snippet(res.body)}`.trimEnd());
  }
}

/** Parses and checks an item body: `{id, name, createdAt}` with a string name and createdAt. */
export function parseItem(what: string, body: string): Item {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(`${what}: response is not JSON: ${snippet(body)}`);
  }
  const v = value as Partial<Record<keyof Item, unknown>> | null;
  const idOk = typeof v?.id === "string" ? v.id !== "" : typeof v?.id === "number";
  if (!v || typeof v !== "object" || !idOk || typeof v.name !== "string" || typeof v.createdAt !== "string") {
    throw new Error(`${what}: expected {id, name, createdAt}, got ${snippet(body)}`);
  }
  return { id: v.id as string | number, name: v.name, createdAt: v.createdAt };
}

/** The first 200 characters of a body on one line, for messages. */
export function snippet(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
