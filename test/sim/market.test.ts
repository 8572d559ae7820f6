import { expect } from "chai";
import { noiseSwap, routeNoise, bestArbitrage, inputFor, valueFill } from "../../sim/agents";
import { CexVenue } from "../../sim/cex";
import { CpVenue, cpAmountOut, type CpState } from "../../sim/cpmm";
import { toAnswer } from "../../sim/feed";
import { planFrontRun } from "../../sim/frontrun";
import { SECONDS_PER_YEAR } from "../../sim/gbm";
import { jumpDiffusionPath } from "../../sim/price";
import { Rng } from "../../sim/prng";
import { skewParams } from "../../sim/scenarios";
import { skewPool, SkewVenue } from "../../sim/skew";
import { v3Position, V3Venue } from "../../sim/v3";
import type { Tokens, Venue } from "../../sim/venue";

const TOKENS: Tokens = { baseDecimals: 18, quoteDecimals: 6 };

describe("simulator: jump diffusion", function () {
  it("is a martingale with the configured jump rate and sizes", function () {
    const cfg = { s0: 100, sigma: 0.8, dtSeconds: 12, jumps: { perDay: 24, meanLog: -0.01, sdLog: 0.03 } };
    const steps = 7200;
    let sumRatio = 0;
    let jumps = 0;
    let sumJ = 0;
    const n = 60;
    for (let p = 0; p < n; p++) {
      const path = jumpDiffusionPath(new Rng(5, "price", p), new Rng(5, "jumps", p), cfg, steps);
      sumRatio += path.prices[steps] / cfg.s0;
      jumps += path.jumps.length;
      for (const j of path.jumps) sumJ += j.logSize;
    }
    // One day at sigma 80 % plus 24 jumps of sd 3 %: sd of S_T / S_0 about 0.16; mean within 3 s.e.
    expect(sumRatio / n).to.be.closeTo(1, 0.065);
    expect(jumps / n).to.be.closeTo(24, 24 * 0.1);
    expect(sumJ / jumps).to.be.closeTo(-0.01, 0.003);
  });

  it("shares its diffusion shocks with the jump-free path, and switches volatility at the regime change", function () {
    const base = { s0: 100, sigma: 0.4, dtSeconds: 12 };
    const plain = jumpDiffusionPath(new Rng(1, "price", 0), new Rng(1, "jumps", 0), base, 20_000);
    const jumpy = jumpDiffusionPath(
      new Rng(1, "price", 0),
      new Rng(1, "jumps", 0),
      { ...base, jumps: { perDay: 5, meanLog: 0, sdLog: 0.02 } },
      20_000,
    );
    expect(plain.jumps).to.have.length(0);
    expect(jumpy.jumps.length).to.be.greaterThan(0);
    // Before the first jump the paths differ only by the jump compensator's drift.
    const first = jumpy.jumps[0].block;
    const drift = Math.log(jumpy.prices[1] / plain.prices[1]);
    expect(drift).to.be.lessThan(0);
    for (let i = 1; i < first; i += Math.max(1, Math.floor(first / 50))) {
      expect(Math.log(jumpy.prices[i] / plain.prices[i])).to.be.closeTo(i * drift, 1e-9);
    }

    const regime = jumpDiffusionPath(
      new Rng(2, "price", 0),
      new Rng(2, "jumps", 0),
      { ...base, regime: { atBlock: 10_000, sigma: 1.2 } },
      20_000,
    );
    const realised = (from: number, to: number) => {
      let s = 0;
      for (let i = from + 1; i <= to; i++) s += Math.log(regime.prices[i] / regime.prices[i - 1]) ** 2;
      return Math.sqrt((s / (to - from)) * (SECONDS_PER_YEAR / 12));
    };
    expect(realised(0, 9_999)).to.be.closeTo(0.4, 0.02);
    expect(realised(10_000, 20_000)).to.be.closeTo(1.2, 0.05);
  });
});

