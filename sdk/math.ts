/**
 * Skew pricing and fee math: a bigint mirror of `contracts/libraries/SkewMath.sol`.
 *
 * Every function here has a twin of the same name in the Solidity library and performs the
 * same integer operations in the same order with the same rounding, so quotes agree to the
 * wei. Rules: docs/DESIGN.md §1, §2, §7. Every rounding favours the pool.
 *
 * Units: "raw" amounts are token base units; "scaled" amounts are raw * scale, where
 * scale = 10^(18 - decimals). The reference price is an exact rational num/den of scaled
 * quote per scaled base.
 */
import { div, MathOverflowError, mulDiv, sqrtOfSum, sqrtSquarePlus, u256 } from "./fullMath";

export const WAD = 10n ** 18n;
export const PIPS = 1_000_000n;
/** quoteExactOut: steps toward the least gross output whose net pays the amount out. */
export const GROSS_STEPS = 32;
/** quoteExactOut: how many times it may pad the gross output for rounding before giving up. */
export const EXACT_OUT_ROUNDS = 4;

export enum Region {
  ONE = 0,
  A = 1,
  B = 2,
}

export type SwapSide = "sellBase" | "sellQuote";

export interface Price {
  num: bigint;
  den: bigint;
}

/** The pool state that a quote needs (the Solidity `PoolMath`). */
export interface PoolMath {
  baseReserve: bigint;
  quoteReserve: bigint;
  baseTarget: bigint;
  quoteTarget: bigint;
  region: Region;
  baseScale: bigint;
  quoteScale: bigint;
  price: Price;
  /** The skew strength in force, WAD. */
  k: bigint;
  /**
   * A queued skew strength (WAD), absent when none: it takes effect when a swap reaches or crosses
   * equilibrium and prices that swap's leg past it (DESIGN.md §3).
   */
  pendingK?: bigint;
  baseFee: bigint;
  maxFee: bigint;
  tau: bigint;
  /**
   * The least rate (pips) away-from-target volume pays, the feed front-running defence (DESIGN.md §2);
   * absent: 0.
   */
  feeFloor?: bigint;
  /** The surge ramp's width (WAD, 0 < width <= 1e18): it runs from tau to tau + width; absent: 1 - tau. */
  surgeWidth?: bigint;
  protocolShare: bigint;
}

/** The result of a quote (the Solidity `SwapQuote`). */
export interface SwapQuote {
  amountIn: bigint;
  amountOut: bigint;
  grossOut: bigint;
  /** The effective fee rate in pips: the fee over the gross output, rounded up (DESIGN.md §2). */
  feePips: bigint;
  feeAmount: bigint;
  protocolFee: bigint;
  imbalanceBefore: bigint;
  imbalanceAfter: bigint;
  midPriceBefore: bigint;
  midPriceAfter: bigint;
  baseReserveAfter: bigint;
  quoteReserveAfter: bigint;
  baseTargetAfter: bigint;
  quoteTargetAfter: bigint;
  regionAfter: Region;
  /** The skew strength in force after the swap (the queued one once the swap reached equilibrium). */
  kAfter: bigint;
}

/** A quote of the SDK: the pool's {@link SwapQuote} and the queue it leaves. */
export interface SdkSwapQuote extends SwapQuote {
  /** The skew strength still queued after the swap, or null when none. */
  pendingKAfter: bigint | null;
}

/** The swap cannot be filled (Solidity: `InsufficientLiquidity()`). */
export class InsufficientLiquidityError extends Error {
  constructor() {
    super("insufficient liquidity: the swap would drain a reserve or leave the curve");
    this.name = "InsufficientLiquidityError";
  }
}

/** A zero amount where a positive one is needed (Solidity: `ZeroAmount()`). */
export class ZeroAmountError extends Error {
  constructor() {
    super("amount must be positive");
    this.name = "ZeroAmountError";
  }
}

/** Exact-output refinement did not converge (Solidity: `ExactOutUnreachable()`). */
export class ExactOutUnreachableError extends Error {
  constructor() {
    super("no input found that yields the requested output");
    this.name = "ExactOutUnreachableError";
  }
}

// ---------------------------------------------------------------------------------------
// Curve primitives (scaled units)
// ---------------------------------------------------------------------------------------

/** Converts a scaled amount of base into quote units (toQuote) or quote into base units. */
export function convert(amount: bigint, price: Price, toQuote: boolean, up: boolean): bigint {
  return toQuote ? mulDiv(amount, price.num, price.den, up) : mulDiv(amount, price.den, price.num, up);
}

