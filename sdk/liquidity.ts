/**
 * Pure deposit, withdrawal and sync quotes, mirroring the pool's `LiquidityLogic` (the same integer
 * operations and rounding), for setting a deposit's maxima and minima and a withdrawal's
 * `minBase` / `minQuote` slippage limits.
 */
import {
  InsufficientLiquidityError,
  OutsideSupportedDomainError,
  PausedError,
  ZeroAmountError,
  ZeroSharesError,
} from "./errors";
import { mulDiv, sqrt } from "./fullMath";
import { Region } from "./math";
import { DOMAIN_LIMIT } from "./quote";
import type { PoolSnapshot } from "./state";
import { minOutWithSlippage } from "./tx";

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

/**
 * A deposit's limits for `ISkewPool.deposit` / the router's `DepositParams`: the maxima are the
 * quote's amounts and the minima a slippage below them, so the pool takes the deposit only at a
 * ratio within the band signed for (DESIGN §4), and a sandwich that pushes the pool off its ratio
 * makes it revert with `DepositBelowMinimum`.
 */
export interface DepositLimits {
  baseMax: bigint;
  quoteMax: bigint;
  baseMin: bigint;
  quoteMin: bigint;
  minShares: bigint;
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
  const bs = state.math.baseScale;
  const qs = state.math.quoteScale;
  if (supply === 0n) {
    const shares = sqrt(baseMax * bs * quoteMax * qs);
    if (shares <= MINIMUM_LIQUIDITY) throw new ZeroSharesError();
    const [b, q] = [baseMax * bs, quoteMax * qs];
    if (b >= DOMAIN_LIMIT || q >= DOMAIN_LIMIT) throw new OutsideSupportedDomainError(b, q);
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
  const [b, q] = [(rb + baseIn) * bs, (rq + quoteIn) * qs];
  if (b >= DOMAIN_LIMIT || q >= DOMAIN_LIMIT) throw new OutsideSupportedDomainError(b, q);
  const grow = (t: bigint): bigint => mulDiv(t, supply + shares, supply, true);
  const [tb, tq] =
    state.math.region === Region.ONE ? [b, q] : [grow(state.math.baseTarget), grow(state.math.quoteTarget)];
  if (tb >= DOMAIN_LIMIT || tq >= DOMAIN_LIMIT) throw new OutsideSupportedDomainError(tb, tq);
  return { shares, baseIn, quoteIn, first: false };
}

/**
 * The pool after a (non-first) deposit quote, as `LiquidityLogic` stores it: reserves grow by the
 * amounts, the supply by the shares; at equilibrium the targets follow the reserves, elsewhere both
 * scale with the supply rounded up, and when that closes the long side's surplus the pool is at
 * equilibrium (region ONE, a queued `k` applies).
 */
export function applyDeposit(state: PoolSnapshot, quote: DepositQuote): PoolSnapshot {
  const m = state.math;
  const [S, N] = [state.totalSupply, state.totalSupply + quote.shares];
  const baseReserve = m.baseReserve + quote.baseIn;
  const quoteReserve = m.quoteReserve + quote.quoteIn;
  const [sb, sq] = [baseReserve * m.baseScale, quoteReserve * m.quoteScale];
  const next = { ...state, totalSupply: N, math: { ...m, baseReserve, quoteReserve, baseTarget: sb, quoteTarget: sq } };
  if (m.region === Region.ONE) return next;
  const tb = mulDiv(m.baseTarget, N, S, true);
  const tq = mulDiv(m.quoteTarget, N, S, true);
  const longAhead = m.region === Region.A ? tq < sq : tb < sb;
  if (longAhead) return { ...next, math: { ...next.math, baseTarget: tb, quoteTarget: tq } };
  return atEquilibrium(next);
}

/** The pool marked at equilibrium (region ONE), with a queued `k` applied. */
function atEquilibrium(state: PoolSnapshot): PoolSnapshot {
  const { pendingK: _applied, ...math } = state.math; // eslint-disable-line @typescript-eslint/no-unused-vars
  if (state.pendingK === null) return { ...state, math: { ...math, region: Region.ONE } };
  const k = state.pendingK;
  return { ...state, math: { ...math, region: Region.ONE, k }, params: { ...state.params, k }, pendingK: null };
}

/**
 * The limits that accept a deposit quote's ratio within `slippageBps` basis points: maxima at the
 * quote's amounts, minima `slippageBps` below them (rounded down), and the shares minus the slippage.
 * The pool then takes base/quote at a ratio within `[1 - s, 1 / (1 - s)]` of the quoted one, which
 * bounds what a sandwich can make the depositor pay (DESIGN §4, `depositLossBoundWad`).
 */
export function depositLimits(quote: DepositQuote, slippageBps: bigint | number): DepositLimits {
  return {
    baseMax: quote.baseIn,
    quoteMax: quote.quoteIn,
    baseMin: minOutWithSlippage(quote.baseIn, slippageBps),
    quoteMin: minOutWithSlippage(quote.quoteIn, slippageBps),
    minShares: minOutWithSlippage(quote.shares, slippageBps),
  };
}

/**
 * The most a depositor can lose to a sandwich, as a fraction (WAD) of the value it pays at the
 * oracle price, when it signs {@link depositLimits} with `slippageBps` on a quote made at
 * equilibrium and the pool's skew strength is `k` (WAD): `k * d^2 / (1 + d)` with `d = s / (1 - s)`
 * the largest ratio move the limits accept, rounded up (DESIGN §4). A quote made away from
 * equilibrium already pays the pool's premium over it (`poolValue - equilibriumValue`) on top.
 */
export function depositLossBoundWad(k: bigint, slippageBps: bigint | number): bigint {
  const WAD = 10n ** 18n;
  const s = BigInt(slippageBps);
  const dWad = (s * WAD + (10_000n - s) - 1n) / (10_000n - s); // s / (1 - s), rounded up
  return (k * dWad * dWad + (WAD + dWad) * WAD - 1n) / ((WAD + dWad) * WAD);
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

/**
 * The pool after `sync()` with these token balances (raw, protocol fees included), as the pool's
 * `LiquidityLogic` computes it: each reserve lowered to its balance minus the protocol fees owed (the
 * fees cut to a balance below them; a balance above the reserve is left out), at equilibrium the
 * targets follow the reserves, elsewhere the long side's surplus is scaled by each side's new/old
 * ratio (rounded down) and a surplus of 0 is equilibrium (where a queued `k` applies). Deposits and
 * withdrawals run it first; quote them on the synced state when a balance may have shrunk (rebasing
 * tokens).
 */
export function quoteSync(state: PoolSnapshot, baseBalance: bigint, quoteBalance: bigint): PoolSnapshot {
  const m = state.math;
  const avail = (bal: bigint, fees: bigint, reserve: bigint): [bigint, bigint] =>
    bal < fees ? [0n, bal] : [min(bal - fees, reserve), fees];
  const [nb, fb] = avail(baseBalance, state.protocolFees.base, m.baseReserve);
  const [nq, fq] = avail(quoteBalance, state.protocolFees.quote, m.quoteReserve);
  const protocolFees = { base: fb, quote: fq };
  if (nb === m.baseReserve && nq === m.quoteReserve) return { ...state, protocolFees };
  const shrink = (x: bigint, now: bigint, before: bigint): bigint => (now < before ? mulDiv(x, now, before) : x);
  const [sb, sq] = [nb * m.baseScale, nq * m.quoteScale];
  const next = {
    ...state,
    protocolFees,
    math: { ...m, baseReserve: nb, quoteReserve: nq, baseTarget: sb, quoteTarget: sq },
  };
  if (m.region === Region.ONE) return next;
  const baseLong = m.region === Region.B;
  const longOld = baseLong ? m.baseReserve * m.baseScale : m.quoteReserve * m.quoteScale;
  const longTarget = baseLong ? m.baseTarget : m.quoteTarget;
  let surplus = longOld > longTarget ? longOld - longTarget : 0n;
  surplus = shrink(shrink(surplus, nb, m.baseReserve), nq, m.quoteReserve);
  if (surplus === 0n) return atEquilibrium(next);
  const targets = baseLong
    ? { baseTarget: sb - surplus, quoteTarget: shrink(m.quoteTarget, nq, m.quoteReserve) }
    : { baseTarget: shrink(m.baseTarget, nb, m.baseReserve), quoteTarget: sq - surplus };
  return { ...next, math: { ...next.math, ...targets } };
}
