// Unit tests of the end-to-end test's pure parts (no Pulumi CLI, Docker or network beyond loopback):
// the run/skip decision, free ports, the throwaway stack file, the app URL and HTTP checks, and the
// helpers around Automation API results.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { parse } from "yaml";
import { createAndReadItem, request, targetFromUrl, waitForStatus, type Target } from "./http";
import { type HeldPort, pickFreePorts } from "./ports";
import { decide, EXIT, firstLine, probe, type ProbeResult, skipMessage } from "./preconditions";
import { changesOf, manualCleanup, summarizeCommandError, workspaceEnv } from "./pulumi";
import { e2eStackName, PORT_KEYS, renderE2eStackFile, stackFileName, stackPorts } from "./stackFile";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const OK_PULUMI: ProbeResult = { status: "ok", output: "v3.270.0\n" };
const OK_DOCKER: ProbeResult = { status: "ok", output: "Client:\n Version: 28.1.1\n" };
const NO_PULUMI =
  "the Pulumi CLI is not on the PATH (`pulumi version` could not be started); " +
  "install it from https://www.pulumi.com/docs/install/";
const NO_DOCKER_CLI =
  "the docker CLI is not on the PATH (`docker info` could not be started); " +
  "the dev stack runs k0s and its registry as Docker containers";

describe("e2e: preconditions", () => {
  it("runs when both probes succeed, with the CLI's version", () => {
    assert.deepEqual(decide({ pulumi: OK_PULUMI, docker: OK_DOCKER }), {
      run: true,
      pulumiVersion: "v3.270.0",
    });
  });

  it("does not run without the Pulumi CLI", () => {
    assert.deepEqual(decide({ pulumi: { status: "missing" }, docker: OK_DOCKER }), {
      run: false,
      reasons: [NO_PULUMI],
    });
  });

  it("does not run without the docker CLI", () => {
    assert.deepEqual(decide({ pulumi: OK_PULUMI, docker: { status: "missing" } }), {
      run: false,
      reasons: [NO_DOCKER_CLI],
    });
  });

  it("does not run when the Docker engine does not answer, quoting docker's first line", () => {
    const docker: ProbeResult = {
      status: "failed",
      detail: "\nCannot connect to the Docker daemon at unix:///var/run/docker.sock.\nmore\n",
    };
    assert.deepEqual(decide({ pulumi: OK_PULUMI, docker }), {
      run: false,
      reasons: [
        "the Docker engine is not reachable (`docker info` failed: " +
          "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.)",
      ],
    });
  });

  it("lists every reason when both are missing, and the skip line never reads like a pass", () => {
    const decision = decide({
      pulumi: { status: "failed", detail: "exit code 1" },
      docker: { status: "missing" },
    });
    assert.deepEqual(decision, {
      run: false,
      reasons: ["`pulumi version` failed: exit code 1", NO_DOCKER_CLI],
    });
    assert.ok(!decision.run);
    const line = skipMessage(decision.reasons);
    assert.equal(line, `e2e: SKIPPED (not run): \`pulumi version\` failed: exit code 1; ${NO_DOCKER_CLI}`);
    assert.doesNotMatch(line, /PASS/i);
  });

  it("documents distinct exit codes", () => {
    assert.deepEqual(EXIT, { passed: 0, failed: 1, notRun: 3, interrupted: 130 });
  });

  it("firstLine skips blank lines and trims", () => {
    assert.equal(firstLine("\n\n  v3.1.0  \nx"), "v3.1.0");
    assert.equal(firstLine(" \n"), "(no output)");
  });

  it("probe classifies a missing command, a failing one and a working one", async () => {
    assert.deepEqual(await probe("k8s-platform-no-such-command", ["version"]), { status: "missing" });
    assert.deepEqual(await probe(process.execPath, ["-e", "console.error('engine down'); process.exit(2)"]), {
      status: "failed",
      detail: "engine down (exit code 2)",
    });
    assert.deepEqual(await probe(process.execPath, ["-e", "console.log('v9.9.9')"]), {
      status: "ok",
      output: "v9.9.9\n",
    });
  });
});

