/**
 * The study's report: per scenario, the frontier table (trading P&L and P&L vs holding per
 * week, trader cost, volume share, arbitrage split into pure LVR and back-running, the
 * front-runner's take), the keeper's and Skew's paired comparisons, and the frontier chart.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PALETTE, scatterGrid, type ScatterSeries } from "./charts";
import { describeCompetitor } from "./competitor";
import type { Comparison, Estimate, Family, FrontierPoint } from "./frontier";
import { examplePathChart } from "./report";
import { headlineTable, pushPullTable, sweepChart, sweepSummaryTable, sweepTable } from "./defencesReport";
import type { ScenarioResult } from "./study";

/** How the study set the floor, from the first scenario's Skew strategies. */
function floorNote(r: ScenarioResult): string {
  const floors = r.spec.skew
    .filter((v) => v.family === undefined || v.family === "keeper")
    .map((v) => v.feeFloor ?? 0n);
  if (floors.every((x) => x === 0n)) return "**no fee floor** on the Skew pools (the floor sweep aside)";
  return "every Skew pool has the shipped fee floor, derived from the breaker's bound and its base fee (away-from-target volume pays at least (B − baseFee) / (1 − baseFee))";
}

/** How the pull oracle is modelled, when the study ran it. */
function pullNote(r: ScenarioResult): string {
  const pull = r.spec.skew.find((v) => v.pull !== undefined)?.pull;
  if (pull === undefined) return "No pull-oracle runs.";
  return `Pull oracle: a transaction carries a published true price; the freshest is ${pull.latencyBlocks} block old (400 ms publisher ticks aggregated per 12 s block), the pool accepts prices at most ${pull.maxAgeSeconds} s old and not older than the newest it has used; noise traders and arbitrageurs bring the freshest${pull.selector ? ", and a selecting trader picks whichever accepted price pays it most (the residual attack)" : ""}. Pull twins are named "[pull]".`;
}

const f = (x: number | null, digits = 1) => (x !== null && Number.isFinite(x) ? x.toFixed(digits) : "—");
const est = (e: Estimate) => `${f(e.mean)} ± ${f(e.stderr)}`;

const COLORS: Record<Family, string> = {
  cp: PALETTE[0],
  v3: PALETTE[4],
  skew: PALETTE[2],
  keeper: PALETTE[1],
  "skew-pull": PALETTE[3],
  "keeper-pull": PALETTE[6],
  floor: PALETTE[5],
  "floor-pull": PALETTE[7],
};
const LABELS: Record<Family, string> = {
  cp: "constant product (fee sweep)",
  v3: "concentrated ±10 %",
  skew: "Skew fixed, push feed (k x fee sweep)",
  keeper: "Skew + keeper, push feed",
  "skew-pull": "Skew fixed, pull oracle",
  "keeper-pull": "Skew + keeper, pull oracle",
  floor: "Skew k 0.2 5 bp floor sweep, push",
  "floor-pull": "Skew k 0.2 5 bp floor sweep, pull",
};
/** The families on the frontier chart (the floor sweep has its own). */
const FRONTIER_FAMILIES: Family[] = ["cp", "v3", "skew", "keeper", "skew-pull", "keeper-pull"];

function comparisonLine(c: Comparison | null): string {
  if (c === null) return "—";
  return `${est(c.diff)}${c.note !== undefined ? ` (vs ${c.note})` : ""}`;
}

/** The verdict on one comparison: a difference more than two standard errors from zero. */
function verdict(c: Comparison | null, target = 0): string {
  if (c === null) return "";
  const { mean, stderr } = c.diff;
  if (mean - 2 * stderr > target) return "yes";
  if (mean + 2 * stderr < target) return "no";
  return "not resolved";
}

