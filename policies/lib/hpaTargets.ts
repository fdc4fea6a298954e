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

/**
 * The replica count a workload runs with: an HPA's minimum (or the declared count, if higher) when
 * an HPA scales it, else `spec.replicas`, 1 when unset (the Kubernetes default).
 */
export function effectiveReplicas(w: KubeObject, hpas: ReadonlyMap<string, HpaTarget>): number {
  const replicas = record(w.props.spec).replicas;
  const hpaMin = hpas.get(`${w.namespace}/${w.kind}/${w.name}`)?.minReplicas;
  if (hpaMin !== undefined) return Math.max(hpaMin, typeof replicas === "number" ? replicas : 0);
  return typeof replicas === "number" ? replicas : 1;
}
