/**
 * `npm run simulate`: the market simulator (sim/). Runs constant product, Skew with fixed
 * parameters and Skew with the keeper on identical seeded paths, and writes a markdown
 * report, a JSON summary and SVG charts into --out (default sim/out/).
 *
 *   npm run simulate -- --paths 32 --blocks 50400 --seed 1 --sigma 0.8
 *   npm run simulate -- --policy '{"feeLagMultiplier":1}' --variant 'calm={"gamma":50}'
 */
import * as os from "node:os";
import { Command, InvalidArgumentError } from "commander";
import { parsePolicyConfig } from "../keeper/config";
import type { PoolParams } from "../keeper/types";
import { bpsToPips, defaultBounds, defaultSimConfig, defaultSkewParams, wad } from "../sim/config";
import { buildStrategies, runExperiment, type ExperimentSpec, type SkewVariant } from "../sim/experiment";
import { writeReport } from "../sim/report";

function num(name: string, opts: { min?: number; max?: number; integer?: boolean } = {}) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || (opts.integer && !Number.isInteger(x))) {
      throw new InvalidArgumentError(`${name} must be a${opts.integer ? "n integer" : " number"}`);
    }
    if ((opts.min !== undefined && x < opts.min) || (opts.max !== undefined && x > opts.max)) {
      throw new InvalidArgumentError(`${name} must be in [${opts.min ?? "-inf"}, ${opts.max ?? "inf"}]`);
    }
    return x;
  };
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Parses "name=json" into its parts. */
function named(v: string): { name: string; json: unknown } {
  const i = v.indexOf("=");
  if (i <= 0) throw new InvalidArgumentError(`expected name=json, got ${v}`);
  try {
    return { name: v.slice(0, i), json: JSON.parse(v.slice(i + 1)) };
  } catch (e) {
    throw new InvalidArgumentError(`bad JSON in ${v}: ${(e as Error).message}`);
  }
}

/** Fixed parameters from JSON {k, baseFee (bp), maxFee (bp), tau} over `base`. */
function fixedParams(json: unknown, base: PoolParams): PoolParams {
  if (typeof json !== "object" || json === null) throw new InvalidArgumentError("fixed params must be a JSON object");
  const o = json as Record<string, unknown>;
  const get = (k: string): number | undefined => {
    const x = o[k];
    if (x === undefined) return undefined;
    if (typeof x !== "number" || !Number.isFinite(x)) throw new InvalidArgumentError(`${k} must be a number`);
    return x;
  };
  for (const k of Object.keys(o)) {
    if (!["k", "baseFee", "maxFee", "tau"].includes(k)) throw new InvalidArgumentError(`unknown fixed param ${k}`);
  }
  const k = get("k");
  const baseFee = get("baseFee");
  const maxFee = get("maxFee");
  const tau = get("tau");
  return {
    k: k === undefined ? base.k : wad(k),
    baseFee: baseFee === undefined ? base.baseFee : bpsToPips(baseFee),
    maxFee: maxFee === undefined ? base.maxFee : bpsToPips(maxFee),
    tau: tau === undefined ? base.tau : wad(tau),
  };
}

