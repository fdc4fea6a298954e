// The program under the real Pulumi engine against a real Kubernetes API server (see
// test/engine/README.md):
//   node -r ./scripts/register.cjs test/engine/engine.ts [--kubeconfig FILE [--context NAME]
//     --api-image REF@sha256:… --web-image REF@sha256:…]                       (npm run test:engine)
// Builds (or takes from its cache) the Pulumi CLI, the Kubernetes provider and a control plane,
// starts the control plane with one fake node (or uses the given cluster), and drives the project's
// own index.ts as an Automation API inline program on an existing-cluster stack made from the dev
// stack's settings: up, checks on the cluster, a preview without changes, refresh without drift,
// the offline plan against the state, a rolling setting change, a refused policy violation,
// destroy, and the Gateway API objects of `routing: gateway` stacks against the pinned CRDs. Exit codes: 0 passed, 1 failed, 2 bad usage, 3 not run (no Go and nothing cached),
// 130 interrupted.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CommandError,
  type EngineEvent,
  LocalWorkspace,
  PulumiCommand,
  type Stack,
} from "@pulumi/pulumi/automation";
import { readStackConfig } from "../../config";
import { contentDigest } from "../../components/app/appImage";
import { errorMessage, logger, seconds, Steps } from "../e2e/log";
import { changesOf, describeError, destroyForCleanup, isChange } from "../e2e/pulumi";
import {
  exec,
  FAKE_CLUSTER_SETUP,
  fakeClusterManifest,
  givenCluster,
  startKwokCluster,
  type TestCluster,
} from "./cluster";
import {
  checkWorkloads,
  namespaceExists,
  playIngressController,
  podSecurityRefusal,
  type Workloads,
} from "./clusterChecks";
import { GATEWAY_API_VERSION } from "../../components/ingress/versions";
import { existingGatewayStackFile, withGatewayRouting } from "./gatewayApi";
import { checkGatewayApi } from "./gatewayCheck";
import { differences, type PlanResource, type StateResource } from "./compare";
import { differentVerdicts, runOfflinePlan, sameVerdicts, verdictOf, type PolicyVerdict } from "./verdicts";
import { dropApiLimits, inlineProgram } from "./program";
import { engineStackConfig, fakeImageRef } from "./stackConfig";
import {
  findProgram,
  missingPrerequisites,
  prepareToolchain,
  probeToolchain,
  type Toolchain,
} from "./toolchain";
import { EXIT, parseEngineArgs, UsageError, type EngineOptions } from "./options";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const PROJECT = "platform";
const SOURCE_STACK = "dev";
/** The policy config of existing-cluster stacks, which the engine stack is. */
const POLICY_CONFIG_STACK = "existing";
const POLICY_PACK = path.join(PROJECT_DIR, "scripts", "engine", "policy-pack");
const POLICY_PACK_CONFIG = path.join(PROJECT_DIR, "policies", "config", `${POLICY_CONFIG_STACK}.json`);
/** The stack whose settings, with `routing: gateway`, give the Gateway API check its redirect routes. */
const GATEWAY_REDIRECT_STACK = "prod";
const log = logger("engine");

class Interrupted extends Error {}

/** One run: its temporary files, the cluster, the stack, and what cleanup has to undo. */
class Run {
  readonly suffix = crypto.randomBytes(4).toString("hex");
  readonly stackName = `engine-${this.suffix}`;
  readonly tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-platform-engine-"));
  readonly projectDir = path.join(this.tempDir, "project");
  readonly backendDir = path.join(this.tempDir, "state");
  private readonly passphrase = crypto.randomBytes(24).toString("base64url");
  readonly steps = new Steps(14, "", log);
  private readonly output = {
    onOutput: (out: string) => void process.stdout.write(out),
    onError: (err: string) => void process.stderr.write(err),
    color: "never" as const,
  };

  toolchain: Toolchain | undefined;
  cluster: TestCluster | undefined;
  private images: { api: string; web: string } | undefined;
  private stack: Stack | undefined;
  private deployed = false;
  private controller: AbortController | undefined;
  interruptedBy: NodeJS.Signals | undefined;

  constructor(private readonly options: EngineOptions) {}

