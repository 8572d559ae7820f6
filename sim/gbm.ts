/**
 * The true (off-chain, "CEX") price: geometric Brownian motion with zero drift, so the
 * price is a martingale: S(t + dt) = S(t) exp(-sigma^2 dt / 2 + sigma sqrt(dt) Z).
 */
import { Rng } from "./prng";

/** Seconds in a year (365 days): sigma is annualised over this. */
export const SECONDS_PER_YEAR = 365 * 24 * 3600;

/**
 * A GBM path of `steps` steps of `dtSeconds` each, starting at `s0`: `steps + 1` prices.
 * @param sigma annualised volatility (0.8 = 80 % a year)
 */
export function gbmPath(rng: Rng, s0: number, sigma: number, dtSeconds: number, steps: number): Float64Array {
  const dt = dtSeconds / SECONDS_PER_YEAR;
  const drift = -0.5 * sigma * sigma * dt;
  const vol = sigma * Math.sqrt(dt);
  const path = new Float64Array(steps + 1);
  path[0] = s0;
  let log = Math.log(s0);
  for (let i = 1; i <= steps; i++) {
    log += drift + vol * rng.normal();
    path[i] = Math.exp(log);
  }
  return path;
}