/**
 * Short-side target: T = R + 2dR / (R + sqrt(R^2 + 4kdR)), the cancellation-free form of
 * DESIGN §1, for a short reserve R and the long side's surplus d in the short side's units, in
 * whole scaled units: {@link shortTargetWad} rounded in the same direction.
 */
export function shortTarget(reserve: bigint, surplus: bigint, k: bigint, up: boolean): bigint {
  return div(shortTargetWad(reserve, u256(surplus * WAD), k, up), WAD, up);
}

/**
 * The short-side target times 1e18 (18 more digits than a scaled unit), for a short reserve R and
 * the long side's surplus times 1e18, dW = d * 1e18, in the short side's units: with Rw = R * 1e18,
 * T * 1e18 = Rw + 2 dW Rw / (Rw + sqrt(Rw^2 + 4 k dW R)), the root of the 512-bit sum (exact below
 * 2^256, else within 2^-127), so neither a tiny nor a large reserve loses precision.
 */
export function shortTargetWad(reserve: bigint, surplusWad: bigint, k: bigint, up: boolean): bigint {
  const rw = u256(reserve * WAD);
  if (surplusWad === 0n) return rw;
  if (reserve === 0n) throw new InsufficientLiquidityError();
  if (k === 0n) return u256(rw + surplusWad); // T = R + d, exactly
  const root = sqrtOfSum(rw, rw, u256(u256(4n * k) * surplusWad), reserve, !up);
  return u256(rw + mulDiv(u256(2n * surplusWad), rw, u256(rw + root), up));
}

/**
 * The cost of moving a reserve from r1 to r2 on its own side of target t, times WAD:
 * |r1 - r2| * ((1 - k) + k t^2 / (r1 r2)).
 */
export function legWad(t: bigint, r1: bigint, r2: bigint, k: bigint, up: boolean): bigint {
  const delta = r1 > r2 ? r1 - r2 : r2 - r1;
  const curved = mulDiv(u256(delta * k), u256(t * t), u256(r1 * r2), up);
  return u256(delta * u256(WAD - k) + curved);
}

/**
 * legWad for a target given times 1e18 (tWad = t * 1e18, a derived target with its fraction):
 * |r1 - r2| * ((1 - k) + k t^2 / (r1 r2)), times 1e18.
 */
export function legWadAt(tWad: bigint, r1: bigint, r2: bigint, k: bigint, up: boolean): bigint {
  const delta = r1 > r2 ? r1 - r2 : r2 - r1;
  const curved = mulDiv(mulDiv(u256(delta * k), tWad, u256(r1 * WAD), up), tWad, u256(r2 * WAD), up);
  return u256(delta * u256(WAD - k) + curved);
}

/**
 * Where a reserve ends when a payment `pay` (in its own units) moves it away from, or
 * toward, its target t: the positive root of (1-k) R^2 + b R - k t^2 = 0, rounded up.
 * falling: b = pay - (1-k) r1 + k t^2 / r1; rising: b = k t^2 / r1 - (1-k) r1 - pay.
 */
export function solveReserve(t: bigint, r1: bigint, pay: bigint, k: bigint, falling: boolean): bigint {
  const curved = mulDiv(u256(k * t), t, u256(r1 * WAD), false);
  const linear = mulDiv(u256(WAD - k), r1, WAD, true);
  const pos = falling ? u256(pay + curved) : curved;
  const neg = falling ? linear : u256(linear + pay);
  const c = mulDiv(u256(t * t), u256(4n * u256(WAD - k) * k), WAD * WAD, pos <= neg);
  if (pos > neg) {
    // b > 0: R = 2 k t^2 / (b + sqrt(b^2 + c))
    const b = pos - neg;
    const den = u256(b + sqrtSquarePlus(b, c, false));
    return div(mulDiv(u256(t * t), 2n * k, WAD, true), den, true);
  }
  // b <= 0: R = (-b + sqrt(b^2 + c)) / (2 (1 - k))
  if (k === WAD) throw new InsufficientLiquidityError();
  const nb = neg - pos;
  const top = u256(nb + sqrtSquarePlus(nb, c, true));
  return mulDiv(top, WAD, u256(2n * (WAD - k)), true);
}

// ---------------------------------------------------------------------------------------
// Oriented view of a pool for one swap
// ---------------------------------------------------------------------------------------