  async execute(): Promise<void> {
    const toolchain = await this.step(
      "toolchain",
      "engine toolchain (built once per version, then cached)",
      async () => {
        const probe = await probeToolchain();
        const missing = missingPrerequisites(probe, this.options.kubeconfig !== undefined);
        if (missing.length > 0) throw new NotRunnable(missing);
        this.toolchain = await prepareToolchain(probe, this.options.kubeconfig !== undefined);
        log(`  ${this.toolchain.description}`);
        return this.toolchain;
      },
    );

    const cluster = await this.step(
      "cluster",
      this.options.kubeconfig
        ? `cluster from ${this.options.kubeconfig}`
        : "local control plane (kwokctl) with one fake node",
      () => this.startCluster(toolchain),
    );

    const stack = await this.step(
      "stack",
      `stack ${this.stackName}: the dev stack's settings on this cluster`,
      () => this.createStack(toolchain, cluster),
    );

    await this.step("up", "pulumi up with the policy pack", async () => {
      this.deployed = true;
      const result = await this.whileControllerPlays(cluster, () =>
        stack.up({ ...this.output, ...this.policy(), signal: this.signal() }),
      );
      log(`  up: ${changesOf(result.summary.resourceChanges).join(", ") || "no changes"}`);
    });

    const namespaces = await this.step(
      "checks",
      "every Deployment and StatefulSet Available; Pod Security restricted admitted every pod",
      async () => {
        const state = await this.state();
        const names = namespacesOf(state);
        const workloads = await checkWorkloads(cluster, names);
        for (const namespace of names) {
          const refusal = await podSecurityRefusal(cluster, namespace);
          log(`  namespace ${namespace}: a pod that only baseline allows is refused (${refusal})`);
        }
        logWorkloads(workloads);
        return names;
      },
    );

    const previewVerdicts = await this.step(
      "preview",
      "second pulumi preview with the policy pack shows no changes",
      () => this.previewExpectingNoChanges(stack),
    );

    await this.step("refresh", "pulumi refresh finds no drift", async () => {
      const result = await stack.refresh({ ...this.output, signal: this.signal() });
      const changes = changesOf(result.summary.resourceChanges);
      if (changes.length > 0) throw new Error(`refresh found drift: ${changes.join(", ")}`);
      log(
        `  refresh: ${Object.entries(result.summary.resourceChanges ?? {})
          .map(([op, n]) => `${op} ${n}`)
          .join(", ")}`,
      );
    });

    await this.step(
      "offline plan",
      "the offline plan lists the engine's resources, inputs, dependencies and verdicts",
      async () => {
        const offline = await runOfflinePlan(
          PROJECT_DIR,
          this.projectDir,
          this.stackName,
          POLICY_CONFIG_STACK,
        );
        const state = await this.state();
        const problems = differences(offline.resources as PlanResource[], state);
        if (problems.length > 0)
          throw new Error(
            `the offline plan differs from the engine (${problems.length}):\n  ${problems.join("\n  ")}`,
          );
        const verdicts = sameVerdicts(offline.violations, previewVerdicts);
        if (verdicts.length > 0)
          throw new Error(`the pack judged the engine's preview differently:\n  ${verdicts.join("\n  ")}`);
        log(`  ${offline.resources.length} resources and ${previewVerdicts.length} policy verdicts alike`);
      },
    );

    await this.step(
      "setting change",
      "a changed setting (platform:appLogLevel) rolls the api Deployment, nothing else",
      () => this.changeSetting(stack, cluster),
    );

    await this.step(
      "kubeconfig file",
      "the same kubeconfig from a file (platform:kubeconfigPath) updates the provider only",
      () => this.kubeconfigFromFile(stack, cluster),
    );

    await this.step(
      "volume growth",
      "a larger platform:databaseStorageGi grows the claims, and leaves the StatefulSet alone",
      () => this.growVolume(stack, cluster),
    );

    await this.step(
      "policy",
      "a policy-violating change (api without limits) is refused, nothing applied",
      () => this.violatingChange(stack, cluster),
    );

    await this.step("destroy", "pulumi destroy leaves no object in the program's namespaces", async () => {
      await stack.destroy({ ...this.output, signal: this.signal() });
      this.deployed = false;
      for (const namespace of namespaces) {
        if (await namespaceExists(cluster, namespace))
          throw new Error(`namespace ${namespace} is still there after destroy`);
      }
      log(`  namespaces ${namespaces.join(", ")} are gone`);
    });

    await this.step(
      "gateway api",
      `Gateway API ${GATEWAY_API_VERSION} CRDs: routing: gateway stacks' objects accepted, broken copies refused`,
      () => this.checkGateway(toolchain, cluster),
    );
  }

