/**
 * The pricing and fee rules of docs/DESIGN.md §1–§2, written once over an abstract `Field` (exact
 * intervals or the vectors' truncated convention; see field.ts). Independent of the integer code: no
 * rounding, no scaling; amounts are raw token units and `price` is raw quote units per raw base unit.
 *
 * Formulas (the forms the vectors were generated with):
 * - short target  T = R + R (sqrt(1 + 4 k d / R) - 1) / (2k)   (k = 0: T = R + d; d = 0: T = R)
 * - leg cost      leg(T, R1, R2) = |R1 - R2| (1 - k + k T^2 / (R1 R2))
 * - falling root  R2 = (-b + sqrt(b^2 + 4 (1-k) k T^2)) / (2 (1-k)),  b = pay - (1-k) R1 + k T^2 / R1
 *                 (k = 1: R2 = k T^2 / b)
 * A swap whose exact reserve after the move is not positive cannot be filled (revert).
 *
 * Fee (DESIGN.md §2): the imbalance is the short side's deficit at the price over the target value,
 * I = p (B0 - B) / (Q0 + p B0) in region A, (Q0 - Q) / (Q0 + p B0) in region B. Volume that moves toward
 * the target pays baseFee; volume that moves away pays r(I) = fLo + (fHi - fLo) clamp((I - tau) / width, 0, 1)
 * integrated along the path (I grows linearly with the output along an away leg), with
 * fLo = max(baseFee, feeFloor) and fHi = max(maxFee, fLo). A crossing's leg to equilibrium is toward, its
 * leg past it away from I = 0.
 */
import { Fraction } from "./fraction";
import type { Field } from "./field";

const PIPS = 1_000_000n;

export type RegionName = "A" | "B" | "ONE";
export type Side = "sellBase" | "sellQuote";

/** One exact-in swap on one pool state, every value exact. */
export interface SwapInput {
  base: Fraction;
  quote: Fraction;
  baseTarget: Fraction;
  quoteTarget: Fraction;
  region: RegionName;
  /** Raw quote units per raw base unit. */
  price: Fraction;
  k: Fraction;
  baseFee: Fraction;
  maxFee: Fraction;
  tau: Fraction;
  /** Pips: the least rate away-from-target volume pays. */
  feeFloor: Fraction;
  /** The surge ramp's width (a fraction of the target value, 0 < width <= 1). */
  surgeWidth: Fraction;
  side: Side;
  amountIn: Fraction;
}

/** Which path the curve move takes. */
export type Path = "toward" | "equilibrium" | "crossing" | "away";

export type Outcome<T> =
  | { revert: true; path: Path }
  | {
      revert: false;
      path: Path;
      grossOut: T;
      imbalanceBefore: T;
      imbalanceAfter: T;
      /** The fee in output units. */
      fee: T;
      /** The effective rate in pips: fee * 1e6 / grossOut. */
      feePipsExact: T;
    };

/** The rules over one field. */
export class Rules<T> {
  private readonly zero: T;
  private readonly one: T;

  constructor(private readonly F: Field<T>) {
    this.zero = F.of(Fraction.ZERO);
    this.one = F.of(Fraction.ONE);
  }

  private c(x: Fraction | bigint): T {
    return this.F.of(typeof x === "bigint" ? Fraction.of(x) : x);
  }

  /** The short side's target for reserve R and the long side's surplus d in the short side's units. */
  shortTarget(r: T, d: T, k: Fraction): T {
    const F = this.F;
    if (F.cmp(d, this.zero) === 0) return r;
    if (k.isZero()) return F.add(r, d);
    const kk = this.c(k);
    const s = F.sqrt(F.add(this.one, F.div(F.mul(F.mul(this.c(4n), kk), d), r)));
    return F.add(r, F.div(F.mul(r, F.sub(s, this.one)), F.mul(this.c(2n), kk)));
  }

  /** leg(T, R1, R2): the cost of moving a reserve from R1 to R2, in its own units. */
  leg(t: T, r1: T, r2: T, k: Fraction): T {
    const F = this.F;
    const delta = F.cmp(r1, r2) >= 0 ? F.sub(r1, r2) : F.sub(r2, r1);
    const kk = this.c(k);
    const shape = F.add(this.c(Fraction.ONE.sub(k)), F.div(F.mul(kk, F.sq(t)), F.mul(r1, r2)));
    return F.mul(delta, shape);
  }

