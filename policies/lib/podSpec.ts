import { isRecord, record, records, str } from "./paths";
import { workloadKind } from "./kinds";

/** Where a workload keeps its pod template: the pod spec, its metadata and their paths. */
export interface PodSpecRef {
  /** Workload kind, e.g. `CronJob`. */
  readonly kind: string;
  /** The pod spec object (`{}` when the workload has none yet). */
  readonly spec: Record<string, unknown>;
  /** Path of the pod spec, e.g. `spec.jobTemplate.spec.template.spec`. */
  readonly path: string;
  /** The pod template's metadata (labels, annotations). */
  readonly metadata: Record<string, unknown>;
  /** Path of that metadata. */
  readonly metadataPath: string;
}

/** The three container lists of a pod spec. */
export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";

/** Every container list, in the order messages report them. */
export const ALL_CONTAINER_LISTS: readonly ContainerList[] = [
  "containers",
  "initContainers",
  "ephemeralContainers",
];

/** One container of a pod spec and how to name it in a message. */
export interface ContainerRef {
  readonly container: Record<string, unknown>;
  readonly list: ContainerList;
  readonly index: number;
  /** The container's name (`""` if unnamed). */
  readonly name: string;
  /** Path of the container, e.g. `spec.template.spec.initContainers[0]`. */
  readonly path: string;
  /** Path and name for messages: `spec.template.spec.initContainers[0] "migrate"`. */
  readonly label: string;
}

// Path from the object root to the pod template, per workload kind.
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ["template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};
const DEFAULT_TEMPLATE_PATH = ["spec", "template"];

/**
 * Finds the pod spec of any pod-carrying kind (Pod, PodTemplate, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob); undefined for any other type.
 */
export function podSpecOf(type: string, props: Record<string, unknown>): PodSpecRef | undefined {
  const kind = workloadKind(type);
  if (!kind) return undefined;
  const templatePath = TEMPLATE_PATHS[kind] ?? DEFAULT_TEMPLATE_PATH;
  let template: Record<string, unknown> = props;
  for (const key of templatePath) template = record(template[key]);
  const prefix = templatePath.length ? `${templatePath.join(".")}.` : "";
  return {
    kind,
    spec: record(template.spec),
    path: `${prefix}spec`,
    metadata: record(template.metadata),
    metadataPath: `${prefix}metadata`,
  };
}

/** The containers of the given lists (all three by default) with their message labels. */
export function containersOf(
  pod: PodSpecRef,
  lists: readonly ContainerList[] = ALL_CONTAINER_LISTS,
): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of lists) {
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container: unknown, index: number) => {
      if (!isRecord(container)) return;
      const name = str(container.name) ?? "";
      const path = `${pod.path}.${list}[${index}]`;
      out.push({ container, list, index, name, path, label: `${path} "${name}"` });
    });
  }
  return out;
}

/**
 * Whether the pod declares `spec.os.name: windows`. Since v1.25 Pod Security exempts such pods from
 * the Linux-only restricted controls (privilege escalation, capabilities, seccomp), and the API
 * server refuses those fields on them.
 */
export function isWindowsPod(pod: PodSpecRef): boolean {
  return record(pod.spec.os).name === "windows";
}

/**
 * Whether the pod runs in a user namespace (`spec.hostUsers: false`). Since v1.35 Pod Security relaxes
 * the run-as-non-root, run-as-user and (baseline only) /proc mount controls for such pods.
 */
export function inUserNamespace(pod: PodSpecRef): boolean {
  return pod.spec.hostUsers === false;
}

/** The pod's volumes with their paths. */
export function volumesOf(pod: PodSpecRef): { volume: Record<string, unknown>; path: string }[] {
  return records(pod.spec.volumes).map((volume, i) => ({ volume, path: `${pod.path}.volumes[${i}]` }));
}
