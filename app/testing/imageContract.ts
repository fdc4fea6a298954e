// The image contract both app Dockerfiles keep (see app/README.md), checked from each app's tests.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

/** The Dockerfile's instructions, continuation lines joined, grouped by stage. */
export function stages(file: string): string[][] {
  const lines = readFileSync(file, "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim().replace(/\s+/g, " "))
    .filter((l) => l !== "" && !l.startsWith("#"));
  const result: string[][] = [];
  for (const line of lines) {
    if (line.startsWith("FROM ")) result.push([]);
    result.at(-1)?.push(line);
  }
  return result;
}

/** The contract's shared part: pinned base image, numeric non-root user, entry point, no shells. */
export function itKeepsTheImageContract(dockerfile: string): void {
  const all = stages(dockerfile);
  const final = all.at(-1) ?? [];

  it("builds from one node:22 slim image, pinned by exact version tag (a digest only as the bot adds it)", () => {
    const from = all.map((s) => s[0]);
    // The dependency bot may bump the version and append @sha256:<digest>; both keep this shape.
    const pinned = /^FROM (node:22\.\d+\.\d+-trixie-slim(?:@sha256:[0-9a-f]{64})?) AS (build|runtime)$/;
    assert.deepEqual(
      from.map((line) => pinned.exec(line)?.[2]),
      ["build", "runtime"],
      from.join("\n"),
    );
    assert.equal(
      new Set(from.map((line) => pinned.exec(line)?.[1])).size,
      1,
      "both stages use the same image",
    );
  });

  it("runs node dist/server.js as uid/gid 10001 from /app on port 8080", () => {
    assert.ok(final.includes("USER 10001:10001"));
    assert.ok(final.includes("WORKDIR /app"));
    assert.ok(final.includes("EXPOSE 8080"));
    assert.equal(final.at(-2), 'ENTRYPOINT ["node"]');
    assert.equal(final.at(-1), 'CMD ["dist/server.js"]');
  });

  it("removes every shell and package manager, in the only RUN of the final stage", () => {
    const runs = final.filter((l) => l.startsWith("RUN "));
    assert.equal(runs.length, 1);
    for (const path of [
      "/usr/bin/sh",
      "/usr/bin/dash",
      "/usr/bin/bash",
      "/usr/local/bin/npm",
      "/opt/yarn-*",
    ]) {
      assert.ok(runs[0].includes(path), path);
    }
    assert.ok(final.indexOf(runs[0]) < final.indexOf("USER 10001:10001"));
  });
}