  /** Where a reserve R1 of target T ends when a payment `pay` (its own units) makes it fall. */
  falling(t: T, r1: T, pay: T, k: Fraction): T {
    const F = this.F;
    const kk = this.c(k);
    const oneMinusK = this.c(Fraction.ONE.sub(k));
    const kt2 = F.mul(kk, F.sq(t));
    const b = F.add(F.sub(pay, F.mul(oneMinusK, r1)), F.div(kt2, r1));
    if (k.eq(Fraction.ONE)) return F.div(kt2, b);
    const disc = F.add(F.sq(b), F.mul(F.mul(this.c(4n), oneMinusK), kt2));
    return F.div(F.sub(F.sqrt(disc), b), F.mul(this.c(2n), oneMinusK));
  }

  /** Targets (base, quote) before a swap: the short side's re-derived, ONE's equal to the reserves. */
  targets(s: SwapInput): { b0: T; q0: T } {
    const F = this.F;
    const [b, q, p] = [this.c(s.base), this.c(s.quote), this.c(s.price)];
    if (s.region === "A") {
      const q0 = this.c(s.quoteTarget);
      return { b0: this.shortTarget(b, F.div(F.sub(q, q0), p), s.k), q0 };
    }
    if (s.region === "B") {
      const b0 = this.c(s.baseTarget);
      return { b0, q0: this.shortTarget(q, F.mul(F.sub(b, b0), p), s.k) };
    }
    return { b0: b, q0: q };
  }

  /** The input that brings a swap whose input side is short exactly to equilibrium; null otherwise. */
  toEquilibrium(s: SwapInput): T | null {
    const { b0, q0 } = this.targets(s);
    if (s.region === "A" && s.side === "sellBase") return this.F.sub(b0, this.c(s.base));
    if (s.region === "B" && s.side === "sellQuote") return this.F.sub(q0, this.c(s.quote));
    return null;
  }

  /** The short side's deficit under its target in quote units (the imbalance numerator). */
  private deficit(b: T, q: T, b0: T, q0: T, p: T): T {
    const F = this.F;
    if (F.cmp(b, b0) < 0) return F.mul(F.sub(b0, b), p);
    if (F.cmp(q, q0) < 0) return F.sub(q0, q);
    return this.zero;
  }

  /** An exact-in swap: the curve move, imbalance before and after, and the exact fee in pips. */
  swap(s: SwapInput): Outcome<T> {
    const F = this.F;
    const p = this.c(s.price);
    const a = this.c(s.amountIn);
    const inBase = s.side === "sellBase";
    const { b0, q0 } = this.targets(s);
    const [b, q] = [this.c(s.base), this.c(s.quote)];
    const [rIn, rOut, tIn, tOut] = inBase ? [b, q, b0, q0] : [q, b, q0, b0];
    // Converts an amount of the input side into output-side units at the reference price.
    const conv = (x: T): T => (inBase ? F.mul(x, p) : F.div(x, p));
    const inShort = (s.region === "A" && inBase) || (s.region === "B" && !inBase);

    let path: Path;
    let out: T;
    if (inShort) {
      const toEq = F.sub(tIn, rIn);
      const vsEq = F.cmp(a, toEq);
      if (vsEq < 0) {
        path = "toward";
        out = conv(this.leg(tIn, rIn, F.add(rIn, a), s.k));
      } else if (vsEq === 0) {
        path = "equilibrium";
        out = F.sub(rOut, tOut);
      } else {
        path = "crossing";
        const r2 = this.falling(tOut, tOut, conv(F.sub(a, toEq)), s.k);
        if (F.cmp(r2, this.zero) <= 0) return { revert: true, path };
        out = F.sub(rOut, r2);
      }
    } else {
      path = "away";
      const r2 = this.falling(tOut, rOut, conv(a), s.k);
      if (F.cmp(r2, this.zero) <= 0) return { revert: true, path };
      out = F.sub(rOut, r2);
    }

    const [bAfter, qAfter] = inBase ? [F.add(b, a), F.sub(q, out)] : [F.sub(b, out), F.add(q, a)];
    const value = F.add(q0, F.mul(p, b0));
    const rate = this.rate(s, path, out, rOut, tOut, inBase ? this.one : p, value);
    const keep = F.sub(this.one, F.div(rate, this.c(PIPS)));
    return {
      revert: false,
      path,
      grossOut: out,
      imbalanceBefore: F.div(this.deficit(b, q, b0, q0, p), value),
      imbalanceAfter: F.div(this.deficit(bAfter, qAfter, b0, q0, p), value),
      fee: F.sub(out, F.mul(out, keep)),
      feePipsExact: rate,
    };
  }

