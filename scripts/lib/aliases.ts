// Aliases `pulumi up` refuses: the mock runtime accepts any, the engine does not.
import type { Violation } from "../../policies/engine";
import type { PlannedResource } from "./evaluate";

/** Name under which the plan reports aliases the engine refuses (not a policy of the pack). */
export const ALIAS_CONFLICTS = "alias-conflicts";

/**
 * One mandatory violation per alias the engine would refuse with its error 2008 ("Duplicate
 * resource alias", pulumi/pulumi pkg/diag/errors.go): an alias that names a URN the program also
 * registers, or that a second resource claims as well. Each names the resources involved.
 */
export function aliasConflicts(resources: readonly Pick<PlannedResource, "urn" | "aliases">[]): Violation[] {
  const registered = new Set(resources.map((r) => r.urn));
  const claimedBy = new Map<string, string>();
  const violations: Violation[] = [];
  const conflict = (resource: string, message: string) =>
    violations.push({ policy: ALIAS_CONFLICTS, enforcementLevel: "mandatory", resource, message });
  for (const { urn, aliases } of resources) {
    for (const alias of new Set(aliases)) {
      if (alias === urn) continue;
      const other = registered.has(alias) ? alias : claimedBy.get(alias);
      if (other !== undefined)
        conflict(
          urn,
          `alias ${alias} conflicts with ${other === alias ? "the resource registered under it" : other}: ` +
            "pulumi up refuses a duplicate resource alias",
        );
      else claimedBy.set(alias, urn);
    }
  }
  return violations;
}
