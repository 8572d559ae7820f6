import { expect } from "chai";
import { bestArbitrage, inputFor, valueFill, type ArbConfig } from "../../sim/agents";
import { DEFAULT_POLICY_CONFIG } from "../../keeper/config";
import { decide } from "../../keeper/policy";
import { defaultSimConfig, defaultSkewParams, defaultStrategies, keeperSetup } from "../../sim/config";
import { CpVenue } from "../../sim/cpmm";
import { answerAt, simulateFeed, toAnswer, type FeedConfig } from "../../sim/feed";
import { Rng } from "../../sim/prng";
import { runPath, type Strategy } from "../../sim/run";
import { makeScenario } from "../../sim/scenario";
import { skewPool, SkewVenue } from "../../sim/skew";
import type { Tokens, Venue } from "../../sim/venue";

const TOKENS: Tokens = { baseDecimals: 18, quoteDecimals: 6 };

describe("simulator: PRNG", function () {
  it("is deterministic per seed and stream", function () {
    const draw = (r: Rng) => [r.nextU32(), r.uniform(), r.normal(), r.poisson(3), r.logNormal(0, 1)];
    expect(draw(new Rng(42, "price", 3))).to.deep.equal(draw(new Rng(42, "price", 3)));
    expect(draw(new Rng(42, "price", 3))).to.not.deep.equal(draw(new Rng(43, "price", 3)));
    expect(draw(new Rng(42, "price", 3))).to.not.deep.equal(draw(new Rng(42, "noise", 3)));
    expect(draw(new Rng(42, "price", 3))).to.not.deep.equal(draw(new Rng(42, "price", 4)));
  });

  it("draws with the right moments", function () {
    const r = new Rng(7);
    const n = 200_000;
    let u = 0;
    let z = 0;
    let z2 = 0;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const x = r.uniform();
      if (!(x > 0 && x < 1)) throw new Error(`uniform out of (0, 1): ${x}`);
      u += x;
      const g = r.normal();
      z += g;
      z2 += g * g;
      p += r.poisson(0.7);
    }
    expect(u / n).to.be.closeTo(0.5, 0.005);
    expect(z / n).to.be.closeTo(0, 0.01);
    expect(z2 / n).to.be.closeTo(1, 0.01);
    expect(p / n).to.be.closeTo(0.7, 0.01);
    let big = 0;
    for (let i = 0; i < 20_000; i++) big += r.poisson(75);
    expect(big / 20_000).to.be.closeTo(75, 0.3);
  });

  it("replays a whole path identically, and every strategy sees the same scenario", function () {
    const cfg = { ...defaultSimConfig(), blocks: 600, warmupBlocks: 300 };
    const strategies: Strategy[] = [{ name: "cp", kind: "cp", fee: 3000n }];
    const a = runPath(cfg, strategies, 9, 2);
    const b = runPath(cfg, strategies, 9, 2);
    expect(a.runs[0].metrics).to.deep.equal(b.runs[0].metrics);
    expect(Array.from(a.scenario.prices)).to.deep.equal(Array.from(makeScenario(cfg, 9, 2).prices));
    expect(Array.from(makeScenario(cfg, 9, 3).prices)).to.not.deep.equal(Array.from(a.scenario.prices));
  });
});

describe("simulator: feed", function () {
  const clock = { startTime: 1_000_000, blockTime: 12 };
  const cfg: FeedConfig = { deviation: 0.005, heartbeat: 3600, lagBlocks: 2, decimals: 8 };

  it("updates on the heartbeat when the price is still", function () {
    const prices = new Float64Array(1000).fill(2000);
    const feed = simulateFeed(prices, cfg, clock);
    // 3600 s = 300 blocks: submitted at blocks 300, 600, 900, landing 2 blocks later.
    expect(feed.rounds.map((r) => r.block)).to.deep.equal([0, 302, 602, 902]);
    expect(feed.rounds.map((r) => r.updatedAt - clock.startTime)).to.deep.equal([0, 302 * 12, 602 * 12, 902 * 12]);
    expect(answerAt(feed, 301)).to.equal(toAnswer(2000, 8));
  });

  it("updates on a deviation, after the lag, and not below the threshold", function () {
    const prices = new Float64Array(200).fill(2000);
    for (let b = 10; b < 200; b++) prices[b] = 2009; // +0.45 %: below the threshold
    for (let b = 50; b < 200; b++) prices[b] = 2011; // +0.55 %: triggers at block 50
    for (let b = 120; b < 200; b++) prices[b] = 2000; // -0.55 % from 2011: triggers at block 120
    const feed = simulateFeed(prices, cfg, clock);
    expect(feed.rounds.map((r) => r.block)).to.deep.equal([0, 52, 122]);
    expect(answerAt(feed, 51)).to.equal(toAnswer(2000, 8));
    expect(answerAt(feed, 52)).to.equal(toAnswer(2011, 8));
    expect(answerAt(feed, 121)).to.equal(toAnswer(2011, 8));
    expect(answerAt(feed, 199)).to.equal(toAnswer(2000, 8));
  });

  it("resets the heartbeat on a deviation update", function () {
    const prices = new Float64Array(700).fill(2000);
    for (let b = 100; b < 700; b++) prices[b] = 2020;
    const feed = simulateFeed(prices, { ...cfg, lagBlocks: 0 }, clock);
    expect(feed.rounds.map((r) => r.block)).to.deep.equal([0, 100, 400]);
  });
});

