import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../helpers";

// The import graph of the project's own TypeScript, read with the TypeScript compiler's own
// pre-processor: which folder may import which, and no cycles.

const FOLDERS = ["config", "components", "cost", "reference", "policies", "scripts", "offline"];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The project files a file imports (relative imports resolved; packages left out). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => {
      const base = path.resolve(path.dirname(file), name);
      return (
        [`${base}.ts`, path.join(base, "index.ts"), base].find(
          (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
        ) ?? base
      );
    });
}

const files = [
  path.join(PROJECT_DIR, "index.ts"),
  ...FOLDERS.flatMap((folder) => sourceFiles(path.join(PROJECT_DIR, folder))),
];
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const rel = (file: string) => path.relative(PROJECT_DIR, file);

/** Edges from files under `from` to files under one of `to` (paths relative to the project). */
function edges(from: string, to: readonly string[]): string[] {
  return [...graph]
    .filter(([file]) => rel(file).startsWith(`${from}/`) || rel(file) === from)
    .flatMap(([file, imports]) =>
      imports
        .filter((target) => to.some((t) => rel(target).startsWith(`${t}/`) || rel(target) === t))
        .map((target) => `${rel(file)} → ${rel(target)}`),
    );
}

describe("import graph", () => {
  it("has no cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(rel).join(" → "));
        return;
      }
      state.set(file, "open");
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it("keeps config, cost, reference and the policy pack free of the layers that use them", () => {
    assert.deepEqual(edges("reference", ["config", "components", "cost", "scripts", "policies"]), []);
    assert.deepEqual(edges("config", ["components", "scripts", "policies", "cost"]), []);
    assert.deepEqual(edges("cost", ["config", "components", "reference", "scripts", "policies"]), []);
    assert.deepEqual(edges("policies", ["components", "scripts", "config"]), []);
    // The offline bundle's format: shared by config, components and the bundle tool; uses only reference/.
    assert.deepEqual(edges("offline", ["config", "components", "cost", "scripts", "policies"]), []);
  });

  it("lets each component folder import only the ones below it: kube; cluster; registry, ingress (not each other); database, backup, metrics (kube alone); app, observability", () => {
    const allowed: Record<string, string[]> = {
      "components/kube": [],
      "components/cluster": ["components/kube"],
      "components/registry": ["components/kube", "components/cluster"],
      "components/ingress": ["components/kube", "components/cluster"],
      "components/database": ["components/kube"],
      "components/backup": ["components/kube"],
      "components/metrics": ["components/kube"],
      "components/app": [
        "components/kube",
        "components/cluster",
        "components/registry",
        "components/ingress",
        "components/database",
        "components/backup",
      ],
      // Monitoring comes after the app and the cluster's backups (it scrapes both), and composes
      // metrics-server.
      "components/observability": [
        "components/kube",
        "components/cluster",
        "components/ingress",
        "components/metrics",
        "components/backup",
      ],
    };
    const folders = Object.keys(allowed);
    for (const [folder, may] of Object.entries(allowed)) {
      const others = folders.filter((f) => f !== folder && !may.includes(f));
      assert.deepEqual(edges(folder, others), [], folder);
    }
  });
});
