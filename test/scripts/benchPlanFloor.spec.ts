import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planDocument } from "../../scripts/lib/render";
import { evaluatePreview } from "../app/deployed";
import { PROJECT_DIR, runToolAsync } from "../helpers";

// `npm run bench:plan` reports a floor: the plan's own resources registered with no program
// logic. It only means something if the replay registers exactly what the plan planned.
describe("bench:plan's floor (scripts/bench-plan-floor.ts)", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), "bench-floor-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const replay = async (mutate: (doc: ReturnType<typeof planDocument>) => void) => {
    const doc = planDocument(await evaluatePreview("prod"), []);
    mutate(doc);
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(doc));
    return runToolAsync(PROJECT_DIR, "scripts/bench-plan-floor.ts", [file]);
  };

  it("registers the prod plan's resources with the inputs, parents, providers, dependencies and aliases planned", async () => {
    const run = await replay(() => {});
    assert.equal(run.stderr, "");
    assert.equal(run.code, 0);
  });

  it("fails, naming the resource, when the document and the registration differ", async () => {
    let changed = "";
    const run = await replay((doc) => {
      // A dependency on a resource the document does not hold: the replay cannot register it, and
      // its URN-for-URN comparison must notice the dependency it left out.
      const ingress = doc.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")!;
      changed = ingress.urn;
      ingress.dependencies = [...ingress.dependencies, "urn:pulumi:prod::platform::test:index:Ghost::ghost"];
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^bench-plan-floor: the replay differs from the plan:\n/);
    assert.ok(
      run.stderr.includes(`${changed}: [parent, provider, dependencies, aliases, inputs]`),
      run.stderr,
    );
  });
});