describe("simulator: competing venues and routing", function () {
  it("concentrated liquidity: the position's value, constant product on virtual reserves, fills up to the range edge", function () {
    const { state, shape } = v3Position(TOKENS, 1_000_000, 2000, 0.1, 500n);
    const value = (Number(state.base) / 1e18) * 2000 + Number(state.quote) / 1e6;
    expect(value).to.be.closeTo(1_000_000, 1);
    const v3 = new V3Venue(TOKENS, shape, state);
    expect(v3.midPrice()).to.be.closeTo(2000, 0.01);
    const fill = v3.quote("sellBase", 10n ** 18n);
    if (fill === null) throw new Error("no fill");
    const expected = cpAmountOut(10n ** 18n, state.base + shape.baseOffset, state.quote + shape.quoteOffset, 500n);
    expect(fill.amountOut).to.equal(expected);
    expect(fill.after.feeBase).to.equal((10n ** 18n * 500n) / 1_000_000n);
    // Far more than the range holds: filled only to the edge, never past the real reserve.
    const huge = v3.quote("sellBase", 10_000n * 10n ** 18n);
    if (huge === null) throw new Error("no fill");
    expect(huge.amountIn < 10_000n * 10n ** 18n).to.equal(true);
    expect(huge.amountOut <= state.quote).to.equal(true);
    expect(Number(huge.after.quote)).to.be.lessThan(Number(state.quote) * 1e-6);
    v3.apply(huge);
    expect(v3.midPrice()).to.be.closeTo(2000 / 1.1, 2000 * 1e-4);
    expect(v3.quote("sellBase", 10n ** 18n)).to.equal(null); // nothing left to pay out
  });

  it("a CEX quote pays the true price less its half-spread, any size", function () {
    const cex = new CexVenue(TOKENS, 0.0015, 2000);
    const sell = cex.quote("sellBase", 10n ** 20n);
    expect(Number(sell?.amountOut) / 1e6).to.be.closeTo(100 * 2000 * 0.9985, 1e-3);
    cex.setPrice(2500);
    const buy = cex.quote("sellQuote", 2500n * 10n ** 6n);
    expect(Number(buy?.amountOut) / 1e18).to.be.closeTo(0.9985, 1e-9);
  });

  it("routes each order to the venue paying more, the pool on a tie, nowhere above the cost cap", function () {
    const pool: Venue<unknown> = new CpVenue(TOKENS, {
      base: 2500n * 10n ** 18n,
      quote: 5_000_000n * 10n ** 6n,
      fee: 3000n,
    }) as Venue<unknown>;
    const order = { side: "sellBase" as const, usd: 10_000 };
    const cheap = new CexVenue(TOKENS, 0.001, 2000);
    const dear = new CexVenue(TOKENS, 0.01, 2000);
    expect(routeNoise(pool, cheap, order, 2000, TOKENS, 100)?.venue).to.equal(cheap);
    expect(routeNoise(pool, dear, order, 2000, TOKENS, 100)?.venue).to.equal(pool);
    const twin = new CpVenue(TOKENS, { ...(pool.state as CpState) });
    expect(routeNoise(pool, twin, order, 2000, TOKENS, 100)?.venue).to.equal(pool);
    expect(routeNoise(pool, dear, order, 2000, TOKENS, 10)).to.equal(null);
    // The routed fill is the venue's own quote.
    const r = routeNoise(pool, dear, order, 2000, TOKENS, 100);
    expect(r?.fill).to.deep.equal(noiseSwap(pool, order, 2000, TOKENS, 100)?.fill);
  });

  it("arbitrage on a concentrated pool never loses and leaves nothing worth gas", function () {
    const { state, shape } = v3Position(TOKENS, 10_000_000, 2000, 0.2, 3000n);
    const v3 = new V3Venue(TOKENS, shape, state);
    const arb = { gasUsd: 5, maxTradesPerBlock: 1, sizeTol: 1e-5 };
    for (const price of [2010, 2100, 1900, 2600, 1500]) {
      const r = v3.reserves();
      const value = (Number(r.base) / 1e18) * price + Number(r.quote) / 1e6;
      const choice = bestArbitrage(v3, price, TOKENS, arb, value);
      if (choice === null) throw new Error(`no arbitrage at ${price}`);
      expect(choice.trade.valueOut - choice.trade.valueIn).to.be.greaterThan(5);
      v3.apply(choice.fill);
      expect(bestArbitrage(v3, price, TOKENS, arb, value)).to.equal(null);
    }
  });
});

describe("simulator: next-round front-runner", function () {
  const poolAt = (k: number, feeBps: number, maxBps = feeBps + 70, tau = 0.1) =>
    new SkewVenue(
      skewPool(
        TOKENS,
        2500n * 10n ** 18n,
        5_000_000n * 10n ** 6n,
        toAnswer(2000, 8),
        8,
        skewParams(k, feeBps, maxBps, tau),
      ),
    );

  it("takes a round trip worth more than twice gas when the round outruns two base fees", function () {
    const pool = poolAt(0.5, 15);
    const plan = planFrontRun(pool, toAnswer(2040, 8), 8, 2040, TOKENS, 5, 1e-4, 10_000_000);
    if (plan === null) throw new Error("no front-run of a 2 % round at 15 bp");
    expect(plan.leg1.fill.side).to.equal("sellQuote");
    // Execute both legs as the runner does and check the realised profit.
    pool.apply(plan.leg1.fill);
    pool.setPrice(toAnswer(2040, 8), 8);
    const back = pool.quote(plan.backSide, plan.leg1.fill.amountOut);
    if (back === null) throw new Error("no unwind");
    const profit = Number(back.amountOut - plan.leg1.fill.amountIn) / 1e6;
    expect(profit).to.be.greaterThan(10);
    const legs =
      valueFill(TOKENS, plan.leg1.fill, 2040).valueOut -
      plan.leg1.trade.valueIn +
      (valueFill(TOKENS, back, 2040).valueOut - valueFill(TOKENS, back, 2040).valueIn);
    expect(legs).to.be.closeTo(profit, Math.abs(profit) * 1e-6 + 1e-6);
  });

  it("does not trade a round smaller than two base fees, and a surge fee shrinks what it takes", function () {
    expect(planFrontRun(poolAt(0.5, 30), toAnswer(2008, 8), 8, 2008, TOKENS, 5, 1e-4, 10_000_000)).to.equal(null);
    const take = (pool: SkewVenue) => {
      const plan = planFrontRun(pool, toAnswer(2050, 8), 8, 2050, TOKENS, 5, 1e-4, 10_000_000);
      return plan === null ? 0 : Number(plan.leg1.fill.amountIn);
    };
    expect(take(poolAt(1, 30, 500, 0.01))).to.be.lessThan(take(poolAt(1, 30)));
    // inputFor is the size unit the search works in
    expect(inputFor(TOKENS, "sellQuote", 1, 2000)).to.equal(1_000_000n);
  });
});
