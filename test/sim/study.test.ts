import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parsePolicyConfig } from "../../keeper/config";
import type { PathOutcome } from "../../sim/experiment";
import { PULL_SUFFIX } from "../../sim/defences";
import { analyseScenario, compareAtCost, frontierPoints } from "../../sim/frontier";
import type { PathMetrics } from "../../sim/metrics";
import { KEEPER_NAME, STUDY_POLICY, studyScenarios, TUNING_SEED } from "../../sim/scenarios";
import { runStudy } from "../../sim/study";
import { writeStudy } from "../../sim/studyReport";

/** A path outcome with only the figures the frontier reads. */
function outcome(path: number, rows: { pnl: number; cost: number }[]): PathOutcome {
  const metrics = rows.map(
    (r) =>
      ({
        tradingPnlBps: r.pnl,
        lpPnlBps: r.pnl,
        weeks: 1,
        blocks: 50_400,
        breakerTrips: 0,
        haltedBlocks: 0,
        noiseCostUsd: r.cost,
        noiseVolume: 1e4,
        marketNoiseCostUsd: r.cost,
        marketNoiseVolume: 1e4,
        volumeShare: 1,
        arbProfitBps: 0,
        frontRunProfitBps: 0,
        feesBps: 0,
        meanBaseFee: 0,
        meanK: 0,
        keeperUpdates: 0,
      }) as PathMetrics,
  );
  return { path, metrics, series: null, pure: rows.map(() => null) };
}

describe("simulator: frontier analysis", function () {
  const names = ["CP 10 bp", "CP 30 bp", "Skew k 1 30 bp", KEEPER_NAME];
  // Trader costs 10 and 20 bp for the CP pools, 15 bp for both Skew strategies.
  const outcomes = [
    outcome(0, [
      { pnl: 1, cost: 10 },
      { pnl: 3, cost: 20 },
      { pnl: 6, cost: 15 },
      { pnl: 8, cost: 15 },
    ]),
    outcome(1, [
      { pnl: 3, cost: 10 },
      { pnl: 5, cost: 20 },
      { pnl: 6, cost: 15 },
      { pnl: 11, cost: 15 },
    ]),
  ];

  it("interpolates the constant-product frontier at a strategy's trader cost, path by path", function () {
    const points = frontierPoints(names, outcomes, [KEEPER_NAME]);
    expect(points.map((p) => p.traderCostBps)).to.deep.equal([10, 20, 15, 15]);
    const c = compareAtCost(outcomes, names, points, "Skew k 1 30 bp");
    // Path 0: 6 - (1 + 3) / 2 = 4; path 1: 6 - (3 + 5) / 2 = 2.
    expect(c.diff.mean).to.be.closeTo(3, 1e-12);
    expect(c.diff.stderr).to.be.closeTo(1, 1e-12);
    expect(c.note).to.contain("interpolated");
  });

  it("picks the best fixed Skew in hindsight and pairs the keeper against it", function () {
    const a = analyseScenario(names, outcomes, [KEEPER_NAME]);
    expect(a.bestFixedSkew).to.equal("Skew k 1 30 bp");
    expect(a.bestCp).to.equal("CP 30 bp");
    expect(a.keeperVsBestFixed?.diff.mean).to.be.closeTo(3.5, 1e-12);
    expect(a.keeperVsBestCp?.diff.mean).to.be.closeTo(5.5, 1e-12);
  });

  it("uses the nearest swept fee, and says so, outside the swept costs", function () {
    const dear = outcomes.map((o) => ({
      ...o,
      metrics: o.metrics.map((m, i) => (i === 2 ? { ...m, marketNoiseCostUsd: 40 } : m)),
    }));
    const points = frontierPoints(names, dear, [KEEPER_NAME]);
    const c = compareAtCost(dear, names, points, "Skew k 1 30 bp");
    expect(c.note).to.contain("CP 30 bp");
    expect(c.diff.mean).to.be.closeTo((6 - 3 + (6 - 5)) / 2, 1e-12);
  });
});

const names = (points: readonly { name: string }[]) => points.map((p) => p.name);

