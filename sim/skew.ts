/**
 * A Skew pool as a `Venue`: the state is the SDK's `PoolMath` and every quote is the SDK's
 * `quoteExactIn` (the contracts' math to the wei); nothing here re-implements pricing.
 */
import {
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

/** A new pool's surge ramp width, WAD (contracts/pool/PoolStorage.sol `DEFAULT_SURGE_WIDTH`). */
export const DEFAULT_SURGE_WIDTH = 5n * 10n ** 16n;

/** The admin's fee settings of a pool (DESIGN.md §2): the away-volume floor (pips) and the surge ramp width. */
export interface FeeSettings {
  feeFloor?: bigint;
  surgeWidth?: bigint;
}

/**
 * A Skew pool at equilibrium holding `base` and `quote` raw units, priced at a feed answer; fee floor and
 * ramp width default to a new pool's (0 and 5 %).
 */
export function skewPool(
  tokens: Tokens,
  base: bigint,
  quote: bigint,
  answer: bigint,
  feedDecimals: number,
  params: PoolParams,
  fees: FeeSettings = {},
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
    feeFloor: fees.feeFloor ?? 0n,
    surgeWidth: fees.surgeWidth ?? DEFAULT_SURGE_WIDTH,
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
   */
  /**
   * @param feeFloor The front-running fee floor (pips; 0 = none). Interim, until the `fee-path` rule
   *   reaches `sdk/math.ts`: a swap that moves away from target, or crosses equilibrium, is quoted
   *   with its base fee (and max fee) raised to the floor; a swap toward target pays the base fee.
   */
  constructor(
    initial: PoolMath,
    readonly kChange: "equilibrium" | "immediate" = "equilibrium",
    readonly feeFloor: bigint = 0n,
  ) {
    this.state = initial;
  }

  /** The pool's state with the floor as its base (and at least max) fee. */
  private floored(): PoolMath {
    const s = this.state;
    return { ...s, baseFee: this.feeFloor, maxFee: s.maxFee > this.feeFloor ? s.maxFee : this.feeFloor };
  }

  quote(side: SwapSide, amountIn: bigint): Fill<PoolMath> | null {
    if (amountIn <= 0n) return null;
    try {
      const s = this.state;
      const floor = this.feeFloor > s.baseFee;
      // Away from target: the floor. Toward it: the base fee, unless the swap crosses equilibrium.
      let priced = floor && !isToward(s, side) ? this.floored() : s;
      let q = quoteExactIn(priced, side, amountIn);
      if (floor && priced === s && q.regionAfter !== s.region) {
        priced = this.floored();
        q = quoteExactIn(priced, side, amountIn);
      }
      if (q.amountOut <= 0n) return null;
      const after = mathAfterSwap(priced, q);
      return {
        side,
        amountIn,
        amountOut: q.amountOut,
        feeAmount: q.feeAmount - q.protocolFee,
        feeInBase: side === "sellQuote",
        after: { ...after, baseFee: this.state.baseFee, maxFee: this.state.maxFee },
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

  /** The admin's fee settings land at once (contracts/pool/AdminLogic.sol `setFeeFloor`). */
  setFees(fees: FeeSettings): void {
    this.state = { ...this.state, ...fees };
  }

  midPrice(): number {
    return Number(midPrice(this.state)) / 1e18;
  }

  minFee(side: SwapSide): number {
    const s = this.state;
    const fee = isToward(s, side) || this.feeFloor <= s.baseFee ? s.baseFee : this.feeFloor;
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
