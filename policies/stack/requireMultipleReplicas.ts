import { stackPolicy } from "../lib/define";
import { hpaTargets } from "../lib/hpaTargets";
import { record } from "../lib/paths";
import { kubernetesObjects } from "../lib/stackObjects";

/** Config of {@link requireMultipleReplicas}. */
export interface MultipleReplicasConfig {
  /** Fewest replicas a Deployment or StatefulSet without an HPA may run. Default: 2. */
  readonly minReplicas: number;
}

const KINDS: ReadonlySet<string> = new Set(["Deployment", "StatefulSet"]);

/**
 * Deployments and StatefulSets that no HorizontalPodAutoscaler scales run at least `minReplicas`
 * replicas (2 by default; `spec.replicas` unset means 1), so that one node drain or failure does not
 * take them down (Polaris `deploymentMissingReplicas`, kube-score `deployment-replicas`). Workloads an
 * HPA scales are left to `require-hpa-min-replicas`. Advisory by default; the stacks that want
 * availability (prod) enable it in their policy config.
 */
export const requireMultipleReplicas = stackPolicy<MultipleReplicasConfig>({
  name: "require-multiple-replicas",
  description: "Deployments and StatefulSets without an HPA run at least two replicas.",
  enforcementLevel: "advisory",
  remediationSteps: "Set spec.replicas to at least the stack's minimum, or scale the workload with an HPA.",
  configSchema: {
    properties: {
      minReplicas: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest replicas a workload without an HPA may run.",
      },
    },
  },
  check: ({ resources, config, report }) => {
    const objects = kubernetesObjects(resources);
    const hpas = hpaTargets(objects);
    for (const w of objects) {
      if (!w.pod || !KINDS.has(w.kind) || hpas.has(`${w.namespace}/${w.kind}/${w.name}`)) continue;
      const replicas = record(w.props.spec).replicas;
      const count = typeof replicas === "number" ? replicas : 1;
      if (count >= config.minReplicas) continue;
      const shown = typeof replicas === "number" ? `is ${replicas}` : "is not set (1)";
      report(
        w.resource,
        `${w.id}: spec.replicas ${shown} and no HorizontalPodAutoscaler scales it; one node drain or ` +
          `failure takes it down (the stack asks for at least ${config.minReplicas})`,
      );
    }
  },
});
