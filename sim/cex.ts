/**
 * A centralised exchange's quote as a `Venue`: any size at the true price less a half-spread
 * (fees included). Its state is the price it quotes, set each block; it keeps no inventory the
 * simulation measures, so its reserves are empty.
 */
import type { SwapSide } from "../sdk/math";
import { fromRaw, toRaw, type Fill, type Tokens, type Venue } from "./venue";

export interface CexState {
  price: number;
}

export class CexVenue implements Venue<CexState> {
  state: CexState;

  /** @param halfSpread what a taker pays against the true price, a fraction (0.0015 = 15 bp) */
  constructor(
    private readonly tokens: Tokens,
    private readonly halfSpread: number,
    price: number,
  ) {
    this.state = { price };
  }

  /** The true price of the block. */
  setPrice(price: number): void {
    this.state = { price };
  }

  quote(side: SwapSide, amountIn: bigint): Fill<CexState> | null {
    if (amountIn <= 0n) return null;
    const { baseDecimals, quoteDecimals } = this.tokens;
    const keep = 1 - this.halfSpread;
    const out =
      side === "sellBase"
        ? toRaw(fromRaw(amountIn, baseDecimals) * this.state.price * keep, quoteDecimals)
        : toRaw((fromRaw(amountIn, quoteDecimals) / this.state.price) * keep, baseDecimals);
    if (out <= 0n) return null;
    return { side, amountIn, amountOut: out, feeAmount: 0n, feeInBase: side === "sellBase", after: this.state };
  }

  apply(fill: Fill<CexState>): void {
    this.state = fill.after;
  }

  midPrice(): number {
    return this.state.price;
  }

  minFee(): number {
    return this.halfSpread;
  }

  reserves(): { base: bigint; quote: bigint } {
    return { base: 0n, quote: 0n };
  }

  imbalance(): number {
    return 0;
  }
}
