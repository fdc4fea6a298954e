// Aliases `pulumi up` may refuse: the mock runtime accepts any, the engine does not.
import type { Violation } from "../../policies/engine";
import type { PlannedResource } from "./evaluate";

/** Name under which the plan reports conflicting aliases (not a policy of the pack). */
export const ALIAS_CONFLICTS = "alias-conflicts";

/**
 * One advisory per alias that a second resource claims as well, or that names a URN the program
 * also registers. The engine refuses such an alias ("Duplicate resource alias", error 2008 in
 * pulumi/pulumi sdk/go/common/diag/errors.go) when the stack's state holds the URN it names; the
 * plan has no state, hence advisory. Each names the resources involved.
 */
export function aliasConflicts(resources: readonly Pick<PlannedResource, "urn" | "aliases">[]): Violation[] {
  const registered = new Set(resources.map((r) => r.urn));
  const claimedBy = new Map<string, string>();
  const violations: Violation[] = [];
  for (const { urn, aliases } of resources) {
    for (const alias of new Set(aliases)) {
      if (alias === urn) continue;
      const other = registered.has(alias) ? alias : claimedBy.get(alias);
      if (other === undefined) {
        claimedBy.set(alias, urn);
        continue;
      }
      const conflict = other === alias ? "names a resource the program registers" : `is also ${other}'s`;
      violations.push({
        policy: ALIAS_CONFLICTS,
        enforcementLevel: "advisory",
        resource: urn,
        message: `alias ${alias} ${conflict}: pulumi up refuses it if the stack's state holds that URN (duplicate resource alias)`,
      });
    }
  }
  return violations;
}