  /**
   * The exact input that pays out `out` (output units) before the fee on a crossing (past the long side's
   * surplus) or on a leg away from the target; null where the swap would move toward the target only.
   * Exact-out's guess (`inputForGross`) must never be below it.
   */
  inputFor(s: SwapInput, out: T): T | null {
    const F = this.F;
    const p = this.c(s.price);
    const inBase = s.side === "sellBase";
    const { b0, q0 } = this.targets(s);
    const [b, q] = [this.c(s.base), this.c(s.quote)];
    const [rIn, rOut, tIn, tOut] = inBase ? [b, q, b0, q0] : [q, b, q0, b0];
    // Converts an amount of the output side into input-side units at the reference price.
    const toIn = (x: T): T => (inBase ? F.div(x, p) : F.mul(x, p));
    const inShort = (s.region === "A" && inBase) || (s.region === "B" && !inBase);
    if (!inShort) return toIn(this.leg(tOut, rOut, F.sub(rOut, out), s.k));
    const surplus = F.sub(rOut, tOut);
    if (F.cmp(out, surplus) <= 0) return null;
    const rest = F.sub(out, surplus);
    return F.add(F.sub(tIn, rIn), toIn(this.leg(tOut, tOut, F.sub(tOut, rest), s.k)));
  }

  /**
   * The fee rule (DESIGN §2) applied to a gross output `out` (output units, > 0) of a swap from `s`'s state
   * in `s`'s direction: the effective rate in pips and the fee. An integer quote pays a gross a few units
   * away from the exact swap's (rounded in the pool's favour); this is the exact rule for the gross it
   * actually pays, which its fee must never undercut.
   */
  feeAt(s: SwapInput, out: T): { rate: T; fee: T } {
    const F = this.F;
    const p = this.c(s.price);
    const inBase = s.side === "sellBase";
    const { b0, q0 } = this.targets(s);
    const [rOut, tOut] = inBase ? [this.c(s.quote), q0] : [this.c(s.base), b0];
    const inShort = (s.region === "A" && inBase) || (s.region === "B" && !inBase);
    const path: Path = !inShort ? "away" : F.cmp(out, F.sub(rOut, tOut)) <= 0 ? "toward" : "crossing";
    const value = F.add(q0, F.mul(p, b0));
    const rate = this.rate(s, path, out, rOut, tOut, inBase ? this.one : p, value);
    return { rate, fee: F.div(F.mul(out, rate), this.c(PIPS)) };
  }

  /** h(I) = the integral of clamp((x - tau) / width, 0, 1) from 0 to I. */
  private ramp(i: T, tau: T, width: T): T {
    const F = this.F;
    if (F.cmp(i, tau) <= 0) return this.zero;
    const over = F.sub(i, tau);
    if (F.cmp(over, width) <= 0) return F.div(F.sq(over), F.mul(this.c(2n), width));
    return F.add(F.div(width, this.c(2n)), F.sub(over, width));
  }

  /**
   * DESIGN §2: the effective fee rate in pips (fee * 1e6 / gross). The gross paid moving toward the target
   * (all of a leg toward it, the long side's surplus on a crossing) pays baseFee; the gross paid moving away
   * pays the mean of r(I) over the imbalance interval [I0, I1] it travels. Away, the output side is short
   * with target tOut and its deficit d (output units) grows with the output, so I = d * unit / value (`unit`:
   * one output unit in quote) is linear in it and the integral of r over the output is the mean of r over
   * [I0, I1] times the away gross. Written as branches (not as a sum divided by the gross) so that the
   * exact intervals decide the rate whenever it is a whole number of pips.
   */
  private rate(s: SwapInput, path: Path, out: T, rOut: T, tOut: T, unit: T, value: T): T {
    const F = this.F;
    const base = this.c(s.baseFee);
    if (path === "toward" || path === "equilibrium") return base;
    const fLo = s.feeFloor.lt(s.baseFee) ? s.baseFee : s.feeFloor;
    const fHi = s.maxFee.lt(fLo) ? fLo : s.maxFee;
    const [tau, width] = [this.c(s.tau), this.c(s.surgeWidth)];
    const crossing = path === "crossing";
    const away = crossing ? F.sub(out, F.sub(rOut, tOut)) : out;
    const d0 = crossing ? this.zero : F.sub(tOut, rOut);
    const i0 = F.div(F.mul(d0, unit), value);
    const i1 = F.div(F.mul(F.add(d0, away), unit), value);
    let mean: T; // the mean of clamp((I - tau) / width, 0, 1) over [I0, I1]
    if (fHi.eq(fLo) || F.cmp(i1, tau) <= 0) mean = this.zero;
    else if (F.cmp(i0, F.add(tau, width)) >= 0) mean = this.one;
    else mean = F.div(F.sub(this.ramp(i1, tau, width), this.ramp(i0, tau, width)), F.sub(i1, i0));
    const awayRate = F.add(this.c(fLo), F.mul(this.c(fHi.sub(fLo)), mean));
    if (!crossing) return awayRate;
    // A crossing: baseFee on the surplus, the away rate on the rest.
    if (F.cmp(awayRate, base) === 0) return base;
    return F.add(base, F.mul(F.sub(awayRate, base), F.div(away, out)));
  }
}
