/**
 * Pure deposit and withdrawal quotes, mirroring the pool's `LiquidityLogic` (the same integer
 * operations and rounding), for setting `minShares` / `minBase` / `minQuote` slippage limits.
 */
import { InsufficientLiquidityError, PausedError, ZeroAmountError, ZeroSharesError } from "./errors";
import { mulDiv, sqrt } from "./fullMath";
import type { PoolSnapshot } from "./state";

/** Shares the first deposit locks forever (the pool's `MINIMUM_LIQUIDITY`). */
export const MINIMUM_LIQUIDITY = 1000n;

/** What a deposit takes and mints. */
export interface DepositQuote {
  /** Shares minted to the recipient. */
  shares: bigint;
  /** Raw base the pool takes. */
  baseIn: bigint;
  /** Raw quote the pool takes. */
  quoteIn: bigint;
  /** Whether this is the pool's first deposit (it sets the targets and locks MINIMUM_LIQUIDITY). */
  first: boolean;
}

/** What a withdrawal pays. */
export interface WithdrawQuote {
  baseOut: bigint;
  quoteOut: bigint;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * Quotes depositing at most `baseMax` and `quoteMax` (raw) into a loaded pool, for tokens
 * without a transfer fee: later deposits take the amounts for the largest share amount both
 * maxima allow (rounded up) and mint shares from them (rounded down).
 * @throws PausedError, ZeroAmountError, InsufficientLiquidityError, ZeroSharesError
 */
export function quoteDeposit(state: PoolSnapshot, baseMax: bigint, quoteMax: bigint): DepositQuote {
  if (state.paused) throw new PausedError({ errorName: "EnforcedPause" });
  if (baseMax === 0n || quoteMax === 0n) throw new ZeroAmountError();
  const supply = state.totalSupply;
  if (supply === 0n) {
    const shares = sqrt(baseMax * state.math.baseScale * quoteMax * state.math.quoteScale);
    if (shares <= MINIMUM_LIQUIDITY) throw new ZeroSharesError();
    return { shares: shares - MINIMUM_LIQUIDITY, baseIn: baseMax, quoteIn: quoteMax, first: true };
  }
  const { baseReserve: rb, quoteReserve: rq } = state.math;
  if (rb === 0n || rq === 0n) throw new InsufficientLiquidityError();
  const wanted = min(mulDiv(baseMax, supply, rb), mulDiv(quoteMax, supply, rq));
  if (wanted === 0n) throw new ZeroSharesError();
  const baseIn = mulDiv(wanted, rb, supply, true);
  const quoteIn = mulDiv(wanted, rq, supply, true);
  const shares = min(mulDiv(baseIn, supply, rb), mulDiv(quoteIn, supply, rq));
  if (shares === 0n) throw new ZeroSharesError();
  return { shares, baseIn, quoteIn, first: false };
}

/**
 * Quotes burning `shares`: the same fraction of both reserves, rounded down. Works whatever the
 * pause and oracle state (as the pool's `withdraw`).
 * @throws ZeroAmountError
 */
export function quoteWithdraw(state: PoolSnapshot, shares: bigint): WithdrawQuote {
  if (shares === 0n || state.totalSupply === 0n) throw new ZeroAmountError();
  const baseOut = mulDiv(shares, state.math.baseReserve, state.totalSupply);
  const quoteOut = mulDiv(shares, state.math.quoteReserve, state.totalSupply);
  if (baseOut === 0n && quoteOut === 0n) throw new ZeroAmountError();
  return { baseOut, quoteOut };
}
