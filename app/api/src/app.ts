import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { pingDatabase } from "./db";
import { HttpError, readJson, sendJson } from "./http";
import { createItem, getItem, listItems, parseItemId, parseListLimit, parseNewItem } from "./items";
import { errorMessage, type Logger } from "./log";
import type { Metrics } from "./metrics";

/** What the request handler needs; built by `startServer`, or by tests. */
export interface AppDeps {
  readonly pool: pg.Pool;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** How long `/readyz` waits for the database. */
  readonly readyTimeoutMs: number;
}

/** The API's request handler, plus the switch that makes it report "shutting down". */
export interface App {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** From now on `/readyz` fails and every response closes its connection. */
  beginShutdown(): void;
}

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 16 * 1024;

interface Context {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** `/api` when the request came in under that prefix, otherwise empty. */
  readonly prefix: string;
  readonly params: Readonly<Record<string, string>>;
}

type Handler = (ctx: Context) => Promise<void> | void;

interface Route {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly methods: Readonly<Record<string, Handler>>;
}

function route(pattern: string, methods: Record<string, Handler>): Route {
  const regex = new RegExp("^" + pattern.replace(/:(\w+)/g, "(?<$1>[^/]+)") + "$");
  return { pattern, regex, methods };
}

// Connection-level failures mean "database unavailable" (503), anything else is a bug (500).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || code.startsWith("57P"))
  ) {
    return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(
    err.message,
  );
}

/** Routes served only bare, never under the `/api` prefix the Ingress exposes. */
const INTERNAL_ROUTES = new Set(["/metrics"]);

/**
 * Builds the router: every route but the internal ones answers both bare and under `/api` (the
 * Ingress keeps the prefix).
 */
export function createApp(deps: AppDeps): App {
  const { pool, metrics, log, readyTimeoutMs } = deps;
  let shuttingDown = false;
  // Responses not yet sent; told to close their connection when shutdown begins.
  const inFlight = new Set<ServerResponse>();

  const routes: Route[] = [
    route("/healthz", { GET: ({ res }) => sendJson(res, 200, { status: "ok" }) }),
    route("/readyz", {
      GET: async ({ res }) => {
        if (shuttingDown) return sendJson(res, 503, { status: "unavailable", reason: "shutting down" });
        try {
          await pingDatabase(pool, readyTimeoutMs);
          sendJson(res, 200, { status: "ready" });
        } catch (err) {
          sendJson(res, 503, { status: "unavailable", reason: `database: ${errorMessage(err)}` });
        }
      },
    }),
    route("/metrics", {
      GET: async ({ res }) => {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
        res.end(body);
      },
    }),
    route("/items", {
      GET: async ({ res, url }) => {
        const limit = parseListLimit(url.searchParams.get("limit"));
        if (!limit.ok) throw new HttpError(400, limit.error);
        sendJson(res, 200, { items: await listItems(pool, limit.value) });
      },
      POST: async ({ req, res, prefix }) => {
        const input = parseNewItem(await readJson(req, MAX_BODY_BYTES));
        if (!input.ok) throw new HttpError(400, input.error);
        const item = await createItem(pool, input.value.name);
        sendJson(res, 201, item, { location: `${prefix}/items/${item.id}` });
      },
    }),
    route("/items/:id", {
      GET: async ({ res, params }) => {
        const id = parseItemId(params.id);
        if (!id.ok) throw new HttpError(400, id.error);
        const item = await getItem(pool, id.value);
        if (item === undefined) throw new HttpError(404, "item not found");
        sendJson(res, 200, item);
      },
    }),
  ];

  async function run(ctx: Context, r: Route | undefined): Promise<void> {
    if (r === undefined) throw new HttpError(404, "not found");
    // HEAD is answered by the GET handler; Node drops the body.
    const method = ctx.req.method === "HEAD" ? "GET" : (ctx.req.method ?? "");
    const handler = r.methods[method];
    if (handler === undefined) {
      const allow = Object.keys(r.methods).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m]));
      throw new HttpError(405, `method ${ctx.req.method} not allowed; use ${allow.join(", ")}`, allow);
    }
    await handler(ctx);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    let url: URL;
    try {
      // Concatenated, not resolved against a base: a path like `//host/x` must stay a path.
      url = new URL(`http://localhost${req.url ?? "/"}`);
    } catch {
      return sendJson(res, 400, { error: "invalid request target" });
    }
    const prefixed = url.pathname === "/api" || url.pathname.startsWith("/api/");
    const prefix = prefixed ? "/api" : "";
    const path = prefixed ? url.pathname.slice(prefix.length) || "/" : url.pathname;
    let params: Record<string, string> = {};
    const matched = routes.find((r) => {
      // Metrics are for the cluster's scraper, not for the internet: not under the public /api prefix.
      if (prefixed && INTERNAL_ROUTES.has(r.pattern)) return false;
      const match = r.regex.exec(path);
      if (match) params = { ...match.groups };
      return match !== null;
    });
    // The metrics label is the route pattern, never the raw path, so that series stay bounded.
    const pattern = matched?.pattern ?? "unmatched";
    if (shuttingDown) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));

    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(req.method ?? "", pattern, res.statusCode, seconds);
      const quiet = pattern === "/healthz" || pattern === "/readyz" || pattern === "/metrics";
      log(quiet ? "debug" : "info", "request", {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      });
    });

    run({ req, res, url, prefix, params }, matched).catch((err: unknown) => respondWithError(res, err));
  }

  function respondWithError(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy(err instanceof Error ? err : undefined);
      return;
    }
    if (err instanceof HttpError) {
      const headers: Record<string, string> = err.allow ? { allow: err.allow.join(", ") } : {};
      // An unread body (413) would otherwise be parsed as the next request on this connection.
      if (err.status === 413) headers.connection = "close";
      sendJson(res, err.status, { error: err.message }, headers);
    } else if (isDatabaseUnavailable(err)) {
      log("warn", "database unavailable", { error: errorMessage(err) });
      sendJson(res, 503, { error: "database unavailable" });
    } else {
      log("error", "request failed", { error: errorMessage(err), stack: (err as Error)?.stack });
      sendJson(res, 500, { error: "internal server error" });
    }
  }

  return {
    handle,
    beginShutdown() {
      shuttingDown = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
    },
  };
}
