import { loadPolicyConfig, ResourceUnderTest, runPolicies, Violation } from "../../policies/engine";
import { validateKubernetesSchema } from "../../policies/schema";
import { UsageError } from "./cli";
import { Evaluation } from "./evaluate";

/**
 * Runs the policy pack, with the stack's policy config (`policies/config/<stack>.json`, or that of
 * `policyConfigStack`), and the Kubernetes schema validation over every resource the program
 * declares — what `pulumi preview --policy-pack` would check, plus the schema the API server would
 * enforce.
 */
export async function checkEvaluation(
  evaluation: Evaluation,
  policyConfigStack?: string,
): Promise<Violation[]> {
  let config;
  try {
    config = loadPolicyConfig(policyConfigStack ?? evaluation.stack);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const resources: ResourceUnderTest[] = evaluation.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: r.inputs,
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  }));
  return [...(await validateKubernetesSchema(resources)), ...runPolicies(resources, config)];
}
