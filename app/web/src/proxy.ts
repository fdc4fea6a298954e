import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import https from "node:https";
import { sendJson, type Logger } from "./respond";

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** `headers` without hop-by-hop headers, including those the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name, value]) => value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name),
    ),
  );
}

/** Forwards requests to one upstream base URL. */
export interface Proxy {
  forward(req: IncomingMessage, res: ServerResponse): void;
  /** Closes the pooled upstream connections. */
  close(): void;
}

/**
 * A reverse proxy to `upstream`: the request path and query are appended to the upstream's path
 * unchanged (the api serves its routes under `/api` too), bodies stream both ways, and the client
 * address goes along in `X-Forwarded-*`. 502 when the upstream cannot be reached, 504 when it does
 * not answer within `timeoutMs`.
 */
export function createProxy(upstream: URL, timeoutMs: number, log: Logger): Proxy {
  const client = upstream.protocol === "https:" ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: 64 });
  const basePath = upstream.pathname.replace(/\/$/, "");

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const headers = endToEndHeaders(req.headers);
    delete headers.host;
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; forward the plain address.
    const remote = (req.socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
    headers["x-forwarded-for"] = req.headers["x-forwarded-for"]
      ? `${req.headers["x-forwarded-for"]}, ${remote}`
      : remote;
    headers["x-forwarded-host"] = req.headers["x-forwarded-host"] ?? req.headers.host ?? "";
    headers["x-forwarded-proto"] = req.headers["x-forwarded-proto"] ?? "http";

    const outgoing = client.request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: basePath + (req.url ?? "/"),
        headers,
        agent,
        timeout: timeoutMs,
      },
      (incoming) => {
        res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, endToEndHeaders(incoming.headers));
        incoming.pipe(res);
        incoming.once("error", () => res.destroy());
      },
    );
    // `timeout` is socket inactivity: no response (or no progress) for that long.
    outgoing.once("timeout", () => outgoing.destroy(new UpstreamTimeout()));
    outgoing.once("error", (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const timedOut = err instanceof UpstreamTimeout;
      log("warn", timedOut ? "api timed out" : "api unreachable", { error: err.message, path: req.url });
      sendJson(res, timedOut ? 504 : 502, {
        error: timedOut ? "api did not answer in time" : "api unavailable",
      });
    });
    // A client that goes away takes its upstream request with it.
    res.once("close", () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    req.pipe(outgoing);
  }

  return { forward, close: () => agent.destroy() };
}

class UpstreamTimeout extends Error {
  constructor() {
    super("upstream timed out");
  }
}
