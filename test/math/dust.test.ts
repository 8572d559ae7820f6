import { expect } from "chai";
import fc from "fast-check";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { loadVectorFile } from "../../spec/model/vector";
import { poolArb, sideArb } from "../helpers/arbitraries";
import { deployHarness, quoteInBoth } from "../helpers/harness";
import { vectorPool, type VectorCase } from "../helpers/vectors";

/**
 * The dust rule (DESIGN §7, issue 17): a swap that does not drain a reserve quotes in both
 * directions, 0 when its input cannot move the output reserve by a scaled unit; the library never
 * refuses dust (the pool's swap refuses a 0 output as InsufficientOutput, test/pool/swap.test.ts).
 * The Solidity library and the SDK agree to the wei (quoteInBoth) and never pay above exact.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

describe("dust: one rule in both directions", function () {
  const file = loadVectorFile(path.resolve(__dirname, "../../spec/vectors/edge-swaps.json"));
  const dust = file.cases.filter((c) => c.group === "dust-away" || c.group === "dust-toward");

  it("the edge vectors encode the quote rule", function () {
    expect(file.generator?.dust ?? "quote").to.equal("quote");
    for (const group of ["dust-away", "dust-toward"]) {
      const zero = dust.filter((c) => c.group === group && "netOutFloor" in c.expect && c.expect.netOutFloor === "0");
      expect(zero.length, `${group} cases whose exact output floors to 0`).to.be.greaterThan(0);
    }
  });

  for (const group of ["dust-away", "dust-toward"]) {
    it(`${group}: every case quotes, at or below exact, in Solidity and the SDK alike`, async function () {
      const harness = await loadFixture(deployHarness);
      for (const [i, c] of dust.filter((d) => d.group === group).entries()) {
        if ("revert" in c.expect) throw new Error(`case ${i}: the quote rule has no dust reverts`);
        const r = await quoteInBoth(harness, vectorPool(c as VectorCase), c.side, BigInt(c.amountIn));
        expect(r.ok, `case ${i} refused: ${r.ok ? "" : r.error}`).to.equal(true);
        if (!r.ok) continue;
        expect(r.quote.amountOut <= BigInt(c.expect.netOutFloor), `case ${i} above exact`).to.equal(true);
      }
    });
  }

  it("random pools: 1..1000 raw units that cannot drain the other side never meet InsufficientLiquidity", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(poolArb(), sideArb, fc.bigInt(1n, 1000n), async (p, side, amountIn) => {
        // Dust, not a drain: the input is worth at most half of the output reserve at the oracle price
        // (at tiny prices a few raw units can buy a whole reserve, and then the revert is right).
        const { num, den } = p.price;
        fc.pre(
          side === "sellBase"
            ? amountIn * p.baseScale * num * 2n <= p.quoteReserve * p.quoteScale * den
            : amountIn * p.quoteScale * den * 2n <= p.baseReserve * p.baseScale * num,
        );
        const r = await quoteInBoth(harness, p, side, amountIn);
        expect(r.ok ? "quoted" : r.error).to.equal("quoted");
      }),
      { numRuns: RUNS },
    );
  });
});
