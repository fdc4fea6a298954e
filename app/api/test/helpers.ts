import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { silentLogger } from "../src/log";
import { loadMigrations, migrate } from "../src/migrate";

/**
 * The PostgreSQL the tests use (`.ci/postgres.sh` exports it). Without it the calling suite is
 * skipped with a printed reason, except under `CI=true`, where it fails: CI must never pass by
 * skipping.
 */
export function requireDatabase(ctx: Mocha.Context): string {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  const reason = "TEST_DATABASE_URL is not set; start a database with `source .ci/postgres.sh`";
  if (process.env.CI === "true") throw new Error(`${reason} (CI=true, so this fails instead of skipping)`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

/** A database of its own for one suite, created from TEST_DATABASE_URL (whose role has CREATEDB). */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `app_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The same URL with its host and port replaced (to route a client through a {@link TcpProxy}). */
/** A throwaway database with the app's schema already migrated. */
export async function createMigratedDatabase(ctx: Mocha.Context): Promise<TestDatabase> {
  const db = await createTestDatabase(requireDatabase(ctx));
  const pool = new pg.Pool({ connectionString: db.url });
  try {
    await migrate(pool, loadMigrations(), silentLogger);
  } finally {
    await pool.end();
  }
  return db;
}

export function viaPort(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}

/**
 * A TCP proxy in front of the database that a test can close (connections refused), stall (accepted,
 * never answered) and open again on the same port: the database "going away" without touching the
 * real server that other suites share.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private stalled = false;
  /** The port it listens on; fixed by the first `open()`. */
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forDatabase(databaseUrl: string): TcpProxy {
    const url = new URL(databaseUrl);
    return new TcpProxy(url.hostname, Number(url.port || 5432));
  }

  /** Starts forwarding (again), on the same port as before. */
  async open(): Promise<void> {
    // Connections held while stalled are cut, so clients waiting on them fail fast and retry.
    if (this.stalled) this.dropConnections();
    this.stalled = false;
    if (this.server) return;
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Stops listening and cuts every connection: new connections are refused. */
  async close(): Promise<void> {
    this.dropConnections();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps accepting connections but never forwards a byte: a database that hangs. */
  stall(): void {
    this.stalled = true;
    this.dropConnections();
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.stalled) return;
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.sockets.delete(socket));
  }
}

/** A response, read whole. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON. */
  readonly json: unknown;
}

/** Options of {@link request}. */
export interface RequestOptions {
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** One HTTP request on a fresh connection (no keep-alive pool to leak between tests). */
export function request(
  port: number,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) {
    headers["content-length"] ??= String(Buffer.byteLength(options.body));
    headers["content-type"] ??= "application/json";
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Polls `check` every 20 ms until it returns true, failing after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A response read from a raw socket: status line, lower-cased headers, body. */
export interface RawReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends a request's head and the first part of its body on a raw socket, so that the request stays
 * in flight until `finish` sends the rest; `finish` resolves with the response once the server
 * closes the connection.
 */
export async function startSlowRequest(
  port: number,
  head: string,
  firstPart: string,
): Promise<{ socket: net.Socket; finish(rest: string): Promise<RawReply> }> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<string>((resolve, reject) => {
    socket.once("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.once("error", reject);
  });
  socket.write(head + firstPart);
  return {
    socket,
    async finish(rest) {
      socket.write(rest);
      const raw = await ended;
      const [headText, body = ""] = raw.split("\r\n\r\n", 2);
      const [statusLine, ...headerLines] = headText.split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      return { status: Number(statusLine.split(" ")[1]), headers, body };
    },
  };
}

/** True once connecting to `port` is refused (the listener is closed). */
export function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}