/** The pool seen from a swap: input side I, output side O, all amounts scaled. */
interface Oriented {
  inIsBase: boolean;
  rIn: bigint;
  rOut: bigint;
  tIn: bigint; // stored target of the input side (authoritative when the input side is long)
  tOut: bigint; // stored target of the output side (authoritative when it is long)
  inShort: boolean; // input side is short: the swap moves it toward its target
  scaleIn: bigint;
  scaleOut: bigint;
}

function orient(p: PoolMath, side: SwapSide): Oriented {
  const inIsBase = side === "sellBase";
  const rB = u256(p.baseReserve * p.baseScale);
  const rQ = u256(p.quoteReserve * p.quoteScale);
  const baseShort = p.region === Region.A;
  const quoteShort = p.region === Region.B;
  return {
    inIsBase,
    rIn: inIsBase ? rB : rQ,
    rOut: inIsBase ? rQ : rB,
    tIn: inIsBase ? p.baseTarget : p.quoteTarget,
    tOut: inIsBase ? p.quoteTarget : p.baseTarget,
    inShort: inIsBase ? baseShort : quoteShort,
    scaleIn: inIsBase ? p.baseScale : p.quoteScale,
    scaleOut: inIsBase ? p.quoteScale : p.baseScale,
  };
}

/**
 * Derived target, times 1e18, of a short side whose long side's surplus converts into its units
 * with `toQuote`; the surplus is converted with 18 more digits too.
 */
export function derivedTargetWad(
  reserve: bigint,
  longSurplus: bigint,
  toQuote: boolean,
  p: PoolMath,
  up: boolean,
): bigint {
  return shortTargetWad(reserve, convert(u256(longSurplus * WAD), p.price, toQuote, up), p.k, up);
}

/** Derived target of the input side when it is short (its surplus is on the output side), times 1e18. */
function inTargetWad(o: Oriented, p: PoolMath, up: boolean): bigint {
  return derivedTargetWad(o.rIn, outSurplus(o), !o.inIsBase, p, up);
}

/** Derived target of the output side when it is short (its surplus is on the input side), whole units. */
function outTarget(o: Oriented, p: PoolMath, up: boolean): bigint {
  const surplus = o.rIn > o.tIn ? o.rIn - o.tIn : 0n;
  return div(derivedTargetWad(o.rOut, surplus, o.inIsBase, p, up), WAD, up);
}

/** The k that prices everything from equilibrium on: the queued one, if any (DESIGN.md §3). */
export function kBeyond(p: PoolMath): bigint {
  return p.pendingK ?? p.k;
}

// ---------------------------------------------------------------------------------------
// Imbalance, fee, mid price
// ---------------------------------------------------------------------------------------

/** Derived targets (base, quote), the short side's rounded down. */
function targets(p: PoolMath): [bigint, bigint] {
  const b = u256(p.baseReserve * p.baseScale);
  const q = u256(p.quoteReserve * p.quoteScale);
  if (p.region === Region.A) {
    const surplus = q > p.quoteTarget ? q - p.quoteTarget : 0n;
    return [derivedTargetWad(b, surplus, false, p, false) / WAD, p.quoteTarget];
  }
  if (p.region === Region.B) {
    const surplus = b > p.baseTarget ? b - p.baseTarget : 0n;
    return [p.baseTarget, derivedTargetWad(q, surplus, true, p, false) / WAD];
  }
  return [b, q];
}

/** The short side's deficit under its target, in quote units (the imbalance numerator), rounded down. */
function deficitInQuote(b: bigint, q: bigint, b0: bigint, q0: bigint, price: Price): bigint {
  if (b < b0) return convert(b0 - b, price, true, false);
  if (q < q0) return q0 - q;
  return 0n;
}

/** Target value in quote units: Q0 + p B0 (the imbalance denominator). */
function targetValue(b0: bigint, q0: bigint, price: Price): bigint {
  return u256(q0 + convert(b0, price, true, false));
}

/** The fee floor in force (pips): 0 when the state has none. */
export function feeFloorOf(p: PoolMath): bigint {
  return p.feeFloor ?? 0n;
}

/**
 * The surge ramp's width in force (WAD): when the state has none, 1 - tau (the ramp to 100 %, the rule
 * before issue 11), or 1e-18 for an out-of-domain tau >= 1.
 */
export function surgeWidthOf(p: PoolMath): bigint {
  return p.surgeWidth ?? (p.tau < WAD ? WAD - p.tau : 1n);
}

