import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { InsufficientLiquidityError, quoteExactIn } from "../../sdk/math";
import { deployHarness, fromSolQuote, sideId, toSol } from "../helpers/harness";
import { feeWithinTolerance, loadVectors, vectorPool, withinTolerance } from "../helpers/vectors";

/**
 * Every case of spec/vectors/swaps.json, through the Solidity library (via the
 * harness) and through the SDK's bigint mirror, judged by the rule in the vectors' README:
 * never above exact math, within max(10, floor / 1e12) of it, the expected fee pips (the effective rate)
 * within the fee rule's tolerance;
 * `revert` cases revert with InsufficientLiquidity.
 */
describe("exact-math vectors", function () {
  const cases = loadVectors();

  it("holds all 400 cases", function () {
    expect(cases.length).to.equal(400);
  });

  for (const [i, c] of cases.entries()) {
    const label = `#${i} ${c.state.region} ${c.side} k=${c.state.kWad} dec=${c.state.baseDecimals}/${c.state.quoteDecimals}`;
    it(label, async function () {
      const harness = await loadFixture(deployHarness);
      const pool = vectorPool(c);
      const amountIn = BigInt(c.amountIn);
      if ("revert" in c.expect) {
        expect(() => quoteExactIn(pool, c.side, amountIn)).to.throw(InsufficientLiquidityError);
        await expect(harness.quoteExactIn(toSol(pool), sideId(c.side), amountIn)).to.be.revertedWithCustomError(
          harness,
          "InsufficientLiquidity",
        );
        return;
      }
      const floor = BigInt(c.expect.netOutFloor);
      const sol = fromSolQuote(await harness.quoteExactIn(toSol(pool), sideId(c.side), amountIn));
      const sdk = quoteExactIn(pool, c.side, amountIn);
      for (const q of [sol, sdk]) {
        const pips = BigInt(c.expect.feePips);
        expect(feeWithinTolerance(q.feePips, pips, q.grossOut), `fee pips ${q.feePips} vs ${pips}`).to.equal(true);
        expect(q.amountOut <= floor, `out ${q.amountOut} above exact floor ${floor}`).to.equal(true);
        expect(withinTolerance(q.amountOut, floor), `out ${q.amountOut} too far below ${floor}`).to.equal(true);
      }
      expect(fromSolQuote(sdk)).to.deep.equal(sol);
    });
  }
});
