/**
 * A Skew pool as a `Venue`: the state is the SDK's `PoolMath` and every quote is the SDK's
 * `quoteExactIn` (the contracts' math to the wei); nothing here re-implements pricing.
 */
import {
  feeFloorOf,
  imbalance,
  InsufficientLiquidityError,
  MathOverflowError,
  midPrice,
  quoteExactIn,
  Region,
  WAD,
  ZeroAmountError,
  type PoolMath,
  type SwapSide,
} from "../sdk/math";
import { mathAfterSwap } from "../sdk/quote";
import type { PoolParams } from "../keeper/types";
import type { Fill, Tokens, Venue } from "./venue";

/** A Skew pool at equilibrium holding `base` and `quote` raw units, priced at a feed answer. */
export function skewPool(
  tokens: Tokens,
  base: bigint,
  quote: bigint,
  answer: bigint,
  feedDecimals: number,
  params: PoolParams,
): PoolMath {
  const baseScale = 10n ** BigInt(18 - tokens.baseDecimals);
  const quoteScale = 10n ** BigInt(18 - tokens.quoteDecimals);
  return {
    baseReserve: base,
    quoteReserve: quote,
    baseTarget: base * baseScale,
    quoteTarget: quote * quoteScale,
    region: Region.ONE,
    baseScale,
    quoteScale,
    price: { num: answer, den: 10n ** BigInt(feedDecimals) },
    k: params.k,
    baseFee: params.baseFee,
    maxFee: params.maxFee,
    tau: params.tau,
    protocolShare: 0n,
  };
}

/** `p` with `pendingK` queued (or no queue for null): the field is absent when nothing is queued. */
function withQueuedK(p: PoolMath, pendingK: bigint | null): PoolMath {
  const { pendingK: _old, ...rest } = p; // eslint-disable-line @typescript-eslint/no-unused-vars
  return pendingK === null ? rest : { ...rest, pendingK };
}

/** The keeper-settable parameters of a pool (k: the one in force). */
export function paramsOf(p: PoolMath): PoolParams {
  return { k: p.k, baseFee: p.baseFee, maxFee: p.maxFee, tau: p.tau };
}

/** Whether a swap on `side` moves the pool toward its target (region A is long quote, B long base). */
function isToward(s: PoolMath, side: SwapSide): boolean {
  return (s.region === Region.A && side === "sellBase") || (s.region === Region.B && side === "sellQuote");
}

/** A Skew pool as a `Venue`. */
export class SkewVenue implements Venue<PoolMath> {
  state: PoolMath;

  /**
   * @param kChange How the keeper's k takes effect: as the pool does ("equilibrium", the default) or,
   *   to measure what that rule costs, at once ("immediate", the rule before it).
   * @param feeFloor The front-running fee floor (pips; 0 = none), stored in the state's `feeFloor`:
   *   the SDK's fee rule (DESIGN §2) makes away-from-target volume pay at least it.
   */
  constructor(
    initial: PoolMath,
    readonly kChange: "equilibrium" | "immediate" = "equilibrium",
    readonly feeFloor: bigint = feeFloorOf(initial),
  ) {
    this.state = feeFloor === feeFloorOf(initial) ? initial : { ...initial, feeFloor };
  }

  quote(side: SwapSide, amountIn: bigint): Fill<PoolMath> | null {
    if (amountIn <= 0n) return null;
    try {
      const q = quoteExactIn(this.state, side, amountIn);
      if (q.amountOut <= 0n) return null;
      return {
        side,
        amountIn,
        amountOut: q.amountOut,
        feeAmount: q.feeAmount - q.protocolFee,
        feeInBase: side === "sellQuote",
        after: mathAfterSwap(this.state, q),
      };
    } catch (e) {
      if (e instanceof InsufficientLiquidityError || e instanceof ZeroAmountError || e instanceof MathOverflowError) {
        return null;
      }
      throw e;
    }
  }

  apply(fill: Fill<PoolMath>): void {
    this.state = fill.after;
  }

  /** A new feed answer reaches the pool. */
  setPrice(answer: bigint, feedDecimals: number): void {
    this.state = { ...this.state, price: { num: answer, den: 10n ** BigInt(feedDecimals) } };
  }

  /**
   * The keeper's update lands, as the pool stores it (contracts/pool/AdminLogic.sol `_storeParams`):
   * fees and tau at once; k at once only at equilibrium, otherwise queued until a swap reaches it
   * (a request equal to the k in force clears the queue).
   */
  setParams(params: PoolParams): void {
    const { k, ...rest } = params;
    const s = { ...this.state, ...rest };
    if (s.region === Region.ONE || this.kChange === "immediate") this.state = withQueuedK({ ...s, k }, null);
    else this.state = withQueuedK(s, k === s.k ? null : k);
  }

  midPrice(): number {
    return Number(midPrice(this.state)) / 1e18;
  }

  minFee(side: SwapSide): number {
    const s = this.state;
    const floor = feeFloorOf(s);
    const fee = isToward(s, side) || floor <= s.baseFee ? s.baseFee : floor;
    return Number(fee) / 1e6;
  }

  reserves(): { base: bigint; quote: bigint } {
    return { base: this.state.baseReserve, quote: this.state.quoteReserve };
  }

  /** The pool's own imbalance (sdk `imbalance`), against its targets at the feed price. */
  imbalance(): number {
    return Number(imbalance(this.state)) / Number(WAD);
  }
}
