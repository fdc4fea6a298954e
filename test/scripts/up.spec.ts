import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers";

// `npm run up` as a user runs it, in a copy of the project, with a PATH that holds only what each
// case provides (node, and stand-ins for the CLIs), so that the machine's own tools do not count.

function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "up-"));
  for (const entry of fs.readdirSync(PROJECT_DIR)) {
    if ([".git", "node_modules", ".pulumi"].includes(entry) || entry.startsWith("Pulumi.e2e-")) continue;
    fs.cpSync(path.join(PROJECT_DIR, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** Where a program is on this test's own PATH. */
function which(tool: string): string | undefined {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .map((dir) => path.join(dir, tool))
    .find((file) => fs.existsSync(file));
}

/** A bin folder with node, npm and a few shell tools, and a stand-in for each named command (exits 0, logs its call). */
function binWith(commands: string[]): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "up-bin-"));
  fs.symlinkSync(process.execPath, path.join(bin, "node"));
  for (const tool of [
    "npm",
    "bash",
    "sed",
    "grep",
    "head",
    "base64",
    "mkdir",
    "cat",
    "dirname",
    "env",
    "sh",
  ]) {
    const found = which(tool);
    if (found) fs.symlinkSync(found, path.join(bin, tool));
  }
  for (const command of commands)
    fs.writeFileSync(path.join(bin, command), `#!/bin/sh\necho "${command} $*" >>"$UP_TEST_LOG"\n`, {
      mode: 0o755,
    });
  return bin;
}

function up(dir: string, bin: string, args: string[], env: Record<string, string> = {}) {
  const log = path.join(dir, "calls.log");
  const result = spawnSync(path.join(bin, "bash"), [path.join(dir, "scripts", "up.sh"), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: bin, HOME: dir, UP_TEST_LOG: log, ...env },
  });
  return {
    code: result.status,
    stderr: result.stderr,
    calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "",
  };
}

/** The Spaces key the DigitalOcean provider creates buckets with. */
const SPACES = { SPACES_ACCESS_KEY_ID: "k", SPACES_SECRET_ACCESS_KEY: "s" };

describe("npm run up", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = projectCopy();
  });

  it("names every missing prerequisite of a DigitalOcean stack at once, the shared state backend among them", () => {
    const { code, stderr } = up(dir, binWith([]), ["staging"]);
    assert.equal(code, 2);
    const lines = stderr.split("\n").filter((l) => l.startsWith("  - "));
    assert.deepEqual(
      lines.map((l) => l.slice(4).split(/[,:(]/)[0].trim()),
      [
        "the Pulumi CLI",
        "doctl",
        "DIGITALOCEAN_TOKEN",
        "SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY",
        "Docker",
        "the team's state backend",
      ],
    );
  });

  it("keeps a cloud stack's state local only when asked with --local-state", () => {
    const { stderr } = up(dir, binWith([]), ["staging", "--local-state"]);
    assert.ok(!stderr.includes("state backend"), stderr);
  });

  it("counts a file backend, given or from `pulumi login --local`, as local", () => {
    const given = up(dir, binWith(["pulumi", "doctl", "docker"]), ["staging"], {
      DIGITALOCEAN_TOKEN: "t",
      ...SPACES,
      PULUMI_BACKEND_URL: "file:///home/me/.pulumi",
    });
    assert.match(
      given.stderr,
      /the team's state backend, not one on this machine \(file:\/\/\/home\/me\/\.pulumi\)/,
    );
    const bin = binWith(["doctl", "docker"]);
    fs.writeFileSync(path.join(bin, "pulumi"), '#!/bin/sh\necho \'{"user": "me", "url": "file://~"}\'\n', {
      mode: 0o755,
    });
    const login = up(dir, bin, ["staging"], { DIGITALOCEAN_TOKEN: "t", ...SPACES });
    assert.match(login.stderr, /the team's state backend, not one on this machine \(file:\/\/~\)/);
  });

  it("shows the offline plan's report when a mandatory policy stops the run, and runs no pulumi command", () => {
    // A prod-like stack without HA: valid configuration, but prod's policies require HA.
    const prod = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.noha.yaml"),
      prod.replace("platform:haControlPlane: true", "platform:haControlPlane: false"),
    );
    fs.copyFileSync(
      path.join(dir, "policies", "config", "prod.json"),
      path.join(dir, "policies", "config", "noha.json"),
    );
    const { code, stderr, calls } = up(dir, binWith(["pulumi", "doctl", "docker"]), ["noha"], {
      DIGITALOCEAN_TOKEN: "t",
      ...SPACES,
      PULUMI_BACKEND_URL: "s3://state?endpoint=fra1.digitaloceanspaces.com",
    });
    assert.equal(code, 1);
    assert.match(stderr, /\[mandatory\] require-doks-resilience: .*KubernetesCluster/);
    assert.match(stderr, /up: the offline plan of stack noha found the problems above; nothing was changed/);
    assert.ok(!/^pulumi (stack|up)/m.test(calls), calls);
  });
});
