import assert from "node:assert/strict";
import { join } from "node:path";
import { itKeepsTheImageContract, stages } from "../../testing/imageContract";

describe("api: image contract (Dockerfile)", () => {
  const dockerfile = join(__dirname, "..", "Dockerfile");
  const all = stages(dockerfile);
  const final = all.at(-1) ?? [];

  itKeepsTheImageContract(dockerfile);

  it("copies only production dependencies, the compiled code and the migrations into the final stage", () => {
    assert.deepEqual(
      final.filter((l) => l.startsWith("COPY ")),
      [
        "COPY --from=build /app/package.json ./",
        "COPY --from=build /app/node_modules ./node_modules",
        "COPY --from=build /app/dist ./dist",
        // dist/migrate.js reads ../migrations.
        "COPY migrations ./migrations",
      ],
    );
    assert.ok(all[0].includes("RUN npm run build && npm prune --omit=dev --no-audit --no-fund"));
  });
});
