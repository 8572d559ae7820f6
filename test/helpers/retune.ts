/**
 * The pool's rules for changing `k` (DESIGN.md §3), on the SDK's math model, and the values the
 * retuning invariant is stated in (DESIGN.md §4): the pool's value V and its equilibrium value E at the
 * oracle price. Used by the model property tests and by the on-chain tests that check chain = model.
 */
import { convert, PoolMath, quoteExactIn, Region, shortTarget, SwapSide } from "../../sdk/math";
import { applyQuote } from "./arbitraries";

/** A pool model without a queued k. */
function withoutQueue(p: PoolMath): PoolMath {
  const next = { ...p };
  delete next.pendingK;
  return next;
}

/**
 * A keeper's (or a clamping admin's) request for `k`, as `AdminLogic` stores it: in force at once in
 * region ONE; otherwise queued, a newer request replacing the queued one and a request for the k in
 * force clearing the queue.
 */
export function requestK(p: PoolMath, k: bigint): PoolMath {
  if (p.region === Region.ONE) return { ...withoutQueue(p), k };
  if (k === p.k) return withoutQueue(p);
  return { ...p, pendingK: k };
}

/** The rule before issue 10, for contrast: the new k re-prices the pool at once, wherever it is. */
export function remarkK(p: PoolMath, k: bigint): PoolMath {
  return { ...withoutQueue(p), k };
}

/** An admin `setBounds` on k: the k the pool is heading to (queued, else in force) is clamped in and requested. */
export function clampK(p: PoolMath, kMin: bigint, kMax: bigint): PoolMath {
  const heading = p.pendingK ?? p.k;
  const clamped = heading < kMin ? kMin : heading > kMax ? kMax : heading;
  return clamped === heading ? p : requestK(p, clamped);
}

/** The value of a raw amount of one token at the oracle price, in scaled quote units times `price.den`. */
export function valueOf(p: PoolMath, base: bigint, quote: bigint): bigint {
  return base * p.baseScale * p.price.num + quote * p.quoteScale * p.price.den;
}

/** V: the pool's value at the oracle price (scaled quote units times `price.den`). */
export function poolValue(p: PoolMath): bigint {
  return valueOf(p, p.baseReserve, p.quoteReserve);
}

/**
 * E: the value at the oracle price of the pool's equilibrium inventory (B0, Q0), the short side's target
 * derived with the k in force and rounded down (so E is never overstated and V - E never understated).
 */
export function equilibriumValue(p: PoolMath): bigint {
  const b = p.baseReserve * p.baseScale;
  const q = p.quoteReserve * p.quoteScale;
  const { num, den } = p.price;
  if (p.region === Region.A) {
    const surplus = q > p.quoteTarget ? q - p.quoteTarget : 0n;
    return shortTarget(b, convert(surplus, p.price, false, false), p.k, false) * num + p.quoteTarget * den;
  }
  if (p.region === Region.B) {
    const surplus = b > p.baseTarget ? b - p.baseTarget : 0n;
    return p.baseTarget * num + shortTarget(q, convert(surplus, p.price, true, false), p.k, false) * den;
  }
  return b * num + q * den;
}

/** A trader's running account: what they paid and received, valued at the pool's oracle price. */
export class TraderBook {
  /** Received minus paid, in scaled quote units times `price.den`. */
  gain = 0n;
  swaps = 0;

  /**
   * Swaps `amountIn` on `p` (exact in) and books it; returns the pool after the swap, or `p` unchanged
   * when the swap cannot be filled or pays nothing (the pool would revert).
   */
  swap(p: PoolMath, side: SwapSide, amountIn: bigint): PoolMath {
    if (amountIn <= 0n) return p;
    let q;
    try {
      q = quoteExactIn(p, side, amountIn);
    } catch {
      return p;
    }
    if (q.amountOut === 0n) return p;
    const paid = side === "sellBase" ? valueOf(p, amountIn, 0n) : valueOf(p, 0n, amountIn);
    const got = side === "sellBase" ? valueOf(p, 0n, q.amountOut) : valueOf(p, q.amountOut, 0n);
    this.gain += got - paid;
    this.swaps++;
    return applyQuote(p, q);
  }
}

/** The raw input worth `permille` / 1000 of the value of the pool's output side for `side`. */
export function sizeOf(p: PoolMath, side: SwapSide, permille: number): bigint {
  const valueIn =
    side === "sellBase"
      ? (p.quoteReserve * p.quoteScale * p.price.den) / p.price.num / p.baseScale
      : (p.baseReserve * p.baseScale * p.price.num) / p.price.den / p.quoteScale;
  return (valueIn * BigInt(permille)) / 1000n;
}
