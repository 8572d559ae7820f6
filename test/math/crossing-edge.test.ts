import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { convert, Region, shortTarget, WAD, type PoolMath, type SwapSide } from "../../sdk/math";
import { poolArb } from "../helpers/arbitraries";
import { deployHarness, quoteInBoth } from "../helpers/harness";

/**
 * Issue 17's crossing edge: an input exactly equal to the amount to equilibrium (the short side's
 * derived target rounded up, minus its reserve) while that target is inexact (rounded down and up
 * differ). Such an input reaches equilibrium: it is a crossing that pays the whole long-side surplus
 * and makes a queued k take effect; one scaled unit less is a leg toward the target, which leaves
 * the k in force. Fails if the leg / crossing comparison is flipped (scripts/mutants.ts S23, D-side).
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
  const target = (up: boolean) => shortTarget(rIn, convert(surplus, p.price, !inIsBase, up), p.k, up);
  const scaleIn = inIsBase ? p.baseScale : p.quoteScale;
  const scaleOut = inIsBase ? p.quoteScale : p.baseScale;
  return { side, rIn, surplus, tUp: target(true), tDown: target(false), scaleIn, scaleOut };
}

describe("crossing edge: input exactly the amount to equilibrium, inexact target", function () {
  it("is a crossing (whole surplus, queued k applies); one unit less is a leg (k stays)", async function () {
    const harness = await loadFixture(deployHarness);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        poolArb().filter((p) => p.region !== Region.ONE),
        fc.bigInt(1n, WAD - 1n),
        async (pool, pendingK) => {
          // A fee keeps the long side above its target after a leg (a leg that lands on it reaches ONE).
          const pendingKNext = pendingK === pool.k ? (pendingK + 1n) % WAD : pendingK;
          const p: PoolMath = { ...pool, baseFee: 3000n, maxFee: 3000n, pendingK: pendingKNext };
          const e = toEquilibrium(p);
          // An 18-decimal input can hit the scaled amount exactly; the target must be inexact.
          fc.pre(e.scaleIn === 1n && e.tUp !== e.tDown && e.tUp - e.rIn > 1n && e.surplus > 0n);
          const toEq = e.tUp - e.rIn;
          const at = await quoteInBoth(harness, p, e.side, toEq);
          expect(at.ok, "the amount to equilibrium quotes").to.equal(true);
          if (!at.ok) return;
          expect(at.quote.grossOut, "a crossing pays the whole surplus").to.equal(e.surplus / e.scaleOut);
          expect(at.quote.kAfter, "equilibrium reached: the queued k applies").to.equal(p.pendingK);
          const below = await quoteInBoth(harness, p, e.side, toEq - 1n);
          expect(below.ok).to.equal(true);
          if (!below.ok) return;
          expect(below.quote.regionAfter, "a leg stays off equilibrium").to.equal(p.region);
          expect(below.quote.kAfter, "a leg short of equilibrium keeps k").to.equal(p.k);
          expect(below.quote.grossOut <= at.quote.grossOut).to.equal(true);
          checked++;
        },
      ),
      { numRuns: RUNS },
    );
    expect(checked, "cases that met the precondition").to.be.greaterThan(RUNS / 10);
  });
});
