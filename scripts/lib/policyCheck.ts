import {
  loadPolicyConfig,
  PolicyConfig,
  ResourceUnderTest,
  runPolicies,
  Violation,
} from "../../policies/engine";
import { validateKubernetesSchema } from "../../policies/schema";
import { UsageError } from "./cli";
import { Evaluation, PlannedResource } from "./evaluate";

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
  const config = stackPolicyConfig(policyConfigStack ?? evaluation.stack);
  const resources = evaluation.resources.map(underTest);
  return [...(await validateKubernetesSchema(resources)), ...runPolicies(resources, config)];
}

/** The policy config of `stack`; a missing or invalid one is a {@link UsageError} naming the file. */
export function stackPolicyConfig(stack: string): PolicyConfig {
  try {
    return loadPolicyConfig(stack);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A planned resource as the pack and the schema validation take it. */
export function underTest(r: PlannedResource): ResourceUnderTest {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: r.inputs,
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
}
