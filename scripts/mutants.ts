/**
 * The mutants of `scripts/mutate.ts`: flips of rounding flags (`true`/`false`, `up`/`!up`, Ceil/Floor)
 * and of comparisons (`<`/`<=`, `>`/`>=`) in the math and liquidity code. Each is located by a snippet
 * that must occur exactly once in its file (the script refuses to run when one no longer does: update
 * the snippet, or drop the mutant if the code it tested is gone).
 */
export interface Mutant {
  id: string;
  file: string;
  /** What the flip means, for the report. */
  what: string;
  find: string;
  replace: string;
  /** Why the flip cannot change any result (proved by reading the code); such mutants are listed, not run. */
  equivalent?: string;
}

const TAU_TIE =
  "at surplusAfter * WAD == tau * value the surge branch adds mulDiv(maxFee - baseFee, 0, ..., up) = 0: the fee is baseFee either way (for tau < 1e18, which the pool enforces)";

const FULL = "contracts/libraries/FullMath.sol";
const SKEW = "contracts/libraries/SkewMath.sol";
const LIQ = "contracts/pool/LiquidityLogic.sol";
const SDK = "sdk/math.ts";

export const MUTANTS: Mutant[] = [
  // FullMath: the rounding helpers everything else relies on.
  {
    id: "F01",
    file: FULL,
    what: "mulDiv (256-bit path) rounds up when asked to round down",
    find: "if (up) {",
    replace: "if (!up) {",
  },
  {
    id: "F02",
    file: FULL,
    what: "mulDiv (512-bit path) rounding flipped",
    find: "return Math.mulDiv(x, y, d, up ? Math.Rounding.Ceil : Math.Rounding.Floor);",
    replace: "return Math.mulDiv(x, y, d, up ? Math.Rounding.Floor : Math.Rounding.Ceil);",
  },
  {
    id: "F03",
    file: FULL,
    what: "div rounding flipped",
    find: "return up ? Math.ceilDiv(x, d) : x / d;",
    replace: "return up ? x / d : Math.ceilDiv(x, d);",
  },
  {
    id: "F04",
    file: FULL,
    what: "sqrt rounding flipped",
    find: "return Math.sqrt(x, up ? Math.Rounding.Ceil : Math.Rounding.Floor);",
    replace: "return Math.sqrt(x, up ? Math.Rounding.Floor : Math.Rounding.Ceil);",
  },
  {
    id: "F05",
    file: FULL,
    what: "sqrtSquarePlus (above 2^256) rounding flipped",
    find: "if (up) ++r;",
    replace: "if (!up) ++r;",
  },
  {
    id: "F06",
    file: FULL,
    what: "sqrtSquarePlus carry: < becomes <=",
    find: "if (sum < lo) ++hi;",
    replace: "if (sum <= lo) ++hi;",
  },

  // SkewMath: the short-side target.
  {
    id: "S01",
    file: SKEW,
    what: "shortTarget: 4kdR term rounding flipped",
    find: "FullMath.mulDiv(surplus, 4 * k * reserve, WAD, !up)",
    replace: "FullMath.mulDiv(surplus, 4 * k * reserve, WAD, up)",
  },
  {
    id: "S02",
    file: SKEW,
    what: "shortTarget: root rounding flipped",
    find: "FullMath.sqrt(reserve * reserve + e, !up)",
    replace: "FullMath.sqrt(reserve * reserve + e, up)",
  },
  {
    id: "S03",
    file: SKEW,
    what: "shortTarget: quotient rounding flipped",
    find: "FullMath.mulDiv(2 * surplus, reserve, reserve + root, up)",
    replace: "FullMath.mulDiv(2 * surplus, reserve, reserve + root, !up)",
  },
  // The leg cost and the quadratic.
  {
    id: "S04",
    file: SKEW,
    what: "legWad: curved term rounding flipped",
    find: "FullMath.mulDiv(delta * k, t * t, r1 * r2, up)",
    replace: "FullMath.mulDiv(delta * k, t * t, r1 * r2, !up)",
  },
  {
    id: "S05",
    file: SKEW,
    what: "solveReserve: k t^2 / r1 rounds up",
    find: "FullMath.mulDiv(k * t, t, r1 * WAD, false)",
    replace: "FullMath.mulDiv(k * t, t, r1 * WAD, true)",
  },
  {
    id: "S06",
    file: SKEW,
    what: "solveReserve: (1-k) r1 rounds down",
    find: "FullMath.mulDiv(WAD - k, r1, WAD, true)",
    replace: "FullMath.mulDiv(WAD - k, r1, WAD, false)",
  },
  {
    id: "S07",
    file: SKEW,
    what: "solveReserve: c rounding flipped",
    find: "WAD * WAD, pos <= neg)",
    replace: "WAD * WAD, pos > neg)",
  },
  {
    id: "S08",
    file: SKEW,
    what: "solveReserve: b > 0 branch taken at b = 0",
    find: "if (pos > neg) {",
    replace: "if (pos >= neg) {",
  },
  {
    id: "S09",
    file: SKEW,
    what: "solveReserve (b > 0): root rounds up",
    find: "b + FullMath.sqrtSquarePlus(b, c, false)",
    replace: "b + FullMath.sqrtSquarePlus(b, c, true)",
  },
  {
    id: "S10",
    file: SKEW,
    what: "solveReserve (b > 0): 2kt^2 rounds down",
    find: "FullMath.mulDiv(t * t, 2 * k, WAD, true), den, true)",
    replace: "FullMath.mulDiv(t * t, 2 * k, WAD, false), den, true)",
  },
  {
    id: "S11",
    file: SKEW,
    what: "solveReserve (b > 0): quotient rounds down",
    find: "FullMath.mulDiv(t * t, 2 * k, WAD, true), den, true)",
    replace: "FullMath.mulDiv(t * t, 2 * k, WAD, true), den, false)",
  },
  {
    id: "S12",
    file: SKEW,
    what: "solveReserve (b <= 0): root rounds down",
    find: "nb + FullMath.sqrtSquarePlus(nb, c, true)",
    replace: "nb + FullMath.sqrtSquarePlus(nb, c, false)",
  },
  {
    id: "S13",
    file: SKEW,
    what: "solveReserve (b <= 0): quotient rounds down",
    find: "FullMath.mulDiv(top, WAD, 2 * (WAD - k), true)",
    replace: "FullMath.mulDiv(top, WAD, 2 * (WAD - k), false)",
  },
  // Imbalance and fee.
  {
    id: "S14",
    file: SKEW,
    what: "targets (region A): surplus in base rounds up",
    find: "return (shortTarget(b, convert(surplus, p.price, false, false), p.k, false), p.quoteTarget);",
    replace: "return (shortTarget(b, convert(surplus, p.price, false, true), p.k, false), p.quoteTarget);",
  },
  {
    id: "S15",
    file: SKEW,
    what: "targets (region B): derived target rounds up",
    find: "return (p.baseTarget, shortTarget(q, convert(surplus, p.price, true, false), p.k, false));",
    replace: "return (p.baseTarget, shortTarget(q, convert(surplus, p.price, true, false), p.k, true));",
  },
  {
    id: "S16",
    file: SKEW,
    what: "surplusInQuote: base surplus in quote rounds down",
    find: "if (b > b0) return convert(b - b0, price, true, true);",
    replace: "if (b > b0) return convert(b - b0, price, true, false);",
  },
  {
    id: "S17",
    file: SKEW,
    what: "targetValue: p B0 rounds up",
    find: "return q0 + convert(b0, price, true, false);",
    replace: "return q0 + convert(b0, price, true, true);",
  },
  {
    id: "S18",
    file: SKEW,
    what: "surgeFee: base fee only while the imbalance falls (<= becomes <)",
    find: "if (surplusAfter <= surplusBefore) return baseFee;",
    replace: "if (surplusAfter < surplusBefore) return baseFee;",
  },
  {
    id: "S19",
    file: SKEW,
    what: "surgeFee: surge starts at tau (<= becomes <)",
    find: "if (surplusAfter * WAD <= tau * value) return baseFee;",
    replace: "if (surplusAfter * WAD < tau * value) return baseFee;",
    equivalent: TAU_TIE,
  },
  {
    id: "S20",
    file: SKEW,
    what: "surgeFee: surge rounds down",
    find: "(WAD - tau) * value, true);",
    replace: "(WAD - tau) * value, false);",
  },
  // The curve move of an exact-in swap.
  {
    id: "S21",
    file: SKEW,
    what: "crossing: amount to equilibrium from the target rounded down",
    find: "uint256 tUp = inTarget(o, p, true);",
    replace: "uint256 tUp = inTarget(o, p, false);",
  },
  {
    id: "S22",
    file: SKEW,
    what: "leg toward target: priced with the target rounded up",
    find: "uint256 tDown = inTarget(o, p, false);",
    replace: "uint256 tDown = inTarget(o, p, true);",
  },
  {
    id: "S23",
    file: SKEW,
    what: "crossing starts one unit early (< becomes <=)",
    find: "if (a < toEq) {",
    replace: "if (a <= toEq) {",
  },
  {
    id: "S24",
    file: SKEW,
    what: "leg toward target: cost rounds up",
    find: "legWad(tDown, o.rIn, o.rIn + a, p.k, false), p.price, o.inIsBase, false)",
    replace: "legWad(tDown, o.rIn, o.rIn + a, p.k, true), p.price, o.inIsBase, false)",
  },
  {
    id: "S25",
    file: SKEW,
    what: "leg toward target: output conversion rounds up",
    find: "legWad(tDown, o.rIn, o.rIn + a, p.k, false), p.price, o.inIsBase, false)",
    replace: "legWad(tDown, o.rIn, o.rIn + a, p.k, false), p.price, o.inIsBase, true)",
  },
  {
    id: "S26",
    file: SKEW,
    what: "crossing: rest converted rounding up",
    find: "convert(rest, p.price, o.inIsBase, false)",
    replace: "convert(rest, p.price, o.inIsBase, true)",
  },
  {
    id: "S27",
    file: SKEW,
    what: "crossing: a reserve left at its target is accepted (>= becomes >)",
    find: "if (r2 == 0 || r2 >= o.tOut) revert InsufficientLiquidity();",
    replace: "if (r2 == 0 || r2 > o.tOut) revert InsufficientLiquidity();",
  },
  {
    id: "S28",
    file: SKEW,
    what: "away from target: output side's target rounded down",
    find: "uint256 up = one ? o.rOut : outTarget(o, p, true);",
    replace: "uint256 up = one ? o.rOut : outTarget(o, p, false);",
  },
  {
    id: "S29",
    file: SKEW,
    what: "away from target: input converted rounding up",
    find: "convert(a, p.price, o.inIsBase, false), p.k, true);",
    replace: "convert(a, p.price, o.inIsBase, true), p.k, true);",
  },
  {
    id: "S30",
    file: SKEW,
    what: "away from target: an unmoved reserve is accepted (>= becomes >)",
    find: "if (r == 0 || r >= o.rOut) revert InsufficientLiquidity();",
    replace: "if (r == 0 || r > o.rOut) revert InsufficientLiquidity();",
  },
  {
    id: "S31",
    file: SKEW,
    what: "away from target: target before the swap rounded up",
    find: "m.tOutBefore = one ? o.rOut : outTarget(o, p, false);",
    replace: "m.tOutBefore = one ? o.rOut : outTarget(o, p, true);",
  },
  {
    id: "S32",
    file: SKEW,
    what: "reachable (away): the whole reserve counts as reachable",
    find: "if (!o.inShort) return g < o.rOut;",
    replace: "if (!o.inShort) return g <= o.rOut;",
  },
  {
    id: "S33",
    file: SKEW,
    what: "reachable (crossing): the whole target counts as reachable",
    find: "return g <= surplus || g - surplus < o.tOut;",
    replace: "return g <= surplus || g - surplus <= o.tOut;",
  },
  // Exact-out inputs.
  {
    id: "S34",
    file: SKEW,
    what: "exact-out toward target: output converted rounding down",
    find: "uint256 leg = convert(g, p.price, !o.inIsBase, true);",
    replace: "uint256 leg = convert(g, p.price, !o.inIsBase, false);",
  },
  {
    id: "S35",
    file: SKEW,
    what: "exact-out crossing: leg cost rounds down",
    find: "legWad(o.tOut, o.tOut, o.tOut - (g - surplus), p.k, true)",
    replace: "legWad(o.tOut, o.tOut, o.tOut - (g - surplus), p.k, false)",
  },
  {
    id: "S36",
    file: SKEW,
    what: "exact-out crossing: amount to equilibrium from the target rounded down",
    find: "return inTarget(o, p, true) - o.rIn + convertWad(legOut, p.price, !o.inIsBase, true);",
    replace: "return inTarget(o, p, false) - o.rIn + convertWad(legOut, p.price, !o.inIsBase, true);",
  },
  {
    id: "S37",
    file: SKEW,
    what: "exact-out away: input rounds down",
    find: "return convertWad(legWad(t, o.rOut, o.rOut - g, p.k, true), p.price, !o.inIsBase, true);",
    replace: "return convertWad(legWad(t, o.rOut, o.rOut - g, p.k, true), p.price, !o.inIsBase, false);",
  },
  {
    id: "S38",
    file: SKEW,
    what: "exact-out: raw input from scaled rounds down",
    find: "FullMath.div(curveInputFor(o, p, gross), o.scaleIn, true)",
    replace: "FullMath.div(curveInputFor(o, p, gross), o.scaleIn, false)",
  },
  // Net output and the state left behind.
  {
    id: "S39",
    file: SKEW,
    what: "net output after fee rounds up",
    find: "FullMath.mulDiv(m.grossOut, PIPS - q.feePips, PIPS * o.scaleOut, false)",
    replace: "FullMath.mulDiv(m.grossOut, PIPS - q.feePips, PIPS * o.scaleOut, true)",
  },
  {
    id: "S40",
    file: SKEW,
    what: "settle: long reserve equal to its target stays off ONE (> becomes >=)",
    find: "if (longReserve > longTarget) {",
    replace: "if (longReserve >= longTarget) {",
  },
  {
    id: "S41",
    file: SKEW,
    what: "exact-out: accepts an output one wei short (>= becomes >)",
    find: "if (q.amountOut >= amountOut) return q;",
    replace: "if (q.amountOut > amountOut) return q;",
  },

  // LiquidityLogic: deposits, withdrawals and the target rescale.
  {
    id: "L01",
    file: LIQ,
    what: "rescale: base target rounds down",
    find: "Math.mulDiv(t.base, newSupply, oldSupply, Math.Rounding.Ceil)",
    replace: "Math.mulDiv(t.base, newSupply, oldSupply, Math.Rounding.Floor)",
  },
  {
    id: "L02",
    file: LIQ,
    what: "rescale: quote target rounds down",
    find: "Math.mulDiv(t.quote, newSupply, oldSupply, Math.Rounding.Ceil)",
    replace: "Math.mulDiv(t.quote, newSupply, oldSupply, Math.Rounding.Floor)",
  },
  {
    id: "L03",
    file: LIQ,
    what: "rescale (region A): quote target equal to the reserve stays in A (< becomes <=)",
    find: "region == Region.A ? quoteTarget < scaledQuote",
    replace: "region == Region.A ? quoteTarget <= scaledQuote",
  },
  {
    id: "L04",
    file: LIQ,
    what: "rescale (region B): base target equal to the reserve stays in B (< becomes <=)",
    find: ": baseTarget < scaledBase;",
    replace: ": baseTarget <= scaledBase;",
  },
  {
    id: "L05",
    file: LIQ,
    what: "deposit pulls base rounded down",
    find: "Math.mulDiv(wanted, r.base, supply, Math.Rounding.Ceil)",
    replace: "Math.mulDiv(wanted, r.base, supply, Math.Rounding.Floor)",
  },
  {
    id: "L06",
    file: LIQ,
    what: "deposit pulls quote rounded down",
    find: "Math.mulDiv(wanted, r.quote, supply, Math.Rounding.Ceil)",
    replace: "Math.mulDiv(wanted, r.quote, supply, Math.Rounding.Floor)",
  },
  {
    id: "L07",
    file: LIQ,
    what: "deposit mints base-side shares rounded up",
    find: "shares = Math.min(Math.mulDiv(baseIn, supply, r.base),",
    replace: "shares = Math.min(Math.mulDiv(baseIn, supply, r.base, Math.Rounding.Ceil),",
  },
  {
    id: "L08",
    file: LIQ,
    what: "withdraw pays base rounded up",
    find: "baseOut = Math.mulDiv(shares, r.base, supply);",
    replace: "baseOut = Math.mulDiv(shares, r.base, supply, Math.Rounding.Ceil);",
  },
  {
    id: "L09",
    file: LIQ,
    what: "withdraw pays quote rounded up",
    find: "quoteOut = Math.mulDiv(shares, r.quote, supply);",
    replace: "quoteOut = Math.mulDiv(shares, r.quote, supply, Math.Rounding.Ceil);",
  },
  {
    id: "L10",
    file: LIQ,
    what: "first deposit: shares rounded up",
    find: "shares = Math.sqrt(scaledBase * scaledQuote);",
    replace: "shares = Math.sqrt(scaledBase * scaledQuote, Math.Rounding.Ceil);",
  },
  {
    id: "L11",
    file: LIQ,
    what: "first deposit: exactly the locked minimum is accepted (<= becomes <)",
    find: "if (shares <= MINIMUM_LIQUIDITY)",
    replace: "if (shares < MINIMUM_LIQUIDITY)",
  },
  {
    id: "L12",
    file: LIQ,
    what: "minShares: exactly the minimum is refused (< becomes <=)",
    find: "if (shares < lim.minShares)",
    replace: "if (shares <= lim.minShares)",
  },

  // sdk/math.ts, the bigint mirror (the math tests require it to equal the contracts to the wei).
  {
    id: "D01",
    file: SDK,
    what: "shortTarget: root rounding flipped",
    find: "sqrt(u256(reserve * reserve + e), !up)",
    replace: "sqrt(u256(reserve * reserve + e), up)",
  },
  {
    id: "D02",
    file: SDK,
    what: "shortTarget: quotient rounding flipped",
    find: "reserve, u256(reserve + root), up)",
    replace: "reserve, u256(reserve + root), !up)",
  },
  {
    id: "D03",
    file: SDK,
    what: "legWad: curved term rounding flipped",
    find: "u256(r1 * r2), up);",
    replace: "u256(r1 * r2), !up);",
  },
  {
    id: "D04",
    file: SDK,
    what: "solveReserve: c rounding flipped",
    find: "WAD * WAD, pos <= neg);",
    replace: "WAD * WAD, pos > neg);",
  },
  {
    id: "D05",
    file: SDK,
    what: "solveReserve (b <= 0): root rounds down",
    find: "sqrtSquarePlus(nb, c, true)",
    replace: "sqrtSquarePlus(nb, c, false)",
  },
  {
    id: "D06",
    file: SDK,
    what: "crossing starts one unit early (< becomes <=)",
    find: "if (a < toEq) {",
    replace: "if (a <= toEq) {",
  },
  {
    id: "D07",
    file: SDK,
    what: "crossing: amount to equilibrium from the target rounded down",
    find: "const tUp = inTarget(o, p, true);",
    replace: "const tUp = inTarget(o, p, false);",
  },
  {
    id: "D08",
    file: SDK,
    what: "surgeFee: surge starts at tau (<= becomes <)",
    find: "if (u256(surplusAfter * WAD) <= u256(tau * value)) return baseFee;",
    replace: "if (u256(surplusAfter * WAD) < u256(tau * value)) return baseFee;",
    equivalent: TAU_TIE,
  },
  {
    id: "D09",
    file: SDK,
    what: "net output after fee rounds up",
    find: "mulDiv(m.grossOut, PIPS - feePips, u256(PIPS * o.scaleOut), false)",
    replace: "mulDiv(m.grossOut, PIPS - feePips, u256(PIPS * o.scaleOut), true)",
  },
  {
    id: "D10",
    file: SDK,
    what: "settle: long reserve equal to its target stays off ONE (> becomes >=)",
    find: "if (longReserve > longTarget) {",
    replace: "if (longReserve >= longTarget) {",
  },
  {
    id: "D11",
    file: SDK,
    what: "surplusInQuote: base surplus in quote rounds down",
    find: "if (b > b0) return convert(b - b0, price, true, true);",
    replace: "if (b > b0) return convert(b - b0, price, true, false);",
  },
  {
    id: "D12",
    file: SDK,
    what: "exact-out: accepts an output one wei short (>= becomes >)",
    find: "if (r.quote.amountOut >= amountOut) return r.quote;",
    replace: "if (r.quote.amountOut > amountOut) return r.quote;",
  },
];
