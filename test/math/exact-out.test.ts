import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  derivedTargetWad,
  feeOfGross,
  grossForNet,
  inputForGross,
  InsufficientLiquidityError,
  quoteExactIn,
  Region,
  WAD,
  type PoolMath,
  type SwapSide,
} from "../../sdk/math";
import { ruleInputAtMost } from "../../spec/model/exact";
import { Fraction } from "../../spec/model/fraction";
import type { SwapInput } from "../../spec/model/rules";
import { amountArb, inputAmount, poolArb, sideArb } from "../helpers/arbitraries";
import { deployHarness, sideId, toSol } from "../helpers/harness";

/**
 * Exact-out's guess, `inputForGross` (SkewMath and sdk/math): the scaled input whose curve move pays out a
 * gross of g scaled units before the fee, rounded up. quoteExactOut re-checks the guess with the exact-in
 * quote, so a guess below exact costs no money, only extra attempts; its contract is still "never below
 * the exact input", which is what lets the first attempt pay. Judged against the exact model
 * (spec/model `Rules.inputFor`) on crossings and on legs away from the target.
 *
 * The second property builds the cases where that contract is tight: it moves the price, with 40 more
 * digits than a scaled unit, to just past where the exact input crosses a whole unit, so every rounding
 * of the guess must go up for it to stay at or above exact. A guess whose amount to equilibrium, leg cost,
 * or leg conversion rounds down fails there (scripts/mutants.ts S35, S36, S47).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** The exact model's input for a pool state in scaled units (the model is unit-agnostic). */
function modelInput(p: PoolMath, side: SwapSide): SwapInput {
  const f = (x: bigint) => Fraction.of(x);
  return {
    base: f(p.baseReserve * p.baseScale),
    quote: f(p.quoteReserve * p.quoteScale),
    baseTarget: f(p.baseTarget),
    quoteTarget: f(p.quoteTarget),
    region: p.region === Region.A ? "A" : p.region === Region.B ? "B" : "ONE",
    price: new Fraction(p.price.num, p.price.den),
    k: new Fraction(p.k, WAD),
    baseFee: f(0n),
    maxFee: f(0n),
    tau: f(0n),
    feeFloor: f(0n),
    surgeWidth: f(1n),
    side,
    amountIn: f(1n),
  };
}

/** The guess from both implementations (equal), or null where g cannot be paid out (both refuse). */
async function guessBoth(
  harness: Awaited<ReturnType<typeof deployHarness>>,
  p: PoolMath,
  side: SwapSide,
  g: bigint,
): Promise<bigint | null> {
  let sdk: bigint;
  try {
    sdk = inputForGross(p, side, g);
  } catch (e) {
    expect(e).to.be.instanceOf(InsufficientLiquidityError);
    await expect(harness.inputForGross(toSol(p), sideId(side), g)).to.be.revertedWithCustomError(
      harness,
      "InsufficientLiquidity",
    );
    return null;
  }
  expect(await harness.inputForGross(toSol(p), sideId(side), g)).to.equal(sdk);
  return sdk;
}

/** Prices of these constructed cases are num / 1e40: 40 digits below a unit. */
const DEN = 10n ** 40n;

/** A crossing from the short side: the short side's reserve, the long side's target and its surplus. */
interface ShortSideCase {
  shortReserve: bigint;
  longTarget: bigint;
  surplus: bigint;
  k: bigint;
  regionA: boolean;
}

/**
 * The pool of 18-decimal tokens in which the short side (base in region A, quote in B) sells into a
 * crossing, at the price num / 1e40; the short side's target is derived at that price.
 */
function shortSidePool(
  c: ShortSideCase,
  num: bigint,
  fees: Pick<PoolMath, "baseFee" | "maxFee" | "tau"> = { baseFee: 0n, maxFee: 0n, tau: 0n },
): PoolMath {
  const long = c.longTarget + c.surplus;
  return {
    baseReserve: c.regionA ? c.shortReserve : long,
    quoteReserve: c.regionA ? long : c.shortReserve,
    baseTarget: c.regionA ? 0n : c.longTarget,
    quoteTarget: c.regionA ? c.longTarget : 0n,
    region: c.regionA ? Region.A : Region.B,
    baseScale: 1n,
    quoteScale: 1n,
    price: { num, den: DEN },
    k: c.k,
    ...fees,
    protocolShare: 0n,
  };
}

/** The side a short-side case sells: region A (base short) sells base, B sells quote. */
const shortSide = (c: ShortSideCase): SwapSide => (c.regionA ? "sellBase" : "sellQuote");

