/**
 * The arithmetic the rules are written against, with two implementations:
 *
 * - `IntervalField(digits)`: exact. A value is a closed interval [lo, hi] of rationals that provably
 *   contains the true real value. +, -, *, / are exact on the endpoints (rational arithmetic, no
 *   rounding); a square root is bracketed by its floor and ceiling at `digits` decimal places, or is
 *   exact (a point) when its argument is the square of a rational. A comparison answers only when the
 *   intervals decide it (disjoint, or equal points) and otherwise throws `Undecided`; the caller then
 *   reruns at more digits (see exact.ts). Whatever an interval computation returns is therefore exactly
 *   what the real-number rules give.
 * - `TruncatedField(digits)`: the convention of spec/vectors/swaps.json's published rationals: every
 *   square root truncated (floored) to `digits` (80) decimal places, all else exact. It reproduces those
 *   rationals digit for digit; its branch decisions and floors are checked against the exact field.
 */
import { Fraction, sqrtExact, sqrtFloor } from "./fraction";

/** A comparison the current precision cannot decide. */
export class Undecided extends Error {
  constructor(what: string) {
    super(`undecided at this precision: ${what}`);
    this.name = "Undecided";
  }
}

export interface Field<T> {
  of(x: Fraction): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  /** a^2 (an interval's square is never negative, unlike a * a on an interval around 0). */
  sq(a: T): T;
  sqrt(a: T): T;
  /** -1, 0, 1; may throw `Undecided`. */
  cmp(a: T, b: T): -1 | 0 | 1;
}

/** A closed interval of rationals containing the true value; lo === hi for an exact value. */
export interface Interval {
  lo: Fraction;
  hi: Fraction;
}

function minMax(xs: Fraction[]): Interval {
  let lo = xs[0];
  let hi = xs[0];
  for (const x of xs) {
    if (x.lt(lo)) lo = x;
    if (hi.lt(x)) hi = x;
  }
  return { lo, hi };
}

export const isPoint = (a: Interval): boolean => a.lo.eq(a.hi);

export class IntervalField implements Field<Interval> {
  constructor(readonly digits: number) {}

  of(x: Fraction): Interval {
    return { lo: x, hi: x };
  }

  add(a: Interval, b: Interval): Interval {
    return { lo: a.lo.add(b.lo), hi: a.hi.add(b.hi) };
  }

  sub(a: Interval, b: Interval): Interval {
    return { lo: a.lo.sub(b.hi), hi: a.hi.sub(b.lo) };
  }

  mul(a: Interval, b: Interval): Interval {
    if (isPoint(a) && isPoint(b)) return this.of(a.lo.mul(b.lo));
    return minMax([a.lo.mul(b.lo), a.lo.mul(b.hi), a.hi.mul(b.lo), a.hi.mul(b.hi)]);
  }

  div(a: Interval, b: Interval): Interval {
    if (b.lo.sign() <= 0 && b.hi.sign() >= 0) {
      if (isPoint(b)) throw new RangeError("division by zero");
      throw new Undecided("sign of a divisor");
    }
    if (isPoint(a) && isPoint(b)) return this.of(a.lo.div(b.lo));
    return minMax([a.lo.div(b.lo), a.lo.div(b.hi), a.hi.div(b.lo), a.hi.div(b.hi)]);
  }

  sq(a: Interval): Interval {
    const l = a.lo.mul(a.lo);
    const h = a.hi.mul(a.hi);
    if (a.lo.sign() <= 0 && a.hi.sign() >= 0) return { lo: Fraction.ZERO, hi: l.lt(h) ? h : l };
    return l.lt(h) ? { lo: l, hi: h } : { lo: h, hi: l };
  }

  sqrt(a: Interval): Interval {
    if (a.hi.sign() < 0) throw new RangeError("square root of a negative number");
    if (a.lo.sign() < 0) throw new Undecided("sign under a square root");
    if (isPoint(a)) {
      const exact = sqrtExact(a.lo);
      if (exact !== null) return this.of(exact);
    }
    const lo = sqrtFloor(a.lo, this.digits);
    const hiFloor = sqrtFloor(a.hi, this.digits);
    // The ceiling at `digits` places: the floor, plus one unit unless the floor is already exact.
    const hi = hiFloor.mul(hiFloor).eq(a.hi) ? hiFloor : hiFloor.add(new Fraction(1n, 10n ** BigInt(this.digits)));
    return { lo, hi };
  }

  cmp(a: Interval, b: Interval): -1 | 0 | 1 {
    if (a.hi.lt(b.lo)) return -1;
    if (b.hi.lt(a.lo)) return 1;
    if (isPoint(a) && isPoint(b)) return 0; // overlapping points are equal
    throw new Undecided("comparison");
  }
}

export class TruncatedField implements Field<Fraction> {
  constructor(readonly digits: number) {}
  of = (x: Fraction): Fraction => x;
  add = (a: Fraction, b: Fraction): Fraction => a.add(b);
  sub = (a: Fraction, b: Fraction): Fraction => a.sub(b);
  mul = (a: Fraction, b: Fraction): Fraction => a.mul(b);
  div = (a: Fraction, b: Fraction): Fraction => a.div(b);
  sq = (a: Fraction): Fraction => a.mul(a);
  sqrt = (a: Fraction): Fraction => sqrtFloor(a, this.digits);
  cmp = (a: Fraction, b: Fraction): -1 | 0 | 1 => a.cmp(b);
}