describe("simulator: arbitrageur", function () {
  const arb: ArbConfig = { gasUsd: 5, maxTradesPerBlock: 1, sizeTol: 1e-4 };

  /** Random walks a venue with price moves and noise swaps; checks every arbitrage on the way. */
  function check<S>(venue: Venue<S>, moveFeed: (price: number) => void, seed: number): number {
    const rng = new Rng(seed, "arb-test");
    let price = 2000;
    let trades = 0;
    for (let i = 0; i < 300; i++) {
      price *= Math.exp(0.004 * rng.normal());
      if (rng.bernoulli(0.3)) moveFeed(price * (1 + 0.002 * rng.normal()));
      const side = rng.bernoulli(0.5) ? "sellBase" : "sellQuote";
      const noise = venue.quote(side, inputFor(TOKENS, side, rng.logNormal(Math.log(20_000), 1.5), price));
      if (noise !== null) venue.apply(noise);
      const r = venue.reserves();
      const value = (Number(r.base) / 1e18) * price + Number(r.quote) / 1e6;
      const choice = bestArbitrage(venue, price, TOKENS, arb, value);
      if (choice === null) continue;
      const profit = choice.trade.valueOut - choice.trade.valueIn;
      expect(profit, `trade ${i}`).to.be.greaterThan(arb.gasUsd);
      // The size is (near) optimal: 2 % more or less does not earn more.
      for (const f of [0.98, 1.02]) {
        const alt = venue.quote(choice.fill.side, (choice.fill.amountIn * BigInt(Math.round(f * 1000))) / 1000n);
        if (alt === null) continue;
        const t = valueFill(TOKENS, alt, price);
        expect(t.valueOut - t.valueIn).to.be.at.most(profit + 1e-6 * Math.abs(profit));
      }
      venue.apply(choice.fill);
      trades++;
      // Right after, no profitable arbitrage is left at the same price.
      expect(bestArbitrage(venue, price, TOKENS, { ...arb, gasUsd: 5 }, value)).to.equal(null);
    }
    return trades;
  }

  it("never trades at a loss and trades near-optimally on Skew", function () {
    for (const seed of [1, 2, 3]) {
      const pool = skewPool(
        TOKENS,
        2500n * 10n ** 18n,
        5_000_000n * 10n ** 6n,
        toAnswer(2000, 8),
        8,
        defaultSkewParams(30),
      );
      const venue = new SkewVenue(pool);
      const trades = check(venue, (p) => venue.setPrice(toAnswer(p, 8), 8), seed);
      expect(trades).to.be.greaterThan(10);
    }
  });

  it("never trades at a loss and trades near-optimally on constant product", function () {
    for (const seed of [1, 2, 3]) {
      const venue = new CpVenue(TOKENS, { base: 2500n * 10n ** 18n, quote: 5_000_000n * 10n ** 6n, fee: 3000n });
      const trades = check(venue, () => undefined, seed);
      expect(trades).to.be.greaterThan(10);
    }
  });

  it("in a full run, every arbitrage earns more than gas and every keeper update is accepted", function () {
    const cfg = { ...defaultSimConfig(), blocks: 1200, warmupBlocks: 1200 };
    const strategies = defaultStrategies(keeperSetup(decide, DEFAULT_POLICY_CONFIG));
    for (const seed of [1, 2]) {
      for (const run of runPath(cfg, strategies, seed, 0).runs) {
        const m = run.metrics;
        expect(m.arbTrades, run.strategy).to.be.greaterThan(0);
        expect(m.minArbProfitUsd, run.strategy).to.be.greaterThan(cfg.arb.gasUsd);
        expect(m.keeperRejected, run.strategy).to.equal(0);
      }
    }
  });

  it("takes the closed-form constant-product arbitrage with no fee", function () {
    const venue = new CpVenue(TOKENS, { base: 2500n * 10n ** 18n, quote: 5_000_000n * 10n ** 6n, fee: 0n });
    const price = 2100;
    const choice = bestArbitrage(venue, price, TOKENS, { ...arb, gasUsd: 0, sizeTol: 1e-8 }, 10_000_000);
    if (choice === null) throw new Error("no arbitrage found");
    // Arbitrage moves the pool to the true price: base = sqrt(K / P).
    const k = 2500 * 5_000_000;
    const expectedIn = 5_000_000 * (Math.sqrt(price / 2000) - 1); // quote paid in
    expect(Number(choice.fill.amountIn) / 1e6).to.be.closeTo(expectedIn, expectedIn * 1e-4);
    venue.apply(choice.fill);
    expect(venue.midPrice()).to.be.closeTo(price, price * 1e-4);
    expect((Number(venue.state.base) / 1e18) * (Number(venue.state.quote) / 1e6)).to.be.closeTo(k, k * 1e-9);
  });
});
