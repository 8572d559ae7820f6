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
 */
import { Fraction } from "./fraction";
import type { Field } from "./field";

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

  /** The long side's surplus over its target in quote units (the imbalance numerator). */
  private surplus(b: T, q: T, b0: T, q0: T, p: T): T {
    const F = this.F;
    if (F.cmp(b, b0) > 0) return F.mul(F.sub(b, b0), p);
    if (F.cmp(q, q0) > 0) return F.sub(q, q0);
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
    const before = this.surplus(b, q, b0, q0, p);
    const after = this.surplus(bAfter, qAfter, b0, q0, p);
    const imbalanceBefore = F.div(before, value);
    const imbalanceAfter = F.div(after, value);
    return {
      revert: false,
      path,
      grossOut: out,
      imbalanceBefore,
      imbalanceAfter,
      feePipsExact: this.fee(s, before, after, value, imbalanceAfter),
    };
  }

  /**
   * DESIGN §2: baseFee unless the swap raises the imbalance above tau; then the ramp, capped at maxFee.
   * The comparisons are made on the surpluses (the imbalances' common positive denominator cancels).
   */
  private fee(s: SwapInput, before: T, after: T, value: T, imbalanceAfter: T): T {
    const F = this.F;
    const [base, max, tau] = [this.c(s.baseFee), this.c(s.maxFee), this.c(s.tau)];
    if (F.cmp(after, before) <= 0 || F.cmp(after, F.mul(tau, value)) <= 0) return base;
    const ramp = F.add(base, F.div(F.mul(F.sub(max, base), F.sub(imbalanceAfter, tau)), F.sub(this.one, tau)));
    return F.cmp(ramp, max) < 0 ? ramp : max;
  }
}
