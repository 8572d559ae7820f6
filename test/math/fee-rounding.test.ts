import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { PoolMath, Region, WAD } from "../../sdk/math";
import { applyQuote } from "../helpers/arbitraries";
import { deployHarness, quoteInBoth } from "../helpers/harness";

/**
 * The fee of DESIGN §2 against its exact rational value, for the mutation check (issue 17): every
 * rounding of the fee, of its effective rate and of the mean away rate favours the pool (never below
 * exact, at most a few units above), fLo = max(baseFee, feeFloor), fHi = max(maxFee, fLo), and volume
 * toward the target pays baseFee only. The exact value is written here from the rule, not from the
 * code: from equilibrium, selling base moves the quote side away, its deficit grows by the gross output
 * g, so the imbalance runs over [0, g / V] (V = Q0 + p B0), and the rate is the mean of
 * r(I) = fLo + (fHi - fLo) * clamp((I - tau) / width, 0, 1) over that interval.
 * PROPERTY_RUNS (default 200) runs per property; the pools are 18/18 decimals at price 1, so the scaled
 * units are the raw ones.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const PIPS = 1_000_000n;

/** Fee parameters: any order of baseFee, feeFloor and maxFee, a ramp anywhere in [0, 1]. */
const feeArb = fc.record({
  baseFee: fc.bigInt(0n, 5_000n),
  maxFee: fc.bigInt(0n, 50_000n),
  feeFloor: fc.bigInt(0n, 20_000n),
  tau: fc.oneof(fc.constant(0n), fc.bigInt(0n, WAD / 5n)),
  surgeWidth: fc.oneof(fc.constant(WAD), fc.bigInt(1n, WAD / 10n), fc.bigInt(WAD / 10n, WAD)),
  k: fc.oneof(fc.constant(0n), fc.constant(WAD), fc.bigInt(1n, WAD - 1n)),
  /** Reserve in whole tokens: large, so that sub-wei rate roundings show in the fee. */
  size: fc.oneof(fc.constant(1_000n), fc.bigInt(10n ** 6n, 10n ** 12n)),
});

type FeeParams = typeof feeArb extends fc.Arbitrary<infer T> ? T : never;

function pool(f: FeeParams): PoolMath {
  const r = f.size * WAD;
  return {
    baseReserve: r,
    quoteReserve: r,
    baseTarget: r,
    quoteTarget: r,
    region: Region.ONE,
    baseScale: 1n,
    quoteScale: 1n,
    price: { num: 1n, den: 1n },
    k: f.k,
    baseFee: f.baseFee,
    maxFee: f.maxFee,
    feeFloor: f.feeFloor,
    tau: f.tau,
    surgeWidth: f.surgeWidth,
    protocolShare: 0n,
  };
}

/** fLo and fHi from the rule: the floor lifts the base rate, the max never drops below it. */
function rates(f: FeeParams): [bigint, bigint] {
  const lo = f.feeFloor > f.baseFee ? f.feeFloor : f.baseFee;
  return [lo, f.maxFee > lo ? f.maxFee : lo];
}

/**
 * The exact mean rate over [0, g / V] as num / den pips. Everything is scaled by V * 1e18: the interval's
 * end A = g 1e18, tau T = tau V, width W = width V; the clamp's integral is (min(A, T + W) - T)^2 / (2W)
 * plus (A - T - W) past the ramp, and the mean is that over A.
 */
function exactRate(f: FeeParams, g: bigint, value: bigint): { num: bigint; den: bigint } {
  const [lo, hi] = rates(f);
  const a = g * WAD;
  const t = f.tau * value;
  const w = f.surgeWidth * value;
  if (a <= t || hi === lo) return { num: lo, den: 1n };
  const s = a < t + w ? a : t + w;
  const rampNum = (s - t) * (s - t) + (a > t + w ? 2n * w * (a - t - w) : 0n);
  const den = 2n * w * a;
  return { num: lo * den + (hi - lo) * rampNum, den };
}

