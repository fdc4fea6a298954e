// The Kubernetes cluster the engine test deploys to: a local control plane run by kwokctl (the
// kwok project's cluster manager: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
// the kwok controller, which plays the kubelet for fake nodes), or a cluster given with
// --kubeconfig. kubectl reads and writes it, as a user would.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { ControlPlaneBinaries } from "./toolchain";

/** A cluster for the test and the means to reach it. */
export interface TestCluster {
  /** Kubeconfig file of an admin of the cluster. */
  readonly kubeconfigPath: string;
  /** Context to use; absent: the file's current context. */
  readonly context?: string;
  /** Whether the cluster's nodes are kwok's fake nodes (no images pulled, no volumes provisioned). */
  readonly fake: boolean;
  /** Runs kubectl against the cluster and returns its stdout. */
  kubectl(args: readonly string[], input?: string): Promise<string>;
  /** Stops what the test started (nothing for a given cluster). */
  stop(): Promise<void>;
  /** Shell command that stops it by hand, when the test could not. */
  readonly manualStop?: string;
}

/** Runs a command, resolving to its stdout; the error names the command and carries its stderr. */
export function exec(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.cwd ? { cwd: options.cwd } : {}),
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim().split("\n").slice(-5).join("\n") || error.message;
          reject(new Error(`${path.basename(command)} ${args.slice(0, 3).join(" ")}: ${detail}`));
        } else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

function kubectlFor(kubectl: string, kubeconfigPath: string, context?: string) {
  const base = ["--kubeconfig", kubeconfigPath, ...(context ? ["--context", context] : [])];
  return (args: readonly string[], input?: string) =>
    exec(kubectl, [...base, ...args], input === undefined ? {} : { input });
}

/** A cluster the user already has (kind, minikube, …), from a kubeconfig file. */
export function givenCluster(kubectl: string, kubeconfigPath: string, context?: string): TestCluster {
  return {
    kubeconfigPath: path.resolve(kubeconfigPath),
    ...(context ? { context } : {}),
    fake: false,
    kubectl: kubectlFor(kubectl, path.resolve(kubeconfigPath), context),
    stop: async () => undefined,
  };
}

/**
 * Starts a control plane with kwokctl's binary runtime from the toolchain's binaries, bound to
 * 127.0.0.1, with admission (Pod Security included) and RBAC on, and one fake node.
 */
export async function startKwokCluster(
  binaries: ControlPlaneBinaries,
  kubectl: string,
  workDir: string,
  name: string,
): Promise<TestCluster> {
  const env = { ...process.env, KWOK_WORKDIR: workDir };
  const configFile = path.join(workDir, "kwokctl.yaml");
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(configFile, kwokctlConfiguration(binaries));
  const kwokctl = (args: string[], timeoutMs = 180_000) =>
    exec(binaries.kwokctl, [...args, "--name", name, "--config", configFile], { env, timeoutMs });
  const stop = async () => {
    await kwokctl(["delete", "cluster"], 60_000);
  };
  const kubeconfigPath = path.join(workDir, "clusters", name, "kubeconfig.yaml");
  try {
    await kwokctl(["create", "cluster", "--kubeconfig", path.join(workDir, "kubeconfig"), "--wait", "2m"]);
    await kwokctl(["scale", "node", "--replicas", "1"]);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    kubeconfigPath,
    fake: true,
    kubectl: kubectlFor(kubectl, kubeconfigPath),
    stop,
    manualStop: `KWOK_WORKDIR=${workDir} ${binaries.kwokctl} delete cluster --name ${name}`,
  };
}

/** kwokctl's configuration: every binary from the toolchain (nothing downloaded), loopback only. */
export function kwokctlConfiguration(binaries: ControlPlaneBinaries): string {
  return stringify({
    apiVersion: "config.kwok.x-k8s.io/v1alpha1",
    kind: "KwokctlConfiguration",
    options: {
      runtime: "binary",
      bindAddress: "127.0.0.1",
      kubeAdmission: true,
      kubeAuthorization: true,
      kubeApiserverBinary: binaries.kubeApiserver,
      kubeControllerManagerBinary: binaries.kubeControllerManager,
      kubeSchedulerBinary: binaries.kubeScheduler,
      etcdBinary: binaries.etcd,
      kwokControllerBinary: binaries.kwok,
    },
  });
}

/** What the test adds to a fake cluster so that it behaves like one with a controller and storage. */
export const FAKE_CLUSTER_SETUP = {
  /** IngressClass of the "existing" controller the stack uses; the test writes Ingress status for it. */
  ingressClass: "engine-test",
  ingressControllerNamespace: "ingress-engine-test",
  /** StorageClass with static volumes, as kwok has no provisioner. */
  storageClass: "engine-test",
} as const;

/**
 * As one manifest: the IngressClass whose controller the test plays, and on a fake cluster (which
 * provisions no volumes) a StorageClass with `volumes` static PersistentVolumes.
 */
export function fakeClusterManifest(what: {
  ingressClass: boolean;
  storageClass?: boolean;
  volumes: number;
}): string {
  const docs: unknown[] = [
    ...(what.ingressClass
      ? [
          {
            apiVersion: "networking.k8s.io/v1",
            kind: "IngressClass",
            metadata: { name: FAKE_CLUSTER_SETUP.ingressClass },
            spec: { controller: "platform.test/engine-test" },
          },
        ]
      : []),
    ...((what.storageClass ?? true)
      ? [
          {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: FAKE_CLUSTER_SETUP.storageClass },
            provisioner: "kubernetes.io/no-provisioner",
            // As DigitalOcean's do-block-storage: claims bind at once (a claim no pod has used yet, as
            // the nightly backup's, can then grow too; with WaitForFirstConsumer it could not).
            volumeBindingMode: "Immediate",
            reclaimPolicy: "Retain",
            // As DigitalOcean's and most CSI classes: claims may grow.
            allowVolumeExpansion: true,
          },
        ]
      : []),
    ...Array.from({ length: what.volumes }, (_, i) => ({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: `engine-test-${i}` },
      spec: {
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: FAKE_CLUSTER_SETUP.storageClass,
        hostPath: { path: `/var/lib/engine-test/${i}` },
      },
    })),
  ];
  return docs.map((doc) => stringify(doc)).join("---\n");
}
