import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import {
  createMigratedDatabase,
  isRefused,
  request,
  startSlowRequest,
  waitFor,
  type TestDatabase,
} from "./helpers";

const SERVER = join(__dirname, "..", "src", "server.ts");

/** The server as the image runs it (`node dist/server.js`), from source through tsx. */
class ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), SERVER], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let buffered = "";
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const complete = buffered.split("\n");
      buffered = complete.pop() ?? "";
      for (const line of complete) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  messages(): unknown[] {
    return this.lines.map((l) => l.msg);
  }

  async port(): Promise<number> {
    await waitFor("the server to log that it listens", () => this.lines.some((l) => l.msg === "listening"));
    return this.lines.find((l) => l.msg === "listening")?.port as number;
  }
}

describe("api: the server process", function () {
  let db: TestDatabase;
  let server: ServerProcess | undefined;

  before(async function () {
    db = await createMigratedDatabase(this);
  });

  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
    server = undefined;
  });

  after(async () => db?.drop());

  it("on SIGTERM: stops listening, finishes the request in flight, closes the pool and exits 0", async () => {
    server = new ServerProcess({ DATABASE_URL: db.url, PORT: "0", SHUTDOWN_DELAY_MS: "300" });
    const port = await server.port();
    assert.equal((await request(port, "GET", "/readyz")).status, 200);

    const body = '{"name":"drained"}';
    const slow = await startSlowRequest(
      port,
      `POST /items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
      body.slice(0, 4),
    );
    server.child.kill("SIGTERM");
    await waitFor("the listener to close", () => isRefused(port));
    assert.equal(server.child.exitCode, null, "still running while a request is in flight");

    const reply = await slow.finish(body.slice(4));
    assert.equal(reply.status, 201);
    assert.equal((JSON.parse(reply.body) as { name: string }).name, "drained");

    assert.equal(await server.exited, 0);
    assert.deepEqual(server.messages(), [
      "listening",
      "signal received",
      "shutting down",
      "request",
      "stopped",
    ]);
  });

  it("exits 1 and says why when the configuration is invalid", async () => {
    server = new ServerProcess({ DATABASE_URL: db.url, PORT: "eighty" });
    assert.equal(await server.exited, 1);
    assert.equal(server.lines.length, 1);
    assert.equal(server.lines[0].msg, "invalid configuration");
    assert.equal(server.lines[0].error, 'PORT must be an integer from 0 to 65535, got "eighty"');
  });

  it("starts without a reachable database: alive, not ready", async () => {
    server = new ServerProcess({ DATABASE_URL: "postgresql://nobody:x@127.0.0.1:1/none", PORT: "0" });
    const port = await server.port();
    assert.equal((await request(port, "GET", "/healthz")).status, 200);
    const ready = await request(port, "GET", "/readyz");
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.json, {
      status: "unavailable",
      reason: "database: connect ECONNREFUSED 127.0.0.1:1",
    });
  });
});
