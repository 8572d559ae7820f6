import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { derivedTargetWad, Region, WAD, type PoolMath, type SwapSide } from "../../sdk/math";
import { poolArb } from "../helpers/arbitraries";
import { deployHarness, quoteInBoth } from "../helpers/harness";

/**
 * Issue 17's crossing edge. The amount to equilibrium is the short side's derived target (rounded up,
 * with 18 more digits than a scaled unit) minus its reserve. An input that reaches it is a crossing:
 * it pays at least the whole long-side surplus and makes a queued k take effect; one scaled unit less
 * is a leg toward the target, which leaves the k in force. Where the target is a whole number of
 * units, an input of exactly the amount reaches equilibrium with nothing past it: exactly the
 * surplus. Fails if the leg / crossing comparison is flipped (scripts/mutants.ts S23, D06) or the
 * amount is taken from the target rounded down (S21, D07).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** The short side as the input of a pool outside region ONE, with its amount to equilibrium. */
function toEquilibrium(p: PoolMath) {
  const side: SwapSide = p.region === Region.A ? "sellBase" : "sellQuote";
  const inIsBase = side === "sellBase";
  const rIn = inIsBase ? p.baseReserve * p.baseScale : p.quoteReserve * p.quoteScale;
  const rOut = inIsBase ? p.quoteReserve * p.quoteScale : p.baseReserve * p.baseScale;
  const tOut = inIsBase ? p.quoteTarget : p.baseTarget;
  const surplus = rOut > tOut ? rOut - tOut : 0n;
  const targetWad = (up: boolean) => derivedTargetWad(rIn, surplus, !inIsBase, p, up);
  const toEqWad = targetWad(true) - rIn * WAD;
  return {
    side,
    surplus,
    toEqWad,
    exact: toEqWad % WAD === 0n && targetWad(false) === targetWad(true),
    // The whole scaled units that reach equilibrium: the amount rounded up.
    toEq: (toEqWad + WAD - 1n) / WAD,
    scaleIn: inIsBase ? p.baseScale : p.quoteScale,
    scaleOut: inIsBase ? p.quoteScale : p.baseScale,
  };
}

/** A pool with a fee (a leg that lands on the target then stays off ONE) and a queued k unlike k. */
function withQueuedK(pool: PoolMath, pendingK: bigint): PoolMath {
  const pendingKNext = pendingK === pool.k ? (pendingK + 1n) % WAD : pendingK;
  return { ...pool, baseFee: 3000n, maxFee: 3000n, pendingK: pendingKNext };
}

describe("crossing edge: the input at the amount to equilibrium", function () {
  it("an inexact target: the amount rounded up crosses (surplus paid, queued k applies); one unit less is a leg", async function () {
    const harness = await loadFixture(deployHarness);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        poolArb().filter((p) => p.region !== Region.ONE),
        fc.bigInt(1n, WAD - 1n),
        async (pool, pendingK) => {
          const p = withQueuedK(pool, pendingK);
          const e = toEquilibrium(p);
          // An 18-decimal input can hit the scaled amount exactly; the target must be inexact.
          fc.pre(e.scaleIn === 1n && !e.exact && e.toEq > 1n && e.surplus > 0n);
          const at = await quoteInBoth(harness, p, e.side, e.toEq);
          expect(at.ok, "the amount to equilibrium quotes").to.equal(true);
          if (!at.ok) return;
          expect(at.quote.grossOut >= e.surplus / e.scaleOut, "a crossing pays the whole surplus").to.equal(true);
          expect(at.quote.kAfter, "equilibrium reached: the queued k applies").to.equal(p.pendingK);
          const below = await quoteInBoth(harness, p, e.side, e.toEq - 1n);
          expect(below.ok).to.equal(true);
          if (!below.ok) return;
          expect(below.quote.regionAfter, "a leg stays off equilibrium").to.equal(p.region);
          expect(below.quote.kAfter, "a leg short of equilibrium keeps k").to.equal(p.k);
          expect(below.quote.grossOut <= e.surplus / e.scaleOut).to.equal(true);
          checked++;
        },
      ),
      { numRuns: RUNS },
    );
    expect(checked, "cases that met the precondition").to.be.greaterThan(RUNS / 10);
  });

  it("a whole-unit target (k = 0, whole price): exactly the amount pays exactly the surplus and applies the queued k", async function () {
    const harness = await loadFixture(deployHarness);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        poolArb().filter((p) => p.region === Region.B),
        fc.bigInt(1n, WAD - 1n),
        async (pool, pendingK) => {
          // k = 0 and a whole price: the quote target is Q + (B - B0) p, a whole number of units.
          const whole = pool.price.num / pool.price.den + 1n;
          const p = withQueuedK({ ...pool, k: 0n, price: { num: whole, den: 1n } }, pendingK);
          const e = toEquilibrium(p);
          fc.pre(e.scaleIn === 1n && e.exact && e.toEq > 1n && e.surplus > 0n);
          const at = await quoteInBoth(harness, p, e.side, e.toEq);
          expect(at.ok, "the amount to equilibrium quotes").to.equal(true);
          if (!at.ok) return;
          expect(at.quote.grossOut, "exactly the surplus").to.equal(e.surplus / e.scaleOut);
          expect(at.quote.kAfter, "equilibrium reached: the queued k applies").to.equal(p.pendingK);
          // The retained fee keeps the base side long: still region B, its stored target unchanged.
          expect(at.quote.regionAfter).to.equal(Region.B);
          expect(at.quote.baseTargetAfter).to.equal(p.baseTarget);
          const below = await quoteInBoth(harness, p, e.side, e.toEq - 1n);
          if (!below.ok) throw new Error(`one unit less failed: ${below.error}`);
          expect(below.quote.kAfter, "a leg short of equilibrium keeps k").to.equal(p.k);
          checked++;
        },
      ),
      { numRuns: RUNS },
    );
    expect(checked, "cases that met the precondition").to.be.greaterThan(RUNS / 10);
  });
});
