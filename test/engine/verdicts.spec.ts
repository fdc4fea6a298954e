import * as assert from "node:assert/strict";
import { differentVerdicts, sameVerdicts } from "./verdicts";

const URN = "urn:pulumi:s::platform::kubernetes:networking.k8s.io/v1:Ingress::app";

describe("engine test: the pack's verdicts, offline and on the engine", () => {
  it("agree on policy, resource and level; messages may differ in form", () => {
    assert.deepEqual(
      sameVerdicts(
        [
          {
            policy: "require-ingress-tls",
            enforcementLevel: "advisory",
            resource: URN,
            message: "spec.tls is not set",
          },
        ],
        [
          {
            policy: "require-ingress-tls",
            enforcementLevel: "advisory",
            resource: URN,
            message: "Ingresses use TLS\nspec.tls is not set",
          },
        ],
      ),
      [],
    );
  });

  it("leave out the offline schema check and notes on values unknown in a preview", () => {
    const offline = [
      { policy: "kubernetes-schema", enforcementLevel: "mandatory" as const, resource: URN, message: "x" },
      {
        policy: "disallow-unpinned-images",
        enforcementLevel: "advisory" as const,
        resource: URN,
        message: "cannot be checked during preview: image is unknown",
      },
    ];
    assert.deepEqual(sameVerdicts(offline, []), []);
  });

  it("name each verdict found on one side only", () => {
    assert.deepEqual(
      sameVerdicts(
        [{ policy: "require-ingress-tls", enforcementLevel: "mandatory", resource: URN, message: "" }],
        [{ policy: "require-ingress-tls", enforcementLevel: "advisory", resource: URN, message: "" }],
      ),
      [
        `only offline: mandatory require-ingress-tls ${URN}`,
        `only on the engine: advisory require-ingress-tls ${URN}`,
      ],
    );
  });

  it("compare two engine runs of the pack (executable and folder) the same way", () => {
    const tls = { policy: "require-ingress-tls", enforcementLevel: "advisory", resource: URN, message: "a" };
    assert.deepEqual(differentVerdicts([tls], [{ ...tls, message: "b" }]), []);
    assert.deepEqual(differentVerdicts([tls], []), [
      `only with the executable pack: advisory require-ingress-tls ${URN}`,
    ]);
  });
});
