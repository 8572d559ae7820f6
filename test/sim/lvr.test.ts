import { expect } from "chai";
import { defaultSimConfig } from "../../sim/config";
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
