import assert from "node:assert/strict";
import type { ApiConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startServer, type RunningServer } from "../src/server";
import {
  createMigratedDatabase,
  isRefused,
  request,
  startSlowRequest,
  TcpProxy,
  viaPort,
  waitFor,
  type TestDatabase,
} from "./helpers";

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function config(databaseUrl: string, overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    port: 0,
    databaseUrl,
    readyTimeoutMs: 300,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 5000,
    logLevel: "error",
    ...overrides,
  };
}

/** The value of one sample in Prometheus text output, or undefined. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("api: HTTP service (real PostgreSQL)", function () {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let api: RunningServer;
  let port: number;

  before(async function () {
    db = await createMigratedDatabase(this);
    // The app reaches the database through a proxy the tests can cut.
    proxy = TcpProxy.forDatabase(db.url);
    await proxy.open();
    api = await startServer(config(viaPort(db.url, proxy.port)), silentLogger);
    port = api.port;
  });

  after(async () => {
    await api?.shutdown();
    await proxy?.close();
    await db?.drop();
  });

  describe("probes", () => {
    for (const path of ["/healthz", "/api/healthz"]) {
      it(`GET ${path} → 200 {"status":"ok"}`, async () => {
        const res = await request(port, "GET", path);
        assert.equal(res.status, 200);
        assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
        assert.equal(res.text, '{"status":"ok"}');
      });
    }

    for (const path of ["/readyz", "/api/readyz"]) {
      it(`GET ${path} → 200 {"status":"ready"} while the database answers`, async () => {
        const res = await request(port, "GET", path);
        assert.equal(res.status, 200);
        assert.equal(res.text, '{"status":"ready"}');
      });
    }

    it("HEAD /healthz → 200 without a body", async () => {
      const res = await request(port, "HEAD", "/healthz");
      assert.equal(res.status, 200);
      assert.equal(res.text, "");
    });
  });

  describe("items", () => {
    it("POST /api/items → 201 with the stored item and its Location", async () => {
      const res = await request(port, "POST", "/api/items", { body: JSON.stringify({ name: "  first  " }) });
      assert.equal(res.status, 201);
      const item = res.json as { id: number; name: string; createdAt: string };
      assert.deepEqual(Object.keys(item), ["id", "name", "createdAt"]);
      assert.equal(typeof item.id, "number");
      assert.equal(item.name, "first");
      assert.match(item.createdAt, ISO_TIME);
      assert.equal(res.headers.location, `/api/items/${item.id}`);
    });

    it("GET /items/:id → 200 with the item, bare and under /api", async () => {
      const created = await request(port, "POST", "/items", { body: '{"name":"second"}' });
      assert.equal(created.status, 201);
      const item = created.json as { id: number };
      assert.equal(created.headers.location, `/items/${item.id}`);
      for (const prefix of ["", "/api"]) {
        const res = await request(port, "GET", `${prefix}/items/${item.id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, created.json);
      }
    });

    it("GET /items → 200 with the items, newest first; ?limit bounds the list", async () => {
      const res = await request(port, "GET", "/api/items");
      assert.equal(res.status, 200);
      const { items } = res.json as { items: { name: string }[] };
      assert.deepEqual(
        items.map((i) => i.name),
        ["second", "first"],
      );
      const one = await request(port, "GET", "/items?limit=1");
      assert.equal(one.status, 200);
      assert.deepEqual(
        (one.json as { items: { name: string }[] }).items.map((i) => i.name),
        ["second"],
      );
    });

    it("accepts a 200-character name", async () => {
      const res = await request(port, "POST", "/items", { body: JSON.stringify({ name: "x".repeat(200) }) });
      assert.equal(res.status, 201);
      assert.equal((res.json as { name: string }).name, "x".repeat(200));
    });

    const invalid: [string, string, number, string][] = [
      ["a missing name", "{}", 400, "name must be a string"],
      ["an empty name", '{"name":""}', 400, "name must not be empty"],
      [
        "a 201-character name",
        JSON.stringify({ name: "x".repeat(201) }),
        400,
        "name must be at most 200 characters",
      ],
      ["a non-string name", '{"name":42}', 400, "name must be a string"],
      ["an unknown field", '{"name":"a","extra":true}', 400, 'unexpected field "extra"'],
      ["an array", '[{"name":"a"}]', 400, "body must be a JSON object"],
      ["malformed JSON", '{"name":', 400, "body must be valid JSON"],
      ["an empty body", "", 400, "body must be valid JSON"],
    ];
    for (const [label, body, status, error] of invalid) {
      it(`POST /items with ${label} → ${status} {"error":"${error}"}`, async () => {
        const res = await request(port, "POST", "/api/items", { body });
        assert.equal(res.status, status);
        assert.deepEqual(res.json, { error });
      });
    }

    it("POST /items with a non-JSON content type → 415", async () => {
      const res = await request(port, "POST", "/items", {
        body: "name=a",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(res.status, 415);
      assert.deepEqual(res.json, { error: "content-type must be application/json" });
    });

    it("POST /items with a body over 16 KiB → 413 and the connection closes", async () => {
      const res = await request(port, "POST", "/items", {
        body: JSON.stringify({ name: "x".repeat(17_000) }),
      });
      assert.equal(res.status, 413);
      assert.equal(res.headers.connection, "close");
      assert.deepEqual(res.json, { error: "body must be at most 16384 bytes" });
    });

    it("GET /items/:id → 404 for an id that does not exist", async () => {
      const res = await request(port, "GET", "/api/items/999999");
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, { error: "item not found" });
    });

    it("GET /items/:id → 400 for an id that is not a positive integer", async () => {
      const res = await request(port, "GET", "/items/abc");
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { error: "id must be a positive integer" });
    });

    it("GET /items?limit=0 → 400", async () => {
      const res = await request(port, "GET", "/items?limit=0");
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { error: "limit must be an integer from 1 to 100" });
    });

    it("unknown paths → 404, wrong methods → 405 with Allow", async () => {
      for (const path of ["/", "/api", "/nope", "/api/items/1/extra", "/apiitems"]) {
        const res = await request(port, "GET", path);
        assert.equal(res.status, 404, path);
        assert.deepEqual(res.json, { error: "not found" }, path);
      }
      const res = await request(port, "DELETE", "/api/items");
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, "GET, HEAD, POST");
      assert.deepEqual(res.json, { error: "method DELETE not allowed; use GET, HEAD, POST" });
    });
  });

  describe("metrics", () => {
    it("GET /api/metrics → 404: the Ingress exposes /api, and metrics are not public", async () => {
      const res = await request(port, "GET", "/api/metrics");
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, { error: "not found" });
    });

    it("GET /metrics → 200 Prometheus text with default metrics and per-route request counts", async () => {
      const before = (await request(port, "GET", "/metrics")).text;
      const created = 'http_requests_total{method="POST",route="/items",status="201"}';
      const createdCount = 'http_request_duration_seconds_count{method="POST",route="/items",status="201"}';
      await request(port, "POST", "/api/items", { body: '{"name":"counted"}' });
      await request(port, "GET", "/no/such/path");

      const res = await request(port, "GET", "/metrics");
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
      assert.equal(sample(res.text, created), (sample(before, created) ?? 0) + 1);
      assert.equal(sample(res.text, createdCount), (sample(before, createdCount) ?? 0) + 1);
      assert.equal(
        sample(
          res.text,
          'http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/items",status="201"}',
        ),
        sample(res.text, createdCount),
      );
      // Unknown paths share one label value instead of minting a series per path.
      assert.ok(
        (sample(res.text, 'http_requests_total{method="GET",route="unmatched",status="404"}') ?? 0) >= 1,
      );
      assert.ok(!res.text.includes("/no/such/path"));
      assert.match(res.text, /^# TYPE process_cpu_user_seconds_total counter$/m);
      assert.match(res.text, /^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    });
  });

  describe("when the database goes away and comes back", () => {
    afterEach(async () => proxy.open());

    it("readyz → 503 with the reason while connections are refused, healthz stays 200, then 200 again", async () => {
      await proxy.close();
      await waitFor("the pool to drop its severed connections", () => api.pool.idleCount === 0);

      const down = await request(port, "GET", "/api/readyz");
      assert.equal(down.status, 503);
      assert.deepEqual(down.json, {
        status: "unavailable",
        reason: `database: connect ECONNREFUSED 127.0.0.1:${proxy.port}`,
      });
      const health = await request(port, "GET", "/healthz");
      assert.equal(health.status, 200);
      assert.equal(health.text, '{"status":"ok"}');
      const items = await request(port, "GET", "/items");
      assert.equal(items.status, 503);
      assert.deepEqual(items.json, { error: "database unavailable" });

      await proxy.open();
      const up = await request(port, "GET", "/readyz");
      assert.equal(up.status, 200);
      assert.equal(up.text, '{"status":"ready"}');
      assert.equal((await request(port, "GET", "/items")).status, 200);
    });

    it("readyz → 503 after READY_TIMEOUT_MS when the database hangs, then 200 again", async () => {
      proxy.stall();
      await waitFor("the pool to drop its severed connections", () => api.pool.idleCount === 0);

      const started = Date.now();
      const down = await request(port, "GET", "/readyz");
      const elapsed = Date.now() - started;
      assert.equal(down.status, 503);
      assert.deepEqual(down.json, {
        status: "unavailable",
        reason: "database: database did not answer within 300 ms",
      });
      assert.ok(elapsed >= 290 && elapsed < 2000, `answered after ${elapsed} ms`);
      assert.equal((await request(port, "GET", "/healthz")).status, 200);

      await proxy.open();
      await waitFor(
        "readiness to recover",
        async () => (await request(port, "GET", "/readyz")).status === 200,
      );
    });
  });

  describe("graceful shutdown", () => {
    const body = '{"name":"in flight"}';
    const head = (host: number) =>
      `POST /api/items HTTP/1.1\r\nHost: 127.0.0.1:${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

    it("fails readiness, stops accepting, finishes the request in flight, then closes the pool", async () => {
      const server = await startServer(
        config(viaPort(db.url, proxy.port), { shutdownDelayMs: 300 }),
        silentLogger,
      );
      const received = new Promise((resolve) => server.server.once("request", resolve));
      const slow = await startSlowRequest(server.port, head(server.port), body.slice(0, 5));
      await received;

      let stopped = false;
      const stopping = server.shutdown().then(() => {
        stopped = true;
      });

      // During the delay: still listening, but no longer ready, and connections are not kept alive.
      const ready = await request(server.port, "GET", "/readyz");
      assert.equal(ready.status, 503);
      assert.equal(ready.headers.connection, "close");
      assert.deepEqual(ready.json, { status: "unavailable", reason: "shutting down" });

      await waitFor("the listener to close", () => isRefused(server.port));
      assert.equal(stopped, false, "shutdown waits for the request in flight");

      const reply = await slow.finish(body.slice(5));
      assert.equal(reply.status, 201);
      assert.equal(reply.headers.connection, "close");
      assert.equal((JSON.parse(reply.body) as { name: string }).name, "in flight");

      await stopping;
      assert.equal(server.pool.ended, true);
    });

    it("cuts requests still running at the shutdown deadline", async () => {
      const server = await startServer(
        config(viaPort(db.url, proxy.port), { shutdownTimeoutMs: 200 }),
        silentLogger,
      );
      const received = new Promise((resolve) => server.server.once("request", resolve));
      const slow = await startSlowRequest(server.port, head(server.port), body.slice(0, 5));
      await received;
      const closed = new Promise((resolve) => slow.socket.once("close", resolve));

      const started = Date.now();
      await server.shutdown();
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 190 && elapsed < 2000, `stopped after ${elapsed} ms`);
      await closed;
      assert.equal(server.pool.ended, true);
    });
  });
});
