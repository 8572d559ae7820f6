/**
 * The constant-product baseline: Uniswap V2 pair math (x * y = k) in bigint raw units, with
 * the fee in pips taken from the input and kept in the reserves, as `UniswapV2Library.
 * getAmountOut` does with 997/1000 (here (1e6 - fee) / 1e6).
 */
import type { SwapSide } from "../sdk/math";
import { fromRaw, type Fill, type Tokens, type Venue } from "./venue";

export const PIPS = 1_000_000n;

/** A constant-product pair's state. */
export interface CpState {
  base: bigint;
  quote: bigint;
  /** Fee in pips (3000 = 0.30 %). */
  fee: bigint;
}

/** Uniswap V2 `getAmountOut`: out = in (1 - fee) R_out / (R_in + in (1 - fee)), rounded down. */
export function cpAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, fee: bigint): bigint {
  const inWithFee = amountIn * (PIPS - fee);
  return (inWithFee * reserveOut) / (reserveIn * PIPS + inWithFee);
}

/** A constant-product pool as a `Venue`. */
export class CpVenue implements Venue<CpState> {
  state: CpState;
  /** Reserves at creation (the inventory the LP deposited). */
  private readonly initial: CpState;

  constructor(
    private readonly tokens: Tokens,
    initial: CpState,
  ) {
    this.state = initial;
    this.initial = initial;
  }

  quote(side: SwapSide, amountIn: bigint): Fill<CpState> | null {
    if (amountIn <= 0n) return null;
    const s = this.state;
    const sellBase = side === "sellBase";
    const [rIn, rOut] = sellBase ? [s.base, s.quote] : [s.quote, s.base];
    const out = cpAmountOut(amountIn, rIn, rOut, s.fee);
    if (out <= 0n || out >= rOut) return null;
    const after = sellBase
      ? { ...s, base: s.base + amountIn, quote: s.quote - out }
      : { ...s, base: s.base - out, quote: s.quote + amountIn };
    return {
      side,
      amountIn,
      amountOut: out,
      feeAmount: (amountIn * s.fee) / PIPS,
      feeInBase: sellBase,
      after,
    };
  }

  apply(fill: Fill<CpState>): void {
    this.state = fill.after;
  }

  midPrice(): number {
    return fromRaw(this.state.quote, this.tokens.quoteDecimals) / fromRaw(this.state.base, this.tokens.baseDecimals);
  }

  minFee(): number {
    return Number(this.state.fee) / 1e6;
  }

  reserves(): { base: bigint; quote: bigint } {
    return { base: this.state.base, quote: this.state.quote };
  }

  /**
   * The imbalance formula of DESIGN §2 at the true price, with targets = the deposited
   * inventory grown with the invariant (fees), i.e. (B_init, Q_init) * sqrt(K / K_init):
   * the targets lie on the current curve, so exactly one side is long.
   */
  imbalance(truePrice: number): number {
    const b = fromRaw(this.state.base, this.tokens.baseDecimals);
    const q = fromRaw(this.state.quote, this.tokens.quoteDecimals);
    const b0i = fromRaw(this.initial.base, this.tokens.baseDecimals);
    const q0i = fromRaw(this.initial.quote, this.tokens.quoteDecimals);
    const g = Math.sqrt((b * q) / (b0i * q0i));
    const b0 = b0i * g;
    const q0 = q0i * g;
    const surplus = b > b0 ? (b - b0) * truePrice : Math.max(0, q - q0);
    return surplus / (q0 + truePrice * b0);
  }
}
