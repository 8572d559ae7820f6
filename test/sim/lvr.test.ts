import { expect } from "chai";
import { bestArbitrage } from "../../sim/agents";
import { defaultSimConfig } from "../../sim/config";
import { CpVenue } from "../../sim/cpmm";
import { toAnswer } from "../../sim/feed";
import { SECONDS_PER_YEAR } from "../../sim/gbm";
import { jumpDiffusionPath, poissonBlockPath } from "../../sim/price";
import { Rng } from "../../sim/prng";
import { skewPool, SkewVenue } from "../../sim/skew";
import { runPath, type SimConfig, type Strategy } from "../../sim/run";

/**
 * Validation against theory: with no fee, no gas and an arbitrageur who trades every block,
 * a constant-product pool loses sigma^2 / 8 of its value per unit time to arbitrage (the
 * loss-versus-rebalancing rate of Milionis, Moallemi, Roughgarden & Zhang, 2022). The
 * estimate's relative noise over N blocks is about sqrt(2 / N): 4 x 25,000 blocks give ~0.5 %.
 */
describe("simulator: loss-versus-rebalancing", function () {
  const SEEDS = [11, 22, 33, 44];
  const SIGMA = 1.0;

  function lvrConfig(): SimConfig {
    const cfg = defaultSimConfig();
    return {
      ...cfg,
      blocks: 25_000,
      warmupBlocks: 0,
      sigma: SIGMA,
      noise: { ...cfg.noise, ratePerBlock: 0 },
      arb: { gasUsd: 0, maxTradesPerBlock: 1, sizeTol: 1e-6 },
      recordEvery: 0,
    };
  }

  it("constant product, fee 0: loss to arbitrage = sigma^2 / 8 of pool value per year, within 10 %", function () {
    const cfg = lvrConfig();
    const cp: Strategy[] = [{ name: "cp", kind: "cp", fee: 0n }];
    let loss = 0;
    let expected = 0;
    for (const seed of SEEDS) {
      const m = runPath(cfg, cp, seed, 0).runs[0].metrics;
      expect(m.arbTrades).to.be.greaterThan(cfg.blocks * 0.95); // arbitraged (nearly) every block
      loss += m.arbProfitUsd;
      expected += ((SIGMA * SIGMA) / 8) * m.valueYears;
    }
    const ratio = loss / expected;
    console.log(
      `      measured / theory = ${ratio.toFixed(4)} (loss $${loss.toFixed(0)}, theory $${expected.toFixed(0)})`,
    );
    expect(ratio).to.be.within(0.9, 1.1);
  });

  it("a fee cuts the constant-product loss to arbitrage below the LVR rate", function () {
    const cfg = { ...lvrConfig(), blocks: 10_000 };
    const strategies: Strategy[] = [
      { name: "fee 0", kind: "cp", fee: 0n },
      { name: "fee 30 bp", kind: "cp", fee: 3000n },
    ];
    const [free, fee] = runPath(cfg, strategies, 5, 0).runs.map((r) => r.metrics);
    expect(fee.arbProfitUsd).to.be.lessThan(free.arbProfitUsd);
    expect(fee.arbTrades).to.be.lessThan(free.arbTrades);
  });
});

/**
 * Loss to arbitrage with fees and discrete blocks: Milionis, Moallemi & Roughgarden (2023),
 * "Automated Market Making and Arbitrage Profits in the Presence of Fees". With blocks arriving
 * as a Poisson process of rate lambda and a fee gamma (log-price no-trade band [-gamma, gamma]),
 * the arbitrageurs' profit rate is LVR x P_trade with P_trade = 1 / (1 + gamma sqrt(2 lambda) / sigma)
 * (the probability that a block has a profitable trade), for a constant-product pool LVR = sigma^2 / 8
 * of its value. A Uniswap fee f on the input gives gamma = -ln(1 - f).
 */
