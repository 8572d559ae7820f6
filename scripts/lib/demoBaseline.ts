/**
 * The demo's constant-product baseline: a Uniswap V2-style pool (the simulator's `CpVenue`)
 * that starts with the Skew pool's reserves and fee and meets the same market: every noise
 * and one-sided order the Skew pool got, at the same true price and size, and its own
 * arbitrageur (the simulator's, with the same gas and search settings).
 */
import { bestArbitrage, inputFor, valueFill } from "../../sim/agents";
import type { ArbConfig } from "../../sim/agents";
import { CpVenue } from "../../sim/cpmm";
import { fromRaw, valueAt } from "../../sim/venue";
import type { Tokens } from "../../sim/venue";
import type { SwapSide } from "../../sdk/math";

/** What one venue's LPs and traders got over the session (quote units at the true price). */
export interface VenueTally {
  swaps: number;
  arbitrageSwaps: number;
  /** Fees kept by the pool, valued when charged. */
  feesValue: number;
  /** The arbitrageur's gain at the true price (the LPs' loss to arbitrage), before gas. */
  arbitrageProfit: number;
  /** Fees paid by the one-sided flow. */
  flowFees: number;
  /** Highest fee a swap paid, pips. */
  maxFeePips: number;
  /** Swaps that paid more than the base fee. */
  surgeSwaps: number;
  /** The largest fee paid above the base fee in force at the time, pips. */
  maxSurgePips: number;
}

export const emptyTally = (): VenueTally => ({
  swaps: 0,
  arbitrageSwaps: 0,
  feesValue: 0,
  arbitrageProfit: 0,
  flowFees: 0,
  maxFeePips: 0,
  surgeSwaps: 0,
  maxSurgePips: 0,
});

export class CpBaseline {
  readonly venue: CpVenue;
  readonly tally = emptyTally();
  private readonly initialBase: bigint;
  private readonly initialQuote: bigint;

  constructor(
    private readonly tokens: Tokens,
    base: bigint,
    quote: bigint,
    private readonly feePips: bigint,
    private readonly arb: ArbConfig,
  ) {
    this.venue = new CpVenue(tokens, { base, quote, fee: feePips });
    this.initialBase = base;
    this.initialQuote = quote;
  }

  /** A trader's order worth `usd` at `price` (skipped when the pool cannot fill it). */
  order(kind: "noise" | "flow", side: SwapSide, usd: number, price: number): void {
    const fill = this.venue.quote(side, inputFor(this.tokens, side, usd, price));
    if (fill === null) return;
    this.venue.apply(fill);
    const t = valueFill(this.tokens, fill, price);
    this.tally.swaps++;
    this.tally.feesValue += t.feeValue;
    if (kind === "flow") this.tally.flowFees += t.feeValue;
    this.tally.maxFeePips = Math.max(this.tally.maxFeePips, Number(this.feePips));
  }

  /** The arbitrageur's best trade toward `price`, if it pays. */
  arbitrage(price: number): void {
    const { base, quote } = this.venue.reserves();
    const best = bestArbitrage(this.venue, price, this.tokens, this.arb, valueAt(this.tokens, base, quote, price));
    if (best === null) return;
    this.venue.apply(best.fill);
    this.tally.swaps++;
    this.tally.arbitrageSwaps++;
    this.tally.feesValue += best.trade.feeValue;
    this.tally.arbitrageProfit += best.trade.valueOut - best.trade.valueIn;
  }

  /** Signed inventory at `price`: + when it holds more base than its (fee-grown) starting mix. */
  inventory(price: number): number {
    const { base, quote } = this.venue.reserves();
    const long = base * this.initialQuote > quote * this.initialBase;
    return (long ? 1 : -1) * this.venue.imbalance(price);
  }

  mid(): number {
    return this.venue.midPrice();
  }

  baseHeld(): number {
    return fromRaw(this.venue.reserves().base, this.tokens.baseDecimals);
  }

  /** The LPs' result at `price`: the pool's value and that of holding the starting reserves. */
  result(price: number): { value: number; hold: number } {
    const { base, quote } = this.venue.reserves();
    return {
      value: valueAt(this.tokens, base, quote, price),
      hold: valueAt(this.tokens, this.initialBase, this.initialQuote, price),
    };
  }
}
