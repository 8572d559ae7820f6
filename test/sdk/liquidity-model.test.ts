import { expect } from "chai";
import fc from "fast-check";
import { sqrt } from "../../sdk/fullMath";
import { applyDeposit, depositLimits, depositLossBoundWad, quoteDeposit, quoteSync } from "../../sdk/liquidity";
import type { DepositQuote } from "../../sdk/liquidity";
import { PoolMath, quoteExactIn, Region, SwapSide, WAD } from "../../sdk/math";
import type { PoolSnapshot } from "../../sdk/state";
import { poolArb, sideArb } from "../helpers/arbitraries";
import { equilibriumValue, poolValue, sizeOf, TraderBook, valueOf } from "../helpers/retune";

/**
 * Issue 11 on the SDK's model of the pool (the same integer rules as `LiquidityLogic`, checked against the
 * chain in test/pool/liquidity-sync.test.ts and liquidity-sandwich.test.ts): deposit sandwiches against the
 * SDK's limits, and syncs of balances that shrank or grew, with any trades around them.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** A snapshot carrying only what the liquidity functions read. */
function snapshot(math: PoolMath, totalSupply: bigint): PoolSnapshot {
  return {
    paused: false,
    totalSupply,
    math,
    params: { k: math.k, baseFee: math.baseFee, maxFee: math.maxFee, tau: math.tau },
    pendingK: null,
    protocolFees: { base: 0n, quote: 0n },
  } as unknown as PoolSnapshot;
}

/** The same pool as a fresh one seeded at its current reserves: region ONE, targets = scaled reserves. */
function atEquilibrium(p: PoolMath): PoolMath {
  return {
    ...p,
    region: Region.ONE,
    baseTarget: p.baseReserve * p.baseScale,
    quoteTarget: p.quoteReserve * p.quoteScale,
    // realistic fees: the bound's fee term is linear in them
    baseFee: p.baseFee % 10_000n,
    maxFee: (p.baseFee % 10_000n) + (p.maxFee % 50_000n),
  };
}

const other = (side: SwapSide): SwapSide => (side === "sellBase" ? "sellQuote" : "sellBase");
const premium = (p: PoolMath): bigint => poolValue(p) - equilibriumValue(p);

