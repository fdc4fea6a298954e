import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { itKeepsTheImageContract, stages } from "../../testing/imageContract";

describe("web: image contract (Dockerfile)", () => {
  const dockerfile = join(__dirname, "..", "Dockerfile");
  const final = stages(dockerfile).at(-1) ?? [];

  itKeepsTheImageContract(dockerfile);

  it("copies the compiled code and the page into the final stage, and no node_modules (no runtime deps)", () => {
    assert.deepEqual(
      final.filter((l) => l.startsWith("COPY ")),
      [
        "COPY --from=build /app/package.json ./",
        "COPY --from=build /app/dist ./dist",
        // dist/server.js serves ../public.
        "COPY public ./public",
      ],
    );
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.equal(pkg.dependencies, undefined);
  });
});
