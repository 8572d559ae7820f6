/**
 * The study's scenarios (issue 15): each a market (volatility, jumps, flow) and the venue its
 * noise orders may leave for, with the next-round front-runner in every one. Every scenario
 * runs the same frontier of strategies: constant-product fee sweeps, concentrated-liquidity
 * pools, Skew fixed sweeps and Skew + keeper (and, where the surge fee matters, Skew with and
 * without it).
 */
import type { PolicyConfig } from "../keeper/config";
import type { PoolParams } from "../keeper/types";
import { defaultBreaker } from "./breaker";
import { bpsToPips, defaultBounds, defaultSimConfig, defaultSkewParams, wad } from "./config";
import { floorSweep, PULL_SUFFIX, pullTwin, shippedFloor } from "./defences";
import type { ExperimentSpec, PoolVariant, SkewVariant } from "./experiment";
import { defaultPull, type PullConfig } from "./pull";
import type { SimConfig } from "./run";

/** Seeds: the keeper was tuned on TUNING_SEED's paths; results are reported on OUT_OF_SAMPLE_SEED's. */
export const TUNING_SEED = 1;
export const OUT_OF_SAMPLE_SEED = 2;

export interface StudyScenario {
  name: string;
  title: string;
  cfg: SimConfig;
  /** Extra fixed Skew strategies of this scenario (e.g. surge on / off). */
  extraSkew: SkewVariant[];
}

/**
 * The study's market: one-day paths (figures are scaled to a week) after a day of feed history,
 * the front-runner, and the oracle's circuit breaker (1 %, 15 min) in front of every Skew pool.
 */
export function studyBaseConfig(blocks = 7200): SimConfig {
  const base = defaultSimConfig();
  return {
    ...base,
    blocks,
    warmupBlocks: 7200,
    feed: { ...base.feed, lagBlocks: 1 },
    frontRunner: { gasUsd: base.arb.gasUsd },
    breaker: defaultBreaker(),
    recordEvery: 25,
  };
}

/** Skew parameters from bp and fractions. */
export function skewParams(k: number, baseFeeBps: number, maxFeeBps = baseFeeBps + 70, tau = 0.1): PoolParams {
  return { k: wad(k), baseFee: bpsToPips(baseFeeBps), maxFee: bpsToPips(maxFeeBps), tau: wad(tau) };
}

/** The scenarios, over a base config of `blocks` blocks per path. */
export function studyScenarios(blocks = 7200): StudyScenario[] {
  const base = studyBaseConfig(blocks);
  const jumps = (perDay: number, sdLog: number) => ({ perDay, meanLog: 0, sdLog });
  return [
    {
      name: "cp-twin",
      title: "σ 60 %, one 2.5 % jump a day; competing constant-product pool at 30 bp, same size",
      cfg: { ...base, sigma: 0.6, jumps: jumps(1, 0.025), competitor: { kind: "cp", fee: 3000n, valueRatio: 1 } },
      extraSkew: [],
    },
    {
      name: "v3-5bp",
      title: "σ 80 %, one 2.5 % jump a day; competing concentrated pool at 5 bp (±20 % range), same capital",
      cfg: {
        ...base,
        sigma: 0.8,
        jumps: jumps(1, 0.025),
        competitor: { kind: "v3", fee: 500n, valueRatio: 1, width: 0.2 },
      },
      extraSkew: [],
    },
    {
      name: "cex-15bp",
      title: "σ 80 %, two 2 % jumps a day; a CEX quote at 15 bp, any size",
      cfg: { ...base, sigma: 0.8, jumps: jumps(2, 0.02), competitor: { kind: "cex", halfSpreadBps: 15 } },
      extraSkew: [],
    },
    {
      name: "regime",
      title: "σ 40 % then 120 % from mid-path, one 2.5 % jump a day; competing constant-product pool at 30 bp",
      cfg: {
        ...base,
        sigma: 0.4,
        regime: { atBlock: Math.floor(blocks / 2), sigma: 1.2 },
        jumps: jumps(1, 0.025),
        competitor: { kind: "cp", fee: 3000n, valueRatio: 1 },
      },
      extraSkew: [],
    },
    {
      name: "one-sided",
      title: "σ 50 %, a 2 % jump every other day; 80 % of noise orders sell base ($10k median); a CEX at 30 bp",
      cfg: {
        ...base,
        sigma: 0.5,
        jumps: jumps(0.5, 0.02),
        noise: { ...base.noise, sellBaseProb: 0.8, medianUsd: 10_000 },
        competitor: { kind: "cex", halfSpreadBps: 30 },
      },
      extraSkew: [
        { name: "Skew k 0.05 30 bp, surge (tau 1 %, max 500 bp)", params: skewParams(0.05, 30, 500, 0.01) },
        { name: "Skew k 0.05 30 bp, no surge", params: skewParams(0.05, 30, 30, 0.01) },
      ],
    },
  ];
}

