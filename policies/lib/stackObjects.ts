import type { PolicyResource } from "@pulumi/policy";
import { kubernetesId } from "./exemptions";
import { parseKubernetesType } from "./kinds";
import { record, str } from "./paths";
import { podSpecOf, type PodSpecRef } from "./podSpec";

/** A Kubernetes object of the stack with what stack policies look up. */
export interface KubeObject {
  readonly resource: PolicyResource;
  readonly group: string;
  readonly kind: string;
  /** `metadata.namespace`, `default` when unset. */
  readonly namespace: string;
  readonly name: string;
  /** `kind/namespace/name` for messages. */
  readonly id: string;
  readonly props: Record<string, unknown>;
  /** The pod template of a workload. */
  readonly pod?: PodSpecRef;
}

/** The stack's Kubernetes objects (other providers' resources are left out). */
export function kubernetesObjects(resources: readonly PolicyResource[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const resource of resources) {
    const t = parseKubernetesType(resource.type);
    if (!t) continue;
    const props = resource.props as Record<string, unknown>;
    const meta = record(props.metadata);
    out.push({
      resource,
      group: t.group,
      kind: t.kind,
      namespace: str(meta.namespace) || "default",
      name: str(meta.name) ?? resource.name,
      id: kubernetesId(resource.type, props) ?? resource.name,
      props,
      pod: podSpecOf(resource.type, props),
    });
  }
  return out;
}

/** Groups objects by namespace. */
export function byNamespace(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const map = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const list = map.get(o.namespace);
    if (list) list.push(o);
    else map.set(o.namespace, [o]);
  }
  return map;
}
