import { record, str } from "./paths";
import type { KubeObject } from "./stackObjects";

/** An HPA and the minimum it scales its target to. */
export interface HpaTarget {
  readonly hpa: KubeObject;
  /** `spec.minReplicas`, 1 when unset (the Kubernetes default). */
  readonly minReplicas: number;
}

/** HPAs by the `namespace/Kind/name` of the workload they scale. */
export function hpaTargets(objects: readonly KubeObject[]): Map<string, HpaTarget> {
  const map = new Map<string, HpaTarget>();
  for (const o of objects) {
    if (o.kind !== "HorizontalPodAutoscaler") continue;
    const spec = record(o.props.spec);
    const ref = record(spec.scaleTargetRef);
    const kind = str(ref.kind);
    const name = str(ref.name);
    if (!kind || !name) continue;
    const min = typeof spec.minReplicas === "number" ? spec.minReplicas : 1;
    map.set(`${o.namespace}/${kind}/${name}`, { hpa: o, minReplicas: min });
  }
  return map;
}
