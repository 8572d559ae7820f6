/**
 * The demo's command line, its constant-product baseline and its summary and chart. (The
 * market session itself runs in `npm run demo`; the market driver is exercised by the
 * browser tests in test/app.)
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { CommanderError } from "commander";
import { demoCommand } from "../../scripts/demo";
import { CpBaseline, emptyTally } from "../../scripts/lib/demoBaseline";
import { demoChart, summaryText, textTable } from "../../scripts/lib/demoReport";
import type { DemoPoint, DemoSummary } from "../../scripts/lib/demoReport";

const ROOT = path.resolve(__dirname, "..", "..");
const TOKENS = { baseDecimals: 18, quoteDecimals: 6 };
const ARB = { gasUsd: 2, maxTradesPerBlock: 1, sizeTol: 1e-5 };

function parse(args: string[]) {
  const cmd = demoCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  return cmd.parse(args, { from: "user" }).opts();
}

describe("demo", function () {
  describe("arguments", function () {
    for (const [args, message] of [
      [["--steps", "abc"], 'expected a whole number, got "abc"'],
      [["--steps", "2.5"], 'expected a whole number, got "2.5"'],
      [["--steps", "0"], "expected a whole number from 20 to 5000, got 0"],
      [["--sigma", "-1"], "expected a number from 0 to 5, got -1"],
      [["--sigma", "fast"], 'expected a number, got "fast"'],
      [["--seed", ""], 'expected a whole number, got ""'],
    ] as const) {
      it(`refuses ${args.join(" ")}`, function () {
        expect(() => parse([...args])).to.throw(CommanderError, message);
      });
    }

    it("takes valid values as numbers", function () {
      const o = parse(["--steps", "30", "--seed", "9", "--sigma", "0.5", "--cp-fee", "3000"]);
      expect(o).to.include({ steps: 30, seed: 9, sigma: 0.5, cpFee: 3000 });
    });

    it("`npm run demo -- --steps abc` exits with an error before starting anything", function (done) {
      this.timeout(60_000);
      const tsNode = path.join(ROOT, "node_modules", ".bin", "ts-node");
      execFile(
        tsNode,
        ["--transpile-only", "scripts/demo.ts", "--steps", "abc"],
        { cwd: ROOT },
        (err, stdout, stderr) => {
          expect(err?.code).to.equal(1);
          expect(stderr).to.contain("option '--steps <n>' argument 'abc' is invalid");
          expect(stdout).not.to.contain("starting a local Hardhat node");
          done();
        },
      );
    });
  });

  describe("constant-product baseline", function () {
    const make = () => new CpBaseline(TOKENS, 1000n * 10n ** 18n, 2_000_000n * 10n ** 6n, 3000n, ARB);

    it("a one-sided sale leaves it long base; its arbitrageur brings the mid back within the fee", function () {
      const cp = make();
      cp.order("flow", "sellBase", 200_000, 2000);
      expect(cp.inventory(2000)).to.be.greaterThan(0.01);
      expect(cp.mid()).to.be.lessThan(2000 * 0.99);
      expect(cp.tally.flowFees).to.be.closeTo(200_000 * 0.003, 1);
      cp.arbitrage(2000);
      expect(cp.tally.arbitrageSwaps).to.equal(1);
      expect(cp.tally.arbitrageProfit).to.be.greaterThan(0);
      expect(Math.abs(cp.mid() / 2000 - 1)).to.be.lessThan(0.0035);
    });

    it("LPs end above holding by the fees when the price returns where it started", function () {
      const cp = make();
      cp.order("noise", "sellBase", 50_000, 2000);
      cp.order("noise", "sellQuote", 50_000, 2000);
      const { value, hold } = cp.result(2000);
      expect(value).to.be.greaterThan(hold);
      expect(value - hold).to.be.at.most(cp.tally.feesValue + 1);
    });
  });

  describe("summary and chart", function () {
    const tally = {
      ...emptyTally(),
      swaps: 10,
      arbitrageSwaps: 3,
      feesValue: 1234.4,
      maxFeePips: 5000,
      surgeSwaps: 2,
      maxSurgePips: 700,
    };
    const summary: DemoSummary = {
      steps: 24,
      hours: 2,
      seed: 1,
      sigma: 0.8,
      priceStart: 2000,
      priceEnd: 1900,
      baseFeePips: 500,
      cpFeePips: 3000,
      flowUsd: 1_000_000,
      keeperUpdates: 4,
      kRange: [0.2, 0.35],
      tauRange: [0.08, 0.1],
      skew: { tally, value: 1_010_000, hold: 1_000_000, maxInventory: 0.125 },
      cp: { tally: emptyTally(), value: 990_000, hold: 1_000_000, maxInventory: 0.05 },
    };

    it("is a table of words, Skew beside constant product, with the LP result in dollars and basis points", function () {
      const text = summaryText(summary);
      expect(text).not.to.match(/[a-z][A-Z]/); // no camelCase keys
      expect(text).to.contain("Skew (oracle + skew + surge)");
      expect(text).to.contain("constant product (x*y=k)");
      const lp = text.split("\n").find((l) => l.startsWith("LP result vs holding"));
      expect(lp).to.match(/\+\$10,000 \(100\.0 bp\)\s+-\$10,000 \(-100\.0 bp\)$/);
      expect(text).to.match(/highest fee a swap paid\s+50\.0 bp \(10\.0x start\)/);
      expect(text).to.match(/largest surge \(fee above the base fee then\)\s+\+7\.0 bp/);
      expect(text).to.match(/largest inventory imbalance \(any time\)\s+12\.50 %\s+5\.00 %/);
    });

    it("aligns its columns", function () {
      const lines = textTable(
        ["", "a", "b"],
        [
          ["row one", "1", "22"],
          ["two", "333", "4"],
        ],
      ).split("\n");
      expect(new Set(lines.map((l) => l.length)).size).to.equal(1);
    });

    const chartPoints = (n: number, halted: number[] = []): DemoPoint[] =>
      Array.from({ length: n }, (_, i) => ({
        hours: i,
        truePrice: 2000 + i,
        feedPrice: 2000,
        skewMid: halted.includes(i) ? null : 1999 + i,
        cpMid: 2001,
        skewInventory: 0.01 * i,
        skewInventoryPeak: 0.12 * i,
        cpInventory: -0.01 * i,
        cpInventoryPeak: 0.05,
        skewBase: 1000 - i,
        cpBase: 1000 + i,
        k: 0.2,
        tau: 0.1,
        baseFeeBp: 5,
        maxFeeBp: 50,
      }));

    it("draws every panel and one dashed line per keeper update", function () {
      const points = chartPoints(3);
      const count = (svg: string) => (svg.match(/stroke-dasharray/g) ?? []).length;
      const none = demoChart(points, [{ hours: 1, bp: 9, kind: "flow" }], [], "t");
      const two = demoChart(points, [{ hours: 1, bp: 9, kind: "flow" }], [0.5, 1.5], "t");
      expect(none.startsWith("<svg")).to.equal(true);
      for (const name of ["USDC per WETH", "signed inventory %", "WETH held", "fee per swap (bp)", "k and tau"])
        expect(none).to.contain(name);
      expect(count(two) - count(none)).to.equal(2 * 5); // two updates on each of the five panels
    });

    it("leaves a gap in the Skew mid while the pool quotes no price, instead of a drop to 0", function () {
      // Each unbroken run of a line is one SVG move (M); a gap splits the Skew mid's run in two.
      const moves = (svg: string) => (svg.match(/M[\d-]/g) ?? []).length;
      const whole = demoChart(chartPoints(5), [], [], "t");
      const halted = demoChart(chartPoints(5, [2]), [], [], "t");
      expect(moves(halted) - moves(whole)).to.equal(1);
    });
  });
});
