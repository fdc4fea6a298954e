import * as assert from "node:assert/strict";
import { ALIAS_CONFLICTS, aliasConflicts } from "../../scripts/lib/aliases";
import { evaluatePreview } from "../app/deployed";

// The mock runtime takes any alias; the engine refuses one that two resources claim, or that names
// a resource the program also registers, when the stack's state holds that URN (error 2008,
// pulumi/pulumi sdk/go/common/diag/errors.go). The plan has no state: it advises.
describe("alias conflicts", () => {
  const urn = (name: string) => `urn:pulumi:dev::platform::kubernetes:core/v1:ConfigMap::${name}`;

  it("finds none in the shipped stacks", async () => {
    for (const stack of ["dev", "staging", "prod", "existing"])
      assert.deepEqual(aliasConflicts((await evaluatePreview(stack)).resources), [], stack);
  });

  it("advises against an alias a second resource claims too, naming both", () => {
    const violations = aliasConflicts([
      { urn: urn("a"), aliases: [urn("old")] },
      { urn: urn("b"), aliases: [urn("old")] },
    ]);
    assert.deepEqual(violations, [
      {
        policy: ALIAS_CONFLICTS,
        enforcementLevel: "advisory",
        resource: urn("b"),
        message: `alias ${urn("old")} is also ${urn("a")}'s: pulumi up refuses it if the stack's state holds that URN (duplicate resource alias)`,
      },
    ]);
  });

  it("advises against an alias that names a resource the program registers", () => {
    const violations = aliasConflicts([
      { urn: urn("a"), aliases: [urn("b")] },
      { urn: urn("b"), aliases: [] },
    ]);
    assert.deepEqual(
      violations.map((v) => [v.resource, v.message]),
      [
        [
          urn("a"),
          `alias ${urn("b")} names a resource the program registers: pulumi up refuses it if the stack's state holds that URN (duplicate resource alias)`,
        ],
      ],
    );
  });

  it("takes an alias of a resource's own URN, or the same alias twice on one resource, as no conflict", () => {
    assert.deepEqual(aliasConflicts([{ urn: urn("a"), aliases: [urn("a"), urn("old"), urn("old")] }]), []);
  });
});
