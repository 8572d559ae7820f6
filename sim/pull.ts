/**
 * A pull oracle (issue 16: Pyth-like) as the simulator models it. The source publishes the true
 * price continuously (Pyth: a 400 ms tick); the simulator's price moves once per 12 s block, so
 * the ticks of a block are one published price, the block's true price, stamped with the block's
 * time. A transaction in block b can carry any published price up to the freshest one, which is
 * `latencyBlocks` old (1: the price of the previous block, the time a signed update takes to
 * reach a transaction that lands). The pool accepts a price at most `maxAgeSeconds` old and not
 * older than the newest price it has already used. Noise traders and arbitrageurs submit the
 * freshest price; the selecting trader (`selectStale`) picks whichever accepted price pays it most.
 */
import type { PoolMath } from "../sdk/math";
import { bestArbitrage, type ArbConfig, type Choice } from "./agents";
import { blockTime, toAnswer, type Clock } from "./feed";
import { SkewVenue } from "./skew";
import type { Tokens } from "./venue";

/** A pull-oracle pool's settings. */
export interface PullConfig {
  /** Blocks between the freshest price a transaction can carry and the block it lands in (>= 1). */
  latencyBlocks: number;
  /** The pool's max age: the oldest price it accepts, seconds before the block's time. */
  maxAgeSeconds: number;
  /** Whether the price-selecting trader is present. */
  selector: boolean;
}

/** The default pull pool: 1 block of latency, 60 s max age, the selecting trader present. */
export function defaultPull(): PullConfig {
  return { latencyBlocks: 1, maxAgeSeconds: 60, selector: true };
}

/** A published price: the block whose true price it is, its time and its feed-style answer. */
export interface Published {
  block: number;
  publishTime: number;
  answer: bigint;
}

/** The price published at `block` (the true price of that block, as an answer with `decimals`). */
export function published(prices: Float64Array, clock: Clock, block: number, decimals: number): Published {
  return { block, publishTime: blockTime(clock, block), answer: toAnswer(prices[block], decimals) };
}

/**
 * The prices a transaction in block `b` may carry, freshest first: published at blocks
 * `b - latency, b - latency - 1, ...`, each at most `maxAgeSeconds` old at block b's time and not
 * older than `lastUsedTime` (the newest publish time the pool has used). Empty when none.
 */
export function pullCandidates(
  prices: Float64Array,
  clock: Clock,
  b: number,
  cfg: PullConfig,
  lastUsedTime: number,
  decimals: number,
): Published[] {
  const now = blockTime(clock, b);
  const out: Published[] = [];
  for (let s = b - Math.max(1, cfg.latencyBlocks); s >= 0; s--) {
    const t = blockTime(clock, s);
    if (now - t > cfg.maxAgeSeconds || t < lastUsedTime) break;
    out.push(published(prices, clock, s, decimals));
  }
  return out;
}

/** The selecting trader's swap: the price it submitted and the fill at it. */
export interface Selection {
  source: Published;
  choice: Choice<PoolMath>;
  /** Profit at the true price, gross of gas. */
  profit: number;
}

/**
 * The selecting trader: among the older prices it may submit (`candidates[1..]`; `candidates[0]` is
 * the freshest, the arbitrageur's), the one that pays it most for a single swap on the pool, valued
 * at the true price `price`. A Skew pool's mid scales with its oracle price, so that is the lowest
 * older price when it is below the freshest (buy base cheap) or the highest when above (sell base
 * dear): those two are sized exactly and the better one is taken when it beats gas. Null when no
 * older price pays (then it is only the freshest price's arbitrage, which the arbitrageur takes).
 */
export function selectStale(
  pool: SkewVenue,
  candidates: readonly Published[],
  decimals: number,
  price: number,
  tokens: Tokens,
  arb: ArbConfig,
  poolValue: number,
): Selection | null {
  if (candidates.length < 2) return null;
  const den = 10n ** BigInt(decimals);
  const fresh = candidates[0].answer;
  const older = candidates.slice(1);
  const lo = older.reduce((x, y) => (y.answer < x.answer ? y : x));
  const hi = older.reduce((x, y) => (y.answer > x.answer ? y : x));
  let best: Selection | null = null;
  for (const [c, side] of [
    [lo, "sellQuote"],
    [hi, "sellBase"],
  ] as const) {
    if (side === "sellQuote" ? c.answer >= fresh : c.answer <= fresh) continue;
    const venue = new SkewVenue({ ...pool.state, price: { num: c.answer, den } }, pool.kChange, pool.feeFloor);
    const choice = bestArbitrage(venue, price, tokens, arb, poolValue);
    if (choice === null || choice.fill.side !== side) continue;
    const profit = choice.trade.valueOut - choice.trade.valueIn;
    if (best === null || profit > best.profit) best = { source: c, choice, profit };
  }
  return best;
}
