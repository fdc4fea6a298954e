// What the engine test checks on the cluster itself, with kubectl, and the part it plays for a
// controller the cluster lacks (an ingress controller that writes Ingress status).
import type { TestCluster } from "./cluster";

/** Whether the namespace exists on the cluster. */
export async function namespaceExists(cluster: TestCluster, namespace: string): Promise<boolean> {
  const found = await cluster.kubectl(["get", "namespace", namespace, "--ignore-not-found", "-o", "name"]);
  return found.trim() !== "";
}

/** One workload and how many of its pods are ready. */
export type Workloads = { kind: string; namespace: string; name: string; desired: number; ready: number }[];

interface Condition {
  readonly type: string;
  readonly status: string;
}
interface Workload {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: { readonly replicas?: number };
  readonly status?: {
    readonly availableReplicas?: number;
    readonly readyReplicas?: number;
    readonly conditions?: readonly Condition[];
  };
}

/**
 * Every Deployment is Available with all its replicas, every StatefulSet has all its replicas
 * ready, every pod is Ready, and no controller reports a pod the API server refused (FailedCreate,
 * which is how Pod Security Admission refuses a workload's pods).
 * @throws Error naming each workload that is not, and each refusal.
 */
export async function checkWorkloads(
  cluster: TestCluster,
  namespaces: readonly string[],
): Promise<Workloads> {
  const problems: string[] = [];
  const result: Workloads = [];
  for (const namespace of namespaces) {
    const list = await getJson<{ items: Workload[] }>(cluster, [
      "get",
      "deployments,statefulsets",
      "-n",
      namespace,
    ]);
    for (const w of list.items) {
      const desired = w.spec.replicas ?? 1;
      const ready = (w.kind === "Deployment" ? w.status?.availableReplicas : w.status?.readyReplicas) ?? 0;
      const available = w.status?.conditions?.some((c) => c.type === "Available" && c.status === "True");
      result.push({ kind: w.kind, namespace, name: w.metadata.name, desired, ready });
      if (ready < desired || (w.kind === "Deployment" && !available))
        problems.push(`${w.kind} ${namespace}/${w.metadata.name}: ${ready}/${desired} ready`);
    }
    const pods = await getJson<{
      items: { metadata: { name: string }; status: { conditions?: Condition[] } }[];
    }>(cluster, ["get", "pods", "-n", namespace]);
    for (const pod of pods.items) {
      if (!pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
        problems.push(`pod ${namespace}/${pod.metadata.name} is not Ready`);
    }
    const events = await getJson<{
      items: { reason: string; message: string; involvedObject: { name: string } }[];
    }>(cluster, ["get", "events", "-n", namespace, "--field-selector", "reason=FailedCreate"]);
    for (const e of events.items)
      problems.push(`${e.involvedObject.name} could not create a pod: ${e.message}`);
  }
  if (result.length === 0) problems.push(`no Deployment or StatefulSet in ${namespaces.join(", ")}`);
  if (problems.length > 0) throw new Error(problems.join("; "));
  return result;
}

/**
 * Asks the API server, without creating anything (server-side dry run), to admit in `namespace` a
 * pod that the baseline Pod Security profile allows and the restricted one refuses (no security
 * context at all). Resolves to Pod Security's refusal, `violates PodSecurity "restricted:v1.33"`;
 * throws when the pod is admitted or refused under another level.
 */
export async function podSecurityRefusal(cluster: TestCluster, namespace: string): Promise<string> {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "pod-security-probe", namespace },
    spec: { containers: [{ name: "probe", image: "registry.invalid/probe:1" }] },
  };
  try {
    await cluster.kubectl(["create", "--dry-run=server", "-f", "-"], JSON.stringify(pod));
  } catch (error) {
    const match = /violates PodSecurity "([^"]+)"/.exec(String(error));
    if (match?.[1].startsWith("restricted:")) return `violates PodSecurity "${match[1]}"`;
    if (match)
      throw new Error(`namespace ${namespace} enforces ${match[1]}, not restricted`, { cause: error });
    throw error;
  }
  throw new Error(
    `namespace ${namespace} admitted a pod without a security context: Pod Security restricted is not enforced there`,
  );
}

/**
 * Plays the cluster's ingress controller for one IngressClass until the returned function is
 * called: writes `status.loadBalancer` of each of its Ingresses that has none, as a controller
 * does (Pulumi waits for it before an Ingress counts as ready).
 */
export function playIngressController(
  cluster: TestCluster,
  className: string,
  say: (message: string) => void,
): () => Promise<void> {
  let stopped = false;
  const written = new Set<string>();
  const tick = async () => {
    const list = await getJson<{
      items: {
        metadata: { name: string; namespace: string };
        spec: { ingressClassName?: string };
        status?: { loadBalancer?: { ingress?: unknown[] } };
      }[];
    }>(cluster, ["get", "ingresses", "--all-namespaces"]);
    for (const ingress of list.items) {
      if (ingress.spec.ingressClassName !== className || ingress.status?.loadBalancer?.ingress?.length)
        continue;
      const { name, namespace } = ingress.metadata;
      await cluster.kubectl([
        "patch",
        "ingress",
        name,
        "-n",
        namespace,
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: "127.0.0.1" }] } } }),
      ]);
      if (!written.has(`${namespace}/${name}`))
        say(`wrote the status of Ingress ${namespace}/${name}, as its controller would`);
      written.add(`${namespace}/${name}`);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await tick().catch(() => undefined); // the API may be busy; the next tick retries
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

async function getJson<T>(cluster: TestCluster, args: string[]): Promise<T> {
  return JSON.parse(await cluster.kubectl([...args, "-o", "json"])) as T;
}
