import { expect } from "chai";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { InsufficientLiquidityError, quoteExactIn, Region, type PoolMath } from "../../sdk/math";
import { ruleRateAtMost } from "../../spec/model/exact";
import { Fraction } from "../../spec/model/fraction";
import { loadVectorFile, swapInput } from "../../spec/model/vector";
import { deployHarness, fromSolQuote, sideId, toSol } from "../helpers/harness";
import { feeWithinTolerance, vectorPool, withinTolerance, type VectorCase } from "../helpers/vectors";

/**
 * Every case of the exact-math vector files, spec/vectors/swaps.json and the generated edge cases of
 * spec/vectors/edge-swaps.json (issue 17), through the Solidity library (via the harness) and through
 * the SDK's bigint mirror, judged by the rule in the vectors' README: never above exact math, within
 * max(10, floor / 1e12) of it, the expected fee pips; `revert` cases revert with InsufficientLiquidity
 * in both; every other case quotes (the dust rule the file was generated with is in its expectations:
 * a 0 floor that is not a `revert` must quote 0). The SDK equals the contracts to the wei.
 *
 * The files are read, not copied, so a regeneration (a new fee rule) is tested as it stands.
 */
const FILES = ["swaps.json", "edge-swaps.json"].map((f) => path.resolve(__dirname, "../../spec/vectors", f));

/** Above this, one scaled unit of the short side's target is too coarse a share of the target value for exact pips. */
const FEE_RESOLUTION = 1e-9;

/**
 * One scaled unit of the short side, at the price, over the target value Q0 + p B0: the relative
 * resolution of the whole-unit targets the imbalance (and so the fee) is computed with. Where it is
 * coarse (a short reserve of a few hundred wei) a unit of gross moves the rate by more than the fee
 * tolerance: the rate is then judged against the exact rule at the quote's own gross only.
 */
function targetResolution(p: PoolMath): number {
  if (p.region === Region.ONE) return 0;
  const unit = p.region === Region.A ? p.price.num : p.price.den;
  return Number(unit) / Number(p.quoteTarget * p.price.den + p.baseTarget * p.price.num);
}

for (const file of FILES) {
  const { cases, generator } = loadVectorFile(file);
  const name = path.basename(file);

  describe(`exact-math vectors: ${name}`, function () {
    it("holds every case its generator wrote", function () {
      expect(cases.length).to.be.greaterThan(0);
      const groups = generator?.groups as string[] | undefined;
      const perGroup = generator?.perGroup as number | undefined;
      if (groups !== undefined && perGroup !== undefined) {
        expect(cases.length).to.equal(groups.length * perGroup);
        for (const g of groups) expect(cases.filter((c) => c.group === g).length, g).to.equal(perGroup);
      }
    });

    for (const [i, c] of cases.entries()) {
      const s = c.state;
      const label = `#${i} ${c.group ?? ""} ${s.region} ${c.side} k=${s.kWad} dec=${s.baseDecimals}/${s.quoteDecimals}`;
      it(label.replace(/ +/g, " "), async function () {
        await checkCase(c as VectorCase);
      });
    }
  });
}

async function checkCase(c: VectorCase): Promise<void> {
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
  const feePips = BigInt(c.expect.feePips);
  const sol = fromSolQuote(await harness.quoteExactIn(toSol(pool), sideId(c.side), amountIn));
  const sdk = quoteExactIn(pool, c.side, amountIn);
  for (const q of [sol, sdk]) {
    expect(q.amountOut <= floor, `out ${q.amountOut} above the exact floor ${floor}`).to.equal(true);
    expect(withinTolerance(q.amountOut, floor), `out ${q.amountOut} too far below ${floor}`).to.equal(true);
    // The fee (the effective rate) within the fee rule's tolerance of the exact one. Where one whole scaled unit
    // of the short side's target is a coarse share of the target value (a short reserve of a few hundred wei),
    // the gross the quote pays can differ from the exact swap's by a larger share and the rate with it; the
    // output checks above (never above exact, within tolerance) and the check below still hold there.
    if (targetResolution(pool) <= FEE_RESOLUTION) {
      expect(feeWithinTolerance(q.feePips, feePips, q.grossOut), `fee pips ${q.feePips} vs ${feePips}`).to.equal(true);
    }
    // Everywhere, coarse targets included: never below the exact rule's rate for the gross the quote
    // actually pays (a quote's gross sits a few units under the exact swap's, and the surge rate of a
    // shorter path away from the target is lower, so `feePips` itself may be above the quote's rate).
    if (q.grossOut > 0n) {
      expect(
        ruleRateAtMost(swapInput(c), Fraction.of(q.grossOut), q.feePips),
        `fee pips ${q.feePips} below the rule's rate for a gross of ${q.grossOut}`,
      ).to.equal(true);
    }
  }
  expect(fromSolQuote(sdk)).to.deep.equal(sol);
}