describe("liquidity on the SDK model (issue 11)", function () {
  it(`deposit sandwich (${RUNS} runs): against depositLimits the deposit reverts, or the victim loses at most the slippage's bound, the attacker no more than the victim, the other LPs nothing`, function () {
    let accepted = 0;
    let refused = 0;
    let attackerWon = 0;
    fc.assert(
      fc.property(
        poolArb(),
        sideArb,
        fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 9000 })), // push, bp of the output side's value
        fc.integer({ min: 1, max: 3000 }), // deposit, permille of the pool
        fc.integer({ min: 1, max: 300 }), // slippage, bps
        fc.integer({ min: 0, max: 1000 }), // unwind, permille of what the push received
        (raw, side, pushBp, sizePermille, bps, unwindPermille) => {
          const p0 = atEquilibrium(raw);
          const supply = sqrt(p0.baseReserve * p0.baseScale * p0.quoteReserve * p0.quoteScale);
          fc.pre(supply > 10_000n);
          const s0 = snapshot(p0, supply);
          const f = BigInt(sizePermille);
          let q0: DepositQuote;
          try {
            q0 = quoteDeposit(s0, (p0.baseReserve * f) / 1000n + 1n, (p0.quoteReserve * f) / 1000n + 1n);
          } catch {
            return; // too small to mint a share
          }
          const lim = depositLimits(q0, bps);
          fc.pre(lim.baseMin >= 1_000_000n && lim.quoteMin >= 1_000_000n);

          const attacker = new TraderBook();
          const push = (sizeOf(p0, side, 1000) * BigInt(pushBp)) / 10_000n;
          const p1 = attacker.swap(p0, side, push);
          fc.pre(attacker.swaps === 1);
          let q1: DepositQuote;
          try {
            q1 = quoteDeposit({ ...s0, math: p1 }, lim.baseMax, lim.quoteMax);
          } catch {
            refused++;
            return;
          }
          if (q1.baseIn < lim.baseMin || q1.quoteIn < lim.quoteMin || q1.shares < lim.minShares) {
            refused++;
            return;
          }
          accepted++;
          const s2 = applyDeposit({ ...s0, math: p1 }, q1);
          // The attacker sells back part or all of what the push paid it.
          const received = receivedBy(p0, side, push);
          const p3 = attacker.swap(s2.math, other(side), (received * BigInt(unwindPermille)) / 1000n);
          const paid = valueOf(p0, q1.baseIn, q1.quoteIn);
          const victimAfter = (poolValue(p3) * q1.shares) / s2.totalSupply;
          const loss = paid - victimAfter;
          // The bound: k d^2 / (1 + d) of what was paid, d the largest ratio move the limits accept,
          // widened by the fee the push left in the pool and the rounding of amounts to whole units.
          const moveWad = maxRatioMoveWad(lim.baseMax, lim.baseMin, lim.quoteMax, lim.quoteMin);
          const dWad =
            (moveWad * (1_000_000n + p0.maxFee)) / 1_000_000n + (2n * WAD) / lim.baseMin + (2n * WAD) / lim.quoteMin;
          const boundWad = (p0.k * dWad * dWad) / ((WAD + dWad) * WAD) + 1n;
          const unit = poolValue(p0) / supply + valueOf(p0, 1n, 1n); // a share's and a unit's worth of rounding
          expect(loss <= (paid * boundWad) / WAD + 2n * unit, `loss ${loss} of ${paid}`).to.equal(true);
          // What the attacker won (every leg at p, the part of the push it kept included) came out of the
          // victim's loss.
          const gain = attacker.gain;
          if (gain > 0n) attackerWon++;
          expect(gain <= (loss > 0n ? loss : 0n) + 2n * unit, `gain ${gain} loss ${loss}`).to.equal(true);
          // The LPs before the deposit lose nothing.
          const othersAfter = (poolValue(p3) * (s2.totalSupply - q1.shares)) / s2.totalSupply;
          expect(othersAfter + 2n * unit >= poolValue(p0)).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`      ${accepted} deposits taken, ${refused} refused; the attacker ended ahead in ${attackerWon}`);
    expect(accepted).to.be.gt(RUNS / 20);
    expect(refused).to.be.gt(RUNS / 20);
  });

  it("the bound: k d^2 / (1 + d) with d = s / (1 - s), rounded up", function () {
    expect(depositLossBoundWad(0n, 50)).to.equal(0n);
    // k = 1, s = 0.5 %: d = 0.005025..., d^2 / (1 + d) = 2.5125e-5
    const b = depositLossBoundWad(WAD, 50);
    expect(b).to.be.within(25_125n * 10n ** 9n, 25_127n * 10n ** 9n);
    expect(depositLossBoundWad(WAD / 5n, 50)).to.be.within(b / 5n, b / 5n + 1n);
  });

  it(`sync (${RUNS} runs): any shrink or growth of either balance lowers the reserves to it, keeps a valid state and never raises the premium a trader can take back`, function () {
    fc.assert(
      fc.property(poolArb(), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (p, fb, fq) => {
        const s = snapshot(p, 10n ** 18n);
        const nb = (p.baseReserve * BigInt(fb)) / 1000n;
        const nq = (p.quoteReserve * BigInt(fq)) / 1000n;
        let next: PoolSnapshot;
        try {
          next = quoteSync(s, nb, nq);
        } catch {
          return expect.fail("sync must never fail");
        }
        const m = next.math;
        // Lowered to the balance, never raised above the reserve (growth stays out).
        expect(m.baseReserve).to.equal(nb < p.baseReserve ? nb : p.baseReserve);
        expect(m.quoteReserve).to.equal(nq < p.quoteReserve ? nq : p.quoteReserve);
        if (m.region === Region.A) expect(m.quoteReserve * m.quoteScale > m.quoteTarget).to.equal(true);
        if (m.region === Region.B) expect(m.baseReserve * m.baseScale > m.baseTarget).to.equal(true);
        if (m.region === Region.ONE) {
          expect([m.baseTarget, m.quoteTarget]).to.deep.equal([
            m.baseReserve * m.baseScale,
            m.quoteReserve * m.quoteScale,
          ]);
        }
        if (m.baseReserve === 0n || m.quoteReserve === 0n) return; // nothing left to trade
        const unit = valueOf(p, 2n, 2n) + p.price.num + p.price.den; // derived-target rounding
        expect(premium(m) <= premium(p) + unit, `premium ${premium(m)} > ${premium(p)}`).to.equal(true);
        expect(premium(m) + unit >= 0n).to.equal(true);
        expect(quoteSync(next, m.baseReserve, m.quoteReserve).math).to.deep.equal(m); // idempotent
      }),
      { numRuns: RUNS },
    );
  });

  it(`push, rebase, sync, unwind (${RUNS} runs): the trader never ends ahead at the oracle price`, function () {
    fc.assert(
      fc.property(
        poolArb(),
        sideArb,
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 500, max: 1500 }),
        fc.integer({ min: 500, max: 1500 }),
        fc.boolean(),
        (raw, side, pushPermille, fb, fq, syncFirst) => {
          let p = atEquilibrium(raw);
          const rebase = (m: PoolMath): PoolMath =>
            quoteSync(
              snapshot(m, 10n ** 18n),
              (m.baseReserve * BigInt(fb)) / 1000n,
              (m.quoteReserve * BigInt(fq)) / 1000n,
            ).math;
          if (syncFirst) p = rebase(p);
          fc.pre(p.baseReserve > 0n && p.quoteReserve > 0n);
          const trader = new TraderBook();
          const push = sizeOf(p, side, pushPermille);
          const before = p;
          p = trader.swap(p, side, push);
          fc.pre(trader.swaps === 1);
          const received = receivedBy(before, side, push);
          if (!syncFirst) p = rebase(p);
          fc.pre(p.baseReserve > 0n && p.quoteReserve > 0n);
          trader.swap(p, other(side), received);
          const unit = valueOf(before, 2n, 2n) + before.price.num + before.price.den;
          expect(trader.gain <= unit, `gain ${trader.gain}`).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** What a push of `amountIn` on `p` paid out (the exact-in swap's output). */
function receivedBy(p: PoolMath, side: SwapSide, amountIn: bigint): bigint {
  return quoteExactIn(p, side, amountIn).amountOut;
}

/** max(baseMax / baseMin, quoteMax / quoteMin) - 1, WAD, rounded up. */
function maxRatioMoveWad(baseMax: bigint, baseMin: bigint, quoteMax: bigint, quoteMin: bigint): bigint {
  const up = (a: bigint, b: bigint) => (a * WAD + b - 1n) / b;
  const r = up(baseMax, baseMin) > up(quoteMax, quoteMin) ? up(baseMax, baseMin) : up(quoteMax, quoteMin);
  return r - WAD;
}
