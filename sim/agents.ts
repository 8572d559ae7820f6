/**
 * The market's agents: an arbitrageur who trades a pool toward the true price whenever that
 * pays after fees and gas, with the size chosen to maximise profit, and noise traders who
 * swap random amounts on random sides.
 */
import type { SwapSide } from "../sdk/math";
import { bracketMax, brentMax } from "./optimize";
import { fromRaw, toRaw, type Fill, type Tokens, type Venue } from "./venue";

/** An executed swap, valued at the true price of its block (quote units, e.g. USD). */
export interface Trade {
  side: SwapSide;
  amountIn: bigint;
  amountOut: bigint;
  /** Value of the input at the true price. */
  valueIn: number;
  /** Value of the output at the true price. */
  valueOut: number;
  /** Value of the fee the pool kept. */
  feeValue: number;
}

/** Values a fill at the true price `price`. */
export function valueFill<S>(tokens: Tokens, fill: Fill<S>, price: number): Trade {
  const sellBase = fill.side === "sellBase";
  const base = (raw: bigint) => fromRaw(raw, tokens.baseDecimals) * price;
  const quote = (raw: bigint) => fromRaw(raw, tokens.quoteDecimals);
  return {
    side: fill.side,
    amountIn: fill.amountIn,
    amountOut: fill.amountOut,
    valueIn: sellBase ? base(fill.amountIn) : quote(fill.amountIn),
    valueOut: sellBase ? quote(fill.amountOut) : base(fill.amountOut),
    feeValue: fill.feeInBase ? base(fill.feeAmount) : quote(fill.feeAmount),
  };
}

/** Raw input for a trade worth `usd` at `price`. */
export function inputFor(tokens: Tokens, side: SwapSide, usd: number, price: number): bigint {
  return side === "sellBase" ? toRaw(usd / price, tokens.baseDecimals) : toRaw(usd, tokens.quoteDecimals);
}

export interface ArbConfig {
  /** Gas cost of one arbitrage swap, in quote units (USD). */
  gasUsd: number;
  /** Most swaps the arbitrageur makes against one pool in one block. */
  maxTradesPerBlock: number;
  /** Tolerance of the size search in log(size) (1e-5 = sizes within 0.001 %). */
  sizeTol: number;
}

/** A swap an agent chose, ready to apply. */
export interface Choice<S> {
  fill: Fill<S>;
  trade: Trade;
}

/** Trades below this value are not worth searching (quote units). */
const MIN_ARB_USD = 0.01;

/**
 * The arbitrageur's best swap against `venue` at true price `price`, or null when none
 * earns more than gas. The side is the one the marginal price (mid and minimum fee) makes
 * profitable; the size maximises the exact profit at the true price, quoted through the
 * venue's own math: a bracket in log(size) from a constant-product-like guess, then Brent.
 * The profit returned is gross of gas, and always exceeds it.
 */
export function bestArbitrage<S>(
  venue: Venue<S>,
  price: number,
  tokens: Tokens,
  cfg: ArbConfig,
  poolValue: number,
): Choice<S> | null {
  const mid = venue.midPrice();
  const side: SwapSide = price < mid ? "sellBase" : "sellQuote";
  const fee = venue.minFee(side);
  if (side === "sellBase" ? !(price < mid * (1 - fee)) : !(price * (1 - fee) > mid)) return null;

  let best: Choice<S> | null = null;
  let bestProfit = -Infinity;
  const profit = (x: number): number => {
    const fill = venue.quote(side, inputFor(tokens, side, Math.exp(x), price));
    if (fill === null) return -Infinity;
    const trade = valueFill(tokens, fill, price);
    const p = trade.valueOut - trade.valueIn;
    if (p > bestProfit) {
      bestProfit = p;
      best = { fill, trade };
    }
    return p;
  };

  const gap = Math.abs(Math.log(price / mid)) - fee;
  const guess = Math.max((poolValue * Math.max(gap, 1e-9)) / 4, 1);
  const br = bracketMax(profit, Math.log(guess), Math.LN2, Math.log(MIN_ARB_USD));
  if (br !== null) brentMax(profit, br, cfg.sizeTol);
  return bestProfit > cfg.gasUsd ? best : null;
}

/** A noise trader's order: a side and a size in quote value at the true price. */
export interface NoiseOrder {
  side: SwapSide;
  usd: number;
}

/**
 * A noise trader's swap, or null when the pool cannot fill it or it would cost more than
 * `maxCostBps` basis points against the true price (the trader would route elsewhere).
 */
export function noiseSwap<S>(
  venue: Venue<S>,
  order: NoiseOrder,
  price: number,
  tokens: Tokens,
  maxCostBps: number,
): Choice<S> | null {
  const fill = venue.quote(order.side, inputFor(tokens, order.side, order.usd, price));
  if (fill === null) return null;
  const trade = valueFill(tokens, fill, price);
  if (trade.valueIn <= 0) return null;
  const costBps = ((trade.valueIn - trade.valueOut) / trade.valueIn) * 1e4;
  return costBps > maxCostBps ? null : { fill, trade };
}

/** A noise order's fill on the venue that pays the most for it. */
export interface Routed<S> extends Choice<S> {
  venue: Venue<S>;
}

/**
 * Routes a noise order to whichever of `pool` and `other` pays more output for it (the pool on
 * a tie), or null when neither fills it within `maxCostBps` of the true price.
 */
export function routeNoise<S>(
  pool: Venue<S>,
  other: Venue<S> | null,
  order: NoiseOrder,
  price: number,
  tokens: Tokens,
  maxCostBps: number,
): Routed<S> | null {
  const ours = noiseSwap(pool, order, price, tokens, maxCostBps);
  const theirs = other === null ? null : noiseSwap(other, order, price, tokens, maxCostBps);
  if (
    theirs !== null &&
    other !== null &&
    (ours === null || theirs.trade.valueOut / theirs.trade.valueIn > ours.trade.valueOut / ours.trade.valueIn)
  ) {
    return { ...theirs, venue: other };
  }
  return ours === null ? null : { ...ours, venue: pool };
}