/**
 * The surge rates of away-from-target volume, pips: fLo = max(baseFee, feeFloor) below the ramp and
 * fHi = max(maxFee, fLo) past it (fHi is also the highest rate any volume pays).
 */
export function awayRates(p: PoolMath): [bigint, bigint] {
  const floor = feeFloorOf(p);
  const fLo = floor > p.baseFee ? floor : p.baseFee;
  return [fLo, p.maxFee > fLo ? p.maxFee : fLo];
}

/**
 * DESIGN §2: the mean surge rate over the imbalance interval [i0, i1] (WAD, i0 < i1), in pips times
 * 1e18, rounded up: the mean of r(I) = fLo + (fHi - fLo) * clamp((I - tau) / width, 0, 1). The ramp's
 * integral over [s0, s1] is (s1 - s0)(s1 + s0 - 2 tau) / (2 width); past the ramp the rate is fHi.
 */
export function awayRateWad(i0: bigint, i1: bigint, p: PoolMath): bigint {
  const [fLo, fHi] = awayRates(p);
  const tau = p.tau;
  const width = surgeWidthOf(p);
  if (fHi <= fLo || i1 <= tau) return fLo * WAD;
  const top = u256(tau + width);
  if (i0 >= top) return fHi * WAD;
  const s0 = i0 > tau ? i0 : tau;
  const s1 = i1 < top ? i1 : top;
  let ramp = u256((s1 - s0) * u256(s1 + s0 - 2n * tau));
  if (i1 > top) ramp = u256(ramp + u256(2n * width * (i1 - top)));
  return u256(fLo * WAD + (fHi - fLo) * mulDiv(ramp, WAD, u256(2n * width * (i1 - i0)), true));
}

/** Marginal price of base in WAD (whole quote per whole base) at reserves and targets. */
function midAt(b: bigint, q: bigint, b0: bigint, q0: bigint, price: Price, k: bigint): bigint {
  const ref = mulDiv(price.num, WAD, price.den, false);
  if (b < b0) return mulDiv(ref, u256(u256(WAD - k) + mulDiv(u256(k * b0), b0, u256(b * b), false)), WAD, false);
  if (q < q0) return mulDiv(ref, WAD, u256(u256(WAD - k) + mulDiv(u256(k * q0), q0, u256(q * q), false)), false);
  return ref;
}

/** Mid price of the pool in WAD (whole quote tokens per whole base token). */
export function midPrice(p: PoolMath): bigint {
  const [b0, q0] = targets(p);
  return midAt(u256(p.baseReserve * p.baseScale), u256(p.quoteReserve * p.quoteScale), b0, q0, p.price, p.k);
}

/** Imbalance of the pool in WAD: the short side's deficit at the price over the target value. */
export function imbalance(p: PoolMath): bigint {
  const [b0, q0] = targets(p);
  const b = u256(p.baseReserve * p.baseScale);
  const q = u256(p.quoteReserve * p.quoteScale);
  return mulDiv(deficitInQuote(b, q, b0, q0, p.price), WAD, targetValue(b0, q0, p.price), false);
}

// ---------------------------------------------------------------------------------------
// Swaps
// ---------------------------------------------------------------------------------------

/** Converts a WAD-scaled amount (amount * 1e18) of one side into the other side's units. */
function convertWad(amountWad: bigint, price: Price, toQuote: boolean, up: boolean): bigint {
  return toQuote
    ? mulDiv(amountWad, price.num, u256(price.den * WAD), up)
    : mulDiv(amountWad, price.den, u256(price.num * WAD), up);
}

/** The curve part of an exact-in swap (before fees), in scaled units. */
interface CurveMove {
  grossOut: bigint;
  tInBefore: bigint; // targets before the swap, a derived one rounded down
  tOutBefore: bigint;
  tInAfter: bigint; // targets on the curve after the swap
  tOutAfter: bigint;
  longIsIn: boolean; // which side is long after the move (its target is then authoritative)
  reachedEq: boolean; // the move started at, reached or crossed equilibrium: a queued k applies
}

