/**
 * Everything exogenous about one simulated path, drawn once from the seed and replayed
 * against every strategy: the true price, the feed, and the noise traders' orders.
 */
import type { NoiseOrder } from "./agents";
import { simulateFeed, type Clock, type FeedConfig, type FeedTimeline } from "./feed";
import { jumpDiffusionPath, type JumpConfig, type RegimeConfig } from "./price";
import { Rng } from "./prng";

export interface NoiseConfig {
  /** Mean number of noise orders per block (Poisson). */
  ratePerBlock: number;
  /** Median order size in quote value (log-normal). */
  medianUsd: number;
  /** Log-normal shape: standard deviation of log(size). */
  sizeSigma: number;
  /** Probability that an order sells base (0.5 = balanced flow). */
  sellBaseProb: number;
  /** Orders that would cost more than this against the true price are not sent. */
  maxCostBps: number;
}

export interface MarketConfig {
  /** Blocks per path (after the warm-up). */
  blocks: number;
  /**
   * Blocks of market history before the pool starts (block `warmupBlocks` is the pool's first
   * state): the feed has rounds from then on, so the keeper starts with a volatility estimate.
   */
  warmupBlocks: number;
  clock: Clock;
  /** True price at block 0, the start of the warm-up (quote per base). */
  s0: number;
  /** Annualised volatility of the true price (diffusion part). */
  sigma: number;
  /** Merton jumps in the true price (none when absent). */
  jumps?: JumpConfig;
  /** A volatility regime change part-way: block counted from the pool's start. */
  regime?: RegimeConfig;
  feed: FeedConfig;
  noise: NoiseConfig;
}

/** One path's exogenous inputs. */
export interface Scenario {
  seed: number;
  path: number;
  /** Block at which the pool starts (= warm-up length); the path ends at start + blocks. */
  start: number;
  /** True price at each block (start + blocks + 1 values, block 0 first). */
  prices: Float64Array;
  /** Blocks (absolute) where the true price jumped, and the log sizes. */
  jumps: { block: number; logSize: number }[];
  feed: FeedTimeline;
  /** Noise orders arriving in each block (none before `start`). */
  orders: NoiseOrder[][];
}

/** Draws path number `path` of experiment `seed`: independent streams for price and flow. */
export function makeScenario(cfg: MarketConfig, seed: number, path: number): Scenario {
  const priceRng = new Rng(seed, "price", path);
  const flowRng = new Rng(seed, "noise", path);
  const start = cfg.warmupBlocks;
  const regime = cfg.regime === undefined ? undefined : { ...cfg.regime, atBlock: start + cfg.regime.atBlock };
  const { prices, jumps } = jumpDiffusionPath(
    priceRng,
    new Rng(seed, "jumps", path),
    { s0: cfg.s0, sigma: cfg.sigma, dtSeconds: cfg.clock.blockTime, jumps: cfg.jumps, regime },
    start + cfg.blocks,
  );
  const feed = simulateFeed(prices, cfg.feed, cfg.clock);
  const mu = Math.log(cfg.noise.medianUsd);
  const orders: NoiseOrder[][] = [];
  for (let b = 0; b <= start + cfg.blocks; b++) {
    const n = b <= start ? 0 : flowRng.poisson(cfg.noise.ratePerBlock);
    const list: NoiseOrder[] = [];
    for (let i = 0; i < n; i++) {
      const side = flowRng.bernoulli(cfg.noise.sellBaseProb) ? "sellBase" : "sellQuote";
      list.push({ side, usd: flowRng.logNormal(mu, cfg.noise.sizeSigma) });
    }
    orders.push(list);
  }
  return { seed, path, start, prices, jumps, feed, orders };
}
