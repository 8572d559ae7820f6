/**
 * The next-round front-runner (issue 11): an agent that sees the feed's next round one block
 * before it lands (the oracle network's transaction in the mempool). At the end of the block
 * before the round it trades the pool toward the new answer, at the old one; first thing in
 * the block the round lands, it trades the same tokens back at the new answer. It trades only
 * when the round trip, quoted exactly through the pool's math, beats twice the gas.
 */
import type { PoolMath, SwapSide } from "../sdk/math";
import { inputFor, valueFill, type Choice } from "./agents";
import { bracketMax, brentMax } from "./optimize";
import { SkewVenue } from "./skew";
import type { Tokens } from "./venue";

/** The first leg of a round trip, and what the second leg will sell back. */
export interface FrontRun {
  leg1: Choice<PoolMath>;
  /** Side of the unwinding swap. */
  backSide: SwapSide;
}

/** Smallest trade worth sizing (quote units). */
const MIN_USD = 1;

/**
 * The front-runner's best first leg on `pool` before `nextAnswer` lands, or null when no round
 * trip earns more than `2 * gasUsd` at the true price `price`.
 */
export function planFrontRun(
  pool: SkewVenue,
  nextAnswer: bigint,
  feedDecimals: number,
  price: number,
  tokens: Tokens,
  gasUsd: number,
  sizeTol: number,
  poolValue: number,
): FrontRun | null {
  const current = pool.state.price;
  const den = 10n ** BigInt(feedDecimals);
  // next / current as a float: up means base gets dearer, so buy base now (sell quote).
  const ratio = Number((nextAnswer * current.den * 1_000_000n) / (den * current.num)) / 1e6;
  if (ratio === 1) return null;
  const side: SwapSide = ratio > 1 ? "sellQuote" : "sellBase";
  const backSide: SwapSide = side === "sellQuote" ? "sellBase" : "sellQuote";
  let best: Choice<PoolMath> | null = null;
  let bestProfit = -Infinity;
  const profit = (x: number): number => {
    const fill = pool.quote(side, inputFor(tokens, side, Math.exp(x), price));
    if (fill === null) return -Infinity;
    const after = new SkewVenue({ ...fill.after, price: { num: nextAnswer, den } }, pool.kChange, pool.feeFloor);
    const back = after.quote(backSide, fill.amountOut);
    if (back === null) return -Infinity;
    // Round trip in the first leg's input token, valued at the true price.
    const gain = Number(back.amountOut - fill.amountIn);
    const p = side === "sellQuote" ? gain / 10 ** tokens.quoteDecimals : (gain / 10 ** tokens.baseDecimals) * price;
    if (p > bestProfit) {
      bestProfit = p;
      best = { fill, trade: valueFill(tokens, fill, price) };
    }
    return p;
  };
  const guess = Math.max((poolValue * Math.abs(ratio - 1)) / 4, MIN_USD);
  const br = bracketMax(profit, Math.log(guess), Math.LN2, Math.log(MIN_USD));
  if (br !== null) brentMax(profit, br, sizeTol);
  if (best === null || !(bestProfit > 2 * gasUsd)) return null;
  return { leg1: best, backSide };
}
