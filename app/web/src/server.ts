import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ConfigError, loadConfig, type WebConfig } from "./config";
import { createProxy } from "./proxy";
import { jsonLogger, sendJson, type Logger } from "./respond";
import { loadSite, serveSite } from "./site";

/** Where the page's files are, next to `src/` and `dist/` alike. */
export const PUBLIC_DIR = join(__dirname, "..", "public");

/** A listening web server. */
export interface RunningWeb {
  readonly server: Server;
  /** The port actually bound (useful with `PORT=0`). */
  readonly port: number;
  /** Graceful stop: close the listener, let in-flight requests finish (up to the timeout), close upstream connections. */
  shutdown(): Promise<void>;
}

/** Options of {@link startWeb}. */
export interface WebOptions {
  /** Directory of the page's files (default {@link PUBLIC_DIR}). */
  readonly publicDir?: string;
  /** Default: JSON lines on stdout. */
  readonly log?: Logger;
}

/** Starts the web server; resolves once it listens. */
export async function startWeb(config: WebConfig, options: WebOptions = {}): Promise<RunningWeb> {
  const log = options.log ?? jsonLogger;
  const site = loadSite(options.publicDir ?? PUBLIC_DIR);
  const proxy = createProxy(config.apiUrl, config.apiTimeoutMs, log);
  let shuttingDown = false;
  // Responses not yet sent; told to close their connection when shutdown begins.
  const inFlight = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    if (shuttingDown) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    let path: string;
    try {
      // Concatenated, not resolved against a base: a path like `//host/x` must stay a path.
      path = new URL(`http://localhost${req.url ?? "/"}`).pathname;
    } catch {
      return sendJson(res, 400, { error: "invalid request target" });
    }
    if (path === "/api" || path.startsWith("/api/")) return proxy.forward(req, res);
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    serveSite(site, req, res, path);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = config.apiTimeoutMs + 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log("info", "listening", { port, api: config.apiUrl.origin + config.apiUrl.pathname });

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    shuttingDown = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
    log("info", "shutting down", { timeoutMs: config.shutdownTimeoutMs });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    await closed;
    clearTimeout(deadline);
    proxy.close();
    log("info", "stopped");
  }

  return { server, port, shutdown: () => (stopping ??= stop()) };
}

async function main(): Promise<void> {
  try {
    const running = await startWeb(loadConfig(process.env));
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        jsonLogger("info", "signal received", { signal });
        void running.shutdown().then(() => process.exit(0));
      });
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    jsonLogger("error", err instanceof ConfigError ? "invalid configuration" : "start-up failed", {
      error: message,
    });
    process.exit(1);
  }
}

if (require.main === module) void main();
