import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { PIPS, WAD, type PoolMath } from "../../sdk/math";
import { poolArb, sideArb } from "../helpers/arbitraries";
import { deployHarness, quoteInBoth, type Outcome } from "../helpers/harness";

/**
 * The SDK mirrors the contract's overflow behaviour (issue 17): outside the library's domain (k or
 * tau above 1, fees above 100 %, reserves near 2^256) an arithmetic panic on chain is a
 * MathOverflowError in the SDK at the same place (quoteInBoth checks that both outcomes are equal,
 * the panic named "Panic"), never a quote with a negative fee or a wrapped amount.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** A pool pushed out of the domain in one or more of its parameters. */
const outOfDomain: fc.Arbitrary<PoolMath> = fc
  .record({
    p: poolArb(),
    k: fc.option(fc.bigInt(WAD + 1n, 2n * WAD), { nil: undefined }),
    pendingK: fc.option(fc.bigInt(WAD + 1n, 2n * WAD), { nil: undefined }),
    tau: fc.option(fc.bigInt(WAD + 1n, 3n * WAD), { nil: undefined }),
    baseFee: fc.option(fc.bigInt(PIPS + 1n, 3n * PIPS), { nil: undefined }),
    maxFee: fc.option(fc.bigInt(PIPS + 1n, 3n * PIPS), { nil: undefined }),
    grow: fc.option(fc.integer({ min: 100, max: 250 }), { nil: undefined }),
  })
  .map(({ p, grow, ...over }) => {
    const q: PoolMath = { ...p };
    if (over.k !== undefined) q.k = over.k;
    if (over.pendingK !== undefined) q.pendingK = over.pendingK;
    if (over.tau !== undefined) q.tau = over.tau;
    if (over.baseFee !== undefined) q.baseFee = over.baseFee;
    if (over.maxFee !== undefined) q.maxFee = over.maxFee;
    if (grow !== undefined) {
      // up to just below 2^256 for the largest scaled amount, so the values still fit the ABI
      const top = [q.baseTarget, q.quoteTarget, q.baseReserve * q.baseScale, q.quoteReserve * q.quoteScale];
      const bits = top.reduce((x, y) => (x > y ? x : y)).toString(2).length;
      const m = 1n << BigInt(Math.min(grow, 255 - bits));
      Object.assign(q, {
        baseReserve: q.baseReserve * m,
        quoteReserve: q.quoteReserve * m,
        baseTarget: q.baseTarget * m,
        quoteTarget: q.quoteTarget * m,
      });
    }
    return q;
  });

function sane(r: Outcome): void {
  if (!r.ok) return;
  for (const [field, v] of Object.entries(r.quote)) {
    expect(typeof v === "bigint" && v < 0n, `${field} negative`).to.equal(false);
  }
  expect(r.quote.amountOut <= r.quote.grossOut, "net above gross").to.equal(true);
}

describe("overflow: the SDK throws MathOverflowError where the contract panics", function () {
  it("exact-in quotes on out-of-domain pools agree with Solidity, panic for panic", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(outOfDomain, sideArb, fc.bigInt(1n, 1n << 200n), async (p, side, amountIn) => {
        sane(await quoteInBoth(harness, p, side, amountIn));
      }),
      { numRuns: RUNS },
    );
  });

  it("dust quotes at fees above 100 % panic in both, or pay nothing when the gross is 0", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(poolArb(), sideArb, fc.bigInt(PIPS + 1n, 3n * PIPS), async (p, side, fee) => {
        // The path-integrated fee (DESIGN §2) is a rate times the gross: a gross of 0 owes 0, which the
        // pool's swap refuses (InsufficientOutput); any positive gross underflows at a rate above 100 %.
        const r = await quoteInBoth(harness, { ...p, baseFee: fee, maxFee: fee }, side, 1n);
        if (r.ok) expect([r.quote.grossOut, r.quote.amountOut]).to.deep.equal([0n, 0n]);
        else expect(r.error).to.equal("Panic");
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});
