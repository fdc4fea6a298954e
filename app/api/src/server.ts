import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { createApp } from "./app";
import { ConfigError, loadConfig, type ApiConfig } from "./config";
import { createPool, databaseSettings } from "./db";
import { errorMessage, jsonLogger, type Logger } from "./log";
import { createMetrics } from "./metrics";

/** A listening API server. */
export interface RunningServer {
  readonly server: Server;
  /** The port actually bound (useful with `PORT=0`). */
  readonly port: number;
  readonly pool: pg.Pool;
  /**
   * Graceful stop: `/readyz` starts failing, then (after `shutdownDelayMs`) the listener closes,
   * in-flight requests get up to `shutdownTimeoutMs` to finish, and the pool closes.
   * Calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
}

/** Starts the API with `config`; resolves once it listens. */
export async function startServer(config: ApiConfig, log: Logger): Promise<RunningServer> {
  const settings = databaseSettings(config.databaseUrl, config.databaseCaFile);
  const pool = createPool(settings.pool, log);
  const app = createApp({ pool, metrics: createMetrics(), log, readyTimeoutMs: config.readyTimeoutMs });
  const server = createServer(app.handle);
  // Slowloris guard; generous enough for any client this API has.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log("info", "listening", { port, tls: settings.tls });

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    app.beginShutdown();
    log("info", "shutting down", { delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs });
    if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => {
      log("warn", "requests still running at the shutdown deadline; closing their connections");
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    await closed;
    clearTimeout(deadline);
    await pool.end();
    log("info", "stopped");
  }

  return {
    server,
    port,
    pool,
    shutdown: () => (stopping ??= stop()),
  };
}

async function main(): Promise<void> {
  let log: Logger = jsonLogger("info");
  try {
    const config = loadConfig(process.env);
    log = jsonLogger(config.logLevel);
    const running = await startServer(config, log);
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        log("info", "signal received", { signal });
        running.shutdown().then(
          () => process.exit(0),
          (err: unknown) => {
            log("error", "shutdown failed", { error: errorMessage(err) });
            process.exit(1);
          },
        );
      });
    }
  } catch (err) {
    log("error", err instanceof ConfigError ? "invalid configuration" : "start-up failed", {
      error: errorMessage(err),
    });
    process.exit(1);
  }
}

if (require.main === module) void main();