describe("simulator: loss to arbitrage with fees, Poisson blocks and gas (MMR closed form)", function () {
  const TOKENS = { baseDecimals: 18, quoteDecimals: 6 };
  const SIGMA = 1.0;
  const DT = 12;

  /** Runs an arbitrageur over Poisson blocks; returns (measured loss, sum of value x years, trade share). */
  function run(fee: bigint, gasUsd: number, seed: number, blocks: number) {
    const { prices, gaps } = poissonBlockPath(new Rng(seed, "mmr"), 2000, SIGMA, DT, blocks);
    const venue = new CpVenue(TOKENS, { base: 5000n * 10n ** 18n, quote: 10_000_000n * 10n ** 6n, fee });
    const arb = { gasUsd, maxTradesPerBlock: 1, sizeTol: 1e-6 };
    let loss = 0;
    let valueYears = 0;
    let trades = 0;
    for (let i = 1; i <= blocks; i++) {
      const r = venue.reserves();
      const value = (Number(r.base) / 1e18) * prices[i] + Number(r.quote) / 1e6;
      valueYears += (value * gaps[i]) / SECONDS_PER_YEAR;
      const choice = bestArbitrage(venue, prices[i], TOKENS, arb, value);
      if (choice === null) continue;
      venue.apply(choice.fill);
      loss += choice.trade.valueOut - choice.trade.valueIn;
      trades++;
    }
    return { loss, valueYears, tradeShare: trades / blocks };
  }

  /** P_trade of the closed form for a fee in pips. */
  function pTrade(fee: bigint): number {
    const gamma = -Math.log(1 - Number(fee) / 1e6);
    const lambda = SECONDS_PER_YEAR / DT;
    return 1 / (1 + (gamma * Math.sqrt(2 * lambda)) / SIGMA);
  }

  for (const fee of [500n, 3000n]) {
    it(`fee ${Number(fee) / 100} bp: measured loss = sigma^2 / 8 x P_trade of pool value, within 10 %; trades in a P_trade share of blocks`, function () {
      let loss = 0;
      let expected = 0;
      let share = 0;
      const seeds = [1, 2, 3, 4];
      for (const seed of seeds) {
        const r = run(fee, 0, seed, 30_000);
        loss += r.loss;
        expected += ((SIGMA * SIGMA) / 8) * pTrade(fee) * r.valueYears;
        share += r.tradeShare / seeds.length;
      }
      console.log(
        `      fee ${Number(fee) / 100} bp: P_trade ${pTrade(fee).toFixed(4)}, trade share ${share.toFixed(4)}, measured / closed form ${(loss / expected).toFixed(4)}`,
      );
      expect(loss / expected).to.be.within(0.9, 1.1);
      expect(share).to.be.closeTo(pTrade(fee), pTrade(fee) * 0.1);
    });
  }

  it("gas acts like a longer block time: fewer trades, a larger take, still under the frictionless LVR", function () {
    // An arbitrageur who waits until a trade beats gas lets the mispricing grow, as a slower
    // block rate does; the closed form's P_trade rises with the block interval, so the loss rises,
    // but it never exceeds the fee-free rate sigma^2 / 8.
    const free = run(3000n, 0, 9, 10_000);
    const gas = run(3000n, 50, 9, 10_000);
    expect(gas.tradeShare).to.be.lessThan(free.tradeShare / 5);
    expect(gas.loss).to.be.greaterThan(free.loss);
    expect(gas.loss).to.be.lessThan(((SIGMA * SIGMA) / 8) * gas.valueYears);
  });
});

/**
 * The same law on Skew's own curve: with the oracle frozen (no rounds), a Skew pool is a fixed
 * curve, and with no fee an arbitrageur trading every block takes sigma^2 P^2 / 2 |dx/dP| per unit
 * time (Milionis et al.'s LVR for any curve), where |dx/dP| is the curve's marginal liquidity at
 * its price, measured here from the SDK's own quotes.
 */
describe("simulator: loss-versus-rebalancing on Skew's curve", function () {
  const TOKENS = { baseDecimals: 18, quoteDecimals: 6 };
  const SIGMA = 0.8;

  for (const k of [0.2, 1]) {
    it(`k ${k}, fee 0, frozen oracle: measured loss = integral of sigma^2 P^2 / 2 |dx/dP| dt, within 10 %`, function () {
      let loss = 0;
      let expected = 0;
      for (const seed of [1, 2]) {
        const prices = jumpDiffusionPath(
          new Rng(seed, "skew-lvr"),
          new Rng(seed, "none"),
          { s0: 2000, sigma: SIGMA, dtSeconds: 12 },
          4000,
        ).prices;
        const params = { k: BigInt(Math.round(k * 1e6)) * 10n ** 12n, baseFee: 0n, maxFee: 0n, tau: 10n ** 17n };
        const venue = new SkewVenue(
          skewPool(TOKENS, 5000n * 10n ** 18n, 10_000_000n * 10n ** 6n, toAnswer(2000, 8), 8, params),
        );
        const arb = { gasUsd: 0, maxTradesPerBlock: 1, sizeTol: 1e-7 };
        const dt = 12 / SECONDS_PER_YEAR;
        for (let i = 1; i < prices.length; i++) {
          // Marginal liquidity at the pool's price, from a small quote either way.
          const mid = venue.midPrice();
          const eps = 10n ** 16n; // 0.01 base
          const sell = venue.quote("sellBase", eps);
          const buy = venue.quote("sellQuote", (eps * BigInt(Math.round(mid * 1e6))) / 10n ** 18n);
          if (sell === null || buy === null) throw new Error("no quote");
          const dxdp =
            (Number(eps) / 1e18 + Number(buy.amountOut) / 1e18) /
            (new SkewVenue(buy.after).midPrice() - new SkewVenue(sell.after).midPrice());
          expected += ((SIGMA * SIGMA) / 2) * mid * mid * Math.abs(dxdp) * dt;
          const r = venue.reserves();
          const value = (Number(r.base) / 1e18) * prices[i] + Number(r.quote) / 1e6;
          const choice = bestArbitrage(venue, prices[i], TOKENS, arb, value);
          if (choice === null) continue;
          venue.apply(choice.fill);
          loss += choice.trade.valueOut - choice.trade.valueIn;
        }
      }
      console.log(`      k ${k}: measured / formula ${(loss / expected).toFixed(4)} (loss $${loss.toFixed(0)})`);
      expect(loss / expected).to.be.within(0.9, 1.1);
    });
  }
});
