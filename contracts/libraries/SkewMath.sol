// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FullMath} from "./FullMath.sol";
import {PoolMath, Price, Region, Side, SwapQuote} from "./SkewTypes.sol";

/// @notice The swap cannot be filled: it would drain a reserve or has no solution on the curve.
error InsufficientLiquidity();
/// @notice A zero amount was passed where a positive one is required.
error ZeroAmount();
/// @notice Exact-output refinement found no input that pays the requested output.
error ExactOutUnreachable();

/// @title SkewMath
/// @notice Pricing and fee rules of a Skew pool (DESIGN.md §1, §2, §7): an oracle-anchored
///         proactive market-maker curve with skew strength k, and a fee that surges when a
///         swap pushes the inventory further out of balance.
/// @dev Pure and internal. Amounts are scaled to 18 decimals inside; products go through
///      512-bit mulDiv; every rounding favours the pool. `sdk/math.ts` mirrors this file
///      operation for operation, so off-chain quotes equal on-chain ones to the wei.
///      Domain: scaled reserves and targets below 2^120 (about 1.3e18 whole tokens) and
///      surpluses converted at the price below 2^128; outside it arithmetic reverts.
library SkewMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant PIPS = 1e6;
    /// @dev quoteExactOut: steps toward the least gross output whose net pays the amount out.
    uint256 internal constant GROSS_STEPS = 32;
    /// @dev quoteExactOut: how many times it may pad the gross output for rounding.
    uint256 internal constant EXACT_OUT_ROUNDS = 4;

    /// @dev The pool seen from one swap: input side I, output side O, amounts scaled.
    struct Oriented {
        bool inIsBase;
        bool inShort; // the input side is short: the swap moves it toward its target
        uint256 rIn;
        uint256 rOut;
        uint256 tIn; // stored target of the input side
        uint256 tOut; // stored target of the output side
        uint256 scaleIn;
        uint256 scaleOut;
    }

    /// @dev The curve part of an exact-in swap, before fees, in scaled units.
    struct CurveMove {
        uint256 grossOut;
        uint256 tInBefore; // targets before the swap, a derived one rounded down
        uint256 tOutBefore;
        uint256 tInAfter; // targets on the curve after the swap
        uint256 tOutAfter;
        bool longIsIn; // which side is long after the move
        bool reachedEq; // the move started at, reached or crossed equilibrium: a queued k applies
    }

    // -----------------------------------------------------------------------------------
    // Curve primitives (scaled units)
    // -----------------------------------------------------------------------------------

    /// @notice Converts a scaled amount of base into quote units (toQuote) or quote into base.
    function convert(uint256 amount, Price memory price, bool toQuote, bool up) internal pure returns (uint256) {
        return
            toQuote
                ? FullMath.mulDiv(amount, price.num, price.den, up)
                : FullMath.mulDiv(amount, price.den, price.num, up);
    }

    /// @notice Converts amount * 1e18 of one side into the other side's units.
    function convertWad(uint256 amountWad, Price memory price, bool toQuote, bool up) internal pure returns (uint256) {
        return
            toQuote
                ? FullMath.mulDiv(amountWad, price.num, price.den * WAD, up)
                : FullMath.mulDiv(amountWad, price.den, price.num * WAD, up);
    }

    /// @notice Short-side target T = R + 2dR / (R + sqrt(R^2 + 4kdR)) for a short reserve R and
    ///         the long side's surplus d in the short side's units (cancellation-free form), in
    ///         whole scaled units: shortTargetWad rounded in the same direction.
    function shortTarget(uint256 reserve, uint256 surplus, uint256 k, bool up) internal pure returns (uint256) {
        return FullMath.div(shortTargetWad(reserve, surplus * WAD, k, up), WAD, up);
    }

    /// @notice The short-side target times 1e18 (18 more digits than a scaled unit), for a short
    ///         reserve R and the long side's surplus times 1e18, dW = d * 1e18, in the short side's
    ///         units: with Rw = R * 1e18, T * 1e18 = Rw + 2 dW Rw / (Rw + sqrt(Rw^2 + 4 k dW R)), the
    ///         root of the 512-bit sum (exact below 2^256, else within 2^-127), so neither a tiny
    ///         nor a large reserve loses precision.
    function shortTargetWad(uint256 reserve, uint256 surplusWad, uint256 k, bool up) internal pure returns (uint256) {
        uint256 rw = reserve * WAD;
        if (surplusWad == 0) return rw;
        if (reserve == 0) revert InsufficientLiquidity();
        if (k == 0) return rw + surplusWad; // T = R + d, exactly
        uint256 root = FullMath.sqrtOfSum(rw, rw, 4 * k * surplusWad, reserve, !up);
        return rw + FullMath.mulDiv(2 * surplusWad, rw, rw + root, up);
    }

    /// @notice The cost of moving a reserve from r1 to r2 on its own side of target t, times
    ///         1e18: |r1 - r2| * ((1 - k) + k t^2 / (r1 r2)).
    function legWad(uint256 t, uint256 r1, uint256 r2, uint256 k, bool up) internal pure returns (uint256) {
        uint256 delta = r1 > r2 ? r1 - r2 : r2 - r1;
        uint256 curved = FullMath.mulDiv(delta * k, t * t, r1 * r2, up);
        return delta * (WAD - k) + curved;
    }

    /// @notice legWad for a target given times 1e18 (tWad = t * 1e18, a derived target with its
    ///         fraction): |r1 - r2| * ((1 - k) + k t^2 / (r1 r2)), times 1e18.
    function legWadAt(uint256 tWad, uint256 r1, uint256 r2, uint256 k, bool up) internal pure returns (uint256) {
        uint256 delta = r1 > r2 ? r1 - r2 : r2 - r1;
        uint256 curved = FullMath.mulDiv(FullMath.mulDiv(delta * k, tWad, r1 * WAD, up), tWad, r2 * WAD, up);
        return delta * (WAD - k) + curved;
    }

    /// @notice Where a reserve ends when a payment `pay` (in its own units) moves it: the
    ///         positive root of (1-k) R^2 + b R - k t^2 = 0, rounded up, with
    ///         b = pay - (1-k) r1 + k t^2 / r1 when it falls and
    ///         b = k t^2 / r1 - (1-k) r1 - pay when it rises.
    function solveReserve(uint256 t, uint256 r1, uint256 pay, uint256 k, bool falling) internal pure returns (uint256) {
        uint256 curved = FullMath.mulDiv(k * t, t, r1 * WAD, false);
        uint256 linear = FullMath.mulDiv(WAD - k, r1, WAD, true);
        uint256 pos = falling ? pay + curved : curved;
        uint256 neg = falling ? linear : linear + pay;
        uint256 c = FullMath.mulDiv(t * t, 4 * (WAD - k) * k, WAD * WAD, pos <= neg);
        if (pos > neg) {
            // b > 0: R = 2 k t^2 / (b + sqrt(b^2 + c))
            uint256 b = pos - neg;
            uint256 den = b + FullMath.sqrtSquarePlus(b, c, false);
            return FullMath.div(FullMath.mulDiv(t * t, 2 * k, WAD, true), den, true);
        }
        // b <= 0: R = (-b + sqrt(b^2 + c)) / (2 (1 - k))
        if (k == WAD) revert InsufficientLiquidity();
        uint256 nb = neg - pos;
        uint256 top = nb + FullMath.sqrtSquarePlus(nb, c, true);
        return FullMath.mulDiv(top, WAD, 2 * (WAD - k), true);
    }

    // -----------------------------------------------------------------------------------
    // Oriented view
    // -----------------------------------------------------------------------------------

    function orient(PoolMath memory p, Side side) private pure returns (Oriented memory o) {
        bool inIsBase = side == Side.SellBase;
        uint256 rB = p.baseReserve * p.baseScale;
        uint256 rQ = p.quoteReserve * p.quoteScale;
        o.inIsBase = inIsBase;
        o.inShort = inIsBase ? p.region == Region.A : p.region == Region.B;
        (o.rIn, o.rOut) = inIsBase ? (rB, rQ) : (rQ, rB);
        (o.tIn, o.tOut) = inIsBase ? (p.baseTarget, p.quoteTarget) : (p.quoteTarget, p.baseTarget);
        (o.scaleIn, o.scaleOut) = inIsBase ? (p.baseScale, p.quoteScale) : (p.quoteScale, p.baseScale);
    }

    /// @dev The long side's surplus over its stored target, for a swap whose input side is short.
    function outSurplus(Oriented memory o) private pure returns (uint256) {
        return o.rOut > o.tOut ? o.rOut - o.tOut : 0;
    }

    /// @dev Derived target, times 1e18, of a short side whose long side's surplus converts into its
    ///      units with `toQuote`; the surplus is converted with 18 more digits too.
    function derivedTargetWad(
        uint256 reserve,
        uint256 longSurplus,
        bool toQuote,
        PoolMath memory p,
        bool up
    ) private pure returns (uint256) {
        return shortTargetWad(reserve, convert(longSurplus * WAD, p.price, toQuote, up), p.k, up);
    }

    /// @dev Derived target of the input side when it is short, times 1e18.
    function inTargetWad(Oriented memory o, PoolMath memory p, bool up) private pure returns (uint256) {
        return derivedTargetWad(o.rIn, outSurplus(o), !o.inIsBase, p, up);
    }

    /// @dev Derived target of the output side when it is short, in whole scaled units.
    function outTarget(Oriented memory o, PoolMath memory p, bool up) private pure returns (uint256) {
        uint256 surplus = o.rIn > o.tIn ? o.rIn - o.tIn : 0;
        return FullMath.div(derivedTargetWad(o.rOut, surplus, o.inIsBase, p, up), WAD, up);
    }

    // -----------------------------------------------------------------------------------
    // Imbalance, fee, mid price
    // -----------------------------------------------------------------------------------

    /// @dev Derived targets (base, quote) of a pool, the short side's rounded down.
    function targets(PoolMath memory p) private pure returns (uint256 b0, uint256 q0) {
        uint256 b = p.baseReserve * p.baseScale;
        uint256 q = p.quoteReserve * p.quoteScale;
        if (p.region == Region.A) {
            uint256 surplus = q > p.quoteTarget ? q - p.quoteTarget : 0;
            return (derivedTargetWad(b, surplus, false, p, false) / WAD, p.quoteTarget);
        }
        if (p.region == Region.B) {
            uint256 surplus = b > p.baseTarget ? b - p.baseTarget : 0;
            return (p.baseTarget, derivedTargetWad(q, surplus, true, p, false) / WAD);
        }
        return (b, q);
    }

    /// @dev The short side's deficit under its target in quote units (imbalance numerator), rounded down.
    function deficitInQuote(
        uint256 b,
        uint256 q,
        uint256 b0,
        uint256 q0,
        Price memory price
    ) private pure returns (uint256) {
        if (b < b0) return convert(b0 - b, price, true, false);
        if (q < q0) return q0 - q;
        return 0;
    }

    /// @dev Target value Q0 + p B0 in quote units (imbalance denominator).
    function targetValue(uint256 b0, uint256 q0, Price memory price) private pure returns (uint256) {
        return q0 + convert(b0, price, true, false);
    }

    /// @notice DESIGN §2: the mean surge rate over the imbalance interval [i0, i1] (WAD, i0 < i1), in pips
    ///         times 1e18, rounded up: the mean of r(I) = fLo + (fHi - fLo) * clamp((I - tau) / width, 0, 1)
    ///         with fLo, fHi from `awayRates` and tau, width = surgeWidth from `p`.
    /// @dev The ramp's integral over [s0, s1] is (s1 - s0)(s1 + s0 - 2 tau) / (2 width); past the ramp the
    ///      rate is fHi. One division, rounded up.
    function awayRateWad(uint256 i0, uint256 i1, PoolMath memory p) internal pure returns (uint256) {
        (uint256 fLo, uint256 fHi) = awayRates(p);
        (uint256 tau, uint256 width) = (p.tau, p.surgeWidth);
        if (fHi <= fLo || i1 <= tau) return fLo * WAD;
        uint256 top = tau + width;
        if (i0 >= top) return fHi * WAD;
        uint256 s0 = i0 > tau ? i0 : tau;
        uint256 s1 = i1 < top ? i1 : top;
        uint256 ramp = (s1 - s0) * (s1 + s0 - 2 * tau);
        if (i1 > top) ramp += 2 * width * (i1 - top);
        return fLo * WAD + (fHi - fLo) * FullMath.mulDiv(ramp, WAD, 2 * width * (i1 - i0), true);
    }

    /// @notice The surge rates of away-from-target volume, pips: fLo = max(baseFee, feeFloor) below the ramp
    ///         and fHi = max(maxFee, fLo) past it (fHi is also the highest rate any volume pays).
    function awayRates(PoolMath memory p) internal pure returns (uint256 fLo, uint256 fHi) {
        fLo = p.feeFloor > p.baseFee ? p.feeFloor : p.baseFee;
        fHi = p.maxFee > fLo ? p.maxFee : fLo;
    }

    /// @dev The highest rate any volume pays, pips.
    function maxRate(PoolMath memory p) private pure returns (uint256 fHi) {
        (, fHi) = awayRates(p);
    }

    /// @dev The imbalance (WAD, rounded up) of a deficit `d` of the output side (scaled output units).
    function _outImbalance(
        Oriented memory o,
        Price memory price,
        uint256 d,
        uint256 value
    ) private pure returns (uint256) {
        uint256 inQuote = o.inIsBase ? d : convert(d, price, true, true);
        return FullMath.mulDiv(inQuote, WAD, value, true);
    }

    /// @dev The mean rate (pips * 1e18, rounded up) of the last `away` scaled units of a gross output `gross`,
    ///      paid while the output side's deficit grows from d1 - away to its deficit after the swap, d1
    ///      (`tOutAfter`: the output side's target after the swap).
    function _awayRate(
        PoolMath memory p,
        Oriented memory o,
        uint256 gross,
        uint256 tOutAfter,
        uint256 away,
        uint256 value
    ) private pure returns (uint256) {
        uint256 d1 = tOutAfter - (o.rOut - gross);
        uint256 i0 = _outImbalance(o, p.price, d1 - away, value);
        uint256 i1 = _outImbalance(o, p.price, d1, value);
        return awayRateWad(i0, i1 > i0 ? i1 : i0 + 1, p); // i0 + 1: the rate just past I0 (a dust swap's)
    }

    /// @dev The fee of a gross output (DESIGN §2) before rounding: `total` = the rate (pips * 1e18) times the
    ///      scaled units it is paid on, summed; `rate` = the rate of its last part. `baseFee` on the gross paid
    ///      while the swap moves toward the target, the surge rate integrated along the path on the gross paid
    ///      moving away from it. The imbalance grows linearly with the output along an away leg (the short
    ///      side's target and the target value stay put), so the integral is the mean rate over [I0, I1] times
    ///      the away gross: splitting a swap changes its fee by rounding only.
    function feeTotal(
        PoolMath memory p,
        Oriented memory o,
        uint256 gross,
        uint256 tOutAfter,
        uint256 value
    ) private pure returns (uint256 total, uint256 rate) {
        uint256 toward = 0;
        if (o.inShort) {
            uint256 surplus = outSurplus(o);
            toward = gross < surplus ? gross : surplus;
        }
        rate = p.baseFee * WAD; // pips * 1e18 at the margin
        total = rate * toward; // fee * 1e6 * 1e18, scaled output units
        if (!o.inShort || gross > toward) {
            rate = _awayRate(p, o, gross, tOutAfter, gross - toward, value);
            total += rate * (gross - toward);
        }
    }

    /// @dev The fee of a swap in scaled output units rounded up, and its effective rate in pips rounded up.
    function swapFee(
        PoolMath memory p,
        Oriented memory o,
        CurveMove memory m,
        uint256 value
    ) private pure returns (uint256 fee, uint256 feePips) {
        uint256 gross = m.grossOut;
        (uint256 total, uint256 rate) = feeTotal(p, o, gross, m.tOutAfter, value);
        fee = FullMath.div(total, PIPS * WAD, true);
        feePips = gross == 0 ? FullMath.div(rate, WAD, true) : FullMath.div(total, WAD * gross, true);
    }

    /// @dev Marginal price of base in WAD (whole quote per whole base) at reserves and targets.
    function midAt(uint256[4] memory v, Price memory price, uint256 k) private pure returns (uint256) {
        (uint256 b, uint256 q, uint256 b0, uint256 q0) = (v[0], v[1], v[2], v[3]);
        uint256 ref = FullMath.mulDiv(price.num, WAD, price.den, false);
        if (b < b0) {
            return FullMath.mulDiv(ref, WAD - k + FullMath.mulDiv(k * b0, b0, b * b, false), WAD, false);
        }
        if (q < q0) {
            return FullMath.mulDiv(ref, WAD, WAD - k + FullMath.mulDiv(k * q0, q0, q * q, false), false);
        }
        return ref;
    }

    /// @notice Mid price of the pool in WAD (whole quote tokens per whole base token).
    function midPrice(PoolMath memory p) internal pure returns (uint256) {
        (uint256 b0, uint256 q0) = targets(p);
        return midAt([p.baseReserve * p.baseScale, p.quoteReserve * p.quoteScale, b0, q0], p.price, p.k);
    }

    /// @notice Imbalance of the pool in WAD: the short side's deficit at the price over the target value.
    function imbalance(PoolMath memory p) internal pure returns (uint256) {
        (uint256 b0, uint256 q0) = targets(p);
        uint256 b = p.baseReserve * p.baseScale;
        uint256 q = p.quoteReserve * p.quoteScale;
        return FullMath.mulDiv(deficitInQuote(b, q, b0, q0, p.price), WAD, targetValue(b0, q0, p.price), false);
    }

    // -----------------------------------------------------------------------------------
    // Swaps
    // -----------------------------------------------------------------------------------

    /// @dev The curve move of an exact-in swap whose input side is short: a leg toward its target or,
    ///      from the amount to equilibrium on, a crossing into the other region.
    function curveToward(Oriented memory o, PoolMath memory p, uint256 a) private pure returns (CurveMove memory m) {
        // The input side's target with 18 more digits (DESIGN §7): the amount to equilibrium and
        // the rest past it are not rounded to whole scaled units, which at extreme prices or tiny
        // reserves would cost the trader far more than the vectors' tolerance.
        uint256 tUpWad = inTargetWad(o, p, true);
        uint256 tDownWad = inTargetWad(o, p, false);
        uint256 toEqWad = tUpWad - o.rIn * WAD;
        uint256 surplus = outSurplus(o);
        m.tInBefore = tDownWad / WAD;
        m.tOutBefore = o.tOut;
        m.tOutAfter = o.tOut;
        if (a * WAD < toEqWad) {
            // A leg toward the input side's target, priced with that target rounded down
            // and never paying more than the long side's surplus.
            uint256 legCost = legWadAt(tDownWad, o.rIn, o.rIn + a, p.k, false);
            uint256 out = convertWad(legCost, p.price, o.inIsBase, false);
            m.grossOut = out < surplus ? out : surplus;
            m.tInAfter = m.tInBefore;
            return m;
        }
        // Crossing: the whole surplus to reach equilibrium, then the output side falls, priced with
        // the queued k if there is one (it takes effect at equilibrium).
        uint256 restWad = a * WAD - toEqWad;
        m.tInAfter = FullMath.div(tUpWad, WAD, true);
        m.reachedEq = true;
        if (restWad == 0) {
            m.grossOut = surplus;
            return m;
        }
        uint256 pay = convertWad(restWad, p.price, o.inIsBase, false);
        uint256 r2 = solveReserve(o.tOut, o.tOut, pay, p.kNext, true);
        if (r2 == 0) revert InsufficientLiquidity();
        // Dust past equilibrium (DESIGN §7): the rest pays nothing more, it is not refused, and the
        // swap lands on equilibrium as if it were exactly the amount to it (a fractional rest is the
        // rule, not the exception, now that the amount to equilibrium has 18 more digits).
        uint256 beyond = r2 < o.tOut ? o.tOut - r2 : 0;
        m.grossOut = surplus + beyond;
        m.longIsIn = beyond > 0;
        return m;
    }

    /// @dev The curve move of an exact-in swap of `a` scaled units, before fees.
    function curveExactIn(Oriented memory o, PoolMath memory p, uint256 a) private pure returns (CurveMove memory m) {
        if (o.inShort) return curveToward(o, p, a);
        // The output side is short (or the pool is at ONE) and falls further from its target.
        bool one = p.region == Region.ONE;
        uint256 tIn = one ? o.rIn : o.tIn;
        uint256 up = one ? o.rOut : outTarget(o, p, true);
        uint256 k = one ? p.kNext : p.k;
        uint256 r = solveReserve(up, o.rOut, convert(a, p.price, o.inIsBase, false), k, true);
        if (r == 0) revert InsufficientLiquidity();
        // Dust (DESIGN §7): an input too small to move the reserve by a unit quotes 0, which the
        // pool's swap refuses as InsufficientOutput; only draining the reserve is refused here.
        m.grossOut = r < o.rOut ? o.rOut - r : 0;
        m.tInBefore = tIn;
        m.tOutBefore = one ? o.rOut : outTarget(o, p, false);
        m.tInAfter = tIn;
        m.tOutAfter = up;
        m.longIsIn = true;
        m.reachedEq = one;
    }

    /// @dev Whether some input can pay out `g` scaled units of the output side.
    function reachable(Oriented memory o, uint256 g) private pure returns (bool) {
        if (!o.inShort) return g < o.rOut;
        uint256 surplus = outSurplus(o);
        return g <= surplus || g - surplus < o.tOut;
    }

    /// @notice Exact-out's guess: the scaled input whose curve move pays out `g` scaled units of the output
    ///         side before the fee, rounded up, so never below the exact input (a first attempt that pays).
    function inputForGross(PoolMath memory p, Side side, uint256 g) internal pure returns (uint256) {
        return curveInputFor(orient(p, side), p, g);
    }

    /// @dev Scaled input that moves the curve far enough to pay out `g` scaled units, rounded up.
    function curveInputFor(Oriented memory o, PoolMath memory p, uint256 g) private pure returns (uint256) {
        if (!reachable(o, g)) revert InsufficientLiquidity();
        if (o.inShort) {
            uint256 surplus = outSurplus(o);
            if (g <= surplus) {
                // The target rounded down to a whole unit: the root then asks for at least the input
                // that the exact-in leg (priced with the finer target) needs.
                uint256 leg = convert(g, p.price, !o.inIsBase, true);
                uint256 tDown = inTargetWad(o, p, false) / WAD;
                return solveReserve(tDown, o.rIn, leg, p.k, false) - o.rIn;
            }
            // Crossing: the amount to equilibrium and the leg past it, both with 18 more digits.
            uint256 legOut = legWad(o.tOut, o.tOut, o.tOut - (g - surplus), p.kNext, true);
            uint256 toEqWad = inTargetWad(o, p, true) - o.rIn * WAD;
            return FullMath.div(toEqWad + convert(legOut, p.price, !o.inIsBase, true), WAD, true);
        }
        bool one = p.region == Region.ONE;
        uint256 t = one ? o.rOut : outTarget(o, p, true);
        uint256 k = one ? p.kNext : p.k;
        return convertWad(legWad(t, o.rOut, o.rOut - g, k, true), p.price, !o.inIsBase, true);
    }

    /// @notice Quotes an exact-input swap of `amountIn` raw units: the raw output after the fee,
    ///         the fee, imbalance and mid price before and after, and the pool state it leaves.
    function quoteExactIn(PoolMath memory p, Side side, uint256 amountIn) internal pure returns (SwapQuote memory q) {
        (q, ) = exactIn(p, orient(p, side), amountIn, true);
    }

    /// @notice quoteExactIn for execution: the same computation and the same values in every field
    ///         but `imbalanceBefore` and `midPriceBefore`, which it leaves zero (only quotes report them;
    ///         neither feeds any other field).
    function swapExactIn(PoolMath memory p, Side side, uint256 amountIn) internal pure returns (SwapQuote memory q) {
        (q, ) = exactIn(p, orient(p, side), amountIn, false);
    }

    /// @dev quoteExactIn on an oriented view, also returning the scaled gross output; `full` fills
    ///      the before-swap imbalance and mid price too.
    function exactIn(
        PoolMath memory p,
        Oriented memory o,
        uint256 amountIn,
        bool full
    ) private pure returns (SwapQuote memory q, uint256 grossScaled) {
        if (amountIn == 0) revert ZeroAmount();
        uint256 a = amountIn * o.scaleIn;
        CurveMove memory m = curveExactIn(o, p, a);
        grossScaled = m.grossOut;
        q.amountIn = amountIn;
        _priceAndFee(p, o, m, a, q);
        if (full) _beforeSwap(p, o, m, q);
        _settle(p, o, m, q);
    }

    /// @dev The imbalance and mid price before the swap (quotes only; no other field depends on them).
    function _beforeSwap(PoolMath memory p, Oriented memory o, CurveMove memory m, SwapQuote memory q) private pure {
        uint256[4] memory before = _absolute(o, o.rIn, o.rOut, m.tInBefore, m.tOutBefore);
        uint256 value = targetValue(before[2], before[3], p.price);
        uint256 deficitBefore = deficitInQuote(before[0], before[1], before[2], before[3], p.price);
        q.imbalanceBefore = FullMath.mulDiv(deficitBefore, WAD, value, false);
        q.midPriceBefore = midAt(before, p.price, p.k);
    }

    /// @dev Imbalance after, fee and mid price after of a curve move; fills the amounts of `q`.
    function _priceAndFee(
        PoolMath memory p,
        Oriented memory o,
        CurveMove memory m,
        uint256 a,
        SwapQuote memory q
    ) private pure {
        uint256[4] memory before = _absolute(o, o.rIn, o.rOut, m.tInBefore, m.tOutBefore);
        uint256[4] memory after_ = _absolute(o, o.rIn + a, o.rOut - m.grossOut, m.tInAfter, m.tOutAfter);
        uint256 value = targetValue(before[2], before[3], p.price);
        uint256 deficitAfter = deficitInQuote(after_[0], after_[1], after_[2], after_[3], p.price);
        q.imbalanceAfter = FullMath.mulDiv(deficitAfter, WAD, value, false);
        q.midPriceAfter = midAt(after_, p.price, m.reachedEq ? p.kNext : p.k);

        uint256 fee;
        (fee, q.feePips) = swapFee(p, o, m, value);
        q.grossOut = m.grossOut / o.scaleOut;
        q.amountOut = (m.grossOut - fee) / o.scaleOut;
        q.feeAmount = q.grossOut - q.amountOut;
        q.protocolFee = FullMath.mulDiv(q.feeAmount, p.protocolShare, PIPS, false);
    }

    /// @dev The pool state after the swap: the fee stays in the reserves but the protocol's part. A queued k
    ///      takes effect when the swap reached equilibrium on the curve or leaves the pool in region ONE.
    function _settle(PoolMath memory p, Oriented memory o, CurveMove memory m, SwapQuote memory q) private pure {
        uint256 inAfter = (o.inIsBase ? p.baseReserve : p.quoteReserve) + q.amountIn;
        uint256 outAfter = (o.inIsBase ? p.quoteReserve : p.baseReserve) - q.amountOut - q.protocolFee;
        (q.baseReserveAfter, q.quoteReserveAfter) = o.inIsBase ? (inAfter, outAfter) : (outAfter, inAfter);
        bool longIsBase = m.longIsIn == o.inIsBase;
        uint256 longTarget = m.longIsIn ? m.tInAfter : m.tOutAfter;
        uint256 longReserve = longIsBase ? q.baseReserveAfter * p.baseScale : q.quoteReserveAfter * p.quoteScale;
        if (longReserve > longTarget) {
            q.regionAfter = longIsBase ? Region.B : Region.A;
            q.baseTargetAfter = longIsBase ? longTarget : p.baseTarget;
            q.quoteTargetAfter = longIsBase ? p.quoteTarget : longTarget;
        } else {
            q.regionAfter = Region.ONE;
            q.baseTargetAfter = q.baseReserveAfter * p.baseScale;
            q.quoteTargetAfter = q.quoteReserveAfter * p.quoteScale;
        }
        q.kAfter = m.reachedEq || q.regionAfter == Region.ONE ? p.kNext : p.k;
    }

    /// @dev [base, quote, baseTarget, quoteTarget] from oriented amounts.
    function _absolute(
        Oriented memory o,
        uint256 rIn,
        uint256 rOut,
        uint256 tIn,
        uint256 tOut
    ) private pure returns (uint256[4] memory v) {
        v = o.inIsBase ? [rIn, rOut, tIn, tOut] : [rOut, rIn, tOut, tIn];
    }

    /// @dev What the fee of a gross output depends on besides the gross, the same for every input on the swap's
    ///      path (as curveExactIn sets them): the output side's target after the swap, the target value before.
    function grossContext(
        Oriented memory o,
        PoolMath memory p
    ) private pure returns (uint256 tOutAfter, uint256 value) {
        uint256 tIn;
        uint256 tOut;
        if (o.inShort) {
            // toward the input side's target (its whole units rounded down), or across it
            (tIn, tOut, tOutAfter) = (inTargetWad(o, p, false) / WAD, o.tOut, o.tOut);
        } else if (p.region == Region.ONE) {
            (tIn, tOut, tOutAfter) = (o.rIn, o.rOut, o.rOut);
        } else {
            (tIn, tOut, tOutAfter) = (o.tIn, outTarget(o, p, false), outTarget(o, p, true));
        }
        value = o.inIsBase ? targetValue(tIn, tOut, p.price) : targetValue(tOut, tIn, p.price);
    }

    /// @dev The least gross output g (scaled) whose net of the fee pays `net` scaled units: g - fee(g) >= net,
    ///      the fee as the exact-in quote charges it (DESIGN §2). The effective rate r(g) = total(g) / (1e24 g)
    ///      does not fall as g grows, so g' = ceil(net / (1 - r(g))) from g = net climbs to that least g
    ///      without passing it (each step is the least g that pays at a rate no higher than the true one). A g
    ///      that does not pay has g - total / 1e24 <= g - fee < net, so the next step is strictly larger: the
    ///      climb always moves, and the fee's rounding up needs no step of its own. Past GROSS_STEPS (a rate
    ///      that keeps moving) it settles for the gross that pays at the highest rate any volume pays.
    function leastGross(PoolMath memory p, Oriented memory o, uint256 net) private pure returns (uint256) {
        (uint256 tOutAfter, uint256 value) = grossContext(o, p);
        uint256 g = net;
        for (uint256 step; step < GROSS_STEPS; ++step) {
            if (!reachable(o, g)) return g; // the caller refuses it
            (uint256 total, ) = feeTotal(p, o, g, tOutAfter, value);
            if (g - FullMath.div(total, PIPS * WAD, true) >= net) return g;
            g = FullMath.mulDiv(net, PIPS * WAD * g, PIPS * WAD * g - total, true); // > g (see above)
        }
        return FullMath.div(net * PIPS, PIPS - maxRate(p), true);
    }

    /// @dev The most the fee of a gross `g` (scaled output units) can step up from one unit of its mean surge
    ///      rate's rounding: `awayRateWad` rounds the ramp's fraction up, and one unit of that fraction is worth
    ///      (fHi - fLo) / (PIPS * WAD) of the whole gross; plus one for the fee's own rounding up. Because of
    ///      it a larger gross can net less than a smaller one (by at most this much), so exact-out's retry pads
    ///      by it too.
    function feeStep(PoolMath memory p, uint256 g) private pure returns (uint256) {
        (uint256 fLo, uint256 fHi) = awayRates(p);
        return FullMath.mulDiv(fHi - fLo, g, PIPS * WAD, true) + 1;
    }

    /// @notice Exact-out's first step: the least gross output (scaled units) whose net of the fee pays `net`
    ///         scaled units of the output side.
    function grossForNet(PoolMath memory p, Side side, uint256 net) internal pure returns (uint256) {
        return leastGross(p, orient(p, side), net);
    }

    /// @notice The fee, in scaled output units rounded up, that a swap paying a gross output of `g` scaled
    ///         units is charged (as the exact-in quote charges it).
    function feeOfGross(PoolMath memory p, Side side, uint256 g) internal pure returns (uint256) {
        Oriented memory o = orient(p, side);
        (uint256 tOutAfter, uint256 value) = grossContext(o, p);
        (uint256 total, ) = feeTotal(p, o, g, tOutAfter, value);
        return FullMath.div(total, PIPS * WAD, true);
    }

    /// @notice Quotes the least input that yields at least `amountOut` raw units.
    /// @dev Checked by the exact-in quote itself, so swapping the returned amountIn exact-in pays at least
    ///      amountOut. The gross output that pays amountOut after the fee comes from `leastGross`, the input
    ///      for it from exact-out's guess (`inputForGross`, never below the exact input). Where that input
    ///      nets less than amountOut, the retry asks again from the larger of the gross asked and the gross
    ///      paid, plus a pad that at least doubles each round and covers both the curve's rounding (the
    ///      shortfall of the gross paid below the gross asked) and the fee's step (`feeStep`: the mean surge
    ///      rate is rounded up, so a larger gross can net a little less), then the exact-in check runs again.
    function quoteExactOut(PoolMath memory p, Side side, uint256 amountOut) internal pure returns (SwapQuote memory) {
        if (amountOut == 0) revert ZeroAmount();
        if (maxRate(p) >= PIPS) revert InsufficientLiquidity();
        Oriented memory o = orient(p, side);
        uint256 g = leastGross(p, o, amountOut * o.scaleOut);
        uint256 pad;
        for (uint256 round; round < EXACT_OUT_ROUNDS; ++round) {
            if (!reachable(o, g)) revert InsufficientLiquidity();
            uint256 amountIn = FullMath.div(curveInputFor(o, p, g), o.scaleIn, true);
            (SwapQuote memory q, uint256 grossScaled) = exactIn(p, o, amountIn, true);
            if (q.amountOut >= amountOut) return q;
            pad = pad * 2 + (g > grossScaled ? g - grossScaled : 1) + feeStep(p, grossScaled);
            g = (g > grossScaled ? g : grossScaled) + pad;
        }
        revert ExactOutUnreachable();
    }
}
