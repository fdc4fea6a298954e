// The programs the engine test runs: the Pulumi CLI, the Kubernetes provider and a local control
// plane, built once per version from the Go module proxy by scripts/engine/build.sh (or a `pulumi`
// already on the PATH, and a cluster given with --kubeconfig).
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const BUILD_SCRIPT = path.resolve(__dirname, "..", "..", "scripts", "engine", "build.sh");

/** Where each program of the toolchain is. */
export interface Toolchain {
  /** Folder holding `bin/pulumi`, for the Automation API's `PulumiCommand.get({ root })`; absent: `pulumi` on the PATH. */
  readonly pulumiRoot?: string;
  /** Folders to put first on the PATH: the built provider (the CLI takes `pulumi-resource-kubernetes` from there). */
  readonly pathDirs: readonly string[];
  /** Absent when the test uses a cluster given with --kubeconfig. */
  readonly controlPlane?: ControlPlaneBinaries;
  readonly kubectl: string;
  /** Folder of the Gateway API's standard-channel CRDs at the program's GATEWAY_API_VERSION. */
  readonly gatewayApiCrds: string;
  /** A one-line description for the log. */
  readonly description: string;
}

export interface ControlPlaneBinaries {
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly kwokctl: string;
}

/** What the machine offers before anything is built. */
export interface ToolchainProbe {
  /** `pulumi` on the PATH (its version line), if any. */
  readonly pulumiOnPath?: string;
  /** Go or curl on the PATH: enough for build.sh, which fetches the Go it pins when needed. */
  readonly canBuild: boolean;
  /** The build script's folders, one per tool, and whether each is already complete. */
  readonly cached: Readonly<Record<string, boolean>>;
}

/** Why the test cannot run here, or nothing when it can (a pure decision, unit-tested). */
export function missingPrerequisites(probe: ToolchainProbe, useExistingCluster: boolean): string[] {
  const needed = [
    ...(probe.pulumiOnPath ? [] : ["pulumi", "pulumi-kubernetes"]),
    ...(useExistingCluster ? [] : ["kubernetes", "etcd", "kwok"]),
    "gateway-api",
  ];
  const toBuild = needed.filter((tool) => !probe.cached[tool]);
  if (toBuild.length === 0 || probe.canBuild) return [];
  return [
    `neither Go nor curl is on the PATH and the engine toolchain is not cached (${toBuild.join(", ")}): ` +
      "install Go >= 1.21 (https://go.dev/dl/) or curl, so that scripts/engine/build.sh can build it from the Go module proxy",
  ];
}

/** Looks at the machine: `pulumi` and `go` on the PATH, and which builds are cached. */
export async function probeToolchain(): Promise<ToolchainProbe> {
  const pulumiOnPath = await firstLineOf("pulumi", ["version"]);
  const canBuild =
    (await firstLineOf("go", ["version"])) !== undefined ||
    (await firstLineOf("curl", ["--version"])) !== undefined;
  const dirs = await buildDirs();
  const cached: Record<string, boolean> = {};
  for (const [tool, dir] of Object.entries(dirs))
    cached[tool] = fs.existsSync(path.join(dir, "..", ".complete"));
  return { ...(pulumiOnPath ? { pulumiOnPath } : {}), canBuild, cached };
}

/**
 * Builds what is missing (the build script skips cached tools in a second) and returns where
 * everything is. With `pulumi` on the PATH, that CLI is used and acquires its own provider plugin.
 */
export async function prepareToolchain(
  probe: ToolchainProbe,
  useExistingCluster: boolean,
): Promise<Toolchain> {
  const targets = [
    ...(probe.pulumiOnPath ? [] : ["pulumi", "provider"]),
    ...(useExistingCluster ? [] : ["control-plane"]),
    "gateway-api",
  ];
  if (targets.length > 0) await run("bash", [BUILD_SCRIPT, ...targets]);
  const dirs = await buildDirs();
  const bin = (tool: string, program: string) => path.join(dirs[tool], program);
  const kubectl =
    useExistingCluster && (await firstLineOf("kubectl", ["version", "--client"]))
      ? "kubectl"
      : bin("kubernetes", "kubectl");
  return {
    ...(probe.pulumiOnPath ? {} : { pulumiRoot: path.dirname(dirs.pulumi) }),
    pathDirs: probe.pulumiOnPath ? [] : [dirs["pulumi-kubernetes"]],
    ...(useExistingCluster
      ? {}
      : {
          controlPlane: {
            kubeApiserver: bin("kubernetes", "kube-apiserver"),
            kubeControllerManager: bin("kubernetes", "kube-controller-manager"),
            kubeScheduler: bin("kubernetes", "kube-scheduler"),
            etcd: bin("etcd", "etcd"),
            kwok: bin("kwok", "kwok"),
            kwokctl: bin("kwok", "kwokctl"),
          },
        }),
    kubectl,
    gatewayApiCrds: dirs["gateway-api"],
    description: probe.pulumiOnPath
      ? `${probe.pulumiOnPath} from the PATH`
      : `Pulumi CLI and Kubernetes provider built from the Go module proxy (${path.dirname(path.dirname(dirs.pulumi))})`,
  };
}

/** The first executable `name` in `dirs`, or undefined. */
export function findProgram(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The build script's folders by tool name: bin folders of `pulumi`, `pulumi-kubernetes`,
 * `kubernetes`, `etcd`, `kwok`, and the CRD folder of `gateway-api`.
 */
async function buildDirs(): Promise<Record<string, string>> {
  const out = await new Promise<string>((resolve, reject) =>
    execFile("bash", [BUILD_SCRIPT, "--print-dirs"], (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
  const dirs: Record<string, string> = {};
  for (const dir of out.split("\n").filter(Boolean)) {
    const tool = path.basename(path.dirname(dir)).replace(/-[^-]+$/, "");
    dirs[tool] = dir;
  }
  return dirs;
}

/** The first line a command prints, or undefined when it cannot run or fails. */
function firstLineOf(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 20_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim().split("\n")[0]),
    ),
  );
}

/** Runs a command with its output on this process's, failing on a non-zero exit. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(args[0] ?? command)} exited with ${signal ?? code}`)),
    );
  });
}
