import { PlanResource } from "../../scripts/lib/diff";
import { Evaluation, PlannedResource, SECRET, UNKNOWN } from "../../scripts/lib/evaluate";
import { planDocument } from "../../scripts/lib/render";
import { planned } from "../helpers";

export { planned };

/** The resources of an evaluation in `plan --json` form, the way the diff receives both sides. */
export function planOf(...resources: PlannedResource[]): PlanResource[] {
  const evaluation: Evaluation = { project: "platform", stack: "dev", resources, outputs: {} };
  return planDocument(evaluation, []).resources;
}

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const SECRET_TYPE = "kubernetes:core/v1:Secret";
export const CLUSTER = "digitalocean:index/kubernetesCluster:KubernetesCluster";

/** The base of every fixture diff: a deployment, a secret, a cluster and a config map. */
export function base(): PlannedResource[] {
  return [
    planned(DEPLOYMENT, "api", {
      metadata: { labels: { "app.kubernetes.io/name": "api" } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: "api", image: "api:1" }] } } },
    }),
    planned(SECRET_TYPE, "db", { stringData: { password: SECRET, user: "app" } }),
    planned(CLUSTER, "doks", { version: UNKNOWN, region: "fra1", ha: false }, true),
    planned("kubernetes:core/v1:ConfigMap", "old", { data: { a: "1" } }),
  ];
}