describe("fee roundings against the exact rule (mutation check, issue 17)", function () {
  it("away from equilibrium: fee and effective rate never below exact, at most a few units above", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        feeArb,
        fc.integer({ min: 1, max: 300 }),
        fc.bigInt(0n, 10n ** 18n),
        async (f, permille, dust) => {
          const p = pool(f);
          const amountIn = (p.baseReserve * BigInt(permille)) / 1000n + dust;
          const out = await quoteInBoth(harness, p, "sellBase", amountIn);
          expect(out.ok, `quote failed: ${out.ok ? "" : out.error}`).to.equal(true);
          if (!out.ok) return;
          const q = out.quote;
          const g = q.grossOut;
          if (g === 0n) return;
          const value = p.quoteTarget + p.baseTarget; // price 1
          const { num, den } = exactRate(f, g, value);
          const [lo, hi] = rates(f);
          // fee * 1e6 >= g * rate exactly. Above it: the fee's own rounding (1 wei), the mean's (1e-18 of
          // hi - lo), and the imbalance end rounded up by 1e-18, which moves the mean by at most
          // (hi - lo) 1e-18 / I1 = (hi - lo) 1e-18 V / g: in all at most (hi - lo + 1)(V + g) / 1e24 + 2 wei.
          const slack = ((hi - lo + 1n) * (value + g)) / (PIPS * WAD) + 2n;
          expect(
            q.feeAmount * PIPS * den <= g * num + slack * PIPS * den,
            `fee ${q.feeAmount} too far above exact`,
          ).to.equal(true);
          // the effective rate in whole pips, rounded up: ceil(exact), or one above from the sub-unit roundings
          const ceil = (num + den - 1n) / den;
          expect(q.feePips === ceil || q.feePips === ceil + 1n, `feePips ${q.feePips}, exact ${num}/${den}`).to.equal(
            true,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("toward the target: baseFee only, the fee rounded up, whatever the surge parameters", async function () {
    const harness = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        feeArb,
        fc.integer({ min: 50, max: 300 }),
        fc.integer({ min: 1, max: 900 }),
        async (f, permille, share) => {
          const p = pool(f);
          const away = await quoteInBoth(harness, p, "sellBase", (p.baseReserve * BigInt(permille)) / 1000n);
          if (!away.ok) throw new Error(away.error);
          const imbalanced = applyQuote(p, away.quote);
          // pay back part of the quote taken: the base bought back stays below its surplus over target
          const back = (away.quote.amountOut * BigInt(share)) / 1000n + 7n;
          const out = await quoteInBoth(harness, imbalanced, "sellQuote", back);
          expect(out.ok, `toward quote failed: ${out.ok ? "" : out.error}`).to.equal(true);
          if (!out.ok) return;
          const q = out.quote;
          expect(q.baseReserveAfter >= q.baseTargetAfter, "the toward leg did not cross").to.equal(true);
          expect(q.feeAmount, "fee = ceil(gross * baseFee / 1e6)").to.equal(
            (q.grossOut * f.baseFee + PIPS - 1n) / PIPS,
          );
          if (q.grossOut > 0n) expect(q.feePips).to.equal(f.baseFee);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("a fee that is not a whole wei rounds up: 3,000 pips flat on 1,234,567 wei is 3,704, not 3,703", async function () {
    const harness = await loadFixture(deployHarness);
    const f: FeeParams = { baseFee: 3000n, maxFee: 3000n, feeFloor: 0n, tau: 0n, surgeWidth: WAD, k: 0n, size: 1000n };
    const out = await quoteInBoth(harness, pool(f), "sellBase", 1_234_567n);
    if (!out.ok) throw new Error(out.error);
    // k = 0 at price 1: the gross output is the input
    expect(out.quote.grossOut).to.equal(1_234_567n);
    expect(out.quote.feeAmount).to.equal(3704n);
    expect(out.quote.feePips).to.equal(3000n);
  });
});
