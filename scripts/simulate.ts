/**
 * `npm run simulate`: the market study (sim/). Every scenario (jumps, a lagging feed, the
 * next-round front-runner, a competing venue noise orders may route to) runs the frontier of
 * strategies (constant-product fee sweep, concentrated-liquidity pools, Skew fixed sweep, Skew
 * + keeper) on identical seeded paths, and the report (results.md, results.json, frontier.svg,
 * example paths) goes to --out (default sim/out/). Progress and an ETA on stderr.
 *
 *   npm run simulate                                  # the study: out-of-sample seed, 5 one-day paths
 *   npm run simulate -- --tuning                      # the same on the keeper's tuning seed
 *   npm run simulate -- --scenarios regime,cex-15bp --paths 2 --blocks 1800
 *   npm run simulate -- --policy '{"feeLagMultiplier":1}'
 */
import * as os from "node:os";
import { Command, InvalidArgumentError } from "commander";
import { parsePolicyConfig } from "../keeper/config";
import { DEFAULT_DEFENCES, OUT_OF_SAMPLE_SEED, STUDY_POLICY, studyScenarios, TUNING_SEED } from "../sim/scenarios";
import { runStudy } from "../sim/study";
import { writeStudy } from "../sim/studyReport";

function int(name: string, min: number) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return x;
  };
}

async function main(): Promise<void> {
  const all = studyScenarios().map((s) => s.name);
  const o = new Command()
    .name("simulate")
    .description("Skew against constant product, concentrated liquidity and a CEX: per-scenario frontiers")
    .option("--paths <n>", "paths per scenario", int("paths", 1), 5)
    .option("--blocks <n>", "blocks per path (12 s each; 7200 = one day)", int("blocks", 10), 7200)
    .option("--seed <n>", "experiment seed (default: the out-of-sample seed)", int("seed", 0))
    .option("--tuning", "use the keeper's tuning seed instead of the out-of-sample one")
    .option("--scenarios <names>", `comma-separated subset of: ${all.join(", ")}`)
    .option("--policy <json>", "keeper policy config overrides (JSON; default: the study's policy, sim/scenarios.ts)")
    .option("--no-front-runner", "leave out the next-round front-runner (what a perfect defence would be worth)")
    .option("--no-breaker", "leave out the oracle's circuit breaker")
    .option("--no-floor", "no front-running fee floor on the Skew pools (the floor sweep still runs)")
    .option("--no-pull", "leave out the pull-oracle twins of the Skew strategies")
    .option("--no-sweep", "leave out the floor sweep")
    .option("--k-immediate", "apply the keeper's k at once, as before the equilibrium queue (to measure what it costs)")
    .option("--no-pure-lvr", "skip the no-noise runs that separate pure LVR from back-running")
    .option("--jobs <n>", "worker threads", int("jobs", 1), Math.max(1, os.availableParallelism()))
    .option("--out <dir>", "output directory", "sim/out")
    .parse()
    .opts<{
      paths: number;
      blocks: number;
      seed?: number;
      tuning?: boolean;
      scenarios?: string;
      policy?: string;
      pureLvr: boolean;
      frontRunner: boolean;
      breaker: boolean;
      floor: boolean;
      pull: boolean;
      sweep: boolean;
      kImmediate?: boolean;
      jobs: number;
      out: string;
    }>();
  const wanted = o.scenarios?.split(",").map((s) => s.trim()) ?? all;
  for (const w of wanted) if (!all.includes(w)) throw new InvalidArgumentError(`unknown scenario ${w}`);
  const scenarios = studyScenarios(o.blocks)
    .filter((s) => wanted.includes(s.name))
    .map((s) => (o.frontRunner ? s : { ...s, cfg: { ...s.cfg, frontRunner: undefined } }))
    .map((s) => (o.breaker ? s : { ...s, cfg: { ...s.cfg, breaker: undefined } }))
    .map((s) => (o.kImmediate === true ? { ...s, cfg: { ...s.cfg, kChange: "immediate" as const } } : s));
  const seed = o.seed ?? (o.tuning === true ? TUNING_SEED : OUT_OF_SAMPLE_SEED);
  const policy = parsePolicyConfig(o.policy === undefined ? { ...STUDY_POLICY } : JSON.parse(o.policy));
  process.stderr.write(
    `simulate: ${scenarios.length} scenario(s) x ${o.paths} path(s) x ${o.blocks} blocks, seed ${seed}, ${o.jobs} worker(s)${o.frontRunner ? "" : ", no front-runner"}${o.breaker ? "" : ", no breaker"}${o.floor ? "" : ", no floor"}${o.pull ? "" : ", no pull twins"}\n`,
  );
  const t0 = Date.now();
  const results = await runStudy({
    scenarios,
    policy,
    seed,
    paths: o.paths,
    jobs: o.jobs,
    pureLvr: o.pureLvr,
    defences: { floor: o.floor, pull: o.pull ? DEFAULT_DEFENCES.pull : null, sweep: o.sweep },
    log: (line) => process.stderr.write(line + "\n"),
  });
  const seconds = (Date.now() - t0) / 1000;
  const files = writeStudy(o.out, results, seed, seconds);
  process.stderr.write(`done in ${seconds.toFixed(1)} s\n`);
  for (const f of files) console.log(f);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