function curveExactIn(o: Oriented, p: PoolMath, a: bigint): CurveMove {
  if (o.inShort) {
    // The input side's target with 18 more digits (DESIGN §7): the amount to equilibrium and the
    // rest past it are not rounded to whole scaled units, which at extreme prices or tiny reserves
    // would cost the trader far more than the vectors' tolerance.
    const tUpWad = inTargetWad(o, p, true);
    const tDownWad = inTargetWad(o, p, false);
    const toEqWad = tUpWad - u256(o.rIn * WAD);
    const surplus = outSurplus(o);
    const tDown = tDownWad / WAD;
    const base = { tInBefore: tDown, tOutBefore: o.tOut, tOutAfter: o.tOut };
    if (u256(a * WAD) < toEqWad) {
      // A leg toward the input side's target, priced with that target rounded down and
      // never paying more than the long side's surplus.
      const legCost = legWadAt(tDownWad, o.rIn, u256(o.rIn + a), p.k, false);
      const out = convertWad(legCost, p.price, o.inIsBase, false);
      return { ...base, grossOut: out < surplus ? out : surplus, tInAfter: tDown, longIsIn: false, reachedEq: false };
    }
    // Crossing: the whole surplus to reach equilibrium, then the output side falls from its target,
    // priced with the queued k if there is one (it takes effect at equilibrium).
    const restWad = a * WAD - toEqWad;
    const tUp = div(tUpWad, WAD, true);
    if (restWad === 0n) return { ...base, grossOut: surplus, tInAfter: tUp, longIsIn: false, reachedEq: true };
    const pay = convertWad(restWad, p.price, o.inIsBase, false);
    const r2 = solveReserve(o.tOut, o.tOut, pay, kBeyond(p), true);
    if (r2 === 0n) throw new InsufficientLiquidityError();
    // Dust past equilibrium (DESIGN §7): the rest pays nothing more, it is not refused, and the swap
    // lands on equilibrium as if it were exactly the amount to it (a fractional rest is the rule, not
    // the exception, now that the amount to equilibrium has 18 more digits).
    const beyond = r2 < o.tOut ? o.tOut - r2 : 0n;
    return { ...base, grossOut: surplus + beyond, tInAfter: tUp, longIsIn: beyond > 0n, reachedEq: true };
  }
  // The output side is short (or the pool is at ONE) and falls further from its target.
  const one = p.region === Region.ONE;
  const tIn = one ? o.rIn : o.tIn;
  const tUp = one ? o.rOut : outTarget(o, p, true);
  const tDown = one ? o.rOut : outTarget(o, p, false);
  const k = one ? kBeyond(p) : p.k;
  const r2 = solveReserve(tUp, o.rOut, convert(a, p.price, o.inIsBase, false), k, true);
  if (r2 === 0n) throw new InsufficientLiquidityError();
  // Dust (DESIGN §7): an input too small to move the reserve by a unit quotes 0, which the pool's
  // swap refuses as InsufficientOutput; only draining the reserve is refused here.
  return {
    grossOut: r2 < o.rOut ? o.rOut - r2 : 0n,
    tInBefore: tIn,
    tOutBefore: tDown,
    tInAfter: tIn,
    tOutAfter: tUp,
    longIsIn: true,
    reachedEq: one,
  };
}

/** The long side's surplus over its stored target, for a swap whose input side is short. */
function outSurplus(o: Oriented): bigint {
  return o.rOut > o.tOut ? o.rOut - o.tOut : 0n;
}

/** Whether some input can pay out `g` scaled units of the output side. */
function reachable(o: Oriented, g: bigint): boolean {
  if (!o.inShort) return g < o.rOut;
  const surplus = outSurplus(o);
  return g <= surplus || g - surplus < o.tOut;
}

/**
 * Exact-out's guess (`SkewMath.inputForGross`): the scaled input whose curve move pays out `g` scaled
 * units of the output side before the fee, rounded up, so never below the exact input. exactOut re-checks
 * it with the exact-in quote; a guess at or above exact makes its first attempt succeed.
 */
export function inputForGross(p: PoolMath, side: SwapSide, g: bigint): bigint {
  return curveInputFor(orient(p, side), p, g);
}

