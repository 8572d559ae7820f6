import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { sqrtOfSum } from "../../sdk/fullMath";
import { imbalance, legWad, legWadAt, Region, shortTargetWad, WAD, type PoolMath } from "../../sdk/math";
import { deployHarness, quoteInBoth, quoteOutBoth, toSol } from "../helpers/harness";
import { exactSwap } from "../../spec/model/exact";
import { Fraction } from "../../spec/model/fraction";

/**
 * The 18-more-digits primitives of issue 17 against exact integer arithmetic, in Solidity (harness) and
 * the SDK (equal to the wei): each result rounded down is at most the exact value and rounded up at
 * least it, and the two are a few units apart. Small reserves under large targets make a one-unit
 * rounding in an intermediate visible, so these fail when any rounding inside is flipped
 * (scripts/mutants.ts S01, S02, S45, S46, F05, F06 and their SDK twins).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const W = WAD;

/** k: 0, 1, or anything in between. */
const kArb = fc.oneof(fc.constant(0n), fc.constant(W), fc.bigInt(1n, W - 1n));

/**
 * Sign of f(X) for X = T * 1e18: the surplus a leg from R up to T pays is d, so d R = (T - R)((1 - k) R + k T);
 * f is that difference, increasing in T above R. Scaled by 1e54 to stay in integers.
 */
function targetExcess(x: bigint, r: bigint, dW: bigint, k: bigint): bigint {
  return (x - r * W) * ((W - k) * r * W + k * x) - dW * r * W * W;
}

