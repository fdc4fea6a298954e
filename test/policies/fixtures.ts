// Compliant fixtures for every kind the pack checks, and helpers that change exactly one field.
import * as assert from "node:assert/strict";
import type { Policies } from "@pulumi/policy";
import {
  type PolicyConfig,
  type ResourceUnderTest,
  runPolicies,
  type Violation,
} from "../../policies/engine";

/** Pod-carrying kinds with their type token and the path of their pod spec. */
export const WORKLOADS = {
  Pod: { type: "kubernetes:core/v1:Pod", podPath: "spec" },
  PodTemplate: { type: "kubernetes:core/v1:PodTemplate", podPath: "template.spec" },
  ReplicationController: { type: "kubernetes:core/v1:ReplicationController", podPath: "spec.template.spec" },
  Deployment: { type: "kubernetes:apps/v1:Deployment", podPath: "spec.template.spec" },
  StatefulSet: { type: "kubernetes:apps/v1:StatefulSet", podPath: "spec.template.spec" },
  DaemonSet: { type: "kubernetes:apps/v1:DaemonSet", podPath: "spec.template.spec" },
  ReplicaSet: { type: "kubernetes:apps/v1:ReplicaSet", podPath: "spec.template.spec" },
  Job: { type: "kubernetes:batch/v1:Job", podPath: "spec.template.spec" },
  CronJob: { type: "kubernetes:batch/v1:CronJob", podPath: "spec.jobTemplate.spec.template.spec" },
} as const;

/** A workload kind. */
export type WorkloadKind = keyof typeof WORKLOADS;

/** Every workload kind. */
export const WORKLOAD_KINDS = Object.keys(WORKLOADS) as WorkloadKind[];

function container(name: string, image: string): Record<string, unknown> {
  return {
    name,
    image,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
  };
}

/** A pod spec that passes every workload policy (restricted profile, pinned images, limits, probes). */
export function compliantPodSpec(): Record<string, unknown> {
  const app = {
    ...container("app", "registry.example.com/shop/app:1.2.3"),
    ports: [{ containerPort: 8080 }],
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
  };
  // Ephemeral containers may not declare resources, probes or ports.
  const debug = container("debug", "registry.example.com/tools/debug:0.4.0");
  delete debug.resources;
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    initContainers: [container("migrate", "registry.example.com/shop/migrate:1.2.3")],
    containers: [app],
    ephemeralContainers: [debug],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
}

/** `kubernetes:...` URN for a test resource. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::k8s-platform::${type}::${name}`;
}

/** A Kubernetes object as a resource under test. */
export function kube(type: string, props: Record<string, unknown>, name?: string): ResourceUnderTest {
  const metaName = (props.metadata as { name?: string } | undefined)?.name ?? "obj";
  return { urn: urnOf(type, name ?? metaName), type, name: name ?? metaName, props };
}

/** A compliant workload of the given kind in namespace `shop`, named `app`. */
export function workload(kind: WorkloadKind, replicas?: number): ResourceUnderTest {
  const { type, podPath } = WORKLOADS[kind];
  const apiVersion = type.split(":")[1].replace(/^core\//, "");
  const props: Record<string, unknown> = {
    apiVersion,
    kind,
    metadata: { name: "app", namespace: "shop" },
  };
  const template = { metadata: { labels: { app: "app" } }, spec: compliantPodSpec() };
  if (kind === "Pod")
    Object.assign(props, template, { metadata: { ...template.metadata, name: "app", namespace: "shop" } });
  else setPath(props, podPath.replace(/\.spec$/, ""), template);
  if (replicas !== undefined) setPath(props, "spec.replicas", replicas);
  if (kind === "CronJob") setPath(props, "spec.schedule", "0 3 * * *");
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(kind)) {
    setPath(props, "spec.selector", { matchLabels: { app: "app" } });
  }
  return kube(type, props);
}

function segments(path: string): string[] {
  return path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "");
}

/** Sets (or, with `undefined`, deletes) the field at a dotted path, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = segments(path);
  let cur = obj as Record<string, unknown>;
  for (const seg of segs.slice(0, -1)) {
    if (cur[seg] === undefined) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  }
  const last = segs[segs.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

/** A copy of the resource with exactly one field changed (`undefined` deletes it). */
export function withField(resource: ResourceUnderTest, path: string, value: unknown): ResourceUnderTest {
  const props = structuredClone(resource.props);
  setPath(props, path, value);
  return { ...resource, props };
}

/** A copy of a workload with one field of its pod spec changed. */
export function withPodField(kind: WorkloadKind, path: string, value: unknown): ResourceUnderTest {
  return withField(workload(kind), `${WORKLOADS[kind].podPath}.${path}`, value);
}

/** Runs one policy with the given settings (mandatory) and returns its violations. */
export function violationsOf(
  policy: Policies[number],
  resources: ResourceUnderTest[],
  settings: Record<string, unknown> = {},
): Violation[] {
  const config: PolicyConfig = { all: "mandatory", [policy.name]: settings };
  return runPolicies(resources, config, [policy]);
}

/** Asserts the exact messages one policy reports. */
export function assertMessages(
  policy: Policies[number],
  resources: ResourceUnderTest | ResourceUnderTest[],
  expected: string[],
  settings: Record<string, unknown> = {},
): void {
  const list = Array.isArray(resources) ? resources : [resources];
  assert.deepEqual(
    violationsOf(policy, list, settings).map((v) => v.message),
    expected,
  );
}

/** Declares one test per workload kind asserting the compliant fixture passes the policy. */
export function itPassesEveryCompliantKind(
  policy: Policies[number],
  settings: Record<string, unknown> = {},
): void {
  for (const kind of WORKLOAD_KINDS) {
    it(`passes a compliant ${kind}`, () => assertMessages(policy, workload(kind), [], settings));
  }
}