/** Scaled input that moves the curve far enough to pay out `g` scaled units, rounded up. */
function curveInputFor(o: Oriented, p: PoolMath, g: bigint): bigint {
  if (!reachable(o, g)) throw new InsufficientLiquidityError();
  if (o.inShort) {
    const surplus = outSurplus(o);
    if (g <= surplus) {
      // The target rounded down to a whole unit: the root then asks for at least the input that
      // the exact-in leg (priced with the finer target) needs.
      const leg = convert(g, p.price, !o.inIsBase, true);
      const tDown = inTargetWad(o, p, false) / WAD;
      return solveReserve(tDown, o.rIn, leg, p.k, false) - o.rIn;
    }
    // Crossing: the amount to equilibrium and the leg past it, both with 18 more digits.
    const rest = g - surplus;
    const leg = legWad(o.tOut, o.tOut, o.tOut - rest, kBeyond(p), true);
    const toEqWad = inTargetWad(o, p, true) - u256(o.rIn * WAD);
    return div(u256(toEqWad + convert(leg, p.price, !o.inIsBase, true)), WAD, true);
  }
  const one = p.region === Region.ONE;
  const t = one ? o.rOut : outTarget(o, p, true);
  const k = one ? kBeyond(p) : p.k;
  return convertWad(legWad(t, o.rOut, o.rOut - g, k, true), p.price, !o.inIsBase, true);
}

/** The imbalance (WAD, rounded up) of a deficit `d` of the output side (scaled output units). */
function outImbalance(o: Oriented, price: Price, d: bigint, value: bigint): bigint {
  const inQuote = o.inIsBase ? d : convert(d, price, true, true);
  return mulDiv(inQuote, WAD, value, true);
}

/**
 * The mean rate (pips * 1e18, rounded up) of the last `away` scaled units of a gross output `gross`, paid
 * while the output side's deficit grows from d1 - away to its deficit after the swap, d1 (`tOutAfter`:
 * the output side's target after the swap).
 */
function awayRate(p: PoolMath, o: Oriented, gross: bigint, tOutAfter: bigint, away: bigint, value: bigint): bigint {
  const d1 = tOutAfter - (o.rOut - gross);
  const i0 = outImbalance(o, p.price, d1 - away, value);
  const i1 = outImbalance(o, p.price, d1, value);
  return awayRateWad(i0, i1 > i0 ? i1 : i0 + 1n, p); // i0 + 1: the rate just past I0 (a dust swap's)
}

/**
 * The fee of a gross output (DESIGN §2) before rounding: `total` = the rate (pips * 1e18) times the scaled
 * units it is paid on, summed; `rate` = the rate of its last part. `baseFee` on the gross paid while the swap
 * moves toward the target, the surge rate integrated along the path on the gross paid moving away from it.
 * The imbalance grows linearly with the output along an away leg (the short side's target and the target
 * value stay put), so the integral is the mean rate over [I0, I1] times the away gross: splitting a swap
 * changes its fee by rounding only.
 */
function feeTotal(
  p: PoolMath,
  o: Oriented,
  gross: bigint,
  tOutAfter: bigint,
  value: bigint,
): { total: bigint; rate: bigint } {
  let toward = 0n;
  if (o.inShort) {
    const surplus = outSurplus(o);
    toward = gross < surplus ? gross : surplus;
  }
  let rate = p.baseFee * WAD; // pips * 1e18 at the margin
  let total = u256(rate * toward); // fee * 1e6 * 1e18, scaled output units
  if (!o.inShort || gross > toward) {
    rate = awayRate(p, o, gross, tOutAfter, gross - toward, value);
    total = u256(total + u256(rate * (gross - toward)));
  }
  return { total, rate };
}

/** The fee of a swap in scaled output units rounded up, and its effective rate in pips rounded up. */
function swapFee(p: PoolMath, o: Oriented, m: CurveMove, value: bigint): { fee: bigint; feePips: bigint } {
  const gross = m.grossOut;
  const { total, rate } = feeTotal(p, o, gross, m.tOutAfter, value);
  const fee = div(total, PIPS * WAD, true);
  const feePips = gross === 0n ? div(rate, WAD, true) : div(total, u256(WAD * gross), true);
  return { fee, feePips };
}

/** (base, quote, baseTarget, quoteTarget) from the oriented view. */
function absolute(o: Oriented, rIn: bigint, rOut: bigint, tIn: bigint, tOut: bigint): [bigint, bigint, bigint, bigint] {
  return o.inIsBase ? [rIn, rOut, tIn, tOut] : [rOut, rIn, tOut, tIn];
}

/**
 * Quotes an exact-input swap of `amountIn` raw units: the raw output after the fee, the fee,
 * imbalance and mid price before and after, and the pool state the swap leaves behind.
 */
export function quoteExactIn(p: PoolMath, side: SwapSide, amountIn: bigint): SdkSwapQuote {
  return exactIn(p, side, orient(p, side), amountIn).quote;
}

