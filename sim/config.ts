/**
 * The default experiment: an ETH/USDC-like pair (base 18 decimals, quote 6, price ~2000),
 * a ~$10M pool, a Chainlink-like feed (0.5 % deviation, 1 h heartbeat), 12 s blocks, and the
 * three strategies compared on identical paths.
 */
import type { PolicyConfig } from "../keeper/config";
import type { Decision, ParamBounds, PolicyInput, PoolParams } from "../keeper/types";
import type { KeeperSetup } from "./keeper";
import type { SimConfig, Strategy } from "./run";

const WAD = 10n ** 18n;

/** A fraction (0.25 = 25 %) as WAD. */
export function wad(x: number): bigint {
  return BigInt(Math.round(x * 1e6)) * 10n ** 12n;
}

/** Basis points as pips (1 bp = 100 pips). */
export function bpsToPips(bps: number): bigint {
  return BigInt(Math.round(bps * 100));
}

/** The market and agents of the default experiment. */
export function defaultSimConfig(): SimConfig {
  return {
    blocks: 7 * 7200, // one week of 12 s blocks
    warmupBlocks: 2 * 7200, // two days of feed history for the keeper
    clock: { startTime: 1_700_000_000, blockTime: 12 },
    s0: 2000,
    sigma: 0.8,
    feed: { deviation: 0.005, heartbeat: 3600, lagBlocks: 1, decimals: 8 },
    noise: { ratePerBlock: 0.1, medianUsd: 2000, sizeSigma: 1.0, sellBaseProb: 0.5, maxCostBps: 100 },
    tokens: { baseDecimals: 18, quoteDecimals: 6 },
    poolValue: 10_000_000,
    arb: { gasUsd: 5, maxTradesPerBlock: 3, sizeTol: 1e-4 },
    recordEvery: 25,
  };
}

/** Fixed Skew parameters of the default experiment (and the keeper's starting point). */
export function defaultSkewParams(baseFeeBps = 30): PoolParams {
  const baseFee = bpsToPips(baseFeeBps);
  return { k: wad(0.5), baseFee, maxFee: baseFee + 7_000n, tau: wad(0.1) };
}

/**
 * The admin's bounds on the keeper: k in [0.01, 1] (step 0.1), base fee 1–100 bp (step
 * 10 bp), max fee 1–500 bp (step 100 bp), tau 1–50 % (step 5 %), one update an hour.
 */
export function defaultBounds(): ParamBounds {
  return {
    min: { k: wad(0.01), baseFee: 100n, maxFee: 100n, tau: wad(0.01) },
    max: { k: WAD, baseFee: 10_000n, maxFee: 50_000n, tau: wad(0.5) },
    maxStep: { k: wad(0.1), baseFee: 1_000n, maxFee: 10_000n, tau: wad(0.05) },
    minInterval: 3600,
  };
}

/** The keeper policy's signature (`keeper/policy.ts` `decide`). */
export type PolicyFn = (input: PolicyInput, config?: Readonly<PolicyConfig>) => Decision;

/** A keeper running `policy` with `config` every hour, on 48 h of rounds and 6 h of swaps. */
export function keeperSetup(policy: PolicyFn, config: Readonly<PolicyConfig>, bounds = defaultBounds()): KeeperSetup {
  return {
    decide: (input) => policy(input, config),
    bounds,
    everyBlocks: 300,
    flowWindow: 6 * 3600,
    maxRounds: 1000,
  };
}

/** The three strategies: constant product, Skew fixed, Skew with the keeper. */
export function defaultStrategies(
  keeper: KeeperSetup | undefined,
  params: PoolParams = defaultSkewParams(),
): Strategy[] {
  const out: Strategy[] = [
    { name: "constant product", kind: "cp", fee: params.baseFee },
    { name: "Skew fixed", kind: "skew", params },
  ];
  if (keeper !== undefined) out.push({ name: "Skew + keeper", kind: "skew", params, keeper });
  return out;
}
