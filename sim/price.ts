/**
 * The true (off-chain, "CEX") price with jumps and volatility regimes: a Merton jump
 * diffusion, compensated so the price stays a martingale,
 *
 *     log S(t + dt) = log S(t) - (sigma^2 / 2 + lambda (E[e^J] - 1)) dt + sigma sqrt(dt) Z + sum J_i,
 *
 * with N(dt) ~ Poisson(lambda dt) jumps J_i ~ Normal(jumpMean, jumpSd). sigma may switch to
 * another level part-way through the path (a regime change). Diffusion and jumps draw from
 * separate streams, so a scenario with jumps shares its diffusion shocks with the one without.
 */
import { SECONDS_PER_YEAR } from "./gbm";
import { Rng } from "./prng";

/** Poisson jumps in the log price. */
export interface JumpConfig {
  /** Mean number of jumps per day. */
  perDay: number;
  /** Mean of the log jump (0 = symmetric). */
  meanLog: number;
  /** Standard deviation of the log jump (0.02 = moves of about 2 %). */
  sdLog: number;
}

/** A volatility regime change: from block `atBlock` on, sigma becomes `sigma`. */
export interface RegimeConfig {
  atBlock: number;
  sigma: number;
}

export interface PricePathConfig {
  s0: number;
  /** Annualised diffusion volatility (before any regime change). */
  sigma: number;
  /** Seconds per block. */
  dtSeconds: number;
  jumps?: JumpConfig;
  regime?: RegimeConfig;
}

/** The path and where its jumps happened (block index, log size). */
export interface PricePath {
  prices: Float64Array;
  jumps: { block: number; logSize: number }[];
}

/** Annualised diffusion volatility at `block`. */
export function sigmaAt(cfg: PricePathConfig, block: number): number {
  return cfg.regime !== undefined && block >= cfg.regime.atBlock ? cfg.regime.sigma : cfg.sigma;
}

/**
 * A jump-diffusion path of `steps` blocks: `steps + 1` prices, block 0 first.
 * @param rng diffusion shocks
 * @param jumpRng jump times and sizes (unused without jumps)
 */
export function jumpDiffusionPath(rng: Rng, jumpRng: Rng, cfg: PricePathConfig, steps: number): PricePath {
  const dt = cfg.dtSeconds / SECONDS_PER_YEAR;
  const j = cfg.jumps;
  const lambdaDt = j === undefined ? 0 : (j.perDay * cfg.dtSeconds) / 86_400;
  const compensator = j === undefined ? 0 : lambdaDt * (Math.exp(j.meanLog + (j.sdLog * j.sdLog) / 2) - 1);
  const prices = new Float64Array(steps + 1);
  const jumps: PricePath["jumps"] = [];
  prices[0] = cfg.s0;
  let log = Math.log(cfg.s0);
  for (let i = 1; i <= steps; i++) {
    const sigma = sigmaAt(cfg, i);
    log += -0.5 * sigma * sigma * dt - compensator + sigma * Math.sqrt(dt) * rng.normal();
    if (j !== undefined && lambdaDt > 0) {
      const n = jumpRng.poisson(lambdaDt);
      for (let k = 0; k < n; k++) {
        const size = j.meanLog + j.sdLog * jumpRng.normal();
        log += size;
        jumps.push({ block: i, logSize: size });
      }
    }
    prices[i] = Math.exp(log);
  }
  return { prices, jumps };
}

/**
 * A GBM path observed at Poisson block times (exponential gaps of mean `dtSeconds`): the
 * setting of Milionis–Moallemi–Roughgarden's closed form with fees. Returns the prices and
 * each block's gap in seconds (gaps[0] = 0).
 */
export function poissonBlockPath(
  rng: Rng,
  s0: number,
  sigma: number,
  dtSeconds: number,
  steps: number,
): { prices: Float64Array; gaps: Float64Array } {
  const prices = new Float64Array(steps + 1);
  const gaps = new Float64Array(steps + 1);
  prices[0] = s0;
  let log = Math.log(s0);
  for (let i = 1; i <= steps; i++) {
    const gap = -Math.log(rng.uniform()) * dtSeconds;
    const dt = gap / SECONDS_PER_YEAR;
    log += -0.5 * sigma * sigma * dt + sigma * Math.sqrt(dt) * rng.normal();
    prices[i] = Math.exp(log);
    gaps[i] = gap;
  }
  return { prices, gaps };
}