describe("simulator: study", function () {
  this.timeout(120_000);
  const scenarios = studyScenarios(300).filter((s) => s.name === "cp-twin" || s.name === "one-sided");
  const options = {
    scenarios,
    policy: parsePolicyConfig({ ...STUDY_POLICY }),
    seed: TUNING_SEED,
    paths: 2,
    jobs: 1,
    pureLvr: true,
  };

  it("runs every scenario's frontier, reproducibly, and writes the report and charts", async function () {
    const lines: string[] = [];
    const results = await runStudy({ ...options, log: (l) => lines.push(l) });
    expect(lines).to.have.length(4);
    expect(lines[3]).to.match(/^\[4\/4\] one-sided path \d .*ETA 0 s/);
    for (const r of results) {
      const { points } = r.analysis;
      expect(points.filter((p) => p.family === "cp").length).to.equal(5);
      expect(points.filter((p) => p.family === "keeper").map((p) => p.name)).to.deep.equal([KEEPER_NAME]);
      expect(points.filter((p) => p.family === "keeper-pull").map((p) => p.name)).to.deep.equal([
        KEEPER_NAME + PULL_SUFFIX,
      ]);
      // Every pull twin has its push strategy; the floor sweep runs in both modes.
      for (const p of points.filter((q) => q.family === "skew-pull" || q.family === "floor-pull")) {
        expect(names(points)).to.include(p.name.replace(PULL_SUFFIX, ""));
      }
      expect(points.filter((p) => p.family === "floor").length).to.equal(
        points.filter((p) => p.family === "floor-pull").length,
      );
      const skew = points.filter((p) => p.family === "skew");
      expect(skew.map((p) => p.name)).to.include(r.analysis.bestFixedSkew);
      const best = Math.max(...skew.map((p) => p.tradingPnl.mean));
      expect(points.find((p) => p.name === r.analysis.bestFixedSkew)?.tradingPnl.mean).to.equal(best);
      for (const p of points) {
        expect(p.volumeShare).to.be.within(0, 1);
        if (p.family === "cp" || p.family === "v3") expect(p.frontRun).to.equal(0); // no oracle to front-run
        // The no-noise runs exist exactly for the strategies that asked for them.
        const pure = ["CP 30 bp", "Skew k 0.5 30 bp", KEEPER_NAME].flatMap((n) => [n, n + PULL_SUFFIX]);
        expect(p.pureLvr === null).to.equal(!pure.includes(p.name));
      }
      for (const o of r.outcomes) {
        for (const m of o.metrics) {
          expect(m.tradingPnlUsd).to.be.closeTo(m.noiseCostUsd - m.arbProfitUsd - m.frontRunProfitUsd, 1e-6);
          expect(m.noiseVolume).to.be.at.most(m.marketNoiseVolume + 1e-9);
        }
      }
    }
    const surge = results[1].analysis.extra.find((e) => e.a.includes("surge"));
    expect(surge?.b).to.equal("Skew k 0.05 30 bp, no surge");

    const again = await runStudy(options);
    expect(JSON.stringify(again.map((r) => r.analysis))).to.equal(JSON.stringify(results.map((r) => r.analysis)));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skew-study-"));
    const files = writeStudy(dir, results, TUNING_SEED, 1);
    expect(files.map((f) => path.basename(f))).to.deep.equal([
      "results.md",
      "results.json",
      "frontier.svg",
      "floor-sweep.svg",
      "example-cp-twin.svg",
      "example-one-sided.svg",
    ]);
    const md = fs.readFileSync(files[0], "utf8");
    for (const r of results) expect(md).to.contain(`## ${r.scenario.name}: `);
    expect(md).to.contain("## The defences: push feed vs pull oracle");
    expect(md).to.contain("## The fee floor");
    expect(md).to.contain("Push vs pull:");
    for (const f of files.slice(2)) {
      const svg = fs.readFileSync(f, "utf8");
      expect(svg.startsWith("<svg")).to.equal(true);
      expect(svg).to.not.contain("NaN");
    }
    fs.rmSync(dir, { recursive: true });
  });
});