  /**
   * The Gateway API objects of two `routing: gateway` stacks, from their offline plans: an
   * existing-cluster stack with TLS and Grafana (HTTPS listeners, routes on both listeners), and the
   * prod stack's settings (DigitalOcean: redirect routes), against the CRDs the program pins.
   */
  private async checkGateway(toolchain: Toolchain, cluster: TestCluster): Promise<void> {
    const dir = path.join(this.tempDir, "gateway");
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const existing = `gateway-existing-${this.suffix}`;
    const redirect = `gateway-${GATEWAY_REDIRECT_STACK}-${this.suffix}`;
    fs.writeFileSync(
      path.join(dir, `Pulumi.${existing}.yaml`),
      existingGatewayStackFile({ kubeconfigPath: cluster.kubeconfigPath, images: this.images! }),
    );
    const source = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${GATEWAY_REDIRECT_STACK}.yaml`), "utf8");
    fs.writeFileSync(path.join(dir, `Pulumi.${redirect}.yaml`), withGatewayRouting(source));
    const result = await checkGatewayApi(
      cluster,
      toolchain.gatewayApiCrds,
      PROJECT_DIR,
      [
        { configDir: dir, stack: existing, policyConfigStack: POLICY_CONFIG_STACK },
        { configDir: dir, stack: redirect, policyConfigStack: GATEWAY_REDIRECT_STACK },
      ],
      log,
    );
    log(
      `  ${result.accepted} objects accepted, ${result.refused} broken copies refused, ${result.skipped} plan objects skipped (reasons above)`,
    );
  }

  private async startCluster(toolchain: Toolchain): Promise<TestCluster> {
    if (this.options.kubeconfig) {
      this.cluster = givenCluster(toolchain.kubectl, this.options.kubeconfig, this.options.context);
    } else {
      this.cluster = await startKwokCluster(
        toolchain.controlPlane!,
        toolchain.kubectl,
        path.join(this.tempDir, "kwok"),
        `engine-${this.suffix}`,
      );
    }
    const cluster = this.cluster;
    log(
      `  server ${(await cluster.kubectl(["version", "-o", "json"]).then((v) => JSON.parse(v).serverVersion?.gitVersion)) ?? "?"}`,
    );
    // On a fake cluster the test plays the ingress controller and the storage provisioner.
    const manifest = fakeClusterManifest(
      cluster.fake
        ? { ingressClass: true, volumes: 2 }
        : { ingressClass: true, storageClass: false, volumes: 0 },
    );
    await cluster.kubectl(["apply", "-f", "-"], manifest);
    return cluster;
  }

  private async createStack(toolchain: Toolchain, cluster: TestCluster): Promise<Stack> {
    fs.mkdirSync(this.projectDir);
    fs.mkdirSync(this.backendDir);
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(this.projectDir, "Pulumi.yaml"));
    const kubeconfig = await cluster.kubectl(["config", "view", "--raw", "--flatten", "--minify"]);
    const images = this.options.images ?? {
      api: fakeImageRef("api", contentDigest(path.join(PROJECT_DIR, "app", "api"))),
      web: fakeImageRef("web", contentDigest(path.join(PROJECT_DIR, "app", "web"))),
    };
    const pulumiCommand = await PulumiCommand.get(toolchain.pulumiRoot ? { root: toolchain.pulumiRoot } : {});
    const envVars: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_HOME: path.join(this.tempDir, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PATH: [...toolchain.pathDirs, process.env.PATH ?? ""].join(path.delimiter),
      ...(toolchain.pulumiRoot ? { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" } : {}),
    };
    this.stack = await LocalWorkspace.createOrSelectStack(
      { stackName: this.stackName, projectName: PROJECT, program: inlineProgram() },
      { workDir: this.projectDir, envVars, pulumiCommand, secretsProvider: "passphrase" },
    );
    const { config, dropped } = engineStackConfig(readStackConfig(PROJECT_DIR, SOURCE_STACK).values, {
      kubeconfig,
      images,
      databasePassword: crypto.randomBytes(24).toString("base64url"),
      ingressClassName: FAKE_CLUSTER_SETUP.ingressClass,
      ingressControllerNamespace: FAKE_CLUSTER_SETUP.ingressControllerNamespace,
      ...(cluster.fake ? { storageClass: FAKE_CLUSTER_SETUP.storageClass } : {}),
    });
    for (const key of dropped) log(`  ${key} of the dev stack does not apply to this stack: left out`);
    const plain = Object.fromEntries(Object.entries(config).filter(([, v]) => !v.secret));
    await this.stack.setAllConfig(plain, true);
    // Secrets go through the CLI's stdin: a command line is readable by every local user.
    for (const [key, { value }] of Object.entries(config).filter(([, v]) => v.secret)) {
      await exec(
        pulumiCommand.command,
        ["config", "set", "--secret", "--raw", "--stack", this.stackName, key],
        {
          env: { ...process.env, ...envVars },
          input: value,
          cwd: this.projectDir,
        },
      );
    }
    this.images = images;
    log(`  state: file://${this.backendDir}; images ${images.api}, ${images.web}`);
    return this.stack;
  }

