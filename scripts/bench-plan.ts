// Benchmark for the offline plan's target: `npm run plan -- --stack prod --json` should take at most
// 1.5x `node -e "require('@pulumi/pulumi')"` on the same machine. The commands take turns, one run of
// each per round, so that a busy spell of the machine weighs on all of them alike; each line is
// the median of its runs. Also printed, to show where the plan's time goes:
// - the SDK loaded the way the plan loads it (scripts/register.cjs: V8's compile cache, and the
//   SDK's function-serialization dependencies deferred, see scripts/lazy-sdk-dependencies.cjs);
// - the plan with those dependencies loaded eagerly (PLATFORM_EAGER_SDK_DEPENDENCIES=1).
// Usage: npm run bench:plan [-- --runs N]   (default 9)
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const runsArg = process.argv.includes("--runs") ? process.argv[process.argv.indexOf("--runs") + 1] : "9";
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:plan: --runs must be a whole number of rounds, at least 1 (got ${runsArg})`);
  process.exit(2);
}
const node = process.execPath;
const plan = ["-r", "./scripts/register.cjs", "scripts/plan.ts", "--stack", "prod", "--json"];

const commands = {
  sdk: { args: ["-e", "require('@pulumi/pulumi')"], env: {} },
  sdkAsPlanLoadsIt: { args: ["-r", "./scripts/register.cjs", "-e", "require('@pulumi/pulumi')"], env: {} },
  plan: { args: plan, env: {} },
  planEagerSdk: { args: plan, env: { PLATFORM_EAGER_SDK_DEPENDENCIES: "1" } },
};
type Name = keyof typeof commands;

function timeOnce(name: Name): number {
  const { args, env } = commands[name];
  const start = process.hrtime.bigint();
  const result = spawnSync(node, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // 1 means policy violations were found: still a complete plan, so still a valid timing.
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`node ${args.join(" ")} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const names = Object.keys(commands) as Name[];
for (const name of names) timeOnce(name); // warm-up: file caches, the compile and transpile caches
const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
for (let round = 0; round < runs; round++) for (const name of names) times[name].push(timeOnce(name));
const m = Object.fromEntries(names.map((name) => [name, median(times[name])])) as Record<Name, number>;

const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(8);
console.log(`medians of ${runs} rounds on ${cpus().length} cores`);
console.log(`require('@pulumi/pulumi')                        ${ms(m.sdk)}`);
console.log(`  the same, loaded as the plan loads it          ${ms(m.sdkAsPlanLoadsIt)}`);
console.log(`plan --stack prod --json                         ${ms(m.plan)}`);
console.log(`  the same, SDK dependencies loaded eagerly      ${ms(m.planEagerSdk)}`);
console.log(`ratio: ${(m.plan / m.sdk).toFixed(2)}x (target: at most 1.5x)`);
// The plan skips what the plain require loads and never uses; against the SDK loaded the same way,
// the rest is the plan's own work.
console.log(`  against the SDK loaded as the plan loads it: ${(m.plan / m.sdkAsPlanLoadsIt).toFixed(2)}x`);