async function main(): Promise<void> {
  const defaults = defaultSimConfig();
  const program = new Command()
    .name("simulate")
    .description("Skew vs constant product on seeded GBM paths with a lagged feed, arbitrageurs and noise traders")
    .option("--paths <n>", "number of paths", num("paths", { min: 1, integer: true }), 32)
    .option("--blocks <n>", "blocks per path (12 s each)", num("blocks", { min: 1, integer: true }), defaults.blocks)
    .option(
      "--warmup <n>",
      "blocks of feed history before the pool starts",
      num("warmup", { min: 0, integer: true }),
      defaults.warmupBlocks,
    )
    .option("--seed <n>", "experiment seed", num("seed", { integer: true }), 1)
    .option("--sigma <x>", "annualised volatility of the true price", num("sigma", { min: 0 }), defaults.sigma)
    .option("--out <dir>", "output directory", "sim/out")
    .option(
      "--jobs <n>",
      "worker threads",
      num("jobs", { min: 1, integer: true }),
      Math.max(1, os.availableParallelism()),
    )
    .option("--fee <bps>", "base fee of Skew and fee of constant product (bp)", num("fee", { min: 0, max: 9999 }), 30)
    .option("--k <x>", "Skew k (fixed, and the keeper's start)", num("k", { min: 0, max: 1 }))
    .option("--max-fee <bps>", "Skew max fee (bp)", num("max-fee", { min: 0, max: 9999 }))
    .option("--tau <x>", "Skew tau", num("tau", { min: 0, max: 0.999 }))
    .option("--gas <usd>", "gas cost of one arbitrage", num("gas", { min: 0 }), defaults.arb.gasUsd)
    .option(
      "--noise-rate <n>",
      "noise orders per block (Poisson mean)",
      num("noise-rate", { min: 0 }),
      defaults.noise.ratePerBlock,
    )
    .option(
      "--noise-median <usd>",
      "median noise order (USD)",
      num("noise-median", { min: 0 }),
      defaults.noise.medianUsd,
    )
    .option(
      "--sell-base <p>",
      "probability a noise order sells base",
      num("sell-base", { min: 0, max: 1 }),
      defaults.noise.sellBaseProb,
    )
    .option(
      "--deviation <x>",
      "feed deviation threshold (0.005 = 0.5 %)",
      num("deviation", { min: 0 }),
      defaults.feed.deviation,
    )
    .option("--heartbeat <s>", "feed heartbeat (s)", num("heartbeat", { min: 1 }), defaults.feed.heartbeat)
    .option("--lag <blocks>", "feed lag (blocks)", num("lag", { min: 0, integer: true }), defaults.feed.lagBlocks)
    .option("--policy <json>", "keeper policy config overrides (JSON) for the main keeper strategy")
    .option("--variant <name=json>", "extra keeper strategy with policy overrides (repeatable)", collect, [])
    .option(
      "--fixed <name=json>",
      'extra fixed Skew strategy, e.g. lowk={"k":0.2,"baseFee":20} (repeatable)',
      collect,
      [],
    )
    .option("--no-keeper", "leave out the keeper strategy")
    .option("--no-cp", "leave out constant product");
  program.parse();
  const o = program.opts<{
    paths: number;
    blocks: number;
    warmup: number;
    seed: number;
    sigma: number;
    out: string;
    jobs: number;
    fee: number;
    k?: number;
    maxFee?: number;
    tau?: number;
    gas: number;
    noiseRate: number;
    noiseMedian: number;
    sellBase: number;
    deviation: number;
    heartbeat: number;
    lag: number;
    policy?: string;
    variant: string[];
    fixed: string[];
    keeper: boolean;
    cp: boolean;
  }>();

  const base = defaultSkewParams(o.fee);
  const params: PoolParams = {
    k: o.k === undefined ? base.k : wad(o.k),
    baseFee: base.baseFee,
    maxFee: o.maxFee === undefined ? base.maxFee : bpsToPips(o.maxFee),
    tau: o.tau === undefined ? base.tau : wad(o.tau),
  };
  const skew: SkewVariant[] = [{ name: "Skew fixed", params }];
  for (const v of o.fixed.map(named)) skew.push({ name: `Skew fixed ${v.name}`, params: fixedParams(v.json, params) });
  if (o.keeper) {
    skew.push({
      name: "Skew + keeper",
      params,
      policy: parsePolicyConfig(o.policy ? JSON.parse(o.policy) : undefined),
    });
  }
  for (const v of o.variant.map(named)) {
    skew.push({ name: `Skew + keeper ${v.name}`, params, policy: parsePolicyConfig(v.json) });
  }
  const bounds = defaultBounds();
  const spec: ExperimentSpec = {
    cfg: {
      ...defaults,
      blocks: o.blocks,
      warmupBlocks: o.warmup,
      sigma: o.sigma,
      feed: { ...defaults.feed, deviation: o.deviation, heartbeat: o.heartbeat, lagBlocks: o.lag },
      noise: { ...defaults.noise, ratePerBlock: o.noiseRate, medianUsd: o.noiseMedian, sellBaseProb: o.sellBase },
      arb: { ...defaults.arb, gasUsd: o.gas },
    },
    seed: o.seed,
    paths: o.paths,
    cpFee: o.cp ? params.baseFee : undefined,
    skew,
    bounds,
    keeper: { everyBlocks: 300, flowWindow: 6 * 3600, maxRounds: 1000 },
  };
  const names = buildStrategies(spec).map((s) => s.name);
  const jobs = Math.min(o.jobs, o.paths);
  process.stderr.write(
    `simulate: ${o.paths} paths x ${o.blocks} blocks, ${names.length} strategies (${names.join(", ")}), ${jobs} worker(s)\n`,
  );
  const t0 = Date.now();
  const outcomes = await runExperiment(spec, jobs, (out, done) => {
    const s = (Date.now() - t0) / 1000;
    const eta = (s / done) * (o.paths - done);
    const pnl = out.metrics.map((m, i) => `${names[i]} ${m.lpPnlBps.toFixed(1)}`).join(", ");
    process.stderr.write(
      `path ${out.path} done (${done}/${o.paths}, ${s.toFixed(0)} s, ETA ${eta.toFixed(0)} s): LP P&L bps ${pnl}\n`,
    );
  });
  const seconds = (Date.now() - t0) / 1000;
  const files = writeReport(o.out, spec, names, outcomes, seconds);
  process.stderr.write(`done in ${seconds.toFixed(1)} s\n`);
  for (const f of files) console.log(f);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
