/**
 * A concentrated-liquidity pool (Uniswap v3-like) with one position over a price range
 * [pa, pb] around the starting price: constant product on virtual reserves
 * (x + L / sqrt(pb)) (y + L sqrt(pa)) = L^2, in bigint raw units. The fee (pips) is taken from
 * the input and kept outside the curve, as v3 does; a swap that would carry the price past
 * the range edge is filled up to the edge only (the position then holds one token).
 */
import type { SwapSide } from "../sdk/math";
import { cpAmountOut, PIPS } from "./cpmm";
import { fromRaw, toRaw, type Fill, type Tokens, type Venue } from "./venue";

export interface V3State {
  /** Real reserves (raw). */
  base: bigint;
  quote: bigint;
  /** Fees collected, outside the curve (raw). */
  feeBase: bigint;
  feeQuote: bigint;
}

/** The fixed shape of the position. */
export interface V3Shape {
  /** Virtual offsets (raw): L / sqrt(pb) in base, L sqrt(pa) in quote. */
  baseOffset: bigint;
  quoteOffset: bigint;
  fee: bigint;
}

/**
 * A position worth `value` (quote units) at `price`, over [price / (1 + width), price * (1 + width)].
 */
export function v3Position(
  tokens: Tokens,
  value: number,
  price: number,
  width: number,
  fee: bigint,
): { state: V3State; shape: V3Shape } {
  const sp = Math.sqrt(price);
  const sa = Math.sqrt(price / (1 + width));
  const sb = Math.sqrt(price * (1 + width));
  const liquidity = value / (2 * sp - sa - price / sb);
  const base = liquidity * (1 / sp - 1 / sb);
  const quote = liquidity * (sp - sa);
  return {
    state: {
      base: toRaw(base, tokens.baseDecimals),
      quote: toRaw(quote, tokens.quoteDecimals),
      feeBase: 0n,
      feeQuote: 0n,
    },
    shape: {
      baseOffset: toRaw(liquidity / sb, tokens.baseDecimals),
      quoteOffset: toRaw(liquidity * sa, tokens.quoteDecimals),
      fee,
    },
  };
}

/** A concentrated-liquidity pool as a `Venue`. */
export class V3Venue implements Venue<V3State> {
  state: V3State;

  constructor(
    private readonly tokens: Tokens,
    private readonly shape: V3Shape,
    initial: V3State,
  ) {
    this.state = initial;
  }

  quote(side: SwapSide, requested: bigint): Fill<V3State> | null {
    if (requested <= 0n) return null;
    const s = this.state;
    const { fee, baseOffset, quoteOffset } = this.shape;
    const sellBase = side === "sellBase";
    const realOut = sellBase ? s.quote : s.base;
    const vIn = sellBase ? s.base + baseOffset : s.quote + quoteOffset;
    const vOut = sellBase ? s.quote + quoteOffset : s.base + baseOffset;
    if (realOut <= 0n) return null;
    let amountIn = requested;
    let out = cpAmountOut(amountIn, vIn, vOut, fee);
    if (out >= realOut) {
      // Fill to the range edge: the net input that buys all of the real output, rounded up.
      const net = (vIn * realOut + (vOut - realOut) - 1n) / (vOut - realOut);
      amountIn = (net * PIPS + (PIPS - fee) - 1n) / (PIPS - fee);
      if (amountIn > requested) amountIn = requested;
      out = cpAmountOut(amountIn, vIn, vOut, fee);
      if (out > realOut) out = realOut;
    }
    if (out <= 0n) return null;
    const feeAmount = (amountIn * fee) / PIPS;
    const net = amountIn - feeAmount;
    const after: V3State = sellBase
      ? { ...s, base: s.base + net, quote: s.quote - out, feeBase: s.feeBase + feeAmount }
      : { ...s, quote: s.quote + net, base: s.base - out, feeQuote: s.feeQuote + feeAmount };
    return { side, amountIn, amountOut: out, feeAmount, feeInBase: sellBase, after };
  }

  apply(fill: Fill<V3State>): void {
    this.state = fill.after;
  }

  midPrice(): number {
    const x = fromRaw(this.state.base + this.shape.baseOffset, this.tokens.baseDecimals);
    const y = fromRaw(this.state.quote + this.shape.quoteOffset, this.tokens.quoteDecimals);
    return y / x;
  }

  minFee(): number {
    return Number(this.shape.fee) / 1e6;
  }

  /** The LP's holdings: the position's reserves plus the fees it collected. */
  reserves(): { base: bigint; quote: bigint } {
    return { base: this.state.base + this.state.feeBase, quote: this.state.quote + this.state.feeQuote };
  }

  /** How far the position's value sits from half in each token, at the true price (0 = even). */
  imbalance(truePrice: number): number {
    const b = fromRaw(this.state.base, this.tokens.baseDecimals) * truePrice;
    const q = fromRaw(this.state.quote, this.tokens.quoteDecimals);
    return b + q > 0 ? Math.abs(b - q) / (b + q) : 0;
  }
}
