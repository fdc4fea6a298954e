import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ConfigError, loadConfig, type WebConfig } from "../src/config";
import { silentLogger } from "../src/respond";
import { PUBLIC_DIR, startWeb, type RunningWeb } from "../src/server";
import { SECURITY_HEADERS } from "../src/site";

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request on a fresh connection; `path` goes on the wire exactly as given. */
function request(
  port: number,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers = { ...options.headers };
  if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** What the stub api saw. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the api: records each request and answers from `routes`. */
class StubApi {
  readonly seen: Seen[] = [];
  /** Responses held back by `/api/slow` until `release()`. */
  private held: (() => void)[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        this.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        if (req.url === "/api/slow") {
          this.held.push(() => res.writeHead(200, { "content-type": "text/plain" }).end("finally"));
          return;
        }
        if (req.url === "/api/hang") return;
        const status = req.method === "POST" ? 201 : 200;
        res.writeHead(status, {
          "content-type": "application/json",
          "x-upstream": "stub",
          "keep-alive": "timeout=5",
        });
        res.end(req.method === "POST" ? body : JSON.stringify({ items: [], url: req.url }));
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  release(): void {
    for (const respond of this.held.splice(0)) respond();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function config(apiUrl: string, overrides: Partial<WebConfig> = {}): WebConfig {
  return { port: 0, apiUrl: new URL(apiUrl), apiTimeoutMs: 300, shutdownTimeoutMs: 5000, ...overrides };
}

describe("web: static page and /api proxy", () => {
  let stub: StubApi;
  let stubPort: number;
  let web: RunningWeb;
  let port: number;

  before(async () => {
    stub = new StubApi();
    stubPort = await stub.listen();
    web = await startWeb(config(`http://127.0.0.1:${stubPort}`), { log: silentLogger });
    port = web.port;
  });

  after(async () => {
    await web?.shutdown();
    await stub?.close();
  });

  beforeEach(() => {
    stub.seen.length = 0;
  });

  describe("configuration", () => {
    it("defaults to port 8080 and http://api:8080", () => {
      const c = loadConfig({});
      assert.equal(c.port, 8080);
      assert.equal(c.apiUrl.href, "http://api:8080/");
      assert.equal(c.apiTimeoutMs, 30_000);
      assert.equal(c.shutdownTimeoutMs, 10_000);
    });

    for (const [env, message] of [
      [{ API_URL: "api:8080" }, 'API_URL must be an http:// or https:// URL, got "api:8080"'],
      [{ API_URL: "ftp://api" }, 'API_URL must be an http:// or https:// URL, got "ftp://api"'],
      [{ API_URL: "http://api?x=1" }, 'API_URL must not have a query or fragment, got "http://api?x=1"'],
      [{ PORT: "-1" }, 'PORT must be an integer from 0 to 65535, got "-1"'],
    ] as const) {
      it(`rejects ${JSON.stringify(env)}`, () => {
        assert.throws(
          () => loadConfig(env),
          (err: unknown) => err instanceof ConfigError && err.message === message,
        );
      });
    }
  });

  describe("static files", () => {
    const indexHtml = readFileSync(join(PUBLIC_DIR, "index.html"), "utf8");

    for (const path of ["/", "/index.html"]) {
      it(`GET ${path} → 200 index.html with security headers`, async () => {
        const res = await request(port, "GET", path);
        assert.equal(res.status, 200);
        assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
        assert.equal(res.headers["cache-control"], "no-cache");
        for (const [name, value] of Object.entries(SECURITY_HEADERS))
          assert.equal(res.headers[name], value, name);
        assert.equal(res.text, indexHtml);
      });
    }

    it("serves the script and the stylesheet with their types", async () => {
      const js = await request(port, "GET", "/app.js");
      assert.equal(js.status, 200);
      assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
      assert.equal(js.text, readFileSync(join(PUBLIC_DIR, "app.js"), "utf8"));
      const css = await request(port, "GET", "/style.css");
      assert.equal(css.status, 200);
      assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
    });

    it("answers a matching If-None-Match with 304 and no body", async () => {
      const first = await request(port, "GET", "/app.js");
      const etag = first.headers.etag ?? "";
      assert.match(etag, /^"[\w-]{27}"$/);
      const again = await request(port, "GET", "/app.js", { headers: { "if-none-match": etag } });
      assert.equal(again.status, 304);
      assert.equal(again.text, "");
    });

    for (const path of [
      "/missing.js",
      "/../package.json",
      "/%2e%2e/package.json",
      "/..%2fpackage.json",
      "//etc/passwd",
    ]) {
      it(`GET ${path} → 404`, async () => {
        const res = await request(port, "GET", path);
        assert.equal(res.status, 404);
        assert.equal(res.text, '{"error":"not found"}');
      });
    }

    it("POST / → 405 with Allow", async () => {
      const res = await request(port, "POST", "/", { body: "x" });
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, "GET, HEAD");
      assert.equal(res.text, '{"error":"method POST not allowed; use GET, HEAD"}');
    });

    it("GET /healthz → 200 without asking the api", async () => {
      const res = await request(port, "GET", "/healthz");
      assert.equal(res.status, 200);
      assert.equal(res.text, '{"status":"ok"}');
      assert.equal(stub.seen.length, 0);
    });
  });

  describe("proxy to API_URL", () => {
    it("forwards GET /api/items?limit=5 with its path and query unchanged", async () => {
      const res = await request(port, "GET", "/api/items?limit=5", { headers: { "x-request-id": "abc" } });
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "application/json");
      assert.equal(res.headers["x-upstream"], "stub");
      assert.equal(res.headers["keep-alive"], undefined, "hop-by-hop response headers are dropped");
      assert.equal(res.text, '{"items":[],"url":"/api/items?limit=5"}');

      assert.equal(stub.seen.length, 1);
      const [seen] = stub.seen;
      assert.equal(seen.method, "GET");
      assert.equal(seen.url, "/api/items?limit=5");
      assert.equal(seen.headers.host, `127.0.0.1:${stubPort}`);
      assert.equal(seen.headers["x-request-id"], "abc");
      assert.equal(seen.headers["x-forwarded-for"], "127.0.0.1");
      assert.equal(seen.headers["x-forwarded-host"], `127.0.0.1:${port}`);
      assert.equal(seen.headers["x-forwarded-proto"], "http");
    });

    it("forwards POST bodies and the upstream's status and body back", async () => {
      const body = '{"name":"from the page"}';
      const res = await request(port, "POST", "/api/items", {
        body,
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.status, 201);
      assert.equal(res.text, body);
      assert.equal(stub.seen[0].method, "POST");
      assert.equal(stub.seen[0].body, body);
      assert.equal(stub.seen[0].headers["content-type"], "application/json");
    });

    it("forwards /api itself, and appends to an existing X-Forwarded-For", async () => {
      const res = await request(port, "GET", "/api", { headers: { "x-forwarded-for": "203.0.113.9" } });
      assert.equal(res.status, 200);
      assert.equal(stub.seen[0].url, "/api");
      assert.equal(stub.seen[0].headers["x-forwarded-for"], "203.0.113.9, 127.0.0.1");
    });

    it("does not forward hop-by-hop headers, nor those the Connection header names", async () => {
      await request(port, "GET", "/api/items", {
        headers: { connection: "x-secret", "x-secret": "1", te: "trailers", "x-kept": "yes" },
      });
      const { headers } = stub.seen[0];
      assert.equal(headers["x-secret"], undefined);
      assert.equal(headers.te, undefined);
      assert.equal(headers["x-kept"], "yes");
    });

    it("→ 504 when the api does not answer within API_TIMEOUT_MS", async () => {
      const started = Date.now();
      const res = await request(port, "GET", "/api/hang");
      assert.equal(res.status, 504);
      assert.equal(res.text, '{"error":"api did not answer in time"}');
      assert.ok(Date.now() - started >= 290);
    });

    it("→ 502 when the api cannot be reached", async () => {
      const closedPort = await (async () => {
        const s = createServer();
        await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
        const p = (s.address() as AddressInfo).port;
        await new Promise<void>((resolve) => s.close(() => resolve()));
        return p;
      })();
      const lonely = await startWeb(config(`http://127.0.0.1:${closedPort}`), { log: silentLogger });
      try {
        const res = await request(lonely.port, "GET", "/api/items");
        assert.equal(res.status, 502);
        assert.equal(res.text, '{"error":"api unavailable"}');
        assert.equal((await request(lonely.port, "GET", "/")).status, 200, "the page itself still loads");
      } finally {
        await lonely.shutdown();
      }
    });
  });

  describe("graceful shutdown", () => {
    it("stops accepting, lets a proxied request in flight finish, then resolves", async () => {
      const instance = await startWeb(config(`http://127.0.0.1:${stubPort}`, { apiTimeoutMs: 5000 }), {
        log: silentLogger,
      });
      const inFlight = request(instance.port, "GET", "/api/slow");
      while (!stub.seen.some((s) => s.url === "/api/slow")) await new Promise((r) => setTimeout(r, 10));

      let stopped = false;
      const stopping = instance.shutdown().then(() => {
        stopped = true;
      });
      await assert.rejects(request(instance.port, "GET", "/healthz"), { code: "ECONNREFUSED" });
      assert.equal(stopped, false);

      stub.release();
      const res = await inFlight;
      assert.equal(res.status, 200);
      assert.equal(res.text, "finally");
      assert.equal(res.headers.connection, "close");
      await stopping;
      assert.equal(instance.server.listening, false);
    });
  });
});