/** quoteExactIn, also returning the scaled gross output (exact-out refines with it). */
function exactIn(
  p: PoolMath,
  side: SwapSide,
  o: Oriented,
  amountIn: bigint,
): { quote: SdkSwapQuote; grossScaled: bigint } {
  if (amountIn === 0n) throw new ZeroAmountError();
  const a = u256(amountIn * o.scaleIn);
  const m = curveExactIn(o, p, a);

  const before = absolute(o, o.rIn, o.rOut, m.tInBefore, m.tOutBefore);
  const after = absolute(o, u256(o.rIn + a), o.rOut - m.grossOut, m.tInAfter, m.tOutAfter);
  const value = targetValue(before[2], before[3], p.price);
  const deficitBefore = deficitInQuote(...before, p.price);
  const deficitAfter = deficitInQuote(...after, p.price);
  const { fee, feePips } = swapFee(p, o, m, value);

  const grossOut = m.grossOut / o.scaleOut;
  const amountOut = u256(m.grossOut - fee) / o.scaleOut;
  const feeAmount = grossOut - amountOut;
  const protocolFee = mulDiv(feeAmount, p.protocolShare, PIPS, false);

  // The pool state after the swap: the fee stays in the reserves except the protocol's part.
  const inRaw = side === "sellBase" ? p.baseReserve : p.quoteReserve;
  const outRaw = side === "sellBase" ? p.quoteReserve : p.baseReserve;
  const inAfter = u256(inRaw + amountIn);
  const outAfter = u256(outRaw - amountOut - protocolFee);
  const [baseReserveAfter, quoteReserveAfter] = o.inIsBase ? [inAfter, outAfter] : [outAfter, inAfter];
  const longIsBase = m.longIsIn === o.inIsBase;
  const longTarget = m.longIsIn ? m.tInAfter : m.tOutAfter;
  const longReserve = longIsBase ? baseReserveAfter * p.baseScale : quoteReserveAfter * p.quoteScale;
  let regionAfter = Region.ONE;
  let baseTargetAfter = baseReserveAfter * p.baseScale;
  let quoteTargetAfter = quoteReserveAfter * p.quoteScale;
  if (longReserve > longTarget) {
    regionAfter = longIsBase ? Region.B : Region.A;
    baseTargetAfter = longIsBase ? longTarget : p.baseTarget;
    quoteTargetAfter = longIsBase ? p.quoteTarget : longTarget;
  }

  // A queued k takes effect once the swap reached equilibrium or leaves the pool at it.
  const applied = m.reachedEq || regionAfter === Region.ONE;
  const quote: SdkSwapQuote = {
    amountIn,
    amountOut,
    grossOut,
    feePips,
    feeAmount,
    protocolFee,
    imbalanceBefore: mulDiv(deficitBefore, WAD, value, false),
    imbalanceAfter: mulDiv(deficitAfter, WAD, value, false),
    midPriceBefore: midAt(...before, p.price, p.k),
    midPriceAfter: midAt(...after, p.price, m.reachedEq ? kBeyond(p) : p.k),
    baseReserveAfter,
    quoteReserveAfter,
    baseTargetAfter,
    quoteTargetAfter,
    regionAfter,
    kAfter: applied ? kBeyond(p) : p.k,
    pendingKAfter: applied ? null : (p.pendingK ?? null),
  };
  return { quote, grossScaled: m.grossOut };
}

/**
 * What the fee of a gross output depends on besides the gross, the same for every input on the swap's path
 * (as curveExactIn sets them): the output side's target after the swap and the target value before it.
 */
function grossContext(o: Oriented, p: PoolMath): { tOutAfter: bigint; value: bigint } {
  let tIn: bigint;
  let tOut: bigint;
  let tOutAfter: bigint;
  if (o.inShort) {
    // toward the input side's target (its whole units rounded down), or across it
    [tIn, tOut, tOutAfter] = [inTargetWad(o, p, false) / WAD, o.tOut, o.tOut];
  } else if (p.region === Region.ONE) {
    [tIn, tOut, tOutAfter] = [o.rIn, o.rOut, o.rOut];
  } else {
    [tIn, tOut, tOutAfter] = [o.tIn, outTarget(o, p, false), outTarget(o, p, true)];
  }
  return { tOutAfter, value: targetValue(o.inIsBase ? tIn : tOut, o.inIsBase ? tOut : tIn, p.price) };
}