describe("e2e: free ports", () => {
  /** An allocator handing out `ports` in order and recording releases. */
  function fakeAllocator(ports: number[]) {
    const released: number[] = [];
    let next = 0;
    const allocate = async (): Promise<HeldPort> => {
      const port = ports[next++];
      return { port, release: async () => void released.push(port) };
    };
    return { allocate, released };
  }

  it("skips excluded and repeated ports, and releases every port it held", async () => {
    const fake = fakeAllocator([8080, 40000, 40000, 6443, 40001, 40002, 40003]);
    const ports = await pickFreePorts(4, new Set([8080, 6443]), fake.allocate);
    assert.deepEqual(ports, [40000, 40001, 40002, 40003]);
    assert.deepEqual(fake.released.sort(), [40000, 40000, 40001, 40002, 40003, 6443, 8080].sort());
  });

  it("gives up after maxAttempts, still releasing what it held", async () => {
    const fake = fakeAllocator([5001, 5001, 5001]);
    await assert.rejects(pickFreePorts(1, new Set([5001]), fake.allocate, 3), {
      message: "could not find 1 free ports in 3 attempts (got )",
    });
    assert.deepEqual(fake.released, [5001, 5001, 5001]);
  });

  it("returns distinct loopback ports that are free again afterwards", async () => {
    const ports = await pickFreePorts(4);
    assert.equal(new Set(ports).size, 4);
    for (const port of ports) {
      assert.ok(Number.isInteger(port) && port > 0 && port < 65536, `port ${port}`);
      await new Promise<void>((resolve, reject) => {
        const server = net.createServer().once("error", reject);
        server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
      });
    }
  });
});

describe("e2e: throwaway stack file", () => {
  const PORTS = stackPorts([40001, 40002, 40003, 40004]);

  it("names the stack and its file", () => {
    assert.equal(e2eStackName("1a2b3c4d"), "e2e-1a2b3c4d");
    assert.equal(stackFileName("e2e-1a2b3c4d"), "Pulumi.e2e-1a2b3c4d.yaml");
    assert.throws(() => e2eStackName("ABC"), { message: 'invalid e2e stack suffix "ABC"' });
    assert.throws(() => e2eStackName(""), { message: 'invalid e2e stack suffix ""' });
  });

  it("zips the port keys in order", () => {
    assert.deepEqual(PORT_KEYS, ["k0sApiPort", "ingressHttpPort", "ingressHttpsPort", "registryPort"]);
    assert.deepEqual(PORTS, {
      k0sApiPort: 40001,
      ingressHttpPort: 40002,
      ingressHttpsPort: 40003,
      registryPort: 40004,
    });
    assert.throws(() => stackPorts([1, 2, 3]), { message: "expected 4 ports, got 3" });
  });

  it("copies the config, overrides existing ports, adds missing ones and drops the dev salt", () => {
    const dev = [
      "encryptionsalt: v1:abc:def",
      "config:",
      "  platform:clusterProvider: k0s",
      "  platform:k0sApiPort: 7443",
      "  platform:k0sVersion: v1.36.3+k0s.2",
      "",
    ].join("\n");
    assert.equal(
      renderE2eStackFile(dev, PORTS),
      [
        "# Throwaway stack of the end-to-end test (test/e2e), copied from Pulumi.dev.yaml with its own ports.",
        "# Deleted when the test ends; if it is still here, see test/e2e/README.md (leftovers).",
        "",
        "config:",
        "  platform:clusterProvider: k0s",
        "  platform:k0sApiPort: 40001",
        "  platform:k0sVersion: v1.36.3+k0s.2",
        "  platform:ingressHttpPort: 40002",
        "  platform:ingressHttpsPort: 40003",
        "  platform:registryPort: 40004",
        "",
      ].join("\n"),
    );
  });

  it("turns the real Pulumi.dev.yaml into a k0s stack with the given ports and nothing else changed", () => {
    const devText = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
    const dev = parse(devText) as { config: Record<string, unknown> };
    const e2e = parse(renderE2eStackFile(devText, PORTS)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(e2e), ["config"]);
    assert.deepEqual(e2e.config, {
      ...dev.config,
      "platform:k0sApiPort": 40001,
      "platform:ingressHttpPort": 40002,
      "platform:ingressHttpsPort": 40003,
      "platform:registryPort": 40004,
    });
    assert.equal((e2e.config as Record<string, unknown>)["platform:clusterProvider"], "k0s");
  });

  it("refuses a cloud stack, secret values and a file without config", () => {
    assert.throws(() => renderE2eStackFile("config:\n  platform:clusterProvider: doks\n", PORTS), {
      message: "Pulumi.dev.yaml: platform:clusterProvider must be k0s for the e2e test, got doks",
    });
    const secret = [
      "config:",
      "  platform:clusterProvider: k0s",
      "  platform:dbPassword:",
      "    secure: v1:AAAA",
      "  platform:list:",
      "    - secure: v1:BBBB",
      "",
    ].join("\n");
    assert.throws(() => renderE2eStackFile(secret, PORTS, "Pulumi.x.yaml"), {
      message:
        "Pulumi.x.yaml: secret values cannot be copied to a throwaway stack (they are encrypted with the " +
        "dev stack's key): platform:dbPassword, platform:list",
    });
    assert.throws(() => renderE2eStackFile("encryptionsalt: x\n", PORTS), {
      message: 'Pulumi.dev.yaml: expected a "config" mapping',
    });
    assert.throws(() => renderE2eStackFile("- a\n", PORTS), {
      message: 'Pulumi.dev.yaml: expected a mapping with a "config" key',
    });
  });
});

