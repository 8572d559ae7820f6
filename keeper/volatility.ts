/**
 * Realised volatility of the reference feed (DESIGN §6), from its recent rounds.
 *
 * Model: the log price follows a Brownian motion with annual volatility sigma, observed at
 * irregular times (a Chainlink feed updates on a heartbeat or when the price deviates). For the
 * return r_i over an interval dt_i, r_i^2 / dt_i estimates the variance per second. The estimator
 * is an exponentially time-weighted mean of these time-scaled squared returns, each weighted by
 * w_i * dt_i with w_i = 2^-(age_i / halfLife):
 *
 *     variancePerSecond = sum(w_i * dt_i * (r_i^2 / dt_i)) / sum(w_i * dt_i) = sum(w_i r_i^2) / sum(w_i dt_i)
 *     sigma = sqrt(variancePerSecond * SECONDS_PER_YEAR)
 *
 * i.e. decayed realised variance over decayed elapsed time. Weighting by dt (rather than a plain
 * mean of r^2/dt) keeps the estimate unbiased when the sampling times depend on the path, as they
 * do for a deviation-triggered feed: r^2 - sigma^2 dt has zero mean at any stopping time (optional
 * stopping), while E[r^2/dt] is inflated by the short intervals of fast moves (Jensen). Returns are
 * not de-meaned (the drift is negligible over feed intervals). Pure: no clock, the age of a return
 * is measured from the latest round.
 */
import { SECONDS_PER_YEAR } from "./config";
import type { FeedRound } from "./types";

/** A round the estimator can use: positive answer, finite time. */
export interface UsableRound {
  answer: bigint;
  updatedAt: number;
}

/** The volatility estimate, or why there is none. */
export type VolatilityEstimate =
  | {
      ok: true;
      /** Annualised volatility (0.8 = 80 % a year). Finite and >= 0. */
      sigma: number;
      /** Decay-weighted mean time between usable rounds, seconds (> 0). */
      meanInterval: number;
      /** Usable rounds the estimate rests on. */
      rounds: number;
    }
  | { ok: false; reason: "insufficient-data"; rounds: number };

/**
 * The rounds the estimator can use, oldest first: answers > 0 with finite timestamps, strictly
 * increasing in time. A round with the same timestamp as the previous usable one replaces it (the
 * later round is the newer answer); one older than the previous usable round is dropped.
 */
export function usableRounds(rounds: readonly FeedRound[]): UsableRound[] {
  const out: UsableRound[] = [];
  for (const r of rounds) {
    if (r.answer <= 0n || !Number.isFinite(r.updatedAt)) continue;
    const last = out[out.length - 1];
    if (last === undefined || r.updatedAt > last.updatedAt) out.push({ answer: r.answer, updatedAt: r.updatedAt });
    else if (r.updatedAt === last.updatedAt) out[out.length - 1] = { answer: r.answer, updatedAt: r.updatedAt };
  }
  return out;
}

/** Natural log of a positive bigint, accurate to double precision whatever its size. */
export function lnBigint(x: bigint): number {
  if (x <= 0n) throw new RangeError(`lnBigint: ${x} is not positive`);
  const digits = x.toString();
  if (digits.length <= 300) return Math.log(Number(x));
  const head = 17; // significant digits a double holds
  return Math.log(Number(digits.slice(0, head))) + (digits.length - head) * Math.LN10;
}

/** Log return between two positive answers (the feed's decimals cancel). */
export function logReturn(from: bigint, to: bigint): number {
  return lnBigint(to) - lnBigint(from);
}

/** Weight of an observation `age` seconds old under exponential decay with the given half-life. */
export function decayWeight(age: number, halfLifeSeconds: number): number {
  return Math.pow(2, -Math.max(0, age) / halfLifeSeconds);
}

/**
 * Annualised realised volatility of the feed (see the module doc for the estimator).
 * Needs at least `minRounds` (>= 2) usable rounds; otherwise `{ ok: false }`.
 * `halfLifeSeconds` must be > 0 (use a huge value for an unweighted estimate).
 */
export function estimateVolatility(
  rounds: readonly FeedRound[],
  halfLifeSeconds: number,
  minRounds = 2,
): VolatilityEstimate {
  const usable = usableRounds(rounds);
  if (usable.length < Math.max(2, minRounds)) return { ok: false, reason: "insufficient-data", rounds: usable.length };
  const latest = usable[usable.length - 1].updatedAt;
  let sumSq = 0; // sum w_i r_i^2
  let sumDt = 0; // sum w_i dt_i
  let sumW = 0; // sum w_i
  for (let i = 1; i < usable.length; i++) {
    const dt = usable[i].updatedAt - usable[i - 1].updatedAt;
    const r = logReturn(usable[i - 1].answer, usable[i].answer);
    const w = decayWeight(latest - usable[i].updatedAt, halfLifeSeconds);
    sumSq += w * r * r;
    sumDt += w * dt;
    sumW += w;
  }
  // The latest return has weight 1 and dt > 0, so sumDt > 0 and sumW >= 1.
  const sigma = Math.sqrt((sumSq / sumDt) * SECONDS_PER_YEAR);
  if (!Number.isFinite(sigma)) return { ok: false, reason: "insufficient-data", rounds: usable.length };
  return { ok: true, sigma, meanInterval: sumDt / sumW, rounds: usable.length };
}
