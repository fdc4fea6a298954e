// Benchmark for the offline plan's target: `npm run plan -- --stack prod --json` should take at most
// 1.5x `node -e "require('@pulumi/pulumi')"` on the same machine. The plan runs with V8's compile
// cache (scripts/register.cjs); the SDK's load time with that cache is printed too, so that the
// share of the plan's own work is visible either way.
// Usage: npm run bench:plan [-- --runs N]
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 7;

function median(command: readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command[0], command.slice(1), {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    // 1 means policy violations were found: still a complete plan, so still a valid timing.
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`${command.join(" ")} exited with ${result.status}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const node = process.execPath;
const baseline = median([node, "-e", "require('@pulumi/pulumi')"]);
const cachedBaseline = median([node, "-r", "./scripts/register.cjs", "-e", "require('@pulumi/pulumi')"]);
const plan = median([node, "-r", "./scripts/register.cjs", "scripts/plan.ts", "--stack", "prod", "--json"]);
console.log(`require('@pulumi/pulumi'):        ${baseline.toFixed(0)} ms (median of ${runs})`);
console.log(`  the same with the compile cache: ${cachedBaseline.toFixed(0)} ms`);
console.log(`plan --stack prod --json:         ${plan.toFixed(0)} ms (median of ${runs})`);
console.log(`ratio: ${(plan / baseline).toFixed(2)}x (target: at most 1.5x)`);
console.log(`  against the SDK with the compile cache: ${(plan / cachedBaseline).toFixed(2)}x`);