/** Bisects [lo, hi], where same(lo) and not same(hi), to the two neighbours either side of the change. */
function bisect(lo: bigint, hi: bigint, same: (x: bigint) => boolean): [bigint, bigint] {
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (same(mid)) lo = mid;
    else hi = mid;
  }
  return [lo, hi];
}

describe("exact-out's guess (inputForGross): never below the exact input", function () {
  it("on random pools, for crossings and legs away from the target", async function () {
    const harness = await loadFixture(deployHarness);
    let judged = 0;
    await fc.assert(
      fc.asyncProperty(
        poolArb({ noFees: true }),
        sideArb,
        fc.integer({ min: 1, max: 999 }),
        async (p, side, permille) => {
          const outIsQuote = side === "sellBase";
          const rOut = outIsQuote ? p.quoteReserve * p.quoteScale : p.baseReserve * p.baseScale;
          const g = (rOut * BigInt(permille)) / 1000n + 1n;
          const guess = await guessBoth(harness, p, side, g);
          if (guess === null) return;
          const atMost = ruleInputAtMost(modelInput(p, side), Fraction.of(g), guess);
          if (atMost === null) return; // a leg toward the target only: tested in precision.test.ts
          judged++;
          expect(atMost, `guess ${guess} below the exact input for a gross of ${g}`).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
    expect(judged).to.be.greaterThan(RUNS / 4);
  });

  it("where the exact input has just passed a whole unit (every rounding must go up)", async function () {
    const harness = await loadFixture(deployHarness);
    let judged = 0;
    const crossing = fc.record({
      shortReserve: fc.bigInt(100n, 10n ** 6n),
      longTarget: fc.bigInt(100n, 10n ** 6n),
      surplus: fc.bigInt(1n, 10n ** 6n),
      restPermille: fc.integer({ min: 1, max: 900 }),
      k: fc.oneof(fc.constant(0n), fc.bigInt(1n, WAD - 1n)),
      num: fc.bigInt(10n ** 38n, 10n ** 42n), // a price of 0.01 to 100
      regionA: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(crossing, async (c) => {
        const side = shortSide(c);
        const pool = (num: bigint) => shortSidePool(c, num);
        const g = c.surplus + (c.longTarget * BigInt(c.restPermille)) / 1000n + 1n;
        const exactAtMost = (num: bigint, units: bigint) =>
          ruleInputAtMost(modelInput(pool(num), side), Fraction.of(g), units) === true;
        // m: the whole units the exact input needs at the start price (its ceiling).
        let m = 0n;
        for (let step = 1n << 80n; step > 0n; step >>= 1n) if (!exactAtMost(c.num, m + step - 1n)) m += step;
        // The price, to 1e-40, just past where the exact input exceeds m units.
        if (exactAtMost(2n * c.num, m)) return;
        const [, hi] = bisect(c.num, 2n * c.num, (num) => exactAtMost(num, m));
        const guess = await guessBoth(harness, pool(hi), side, g);
        if (guess === null) return;
        judged++;
        expect(exactAtMost(hi, guess), `guess ${guess} below the exact input (just above ${m})`).to.equal(true);
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
    expect(judged).to.be.greaterThan(Math.min(RUNS, 100) / 4);
  });
});

/**
 * Exact-out's first step, `grossForNet`: the least gross output g (scaled) whose net of the fee pays the
 * amount, g - fee(g) >= net, with the fee as the exact-in quote charges it (`feeOfGross`). Fails if the
 * fee it climbs with rounds down, if it stops one unit late, or if its step rounds down and stalls below the
 * least gross (scripts/mutants.ts S62, S63, S65), or if the fee of a gross is read with the short target
 * rounded otherwise than the swap reads it (S66).
 */
describe("exact-out's gross (grossForNet): the least gross whose net of the fee pays", function () {
  it("the fee of a gross is the one the exact-in quote charges for that gross", async function () {
    const harness = await loadFixture(deployHarness);
    let judged = 0;
    await fc.assert(
      fc.asyncProperty(poolArb(), sideArb, amountArb(), async (p, side, amount) => {
        const scaleOut = side === "sellBase" ? p.quoteScale : p.baseScale;
        let q;
        try {
          q = quoteExactIn(p, side, inputAmount(p, side, amount));
        } catch {
          return;
        }
        // With an 18-decimal output the quote's gross and fee are the scaled ones.
        if (scaleOut !== 1n || q.grossOut === 0n) return;
        judged++;
        const fee = feeOfGross(p, side, q.grossOut);
        expect(await harness.feeOfGross(toSol(p), sideId(side), q.grossOut)).to.equal(fee);
        expect(fee, `fee of a gross of ${q.grossOut}`).to.equal(q.feeAmount);
      }),
      { numRuns: RUNS },
    );
    expect(judged).to.be.greaterThan(RUNS / 10);
  });

  it("on crossings from the short side, at a price where the short target is just below a whole unit", async function () {
    // The target value that the surge ramp divides by is read with the short input side's target in whole
    // units rounded down, as the exact-in quote reads it. Rounded down or up differ only where the target
    // is within 1e-18 of a whole unit from below, so the price (to 1e-40) is moved there, in a pool worth a
    // few thousand scaled units where one unit of target moves the imbalance by ~1e-3 of itself; a steep
    // ramp turns that into a different fee on some of the crossings swept.
    const harness = await loadFixture(deployHarness);
    let judged = 0;
    let built = 0;
    const tiny = fc.record({
      shortReserve: fc.bigInt(100n, 10n ** 4n),
      longTarget: fc.bigInt(100n, 10n ** 4n),
      surplus: fc.bigInt(100n, 10n ** 4n),
      num: fc.bigInt(10n ** 39n, 10n ** 41n), // a price of 0.1 to 10
      k: fc.oneof(fc.constant(0n), fc.bigInt(1n, WAD - 1n)),
      tau: fc.bigInt(0n, WAD / 4n),
      maxFee: fc.bigInt(100_000n, 900_000n),
      regionA: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(tiny, async (c) => {
        const side = shortSide(c);
        const pool = (num: bigint) => shortSidePool(c, num, { baseFee: 100n, maxFee: c.maxFee, tau: c.tau });
        // The short (input) side's target, times 1e18, rounded as asked.
        const target = (num: bigint, up: boolean) =>
          derivedTargetWad(c.shortReserve, c.surplus, !c.regionA, pool(num), up);
        // Bisect the price to the step where the target's rounded-down whole units change.
        const whole = (num: bigint) => target(num, false) / WAD;
        if (whole(c.num) === whole(2n * c.num)) return;
        const [lo, hi] = bisect(c.num, 2n * c.num, (num) => whole(num) === whole(c.num));
        // Of the two prices either side of the step, the one where rounding up reaches the next unit.
        const num = [lo, hi].find((n) => target(n, true) / WAD !== target(n, false) / WAD);
        if (num === undefined) return;
        built++;
        const p = pool(num);
        const price = (n: bigint) => (c.regionA ? (n * DEN) / num : (n * num) / DEN); // output units in input
        for (let permille = 1010n; permille <= 3000n; permille += 10n) {
          let q;
          try {
            q = quoteExactIn(p, side, price((c.surplus * permille) / 1000n) + 1n);
          } catch {
            continue;
          }
          if (q.grossOut <= c.surplus) continue; // toward only: the fee is the base fee's
          judged++;
          expect(feeOfGross(p, side, q.grossOut), `fee of a gross of ${q.grossOut}`).to.equal(q.feeAmount);
          if (permille % 500n === 0n)
            expect(await harness.feeOfGross(toSol(p), sideId(side), q.grossOut)).to.equal(q.feeAmount);
        }
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
    expect(built).to.be.greaterThan(Math.min(RUNS, 100) / 4);
    expect(judged).to.be.greaterThan(built * 50);
  });

  it("pays the amount, and one unit less gross does not", async function () {
    const harness = await loadFixture(deployHarness);
    let judged = 0;
    await fc.assert(
      fc.asyncProperty(poolArb(), sideArb, fc.integer({ min: 1, max: 950 }), async (p, side, permille) => {
        const rOut = side === "sellBase" ? p.quoteReserve * p.quoteScale : p.baseReserve * p.baseScale;
        const net = (rOut * BigInt(permille)) / 1000n + 1n;
        const g = grossForNet(p, side, net);
        expect(await harness.grossForNet(toSol(p), sideId(side), net)).to.equal(g);
        const pays = (x: bigint) => x - feeOfGross(p, side, x) >= net;
        if (g >= rOut) return; // beyond the reserve: exact-out refuses it
        judged++;
        expect(pays(g), `gross ${g} does not pay ${net}`).to.equal(true);
        expect(pays(g - 1n), `gross ${g - 1n} already pays ${net}`).to.equal(false);
      }),
      { numRuns: RUNS },
    );
    expect(judged).to.be.greaterThan(RUNS / 2);
  });
});
