import { stackPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { kubernetesObjects } from "../lib/stackObjects";
import { hpaTargets } from "../lib/hpaTargets";

/**
 * Workloads scaled by an HPA do not set `spec.replicas`: every apply would reset the replica count
 * the HPA chose.
 */
export const disallowReplicasWithHpa = stackPolicy({
  name: "disallow-replicas-with-hpa",
  description: "Deployments and StatefulSets scaled by a HorizontalPodAutoscaler do not set spec.replicas.",
  enforcementLevel: "advisory",
  check: ({ resources, report }) => {
    const objects = kubernetesObjects(resources);
    const hpas = hpaTargets(objects);
    for (const w of objects) {
      if (!w.pod) continue;
      const target = hpas.get(`${w.namespace}/${w.kind}/${w.name}`);
      if (target && record(w.props.spec).replicas !== undefined) {
        report(w.resource, `${w.id}: spec.replicas is set but ${target.hpa.id} scales it`);
      }
    }
  },
});
