/**
 * A Chainlink-like price feed over a block-indexed true price path.
 *
 * At every block the oracle network observes the true price and submits a new round when
 * the price has moved by at least `deviation` from the last submitted answer, or when
 * `heartbeat` seconds have passed since the last submission. A submitted round lands on
 * chain `lagBlocks` blocks later (its `updatedAt` is the landing block's time); rounds may
 * be in flight together. Block 0 starts with a round at the initial price.
 */
import type { FeedRound } from "../keeper/types";

export interface FeedConfig {
  /** Relative move from the last submitted answer that triggers a round (0.005 = 0.5 %). */
  deviation: number;
  /** Seconds after the last submission that force a round. */
  heartbeat: number;
  /** Blocks between a round's observation and its landing on chain (0 = same block). */
  lagBlocks: number;
  /** Decimals of the feed's answer (Chainlink USD feeds: 8). */
  decimals: number;
}

/** Block timing shared by the whole simulation. */
export interface Clock {
  /** Unix time of block 0. */
  startTime: number;
  /** Seconds per block. */
  blockTime: number;
}

/** A landed round: the keeper's `FeedRound` plus the block it landed in. */
export interface SimRound extends FeedRound {
  block: number;
}

/** The feed over a whole path: every landed round, and which one is current at each block. */
export interface FeedTimeline {
  decimals: number;
  rounds: SimRound[];
  /** Index into `rounds` of the latest round landed at or before each block. */
  current: Int32Array;
}

/** Unix time of a block. */
export function blockTime(clock: Clock, block: number): number {
  return clock.startTime + block * clock.blockTime;
}

/** A float price as a feed answer with `decimals` decimals (rounded to nearest). */
export function toAnswer(price: number, decimals: number): bigint {
  return BigInt(Math.round(price * 10 ** decimals));
}

/** A feed answer as a float price. */
export function fromAnswer(answer: bigint, decimals: number): number {
  return Number(answer) / 10 ** decimals;
}

/** Runs the feed over `prices` (one per block, block 0 first). */
export function simulateFeed(prices: Float64Array, cfg: FeedConfig, clock: Clock): FeedTimeline {
  const n = prices.length;
  const landingAt: SimRound[][] = Array.from({ length: n }, () => []);
  const rounds: SimRound[] = [{ answer: toAnswer(prices[0], cfg.decimals), updatedAt: clock.startTime, block: 0 }];
  const current = new Int32Array(n);
  let submitted = prices[0];
  let submittedAt = clock.startTime;
  for (let b = 1; b < n; b++) {
    const now = blockTime(clock, b);
    const moved = Math.abs(prices[b] / submitted - 1) >= cfg.deviation;
    if (moved || now - submittedAt >= cfg.heartbeat) {
      submitted = prices[b];
      submittedAt = now;
      const land = b + cfg.lagBlocks;
      if (land < n) {
        landingAt[land].push({
          answer: toAnswer(prices[b], cfg.decimals),
          updatedAt: blockTime(clock, land),
          block: land,
        });
      }
    }
    for (const r of landingAt[b]) rounds.push(r);
    current[b] = rounds.length - 1;
  }
  return { decimals: cfg.decimals, rounds, current };
}

/** The current answer at a block. */
export function answerAt(feed: FeedTimeline, block: number): bigint {
  return feed.rounds[feed.current[block]].answer;
}

/** Up to `max` latest rounds landed at or before `block`, oldest first. */
export function recentRounds(feed: FeedTimeline, block: number, max: number): FeedRound[] {
  const last = feed.current[block];
  const first = Math.max(0, last - max + 1);
  return feed.rounds.slice(first, last + 1).map((r) => ({ answer: r.answer, updatedAt: r.updatedAt }));
}