/**
 * The least gross output g (scaled) whose net of the fee pays `net` scaled units: g - fee(g) >= net, the
 * fee as the exact-in quote charges it (DESIGN §2). The effective rate r(g) = total(g) / (1e6 * 1e18 * g)
 * does not fall as g grows, so g_{n+1} = ceil(net / (1 - r(g_n))) from g_0 = net climbs to that least g
 * without passing it (each step is the least g that pays at a rate no higher than the true one). A g that does
 * not pay has g - total / 1e24 <= g - fee < net, so the next step is strictly larger: the climb always moves,
 * and the fee's rounding up needs no step of its own. Past GROSS_STEPS (a rate that keeps moving, as on the
 * ramp's steepest part with a huge trade) it settles for the gross that pays at the highest rate any volume pays.
 */
function leastGross(p: PoolMath, o: Oriented, net: bigint): bigint {
  const { tOutAfter, value } = grossContext(o, p);
  const scale = PIPS * WAD;
  let g = net;
  for (let step = 0; step < GROSS_STEPS; step++) {
    if (!reachable(o, g)) return g; // the caller refuses it
    const { total } = feeTotal(p, o, g, tOutAfter, value);
    if (g - div(total, scale, true) >= net) return g;
    g = mulDiv(net, u256(scale * g), u256(scale * g) - total, true); // > g (see above)
  }
  return u256(div(u256(net * PIPS), PIPS - awayRates(p)[1], true));
}

/**
 * The most the fee of a gross `g` (scaled) can step up from one unit of its mean surge rate's rounding
 * (`SkewMath.feeStep`): `awayRateWad` rounds the ramp's fraction up, and one unit of that fraction is worth
 * (fHi - fLo) / (PIPS * WAD) of the whole gross; plus one for the fee's own rounding up. Because of it a
 * larger gross can net less than a smaller one (by at most this much), so exact-out's retry pads by it too.
 */
function feeStepOf(p: PoolMath, g: bigint): bigint {
  const [fLo, fHi] = awayRates(p);
  return mulDiv(fHi - fLo, g, PIPS * WAD, true) + 1n;
}

/** Exact-out's first step (`SkewMath.grossForNet`): the least gross output (scaled) whose net of the fee pays `net`. */
export function grossForNet(p: PoolMath, side: SwapSide, net: bigint): bigint {
  return leastGross(p, orient(p, side), net);
}

/** The fee, in scaled output units rounded up, of a swap paying a gross output of `g` scaled units (`SkewMath.feeOfGross`). */
export function feeOfGross(p: PoolMath, side: SwapSide, g: bigint): bigint {
  const o = orient(p, side);
  const { tOutAfter, value } = grossContext(o, p);
  return div(feeTotal(p, o, g, tOutAfter, value).total, PIPS * WAD, true);
}

/**
 * Quotes the least input that yields at least `amountOut` raw units, checked by the exact-in quote itself,
 * so swapping the returned `amountIn` exact-in pays at least `amountOut`. The gross output that pays
 * `amountOut` after the fee comes from `leastGross`, the input for it from exact-out's guess
 * (`inputForGross`, never below the exact input). Where that input nets less than `amountOut`, the retry
 * asks again from the larger of the gross asked and the gross paid, plus a pad that at least doubles each
 * round and covers both the curve's rounding (the shortfall of the gross paid below the gross asked) and
 * the fee's step (`feeStepOf`: the mean surge rate is rounded up, so a larger gross can net a little less),
 * then the exact-in check runs again.
 */
export function quoteExactOut(p: PoolMath, side: SwapSide, amountOut: bigint): SdkSwapQuote {
  if (amountOut === 0n) throw new ZeroAmountError();
  if (awayRates(p)[1] >= PIPS) throw new InsufficientLiquidityError();
  const o = orient(p, side);
  let g = leastGross(p, o, u256(amountOut * o.scaleOut));
  let pad = 0n;
  for (let round = 0; round < EXACT_OUT_ROUNDS; round++) {
    if (!reachable(o, g)) throw new InsufficientLiquidityError();
    const r = exactIn(p, side, o, div(curveInputFor(o, p, g), o.scaleIn, true));
    if (r.quote.amountOut >= amountOut) return r.quote;
    const paid = r.grossScaled;
    pad = u256(pad * 2n + (g > paid ? g - paid : 1n) + feeStepOf(p, paid));
    g = u256((g > paid ? g : paid) + pad);
  }
  throw new ExactOutUnreachableError();
}

export { MathOverflowError };
