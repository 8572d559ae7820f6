/**
 * Exact rationals on bigint: always reduced, denominator positive. The exact model's only number
 * type (irrational values are bracketed by two of these; see field.ts).
 */
export class Fraction {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError("fraction with zero denominator");
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num < 0n ? -num : num, den);
    this.num = num / g;
    this.den = den / g;
  }

  static readonly ZERO = new Fraction(0n);
  static readonly ONE = new Fraction(1n);

  /** Parses `"n/d"` or an integer string. */
  static parse(s: string): Fraction {
    const [n, d] = s.split("/");
    return new Fraction(BigInt(n), d === undefined ? 1n : BigInt(d));
  }

  static of(x: bigint | number): Fraction {
    return new Fraction(BigInt(x));
  }

  add(o: Fraction): Fraction {
    return new Fraction(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Fraction): Fraction {
    return new Fraction(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Fraction): Fraction {
    return new Fraction(this.num * o.num, this.den * o.den);
  }

  div(o: Fraction): Fraction {
    if (o.num === 0n) throw new RangeError("division by zero");
    return new Fraction(this.num * o.den, this.den * o.num);
  }

  neg(): Fraction {
    return new Fraction(-this.num, this.den);
  }

  /** -1, 0 or 1 as this is below, equal to or above `o`. */
  cmp(o: Fraction): -1 | 0 | 1 {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  lt(o: Fraction): boolean {
    return this.cmp(o) < 0;
  }

  le(o: Fraction): boolean {
    return this.cmp(o) <= 0;
  }

  eq(o: Fraction): boolean {
    return this.num === o.num && this.den === o.den;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  abs(): Fraction {
    return this.num < 0n ? this.neg() : this;
  }

  /** The largest integer not above this. */
  floor(): bigint {
    const q = this.num / this.den; // truncates toward zero
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** The smallest integer not below this. */
  ceil(): bigint {
    return -new Fraction(-this.num, this.den).floor();
  }

  /** `"n/d"`, the format of the vectors (integers too: `"3000/1"`). */
  toString(): string {
    return `${this.num}/${this.den}`;
  }

  /** A short decimal rendering for messages (not exact). */
  toDecimal(digits = 6): string {
    if (this.num === 0n) return "0";
    const neg = this.num < 0n;
    const a = neg ? this.neg() : this;
    const exp = a.num.toString().length - a.den.toString().length;
    const shift = digits - exp;
    const scaled = shift >= 0 ? (a.num * 10n ** BigInt(shift)) / a.den : a.num / (a.den * 10n ** BigInt(-shift));
    const s = scaled.toString();
    const e = s.length - 1 - shift;
    return `${neg ? "-" : ""}${s[0]}.${s.slice(1, digits)}e${e}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** floor(sqrt(n)) for a non-negative bigint (Newton's method from above). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("square root of a negative number");
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** floor(sqrt(x) * 10^digits) / 10^digits for a non-negative rational x. */
export function sqrtFloor(x: Fraction, digits: number): Fraction {
  const scale = 10n ** BigInt(digits);
  return new Fraction(isqrt((x.num * scale * scale) / x.den), scale);
}

/** The exact square root of x when it is rational (numerator and denominator perfect squares), else null. */
export function sqrtExact(x: Fraction): Fraction | null {
  if (x.num < 0n) return null;
  const a = isqrt(x.num);
  const b = isqrt(x.den);
  return a * a === x.num && b * b === x.den ? new Fraction(a, b) : null;
}