  /** The second preview: no step that changes anything; returns the pack's verdicts on it. */
  private async previewExpectingNoChanges(stack: Stack): Promise<PolicyVerdict[]> {
    const changed: string[] = [];
    const verdicts: PolicyVerdict[] = [];
    const onEvent = (event: EngineEvent) => {
      const step = event.resourcePreEvent?.metadata;
      if (step && isChange(step.op))
        changed.push(`${step.op} ${step.urn}${step.diffs?.length ? ` (${step.diffs.join(", ")})` : ""}`);
      const verdict = verdictOf(event);
      if (verdict) verdicts.push(verdict);
    };
    const result = await stack.preview({
      ...this.output,
      ...this.policy(),
      diff: true,
      onEvent,
      signal: this.signal(),
    });
    const changes = changesOf(result.changeSummary);
    if (changes.length > 0 || changed.length > 0)
      throw new Error(`the second preview shows changes (${changes.join(", ")}): ${changed.join("; ")}`);
    log(
      `  preview: no changes; ${verdicts.length} policy verdicts (${verdicts.filter((v) => v.enforcementLevel === "mandatory").length} mandatory)`,
    );
    await this.previewWithPackFolder(stack, verdicts);
    return verdicts;
  }

  /**
   * Where a Node.js language host is installed, the CLI can start the pack from its folder
   * (`--policy-pack policies`) as users run it: that must give the same verdicts.
   */
  private async previewWithPackFolder(stack: Stack, expected: readonly PolicyVerdict[]): Promise<void> {
    const host = findProgram("pulumi-language-nodejs", [
      ...(this.toolchain?.pulumiRoot ? [path.join(this.toolchain.pulumiRoot, "bin")] : []),
      ...(process.env.PATH ?? "").split(path.delimiter),
    ]);
    if (!host) {
      log(
        "  --policy-pack policies not tried: no pulumi-language-nodejs on the PATH (no registry serves it)",
      );
      return;
    }
    const verdicts: PolicyVerdict[] = [];
    await stack.preview({
      ...this.output,
      policyPacks: [path.join(PROJECT_DIR, "policies")],
      policyPackConfigs: [POLICY_PACK_CONFIG],
      onEvent: (event) => {
        const verdict = verdictOf(event);
        if (verdict) verdicts.push(verdict);
      },
      signal: this.signal(),
    });
    const different = differentVerdicts(expected, verdicts);
    if (different.length > 0)
      throw new Error(`--policy-pack policies judged differently:\n  ${different.join("\n  ")}`);
    log(`  --policy-pack policies (through ${host}): the same ${verdicts.length} verdicts`);
  }