describe("18-more-digits primitives against exact arithmetic", function () {
  it("shortTargetWad brackets the exact target, down and up a few units apart", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.bigInt(1n, 10n ** 6n), fc.bigInt(1n, 1n << 100n)),
        fc.oneof(fc.bigInt(1n, 10n ** 24n), fc.bigInt(1n, 1n << 180n)),
        kArb,
        async (r, dW, k) => {
          const down = shortTargetWad(r, dW, k, false);
          const up = shortTargetWad(r, dW, k, true);
          expect(await harness.shortTargetWad(r, dW, k, false)).to.equal(down);
          expect(await harness.shortTargetWad(r, dW, k, true)).to.equal(up);
          expect(targetExcess(down, r, dW, k) <= 0n, `down ${down} above the exact target`).to.equal(true);
          expect(targetExcess(up, r, dW, k) >= 0n, `up ${up} below the exact target`).to.equal(true);
          // 18 more digits: the two differ by at most a 1e-18 share of T - R, plus the roundings.
          expect(up - down <= 3n + (up - r * W) / W, `down ${down}, up ${up}`).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("legWadAt brackets the exact leg cost for a target with a fraction", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.bigInt(1n, 10n ** 6n), fc.bigInt(1n, 1n << 60n)),
        fc.oneof(fc.bigInt(0n, 10n ** 6n), fc.bigInt(0n, 1n << 60n)),
        fc.bigInt(0n, 10n ** 40n),
        kArb,
        fc.boolean(),
        async (low, delta, above, k, rising) => {
          // Both reserves at or below the target (a leg on its own side); the target has a fraction.
          const high = low + delta;
          const tWad = high * W + above;
          const [r1, r2] = rising ? [low, high] : [high, low];
          const down = legWadAt(tWad, r1, r2, k, false);
          const up = legWadAt(tWad, r1, r2, k, true);
          expect(await harness.legWadAt(tWad, r1, r2, k, false)).to.equal(down);
          expect(await harness.legWadAt(tWad, r1, r2, k, true)).to.equal(up);
          // exact * r1 r2 W^2 = delta (W - k) r1 r2 W^2 + delta k tWad^2
          const den = r1 * r2 * W * W;
          const exact = delta * (W - k) * den + delta * k * tWad * tWad;
          expect(down * den <= exact, "down above exact").to.equal(true);
          expect(up * den >= exact, "up below exact").to.equal(true);
          expect(up - down <= 2n + tWad / (r2 * W), `down ${down}, up ${up}`).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("legWad (a whole-unit target) brackets the exact leg cost", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.bigInt(1n, 10n ** 6n), fc.bigInt(1n, 1n << 60n)),
        fc.oneof(fc.bigInt(0n, 10n ** 6n), fc.bigInt(0n, 1n << 60n)),
        fc.bigInt(0n, 10n ** 6n),
        kArb,
        async (low, delta, above, k) => {
          const t = low + delta + above;
          const [r1, r2] = [low + delta, low];
          const down = legWad(t, r1, r2, k, false);
          const up = legWad(t, r1, r2, k, true);
          expect(await harness.legWad(t, r1, r2, k, false)).to.equal(down);
          expect(await harness.legWad(t, r1, r2, k, true)).to.equal(up);
          const exact = delta * (W - k) * r1 * r2 + delta * k * t * t; // times r1 r2
          expect(down * r1 * r2 <= exact && up * r1 * r2 >= exact, `${down}, ${up}`).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("exact-out refuses an output that would empty the output side past equilibrium", async function () {
    // Region A, selling base: the quote surplus is paid on the way to equilibrium, then the quote target;
    // all of it would leave no quote reserve (scripts/mutants.ts S33).
    const harness = await loadFixture(deployHarness);
    const p: PoolMath = {
      baseReserve: 900n * W,
      quoteReserve: 2_300n * W,
      baseTarget: 1_000n * W,
      quoteTarget: 2_000n * W,
      region: Region.A,
      baseScale: 1n,
      quoteScale: 1n,
      price: { num: 2n, den: 1n },
      k: W / 2n,
      baseFee: 0n,
      maxFee: 0n,
      tau: 0n,
      protocolShare: 0n,
    };
    const all = await quoteOutBoth(harness, p, "sellBase", p.quoteReserve);
    expect(all).to.deep.equal({ ok: false, error: "InsufficientLiquidity" });
    const almost = await quoteOutBoth(harness, p, "sellBase", p.quoteReserve - W);
    expect(almost.ok, "one whole token less is reachable").to.equal(true);
  });

  it("sqrtOfSum is the exact root below 2^256 and brackets it within 2^-126 above", async function () {
    const harness = await loadFixture(deployHarness);
    const u256 = fc.oneof(fc.bigInt(0n, (1n << 128n) - 1n), fc.bigInt(0n, (1n << 255n) - 1n));
    await fc.assert(
      fc.asyncProperty(u256, u256, u256, fc.bigInt(0n, (1n << 200n) - 1n), async (a, b, c, d) => {
        const x = a * b + c * d;
        fc.pre(x < 1n << 511n);
        const down = sqrtOfSum(a, b, c, d, false);
        const up = sqrtOfSum(a, b, c, d, true);
        expect(await harness.sqrtOfSum(a, b, c, d, false)).to.equal(down);
        expect(await harness.sqrtOfSum(a, b, c, d, true)).to.equal(up);
        expect(down * down <= x && up * up >= x, `${down}, ${up} do not bracket sqrt(${x})`).to.equal(true);
        if (x < 1n << 256n) expect((down + 1n) * (down + 1n) > x, "not the floor").to.equal(true);
        expect(up - down <= 1n + (up >> 126n)).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("the views floor the fine target: a target a hair below a whole unit counts the unit below", async function () {
    // k = 0 and a price of 1e18 + 1 quote per base: a quote surplus of 1e18 is 1e18 / (1e18 + 1) base, so the
    // short base target is 1 + 1e18 / (1e18 + 1), just below 2: floor 1. Region B mirrors it with the price
    // inverted.
    const harness = await loadFixture(deployHarness);
    const common = { baseScale: 1n, quoteScale: 1n, k: 0n, baseFee: 0n, maxFee: 0n, tau: 0n, protocolShare: 0n };
    const a: PoolMath = {
      ...common,
      baseReserve: 1n,
      quoteReserve: 2n * W,
      baseTarget: 2n,
      quoteTarget: W,
      region: Region.A,
      price: { num: W + 1n, den: 1n },
    };
    const b: PoolMath = {
      ...common,
      baseReserve: 10n * (W + 1n) + W,
      quoteReserve: 1n,
      baseTarget: 10n * (W + 1n),
      quoteTarget: 2n,
      region: Region.B,
      price: { num: 1n, den: W + 1n },
    };
    // The imbalance is the short side's deficit under its target (DESIGN §2): with the fine target floored to
    // the whole unit the reserve already holds, no deficit shows (rounded up, it would be one unit, about 1/2
    // in A and 1/11 in B).
    const expected = [0n, 0n];
    for (const [i, p] of [a, b].entries()) {
      expect(imbalance(p), `region ${p.region}`).to.equal(expected[i]);
      expect(await harness.imbalance(toSol(p)), `region ${p.region}`).to.equal(expected[i]);
      const q = await quoteInBoth(harness, p, p.region === Region.A ? "sellBase" : "sellQuote", 1n);
      if (!q.ok) throw new Error(q.error);
      expect(q.quote.imbalanceBefore).to.equal(expected[i]);
    }
  });

  it("legs toward a tiny short reserve at high prices never pay above exact (the exact model)", async function () {
    // A wei of target or of an intermediate is worth up to 1e24 wei of output here (prices up to 1e24
    // quote per base), so a rounding flipped toward the trader anywhere on the leg shows
    // (scripts/mutants.ts S22, S24, S45, S46).
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt(1n, 10_000n),
        fc.bigInt(1n, 10n ** 6n),
        fc.oneof(fc.bigInt(10n ** 3n, 10n ** 6n), fc.bigInt(10n ** 6n, 10n ** 24n)),
        fc.bigInt(1n, 10n ** 9n),
        kArb,
        fc.integer({ min: 1, max: 999 }),
        async (base, missing, whole, units, k, permille) => {
          const surplus = whole * units; // whole units of base, in quote
          // Region A: base short (base reserve below its target), quote long by `surplus` raw units.
          const quoteTarget = 10n ** 24n;
          const p: PoolMath = {
            baseReserve: base,
            quoteReserve: quoteTarget + surplus,
            baseTarget: base + missing,
            quoteTarget,
            region: Region.A,
            baseScale: 1n,
            quoteScale: 1n,
            price: { num: whole, den: 1n },
            k,
            baseFee: 0n,
            maxFee: 0n,
            tau: 0n,
            protocolShare: 0n,
          };
          const toEq = shortTargetWad(base, (surplus * W) / whole, k, false) / W - base;
          const amountIn = (toEq * BigInt(permille)) / 1000n;
          fc.pre(amountIn > 0n);
          const r = await quoteInBoth(harness, p, "sellBase", amountIn);
          if (!r.ok) throw new Error(r.error);
          const exact = exactSwap({
            base: Fraction.of(base),
            quote: Fraction.of(p.quoteReserve),
            baseTarget: Fraction.of(p.baseTarget),
            quoteTarget: Fraction.of(quoteTarget),
            region: "A",
            price: Fraction.of(whole),
            k: new Fraction(k, W),
            baseFee: Fraction.of(0n),
            maxFee: Fraction.of(0n),
            tau: Fraction.of(0n),
            feeFloor: Fraction.of(0n),
            surgeWidth: Fraction.of(1n),
            side: "sellBase",
            amountIn: Fraction.of(amountIn),
          });
          if (exact.revert) throw new Error("exact math refuses a leg toward the target");
          expect(r.quote.amountOut <= exact.netOutFloor, `out ${r.quote.amountOut} > ${exact.netOutFloor}`).to.equal(
            true,
          );
        },
      ),
      // At least 200 runs: a flip that pays a wei above exact shows in a few percent of these cases.
      { numRuns: Math.max(RUNS, 200) },
    );
  });
});
