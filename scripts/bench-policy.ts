// Benchmark: a 4,000-object manifest, parse-only time vs full check time (parse, map, schema,
// policies), median of several runs. Target: the check costs at most 1.5x the parse.
// Usage: npm run bench:policy [-- runs]   (exits 1 when the ratio is over the target)
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { loadPolicyConfig, runPolicies } from "../policies/engine";
import { parseYamlDocuments, toResources } from "../policies/manifest";
import { validateKubernetesSchema } from "../policies/schema";

const OBJECTS = 4000;
const TARGET_RATIO = 1.5;
const FIXTURE = path.join(__dirname, "..", "test", "fixtures", "manifests", "compliant.yaml");

/** The compliant bundle repeated in as many namespaces as it takes to reach `count` objects. */
function generate(count: number): string {
  const bundle = parseYamlDocuments(fs.readFileSync(FIXTURE, "utf8"), FIXTURE) as Record<string, unknown>[];
  const docs: string[] = [];
  for (let i = 0; docs.length < count; i++) {
    for (const obj of bundle) {
      if (docs.length >= count) break;
      const copy = structuredClone(obj) as { kind: string; metadata: Record<string, unknown> };
      if (copy.kind === "Namespace") copy.metadata.name = `shop-${i}`;
      else copy.metadata.namespace = `shop-${i}`;
      docs.push(stringify(copy));
    }
  }
  return docs.join("---\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const text = generate(OBJECTS);
  const config = loadPolicyConfig("prod");
  const parse = () => parseYamlDocuments(text, "bench.yaml");
  const check = async () => {
    const resources = toResources(parse(), "bench.yaml");
    return [...(await validateKubernetesSchema(resources)), ...runPolicies(resources, config)];
  };
  const found = await check(); // warm-up: loads the schemas, JIT
  await time(parse);
  const parseTimes: number[] = [];
  const checkTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    parseTimes.push(await time(parse));
    checkTimes.push(await time(check));
  }
  const p = median(parseTimes);
  const c = median(checkTimes);
  const ratio = c / p;
  console.log(
    `objects: ${OBJECTS}, YAML: ${(text.length / 1e6).toFixed(1)} MB, violations: ${found.length}, runs: ${runs}`,
  );
  console.log(`parse only (median): ${p.toFixed(0)} ms`);
  console.log(`full check (median): ${c.toFixed(0)} ms (parse + map + schema + policies)`);
  console.log(`ratio: ${ratio.toFixed(2)}x (target: at most ${TARGET_RATIO}x)`);
  process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
}

void main();