describe("e2e: app URL and HTTP checks", () => {
  it("connects to loopback and sends the URL's host (with a non-default port) as Host", () => {
    assert.deepEqual(targetFromUrl("http://app.localhost:8080"), {
      connectHost: "127.0.0.1",
      port: 8080,
      hostHeader: "app.localhost:8080",
      basePath: "",
    });
    assert.deepEqual(targetFromUrl("http://app.localhost/"), {
      connectHost: "127.0.0.1",
      port: 80,
      hostHeader: "app.localhost",
      basePath: "",
    });
    assert.deepEqual(targetFromUrl("http://Shop.Localhost:80/base/"), {
      connectHost: "127.0.0.1",
      port: 80,
      hostHeader: "shop.localhost",
      basePath: "/base",
    });
  });

  it("refuses URLs the dev ingress cannot serve", () => {
    assert.throws(() => targetFromUrl("https://app.example.com"), {
      message: 'appUrl must be http:// for the local dev ingress, got "https://app.example.com"',
    });
    assert.throws(() => targetFromUrl("app.localhost:8080"), {
      message: 'appUrl must be http:// for the local dev ingress, got "app.localhost:8080"',
    });
    assert.throws(() => targetFromUrl("not a url"), { message: 'appUrl is not a URL: "not a url"' });
    assert.throws(() => targetFromUrl("http://app.localhost:8080/?x=1"), {
      message: 'appUrl must be a plain http://host[:port][/path] URL, got "http://app.localhost:8080/?x=1"',
    });
  });

  /** A fake app behind a fake ingress: answers only for Host app.localhost:<port>, like Traefik. */
  async function fakeApp(options: { notReadyFor: number; nameSuffix?: string }) {
    const seen: string[] = [];
    let readyCalls = 0;
    const items = new Map<number, { id: number; name: string; createdAt: string }>();
    const server = http.createServer((req, res) => {
      const expectedHost = `app.localhost:${(server.address() as net.AddressInfo).port}`;
      seen.push(`${req.method} ${req.url} Host=${req.headers.host}`);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      if (req.headers.host !== expectedHost) return send(404, { error: "no route" });
      if (req.url === "/api/readyz") {
        readyCalls++;
        return readyCalls > options.notReadyFor
          ? send(200, { status: "ready" })
          : send(503, { status: "unavailable", reason: "database" });
      }
      if (req.method === "POST" && req.url === "/api/items") {
        let raw = "";
        req.on("data", (c: Buffer) => (raw += c.toString()));
        req.on("end", () => {
          const { name } = JSON.parse(raw) as { name: string };
          const item = {
            id: items.size + 1,
            name: name + (options.nameSuffix ?? ""),
            createdAt: "2025-01-01T00:00:00.000Z",
          };
          items.set(item.id, item);
          send(201, item);
        });
        return;
      }
      const match = /^\/api\/items\/(\d+)$/.exec(req.url ?? "");
      if (req.method === "GET" && match && items.has(Number(match[1])))
        return send(200, items.get(Number(match[1])));
      return send(404, { error: "not found" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const target: Target = targetFromUrl(`http://app.localhost:${port}`);
    return { server, seen, target, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it("polls readyz until 200, reporting each change once, then creates and reads an item", async () => {
    const app = await fakeApp({ notReadyFor: 2 });
    try {
      const changes: string[] = [];
      const result = await waitForStatus(app.target, "/api/readyz", 200, {
        timeoutMs: 5_000,
        intervalMs: 10,
        onChange: (observation) => changes.push(observation),
      });
      assert.equal(result.attempts, 3);
      assert.deepEqual(changes, ['HTTP 503 {"status":"unavailable","reason":"database"}']);

      const item = await createAndReadItem(app.target, "e2e item 1");
      assert.deepEqual(item, { id: 1, name: "e2e item 1", createdAt: "2025-01-01T00:00:00.000Z" });
      const host = `Host=${app.target.hostHeader}`;
      assert.deepEqual(app.seen.slice(3), [`POST /api/items ${host}`, `GET /api/items/1 ${host}`]);
    } finally {
      await app.close();
    }
  });

  it("fails at the deadline with the last answer", async () => {
    const app = await fakeApp({ notReadyFor: Infinity });
    try {
      await assert.rejects(
        waitForStatus(app.target, "/api/readyz", 200, { timeoutMs: 50, intervalMs: 20 }),
        (error: Error) => {
          assert.match(
            error.message,
            /^\/api\/readyz did not answer 200 within 0 s \(\d+ attempts; last: HTTP 503 \{"status":"unavailable","reason":"database"\}\)$/,
          );
          return true;
        },
      );
    } finally {
      await app.close();
    }
  });

  it("stops waiting when cancelled", async () => {
    const app = await fakeApp({ notReadyFor: Infinity });
    try {
      let polls = 0;
      await assert.rejects(
        waitForStatus(app.target, "/api/readyz", 200, {
          timeoutMs: 5_000,
          intervalMs: 10,
          cancelled: () => ++polls > 2,
        }),
        {
          message:
            'cancelled while waiting for /api/readyz (last: HTTP 503 {"status":"unavailable","reason":"database"})',
        },
      );
    } finally {
      await app.close();
    }
  });

  it("fails when the API returns another name, or when the route does not match the Host", async () => {
    const app = await fakeApp({ notReadyFor: 0, nameSuffix: "!" });
    try {
      await assert.rejects(createAndReadItem(app.target, "n"), {
        message: 'POST /api/items returned name "n!", sent "n"',
      });
      const wrongHost: Target = { ...app.target, hostHeader: "other.localhost" };
      await assert.rejects(createAndReadItem(wrongHost, "n"), {
        message: 'POST /api/items: expected HTTP 201, got 404 {"error":"no route"}',
      });
      const res = await request(wrongHost, "GET", "/api/readyz");
      assert.equal(res.status, 404);
    } finally {
      await app.close();
    }
  });

  it("reports a connection error as an observation", async () => {
    const [port] = await pickFreePorts(1);
    const changes: string[] = [];
    await assert.rejects(
      waitForStatus(targetFromUrl(`http://app.localhost:${port}`), "/api/readyz", 200, {
        timeoutMs: 30,
        intervalMs: 20,
        onChange: (o) => changes.push(o),
      }),
    );
    assert.deepEqual(changes, [`error: connect ECONNREFUSED 127.0.0.1:${port}`]);
  });
});

describe("e2e: Automation API helpers", () => {
  it("points every command at the throwaway backend and passphrase", () => {
    assert.deepEqual(workspaceEnv("/tmp/x/state", "pw", "/tmp/x/passphrase"), {
      PULUMI_BACKEND_URL: "file:///tmp/x/state",
      PULUMI_CONFIG_PASSPHRASE: "pw",
      PULUMI_CONFIG_PASSPHRASE_FILE: "/tmp/x/passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    });
  });

  it("counts only real changes in a change summary", () => {
    assert.deepEqual(changesOf({ same: 20, read: 1 }), []);
    assert.deepEqual(changesOf(undefined), []);
    assert.deepEqual(changesOf({ update: 1, same: 3, create: 2, replace: 0 }), ["create 2", "update 1"]);
  });

  it("summarizes a CommandError message by its error lines, else the failed command", () => {
    // The shape the Automation API produces (execa's error wrapped in a CommandError).
    const wrap = (execaMessage: string) =>
      `code: -2\n stdout: \n stderr: ${execaMessage}\n err?: Error: ${execaMessage}\n`;
    const up = wrap(
      "Command failed with exit code 255: pulumi up --yes --skip-preview --stack e2e-1 --non-interactive\n" +
        "error: update failed\nUpdating (e2e-1)\n  pulumi:pulumi:Stack (platform-e2e-1):\n" +
        "    error: Running program failed\n    error: update failed\n",
    );
    assert.equal(summarizeCommandError(up), "error: update failed | error: Running program failed");
    const destroy = wrap(
      "Command failed with exit code 255: /home/me/.pulumi/bin/pulumi destroy --yes --stack e2e-1\nDestroying (e2e-1)",
    );
    assert.equal(summarizeCommandError(destroy), "`pulumi destroy` exited with code 255");
    assert.equal(summarizeCommandError("code: 1\n stdout: \n stderr: \n err?: \n"), "exit code 1");
  });

  it("prints shell-safe manual cleanup commands", () => {
    assert.equal(
      manualCleanup({
        projectDir: "/home/me/my project",
        stack: "e2e-1a2b3c4d",
        backendDir: "/tmp/k8s-platform-e2e-Ab1/state",
        passphraseFile: "/tmp/k8s-platform-e2e-Ab1/passphrase",
        tempDir: "/tmp/k8s-platform-e2e-Ab1",
      }),
      [
        "cd '/home/me/my project'",
        "PULUMI_BACKEND_URL=file:///tmp/k8s-platform-e2e-Ab1/state " +
          "PULUMI_CONFIG_PASSPHRASE_FILE=/tmp/k8s-platform-e2e-Ab1/passphrase pulumi destroy --stack e2e-1a2b3c4d --yes",
        "PULUMI_BACKEND_URL=file:///tmp/k8s-platform-e2e-Ab1/state " +
          "PULUMI_CONFIG_PASSPHRASE_FILE=/tmp/k8s-platform-e2e-Ab1/passphrase pulumi stack rm --stack e2e-1a2b3c4d --yes",
        "rm -rf /tmp/k8s-platform-e2e-Ab1 Pulumi.e2e-1a2b3c4d.yaml",
      ].join(" && \\\n  "),
    );
  });
});
