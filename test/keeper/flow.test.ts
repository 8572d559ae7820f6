import { expect } from "chai";
import fc from "fast-check";
import { estimateFlow } from "../../keeper/flow";
import type { FlowSample } from "../../keeper/types";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const NOW = 1_700_000_000;
const HOUR = 3600;

function swap(side: FlowSample["side"], quoteValue: number, age = 0): FlowSample {
  return { side, quoteValue, timestamp: NOW - age };
}

const swapArb: fc.Arbitrary<FlowSample> = fc.record({
  side: fc.constantFrom<FlowSample["side"]>("sellBase", "sellQuote"),
  quoteValue: fc.oneof(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.constantFrom(0, -1, NaN, Infinity)),
  timestamp: fc.integer({ min: NOW - 30 * 86_400, max: NOW + 600 }),
});

describe("keeper flow measure", function () {
  it("is 0 with no swaps and with only worthless swaps", function () {
    expect(estimateFlow([], NOW, HOUR)).to.equal(0);
    expect(estimateFlow([swap("sellBase", 0), swap("sellQuote", -5), swap("sellBase", NaN)], NOW, HOUR)).to.equal(0);
  });

  it("is +1 for all sellBase and -1 for all sellQuote", function () {
    expect(estimateFlow([swap("sellBase", 10), swap("sellBase", 3, HOUR)], NOW, HOUR)).to.equal(1);
    expect(estimateFlow([swap("sellQuote", 10), swap("sellQuote", 3, 5 * HOUR)], NOW, HOUR)).to.equal(-1);
  });

  it("weights by value", function () {
    // 3 sold base against 1 sold quote, all now: (3 - 1) / (3 + 1).
    expect(estimateFlow([swap("sellBase", 3), swap("sellQuote", 1)], NOW, HOUR)).to.be.closeTo(0.5, 1e-15);
    expect(estimateFlow([swap("sellBase", 5), swap("sellQuote", 5)], NOW, HOUR)).to.equal(0);
  });

  it("decays with the half-life", function () {
    // Equal values, the sellQuote one a half-life older: weights 1 and 1/2, flow (1 - 0.5) / 1.5.
    expect(estimateFlow([swap("sellBase", 1), swap("sellQuote", 1, HOUR)], NOW, HOUR)).to.be.closeTo(1 / 3, 1e-15);
    // Two half-lives: weights 1 and 1/4.
    expect(estimateFlow([swap("sellBase", 1), swap("sellQuote", 1, 2 * HOUR)], NOW, HOUR)).to.be.closeTo(0.6, 1e-15);
    // A longer half-life forgets less: the same swaps are closer to balanced.
    expect(estimateFlow([swap("sellBase", 1), swap("sellQuote", 1, HOUR)], NOW, 10 * HOUR)).to.be.closeTo(
      (1 - 2 ** -0.1) / (1 + 2 ** -0.1),
      1e-15,
    );
  });

  it("counts a swap stamped after now as fresh", function () {
    expect(estimateFlow([swap("sellBase", 1, -600), swap("sellQuote", 1)], NOW, HOUR)).to.equal(0);
  });

  it("damps thin flow with the prior pseudo-volume", function () {
    expect(estimateFlow([swap("sellBase", 1)], NOW, HOUR, 1)).to.be.closeTo(0.5, 1e-15);
    expect(estimateFlow([swap("sellQuote", 9)], NOW, HOUR, 1)).to.be.closeTo(-0.9, 1e-15);
    expect(estimateFlow([], NOW, HOUR, 1)).to.equal(0);
  });

  it("survives values near the double range", function () {
    expect(
      estimateFlow([swap("sellBase", 1e308), swap("sellBase", 1e308), swap("sellQuote", 1e308)], NOW, HOUR),
    ).to.be.closeTo(1 / 3, 1e-12);
  });

  it("stays in [-1, 1], flips sign with the sides, and ignores swap order", function () {
    fc.assert(
      fc.property(
        fc.array(swapArb, { maxLength: 30 }),
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (swaps, halfLife, prior) => {
          const f = estimateFlow(swaps, NOW, halfLife, prior);
          expect(Number.isFinite(f)).to.equal(true);
          expect(Math.abs(f)).to.be.at.most(1);
          const flipped = swaps.map((s) => ({ ...s, side: s.side === "sellBase" ? "sellQuote" : "sellBase" }) as const);
          expect(estimateFlow(flipped, NOW, halfLife, prior)).to.be.closeTo(-f, 1e-12);
          expect(estimateFlow([...swaps].reverse(), NOW, halfLife, prior)).to.be.closeTo(f, 1e-12);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("moves toward +1 when a sellBase swap is added", function () {
    fc.assert(
      fc.property(
        fc.array(swapArb, { maxLength: 20 }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        (swaps, value) => {
          const before = estimateFlow(swaps, NOW, HOUR);
          const after = estimateFlow([...swaps, swap("sellBase", value)], NOW, HOUR);
          expect(after).to.be.at.least(before - 1e-12);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