  /**
   * Moves the stack's kubeconfig from the secret to a file with the same contents: the provider
   * reads the file on every run, and as the cluster it points at is the same, no resource may be
   * replaced (pulumi-kubernetes replaces everything when the active cluster's entry changes).
   */
  private async kubeconfigFromFile(stack: Stack, cluster: TestCluster): Promise<void> {
    const file = path.join(this.tempDir, "kubeconfig.yaml");
    const kubeconfig = await cluster.kubectl(["config", "view", "--raw", "--flatten", "--minify"]);
    fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
    await stack.removeConfig(`${PROJECT}:kubeconfig`);
    await stack.setConfig(`${PROJECT}:kubeconfigPath`, { value: file });
    const ops: string[] = [];
    const onEvent = (event: EngineEvent) => {
      const step = event.resourcePreEvent?.metadata;
      if (step && isChange(step.op)) ops.push(`${step.op} ${step.type}`);
    };
    const result = await stack.up({ ...this.output, ...this.policy(), onEvent, signal: this.signal() });
    const changes = changesOf(result.summary.resourceChanges);
    if (ops.join() !== "update pulumi:providers:kubernetes")
      throw new Error(
        `expected an update of the provider alone, got: ${ops.join(", ") || "nothing"} (${changes.join(", ")})`,
      );
    log(`  up: ${changes.join(", ")}; the provider now reads ${file}`);
  }

  /**
   * The API server refuses any change to a StatefulSet's volumeClaimTemplates: a larger size must
   * reach the volumes through their claims, with the StatefulSet (and its pod) untouched.
   */
  private async growVolume(stack: Stack, cluster: TestCluster): Promise<void> {
    const key = `${PROJECT}:databaseStorageGi`;
    const before = Number((await stack.getConfig(key)).value);
    const generation = async () =>
      (
        JSON.parse(await cluster.kubectl(["get", "statefulset", "postgres", "-n", "app", "-o", "json"])) as {
          metadata: { generation: number };
        }
      ).metadata.generation;
    const requested = async (claim: string) =>
      (
        JSON.parse(await cluster.kubectl(["get", "pvc", claim, "-n", "app", "-o", "json"])) as {
          spec: { resources: { requests: { storage: string } } };
        }
      ).spec.resources.requests.storage;
    const generationBefore = await generation();
    await stack.setConfig(key, { value: String(before + 1) });
    const ops: string[] = [];
    const onEvent = (event: EngineEvent) => {
      const step = event.resourcePreEvent?.metadata;
      if (step && isChange(step.op)) ops.push(`${step.op} ${step.urn.split("::").pop()}`);
    };
    await stack.up({ ...this.output, ...this.policy(), onEvent, signal: this.signal() });
    const grown = [await requested("data-postgres-0"), await requested("postgres-backups")];
    if (grown.join() !== `${before + 1}Gi,${before + 1}Gi`)
      throw new Error(`the claims request ${grown.join(", ")}, not ${before + 1}Gi`);
    if (ops.some((op) => op.includes("statefulset")) || (await generation()) !== generationBefore)
      throw new Error(`the StatefulSet changed: ${ops.join(", ")}`);
    log(
      `  ${before}Gi → ${before + 1}Gi: ${ops.join(", ")}; the StatefulSet keeps generation ${generationBefore}`,
    );
  }

  private async changeSetting(stack: Stack, cluster: TestCluster): Promise<void> {
    const key = `${PROJECT}:appLogLevel`;
    const before = (await stack.getConfig(key)).value;
    const after = before === "debug" ? "info" : "debug";
    const replicaSets = async () => replicaSetsByApp(cluster);
    const rsBefore = await replicaSets();
    await stack.setConfig(key, { value: after });
    const changedUrns = new Set<string>();
    const onEvent = (event: EngineEvent) => {
      const step = event.resourcePreEvent?.metadata;
      if (step && isChange(step.op)) changedUrns.add(step.urn);
    };
    await stack.preview({ ...this.output, ...this.policy(), onEvent, signal: this.signal() });
    const expected = [...changedUrns].filter((urn) =>
      /::platform-[^:]*-app-api-(settings|deployment)$/.test(urn),
    );
    const others = [...changedUrns].filter((urn) => !expected.includes(urn));
    if (expected.length !== 2 || others.length > 0)
      throw new Error(
        `${key} ${before} → ${after} should change the api's ConfigMap and Deployment only; the preview changes: ${[...changedUrns].join(", ") || "nothing"}`,
      );
    await this.whileControllerPlays(cluster, () =>
      stack.up({ ...this.output, ...this.policy(), signal: this.signal() }),
    );
    const rsAfter = await replicaSets();
    const rolled = Object.keys(rsAfter).filter((app) => rsAfter[app].join() !== (rsBefore[app] ?? []).join());
    if (rolled.join() !== "api")
      throw new Error(
        `expected a new ReplicaSet for api only, got new ones for: ${rolled.join(", ") || "none"}`,
      );
    log(
      `  ${key} ${before} → ${after}: api ReplicaSets ${rsBefore.api?.length ?? 0} → ${rsAfter.api.length}; web and the database untouched`,
    );
  }

