/**
 * Exact answers of the rules: the revert decision, fee pips and net output floor decided with
 * intervals refined until every branch, ceiling and floor is certain; and the rationals the vectors
 * publish (square roots truncated to 80 decimal places, swaps.json's convention).
 */
import { Fraction } from "./fraction";
import { Interval, IntervalField, TruncatedField, Undecided } from "./field";
import { Outcome, Path, Rules, SwapInput } from "./rules";
import { PIPS, type VectorExpect } from "./vector";

/** Decimal places of every square root in the published rationals of the vectors. */
export const PUBLISHED_DIGITS = 80;
/** Square-root precisions the exact evaluation tries, in turn, until everything is decided. */
const DIGITS = [40, 80, 160, 320, 640, 1280, 2560, 5120];

export type ExactResult =
  | { revert: true; path: Path; digits: number }
  | {
      revert: false;
      path: Path;
      digits: number;
      grossOut: Interval;
      imbalanceBefore: Interval;
      imbalanceAfter: Interval;
      fee: Interval;
      feePipsExact: Interval;
      /** ceil of the exact effective rate (fee * 1e6 / grossOut). */
      feePips: bigint;
      /** floor(grossOut - fee), exact. */
      netOutFloor: bigint;
    };

function decided(lo: bigint, hi: bigint, what: string): bigint {
  if (lo !== hi) throw new Undecided(what);
  return lo;
}

/** Evaluates a function of exact intervals at growing precision until it stops throwing `Undecided`. */
export function refine<R>(f: (field: IntervalField) => R, minDigits = 0): R & { digits: number } {
  for (const digits of DIGITS) {
    if (digits < minDigits) continue;
    try {
      return { ...f(new IntervalField(digits)), digits };
    } catch (e) {
      if (!(e instanceof Undecided)) throw e;
    }
  }
  throw new Error(`not decided with ${DIGITS[DIGITS.length - 1]}-digit square roots`);
}

/** The exact outcome of a swap; `minDigits` narrows the intervals further (for comparisons). */
export function exactSwap(s: SwapInput, minDigits = 0): ExactResult {
  return refine((field) => {
    const r = new Rules(field).swap(s);
    if (r.revert) return { revert: true as const, path: r.path };
    const rate = r.feePipsExact;
    const feePips = decided(rate.lo.ceil(), rate.hi.ceil(), "fee pips");
    // The net output as one interval: gross less the fee's share of it (they move together).
    const net = (g: Fraction, pips: Fraction) => g.mul(Fraction.ONE.sub(pips.div(Fraction.of(PIPS))));
    const netOutFloor = decided(net(r.grossOut.lo, rate.hi).floor(), net(r.grossOut.hi, rate.lo).floor(), "net output");
    return { ...r, revert: false as const, feePips, netOutFloor };
  }, minDigits);
}

/**
 * Whether the exact fee rule charges at most `pips` (the effective rate) on a gross output of `gross`
 * (output units, > 0) of the swap `s` describes: an integer quote's fee pips must never be below it.
 */
export function ruleRateAtMost(s: SwapInput, gross: Fraction, pips: bigint): boolean {
  return refine((field) => {
    const { rate } = new Rules(field).feeAt(s, field.of(gross));
    const bound = Fraction.of(pips);
    if (rate.hi.le(bound)) return { atMost: true };
    if (bound.lt(rate.lo)) return { atMost: false };
    throw new Undecided("fee rate against a whole pip");
  }).atMost;
}

/**
 * Whether the exact input that pays out `gross` before the fee (on a crossing or a leg away from the
 * target, `Rules.inputFor`) is at most `input`; null where that gross moves toward the target only.
 */
export function ruleInputAtMost(s: SwapInput, gross: Fraction, input: bigint): boolean | null {
  return refine((field) => {
    const exact = new Rules(field).inputFor(s, field.of(gross));
    if (exact === null) return { atMost: null };
    const bound = Fraction.of(input);
    if (exact.hi.le(bound)) return { atMost: true };
    if (bound.lt(exact.lo)) return { atMost: false };
    throw new Undecided("exact input against a whole unit");
  }).atMost;
}

/** The published rationals of a swap: the rules with every square root truncated to 80 places. */
export function publishedSwap(s: SwapInput): Outcome<Fraction> {
  return new Rules(new TruncatedField(PUBLISHED_DIGITS)).swap(s);
}

/**
 * How far a published rational may sit from the exact value, relative to its size: truncating each
 * root at 1e-80 moves the results by far less than this (the test measures the actual worst case).
 */
export const PUBLISHED_RELATIVE_ERROR = new Fraction(1n, 10n ** 50n);

/** Whether `x` lies within `PUBLISHED_RELATIVE_ERROR` of the interval `iv`. */
export function closeTo(x: Fraction, iv: Interval): boolean {
  const scale = iv.hi.abs().lt(Fraction.ONE) ? Fraction.ONE : iv.hi.abs();
  const slack = scale.mul(PUBLISHED_RELATIVE_ERROR);
  return iv.lo.sub(slack).le(x) && x.le(iv.hi.add(slack));
}

/** Relative distance of `x` from the interval `iv` (0 inside it). */
export function relativeGap(x: Fraction, iv: Interval): Fraction {
  const gap = x.lt(iv.lo) ? iv.lo.sub(x) : iv.hi.lt(x) ? x.sub(iv.hi) : Fraction.ZERO;
  const scale = iv.hi.abs().lt(Fraction.ONE) ? Fraction.ONE : iv.hi.abs();
  return gap.div(scale);
}

/** The reason a vector gives for a swap that cannot be filled. */
export const REVERT_REASON = "insufficient liquidity";

/**
 * A vector's `expect` for a swap: fee pips, net output floor and the revert decision from the exact
 * evaluation; the rationals in the published (80-place) convention, checked to agree with it.
 */
export function expectFor(s: SwapInput): { expect: VectorExpect; exact: ExactResult } {
  const exact = exactSwap(s);
  const pub = publishedSwap(s);
  if (pub.revert !== exact.revert || pub.path !== exact.path) {
    throw new Error(`published convention takes another branch (${pub.path}) than exact math (${exact.path})`);
  }
  if (exact.revert || pub.revert) return { expect: { revert: REVERT_REASON }, exact };
  for (const key of ["grossOut", "imbalanceBefore", "imbalanceAfter", "fee", "feePipsExact"] as const) {
    if (!closeTo(pub[key], exact[key])) throw new Error(`published ${key} is not within 1e-50 of exact`);
  }
  return {
    exact,
    expect: {
      grossOut: pub.grossOut.toString(),
      fee: pub.fee.toString(),
      feePipsExact: pub.feePipsExact.toString(),
      feePips: Number(exact.feePips),
      netOutFloor: exact.netOutFloor.toString(),
      imbalanceBefore: pub.imbalanceBefore.toString(),
      imbalanceAfter: pub.imbalanceAfter.toString(),
    },
  };
}
