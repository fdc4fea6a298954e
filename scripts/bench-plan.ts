// Benchmark for the offline plan's target: `npm run plan -- --stack prod --json` should take at most
// 1.5x `node -e "require('@pulumi/pulumi')"` on the same machine. The commands take turns, one run of
// each per round, so that a busy spell of the machine weighs on all of them alike; each line is
// the median of its runs. Also printed, to show where the plan's time goes:
// - the SDK loaded the way the plan loads it (scripts/register.cjs: V8's compile cache, and the
//   SDK's function-serialization dependencies deferred, see scripts/lazy-sdk-dependencies.cjs);
// - the plan with those dependencies loaded eagerly (PLATFORM_EAGER_SDK_DEPENDENCIES=1);
// - the floor: the SDK, loaded as the plan loads it, registering the plan's own resources with no
//   program logic, configuration, policy check or cost estimate (scripts/bench-plan-floor.ts).
// Usage: npm run bench:plan [-- --runs N]   (default 9; exits 1 when the ratio is over the target)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
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
const scratch = mkdtempSync(path.join(tmpdir(), "bench-plan-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const planJson = path.join(scratch, "prod.json");

interface Command {
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Exit codes of a complete run; default: 0 only. */
  readonly completes?: readonly number[];
}
// Exit 1 means policy violations were found: still a complete plan, so still a valid timing.
const PLAN_COMPLETES = [0, 1];
const commands = {
  // As a plain `node -e` loads it: no compile cache, even where the environment sets one. (Before
  // e42d3da it inherited the tools' cache from this process: the SDK's side was timed faster than a
  // plain load, and the ratio came out larger.)
  sdk: { args: ["-e", "require('@pulumi/pulumi')"], env: { NODE_DISABLE_COMPILE_CACHE: "1" } },
  sdkAsPlanLoadsIt: { args: ["-r", "./scripts/register.cjs", "-e", "require('@pulumi/pulumi')"] },
  plan: { args: plan, completes: PLAN_COMPLETES },
  planEagerSdk: { args: plan, env: { PLATFORM_EAGER_SDK_DEPENDENCIES: "1" }, completes: PLAN_COMPLETES },
  floor: { args: ["-r", "./scripts/register.cjs", "scripts/bench-plan-floor.ts", planJson] },
} satisfies Record<string, Command>;
type Name = keyof typeof commands;

function run(name: Name, stdout: "ignore" | "pipe" = "ignore") {
  const { args, env, completes = [0] }: Command = commands[name];
  const start = process.hrtime.bigint();
  const result = spawnSync(node, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", stdout, "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!completes.includes(result.status ?? -1))
    throw new Error(`node ${args.join(" ")} exited with ${result.status}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: result.stdout };
}
const timeOnce = (name: Name) => run(name).ms;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const names = Object.keys(commands) as Name[];
// Warm-up (file caches, the compile and transpile caches): one run of each, the plan's output being
// what the floor replays.
writeFileSync(planJson, run("plan", "pipe").stdout);
for (const name of names) if (name !== "plan") timeOnce(name);
const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
for (let round = 0; round < runs; round++) for (const name of names) times[name].push(timeOnce(name));
const m = Object.fromEntries(names.map((name) => [name, median(times[name])])) as Record<Name, number>;

const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(8);
console.log(`medians of ${runs} rounds on ${cpus().length} cores`);
console.log(`require('@pulumi/pulumi')                        ${ms(m.sdk)}`);
console.log(`  the same, loaded as the plan loads it          ${ms(m.sdkAsPlanLoadsIt)}`);
console.log(`plan --stack prod --json                         ${ms(m.plan)}`);
console.log(`  the same, SDK dependencies loaded eagerly      ${ms(m.planEagerSdk)}`);
console.log(`floor: the SDK registering the plan's resources  ${ms(m.floor)}`);
const TARGET_RATIO = 1.5;
console.log(`ratio: ${(m.plan / m.sdk).toFixed(2)}x (target: at most ${TARGET_RATIO}x)`);
process.exitCode = m.plan / m.sdk <= TARGET_RATIO ? 0 : 1;
// The two sides of one round ran seconds apart: the spread of their ratios shows how much of the
// ratio above is the machine's noise (the SDK's plain load varies most).
const perRound = times.plan.map((planMs, i) => planMs / times.sdk[i]).sort((a, b) => a - b);
console.log(
  `  per round: ${perRound[0].toFixed(2)}x to ${perRound[perRound.length - 1].toFixed(2)}x, median ${median(perRound).toFixed(2)}x`,
);
// The plan skips what the plain require loads and never uses; against the SDK loaded the same way,
// the rest is the plan's own work.
console.log(`  against the SDK loaded as the plan loads it: ${(m.plan / m.sdkAsPlanLoadsIt).toFixed(2)}x`);
// What no change inside the project can remove: the SDK's own work for this many resources.
console.log(`  the floor against require('@pulumi/pulumi'): ${(m.floor / m.sdk).toFixed(2)}x`);