  private async violatingChange(stack: Stack, cluster: TestCluster): Promise<void> {
    const deploymentJson = async () =>
      JSON.parse(await cluster.kubectl(["get", "deployment", "api", "-n", "app", "-o", "json"])) as {
        metadata: { generation: number };
        spec: { template: { spec: { containers: { resources?: { limits?: unknown } }[] } } };
      };
    const before = await deploymentJson();
    const verdicts: PolicyVerdict[] = [];
    const onEvent = (event: EngineEvent) => {
      const verdict = verdictOf(event);
      if (verdict) verdicts.push(verdict);
    };
    stack.workspace.program = inlineProgram(dropApiLimits);
    let refused = false;
    try {
      await stack.up({ ...this.output, ...this.policy(), onEvent, signal: this.signal() });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      refused = true;
    } finally {
      stack.workspace.program = inlineProgram();
    }
    const mandatory = verdicts.filter(
      (v) =>
        v.enforcementLevel === "mandatory" &&
        v.policy === "require-resource-limits" &&
        v.resource.endsWith("-app-api-deployment"),
    );
    if (!refused || mandatory.length === 0)
      throw new Error(
        `pulumi up ${refused ? "failed" : "succeeded"} without a mandatory require-resource-limits verdict on the api Deployment`,
      );
    const after = await deploymentJson();
    const limits = after.spec.template.spec.containers.every((c) => c.resources?.limits !== undefined);
    if (after.metadata.generation !== before.metadata.generation || !limits)
      throw new Error("the refused update changed the api Deployment on the cluster");
    log(
      `  refused: ${mandatory[0].message.replace(/\s*\n\s*/g, " ")}; the api Deployment is unchanged (generation ${after.metadata.generation})`,
    );
  }

  /** Runs a Pulumi operation while the test writes Ingress status as the cluster's controller would. */
  private async whileControllerPlays<T>(cluster: TestCluster, operation: () => Promise<T>): Promise<T> {
    const stop = playIngressController(cluster, FAKE_CLUSTER_SETUP.ingressClass, (message) =>
      log(`  ${message}`),
    );
    try {
      return await operation();
    } finally {
      await stop();
    }
  }

  private policy() {
    return { policyPacks: [POLICY_PACK], policyPackConfigs: [POLICY_PACK_CONFIG] };
  }

  private async state(): Promise<StateResource[]> {
    const deployment = await this.stack!.exportStack();
    return (deployment.deployment as { resources?: StateResource[] }).resources ?? [];
  }

  /** Destroys what is left, removes the stack, stops the cluster and removes the temporary files. */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    const cleanupSteps = new Steps(this.stack && this.deployed ? 2 : 1, "cleanup ", log);
    let destroyed = !this.deployed;
    if (this.stack && this.deployed) {
      const problem = await destroyForCleanup(this.stack, cleanupSteps, this.output, (c) => {
        this.controller = c;
      });
      if (problem) problems.push(problem);
      destroyed = problem === undefined;
    }
    await cleanupSteps.run("stack, cluster and temporary files", async () => {
      if (this.stack && destroyed)
        await this.stack.workspace
          .removeStack(this.stackName)
          .catch((e: unknown) => problems.push(`pulumi stack rm: ${describeError(e)}`));
      if (this.cluster && !this.cluster.fake)
        await this.cluster
          .kubectl(["delete", "ingressclass", FAKE_CLUSTER_SETUP.ingressClass, "--ignore-not-found"])
          .catch(() => undefined);
      await this.cluster
        ?.stop()
        .catch((e: unknown) => problems.push(`stopping the control plane: ${errorMessage(e)}`));
      if (destroyed || this.cluster?.fake) fs.rmSync(this.tempDir, { recursive: true, force: true });
      else log(`  kept ${this.tempDir} (state of what could not be destroyed)`);
    });
    return problems;
  }

  interrupt(signal: NodeJS.Signals): void {
    this.interruptedBy = signal;
    if (signal === "SIGTERM") this.controller?.abort();
  }

  /** What to run by hand when the test is killed before its cleanup. */
  printLeftovers(): void {
    if (this.cluster?.manualStop) process.stdout.write(`  ${this.cluster.manualStop}\n`);
    process.stdout.write(`  rm -rf ${this.tempDir}\n`);
  }

  private signal(): AbortSignal {
    this.controller = new AbortController();
    return this.controller.signal;
  }

  /** Runs a numbered step unless the run was interrupted; `short` names it in the summary line. */
  private step<T>(short: string, title: string, fn: () => Promise<T>): Promise<T> {
    if (this.interruptedBy) throw new Interrupted(`interrupted by ${this.interruptedBy}`);
    return this.steps.run(title, fn, short);
  }
}

