import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { inputForGross, InsufficientLiquidityError, Region, WAD, type PoolMath, type SwapSide } from "../../sdk/math";
import { ruleInputAtMost } from "../../spec/model/exact";
import { Fraction } from "../../spec/model/fraction";
import type { SwapInput } from "../../spec/model/rules";
import { poolArb, sideArb } from "../helpers/arbitraries";
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
    const DEN = 10n ** 40n;
    let judged = 0;
    const crossing = fc.record({
      shortReserve: fc.bigInt(100n, 10n ** 6n),
      longTarget: fc.bigInt(100n, 10n ** 6n),
      surplus: fc.bigInt(1n, 10n ** 6n),
      restPermille: fc.integer({ min: 1, max: 900 }),
      k: fc.oneof(fc.constant(0n), fc.bigInt(1n, WAD - 1n)),
      num: fc.bigInt(10n ** 38n, 10n ** 42n), // a price of 0.01 to 100, 40 digits below a unit
      regionA: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(crossing, async (c) => {
        // The short side sells into a crossing: region A (base short) sells base, B sells quote.
        const side: SwapSide = c.regionA ? "sellBase" : "sellQuote";
        const long = c.longTarget + c.surplus;
        const pool = (num: bigint): PoolMath => ({
          baseReserve: c.regionA ? c.shortReserve : long,
          quoteReserve: c.regionA ? long : c.shortReserve,
          baseTarget: c.regionA ? 0n : c.longTarget, // the short side's target is derived at the price
          quoteTarget: c.regionA ? c.longTarget : 0n,
          region: c.regionA ? Region.A : Region.B,
          baseScale: 1n,
          quoteScale: 1n,
          price: { num, den: DEN },
          k: c.k,
          baseFee: 0n,
          maxFee: 0n,
          tau: 0n,
          protocolShare: 0n,
        });
        const g = c.surplus + (c.longTarget * BigInt(c.restPermille)) / 1000n + 1n;
        const exactAtMost = (num: bigint, units: bigint) =>
          ruleInputAtMost(modelInput(pool(num), side), Fraction.of(g), units) === true;
        // m: the whole units the exact input needs at the start price (its ceiling).
        let m = 0n;
        for (let step = 1n << 80n; step > 0n; step >>= 1n) if (!exactAtMost(c.num, m + step - 1n)) m += step;
        // The price, to 1e-40, just past where the exact input exceeds m units.
        let [lo, hi] = [c.num, 2n * c.num];
        if (exactAtMost(hi, m)) return;
        while (hi - lo > 1n) {
          const mid = (lo + hi) / 2n;
          if (exactAtMost(mid, m)) lo = mid;
          else hi = mid;
        }
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