function table(points: readonly FrontierPoint[]): string[] {
  const lines = [
    `| strategy | trading P&L | P&L vs hold | trader cost (bp) | volume share | loss to arb | pure LVR | back-running | front-runner / selector | fees | mean fee (bp) | mean k | breaker trips / day |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const p of points) {
    lines.push(
      `| ${p.name} | ${est(p.tradingPnl)} | ${est(p.lpPnl)} | ${f(p.traderCostBps)} | ${f(p.volumeShare * 100, 0)} % | ${f(p.arb)} | ${f(p.pureLvr)} | ${f(p.backRun)} | ${f(p.frontRun)} | ${f(p.fees)} | ${f(p.meanBaseFeeBps)} | ${p.family === "cp" || p.family === "v3" ? "—" : f(p.meanK, 2)} | ${p.family === "cp" || p.family === "v3" ? "—" : f(p.breakerTripsPerDay)} |`,
    );
  }
  return lines;
}

/** The markdown report. */
export function studyMarkdown(
  results: readonly ScenarioResult[],
  seed: number,
  seconds: number,
  charts: string[],
): string {
  const r0 = results[0];
  const c = r0.spec.cfg;
  const days = (c.blocks * c.clock.blockTime) / 86_400;
  const lines: string[] = [`# Skew market study`, ``];
  lines.push(
    `${results.length} scenarios x ${r0.spec.paths} paths of ${f(days, 2)} days (${c.blocks} blocks of ${c.clock.blockTime} s after ${c.warmupBlocks} blocks of feed history), seed ${seed}; ${seconds.toFixed(0)} s. All figures in bps of the initial pool value ($${(c.poolValue / 1e6).toFixed(0)}M) **per week** (mean ± standard error over paths), except trader cost (bp of noise volume, over every venue) and volume share.`,
    ``,
  );
  lines.push(
    `Every scenario: a Merton jump diffusion, a Chainlink-like feed (${f(c.feed.deviation * 100, 2)} % deviation, ${c.feed.heartbeat} s heartbeat, lands ${c.feed.lagBlocks} block after it observes), an arbitrageur (gas $${c.arb.gasUsd}), ${c.frontRunner === undefined ? "**no front-runner** (the counterfactual of a perfect defence)" : "the next-round front-runner (sees the round one block early, trades before and after it; on a pull oracle, the trader who selects the stalest accepted price instead)"}, and noise orders (Poisson ${c.noise.ratePerBlock}/block, log-normal size) routed to whichever of the pool and the competing venue pays more.`,
    ``,
    `Defences: ${c.breaker === undefined ? "**no circuit breaker**" : `a circuit breaker in front of every Skew pool (a price moving more than ${f(Number(c.breaker.maxMovePips) / 1e4, 2)} % from the last usable one stops swaps for ${c.breaker.cooldownSeconds / 60} min, then the pool prices at the newest answer)`}; ${floorNote(r0)}. ${pullNote(r0)}`,
    ``,
  );
  lines.push(
    `**Trading P&L** = what noise traders paid the pool minus what arbitrageurs and the front-runner took, each trade marked at its block's true price: LP P&L vs holding without the inventory's zero-mean mark-to-market noise. **Pure LVR**: the same strategy's loss to arbitrage on the same prices with no noise traders; **back-running** = loss to arbitrage minus pure LVR. Equal-trader-cost comparisons interpolate the constant-product fee sweep at the strategy's trader cost, path by path. "yes"/"no": the difference is more than two standard errors above/below the target.`,
    ``,
  );
  lines.push(`## The defences: push feed vs pull oracle`, ``);
  lines.push(...headlineTable(results), ``);
  lines.push(
    `"CP at equal cost": the constant-product fee sweep interpolated at the strategy's own trader cost, path by path. The front-runner's and the selector's takes are the largest over the Skew pools of that oracle mode.`,
    ``,
  );
  const sweep = sweepSummaryTable(results);
  if (sweep.length > 0) {
    lines.push(`## The fee floor (Skew k 0.2 5 bp, bps/week)`, ``, ...sweep, ``);
  }
  lines.push(`## Summary`, ``);
  lines.push(
    `| scenario | best CP | best fixed Skew | Skew best fixed − CP at equal cost | keeper − best fixed Skew (target ≥ +3) | keeper − CP at equal cost (target ≥ 0) | keeper − best CP fee |`,
  );
  lines.push(`|---|---|---|---|---|---|---|`);
  for (const r of results) {
    const a = r.analysis;
    lines.push(
      `| ${r.scenario.name} | ${a.bestCp} | ${a.bestFixedSkew} | ${est(a.skewVsCpAtCost.diff)} | ${a.keeperVsBestFixed === null ? "—" : `${est(a.keeperVsBestFixed.diff)} ${verdict(a.keeperVsBestFixed, 3)}`} | ${a.keeperVsCpAtCost === null ? "—" : `${est(a.keeperVsCpAtCost.diff)} ${verdict(a.keeperVsCpAtCost)}`} | ${a.keeperVsBestCp === null ? "—" : est(a.keeperVsBestCp.diff)} |`,
    );
  }
  lines.push(``);
  for (const r of results) {
    const a = r.analysis;
    lines.push(`## ${r.scenario.name}: ${r.scenario.title}`, ``);
    lines.push(`Competing venue: ${describeCompetitor(r.spec.cfg.competitor)}.`, ``);
    lines.push(...table(a.points), ``);
    if (a.points.some((p) => p.family === "skew-pull")) lines.push(`Push vs pull:`, ``, ...pushPullTable(r), ``);
    if (a.points.some((p) => p.family === "floor")) lines.push(`The floor sweep:`, ``, ...sweepTable(r), ``);
    lines.push(`- Best fixed Skew in hindsight: **${a.bestFixedSkew}**; best constant-product fee: **${a.bestCp}**.`);
    lines.push(`- ${a.bestFixedSkew} − CP at equal trader cost: ${comparisonLine(a.skewVsCpAtCost)}.`);
    lines.push(`- Keeper − ${a.bestFixedSkew}: ${comparisonLine(a.keeperVsBestFixed)}.`);
    lines.push(`- Keeper − CP at equal trader cost: ${comparisonLine(a.keeperVsCpAtCost)}.`);
    for (const e of a.extra) lines.push(`- ${e.a} − ${e.b}: ${est(e.diff)}.`);
    lines.push(``);
  }
  if (charts.length > 0) {
    lines.push(`## Charts`, ``);
    for (const ch of charts) lines.push(`![${path.basename(ch, ".svg")}](${path.basename(ch)})`, ``);
  }
  return lines.join("\n");
}

/**
 * The y range of a frontier panel: around constant product, the keeper and the best Skew, so
 * that a far-off point (a concentrated pool's large loss) does not flatten the comparison.
 */
function yRange(points: readonly FrontierPoint[]): [number, number] {
  const core = points.filter((p) => p.family === "cp" || p.family === "keeper");
  const skew = points.filter((p) => p.family === "skew").map((p) => p.tradingPnl.mean);
  const ys = [...core.map((p) => p.tradingPnl.mean), Math.max(...skew), 0];
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const pad = Math.max(5, (hi - lo) * 0.5);
  return [lo - pad, hi + pad * 0.5];
}

/** The frontier chart: one panel per scenario, trading P&L per week against trader cost. */
export function frontierChart(results: readonly ScenarioResult[]): string {
  return scatterGrid({
    title: "LP trading P&L against noise traders' cost, per scenario (each point a strategy)",
    xLabel: "noise traders' cost, all venues (bp of volume)",
    yLabel: "LP trading P&L (bps/week)",
    panels: results.map((r) => ({
      title: r.scenario.name,
      refY: 0,
      yRange: yRange(r.analysis.points),
      series: FRONTIER_FAMILIES.map(
        (family): ScatterSeries => ({
          name: LABELS[family],
          color: COLORS[family],
          joined: family === "cp",
          size: family === "keeper" ? 6 : 4,
          points: r.analysis.points
            .filter((p) => p.family === family)
            .map((p) => ({ x: p.traderCostBps, y: p.tradingPnl.mean, label: p.name.replace(/^Skew |^CP /, "") })),
        }),
      ),
    })),
  });
}

/** Writes results.md, results.json, frontier.svg and the keeper's example paths; returns the paths. */
export function writeStudy(dir: string, results: readonly ScenarioResult[], seed: number, seconds: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, content: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const charts = [write("frontier.svg", frontierChart(results))];
  if (results.some((r) => r.analysis.points.some((p) => p.family === "floor"))) {
    charts.push(write("floor-sweep.svg", sweepChart(results)));
  }
  for (const r of results) {
    const series = r.outcomes.find((o) => o.series !== null)?.series;
    if (series === undefined || series === null) continue;
    const pick = [r.analysis.bestCp, r.analysis.bestFixedSkew, "Skew + keeper"];
    const idx = pick.map((n) => r.names.indexOf(n)).filter((i) => i >= 0);
    charts.push(
      write(
        `example-${r.scenario.name}.svg`,
        examplePathChart(
          idx.map((i) => r.names[i]),
          idx.map((i) => series[i]),
        ),
      ),
    );
  }
  const json = JSON.stringify(
    results.map((r) => ({ scenario: r.scenario.name, title: r.scenario.title, spec: r.spec, analysis: r.analysis })),
    (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
    2,
  );
  const md = write("results.md", studyMarkdown(results, seed, seconds, charts));
  return [md, write("results.json", json + "\n"), ...charts];
}