/** The oracle-free pools of every scenario's frontier. */
export function frontierPools(): PoolVariant[] {
  return [
    ...[5, 15, 30, 60, 100].map((bp): PoolVariant => ({ name: `CP ${bp} bp`, kind: "cp", fee: bpsToPips(bp) })),
    ...[5, 30].map((bp): PoolVariant => ({ name: `v3 ±10 % ${bp} bp`, kind: "v3", fee: bpsToPips(bp), width: 0.1 })),
  ];
}

/** Skew's fixed-parameter sweep: k x base fee (tau 10 %, max fee base + 70 bp), and a steep surge. */
export function frontierSkew(): SkewVariant[] {
  const out: SkewVariant[] = [];
  for (const [k, fee] of [
    [0.25, 30],
    [0.25, 60],
    [1, 15],
    [1, 30],
    [1, 60],
  ]) {
    out.push({ name: `Skew k ${k} ${fee} bp`, params: skewParams(k, fee) });
  }
  out.push({ name: "Skew k 0.5 30 bp", params: defaultSkewParams(30) });
  for (const fee of [30, 60]) {
    out.push({ name: `Skew k 1 ${fee} bp, tau 1 % max 500 bp`, params: skewParams(1, fee, 500, 0.01) });
  }
  return out;
}

/**
 * The keeper policy of the study (overrides of DEFAULT_POLICY_CONFIG), chosen on the tuning
 * seed among a few candidates (the sum of trading P&L over the scenarios): a base fee of 1.2 x
 * the RMS move between feed rounds, never under 0.6 x the feed's 0.5 % deviation (30 bp: an
 * ordinary round does not pay to front-run); k near 1; the surge from 1 % imbalance up to the
 * admin's 500 bp cap (it limits the size of a front-run); after a feed round moving more than
 * 1.2 %, k +0.25 and the base fee +20 bp for 6 h.
 */
export const STUDY_POLICY = {
  feedDeviation: 0.005,
  deviationFeeMultiplier: 0.6,
  feeLagMultiplier: 1.2,
  kBase: 0.75,
  tauBase: 0.01,
  tauFlow: 0,
  maxFeeSpreadPips: 47_000,
  maxFeeFlowPips: 0,
  jumpReturn: 0.012,
  jumpK: 0.25,
  jumpFeePips: 2_000,
} as const;

/** Where the keeper starts: steep k, 30 bp, the surge from 1 % imbalance up to 500 bp. */
export function keeperStart(): PoolParams {
  return skewParams(1, 30, 500, 0.01);
}

export const KEEPER_NAME = "Skew + keeper";

/** What the study runs besides the frontier: the defences and the pull-oracle mode. */
export interface DefenceOptions {
  /** Give every push and pull Skew pool the shipped floor (false: no floor, the pools as before). */
  floor: boolean;
  /** The pull-oracle twins of the Skew strategies (none: push only). */
  pull: PullConfig | null;
  /** The floor sweep (on the push feed, and on the pull oracle when `pull` is set). */
  sweep: boolean;
}

export const DEFAULT_DEFENCES: DefenceOptions = { floor: true, pull: defaultPull(), sweep: true };

/** The bound the floor is derived from: the breaker's, or the `oracle-guard` default 1 % without one. */
function floorBound(cfg: SimConfig): bigint {
  return cfg.breaker?.maxMovePips ?? defaultBreaker().maxMovePips;
}

/** The experiment of one scenario: its frontier, the keeper with `policy`, on `paths` paths of `seed`. */
export function scenarioSpec(
  sc: StudyScenario,
  policy: PolicyConfig,
  seed: number,
  paths: number,
  pureLvr = true,
  defences: DefenceOptions = DEFAULT_DEFENCES,
): ExperimentSpec {
  const bound = floorBound(sc.cfg);
  // The keeper's floor is derived at its starting 30 bp, the lowest base fee its study policy sets
  // (0.6 x the feed's 0.5 % deviation).
  const floorOf = (baseFee: bigint) => (defences.floor ? shippedFloor(baseFee, bound) : 0n);
  const push: SkewVariant[] = [
    ...[...frontierSkew(), ...sc.extraSkew].map((v) => ({ ...v, feeFloor: floorOf(v.params.baseFee) })),
    { name: KEEPER_NAME, params: keeperStart(), policy, feeFloor: floorOf(keeperStart().baseFee) },
  ];
  const sweep = defences.sweep ? floorSweep(bound) : [];
  const pull = defences.pull;
  // Pull twins of every push strategy but the surge variants (a study of the surge rule, not of the oracle).
  const twins =
    pull === null
      ? []
      : [...push.filter((v) => !v.name.includes("max 500 bp")), ...sweep].map((v) => pullTwin(v, pull));
  const skew = [...push, ...sweep, ...twins];
  return {
    cfg: sc.cfg,
    seed,
    paths,
    pools: frontierPools(),
    skew,
    bounds: defaultBounds(),
    keeper: { everyBlocks: 300, flowWindow: 6 * 3600, maxRounds: 1000 },
    pureLvr: pureLvr ? ["CP 30 bp", "Skew k 0.5 30 bp", KEEPER_NAME].flatMap((n) => [n, n + PULL_SUFFIX]) : [],
  };
}