/** Raised when the machine cannot run the test (exit 3, never a pass). */
class NotRunnable extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join("; "));
  }
}

/** Namespaces the program created, from the state. */
function namespacesOf(state: readonly StateResource[]): string[] {
  return state
    .filter((r) => r.type === "kubernetes:core/v1:Namespace")
    .map((r) => (r as { outputs?: { metadata?: { name?: string } } }).outputs?.metadata?.name ?? "")
    .filter(Boolean)
    .sort();
}

/** Names of the ReplicaSets of each app component in the app namespace, sorted. */
async function replicaSetsByApp(cluster: TestCluster): Promise<Record<string, string[]>> {
  const list = JSON.parse(await cluster.kubectl(["get", "replicasets", "-n", "app", "-o", "json"])) as {
    items: { metadata: { name: string; labels?: Record<string, string> } }[];
  };
  const byApp: Record<string, string[]> = {};
  for (const rs of list.items) {
    const app = rs.metadata.labels?.["app.kubernetes.io/name"] ?? "?";
    (byApp[app] ??= []).push(rs.metadata.name);
  }
  for (const names of Object.values(byApp)) names.sort();
  return byApp;
}

function logWorkloads(workloads: Workloads): void {
  for (const w of workloads) log(`  ${w.kind} ${w.namespace}/${w.name}: ${w.ready}/${w.desired} ready`);
}

async function main(argv: string[]): Promise<number> {
  let options: EngineOptions;
  try {
    options = parseEngineArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`engine: ${error.message}\n`);
    return EXIT.usage;
  }
  const started = Date.now();
  const run = new Run(options);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      log(`${signal} received: stopping, then destroying what was created (send it again to exit at once)`);
      run.interrupt(signal);
      return;
    }
    log(`${signal} received again: exiting without finishing the cleanup; to clean up by hand:`);
    run.printLeftovers();
    process.stdout.write("engine: INTERRUPTED (not passed): cleanup skipped\n");
    process.exit(EXIT.interrupted);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let failure: string | undefined;
  let notRun: string[] | undefined;
  try {
    await run.execute();
  } catch (error) {
    if (error instanceof NotRunnable) notRun = error.reasons;
    else failure = describeError(error);
  }
  const problems = await run.cleanup();
  const timings = run.steps.timings.map(([short, ms]) => `${short} ${seconds(ms)}`);
  const summary = `${timings.join(", ")}; total ${seconds(Date.now() - started)}`;
  if (notRun) {
    process.stdout.write(`engine: NOT RUN (not passed): ${notRun.join("; ")}\n`);
    return EXIT.notRun;
  }
  if (run.interruptedBy) {
    process.stdout.write(
      `engine: INTERRUPTED (not passed) by ${run.interruptedBy}${problems.length ? `; ${problems.join("; ")}` : ""} (${summary})\n`,
    );
    return EXIT.interrupted;
  }
  const reasons = [...(failure === undefined ? [] : [failure]), ...problems.map((p) => `cleanup: ${p}`)];
  if (reasons.length > 0) {
    process.stdout.write(`engine: FAILED: ${reasons.join("; ")} (${summary})\n`);
    return EXIT.failed;
  }
  process.stdout.write(`engine: PASSED (${summary})\n`);
  return EXIT.passed;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stdout.write(
      `engine: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT.failed);
  },
);
