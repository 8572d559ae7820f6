/**
 * Writes an experiment's results: a markdown report (results.md), the raw summaries
 * (results.json) and SVG charts (LP P&L distribution, one example path).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { histograms, lineChart, PALETTE, type Line, type Panel } from "./charts";
import type { ExperimentSpec, PathOutcome } from "./experiment";
import { mean, summarize, type StrategySummary } from "./metrics";
import type { SeriesPoint } from "./run";

/** Paired difference of LP P&L (bps) between two strategies over the same paths. */
export interface PairedDiff {
  mean: number;
  stderr: number;
}

/** Mean and standard error of row - col over paths. */
export function pairedDiff(outcomes: readonly PathOutcome[], row: number, col: number): PairedDiff {
  const d = outcomes.map((o) => o.metrics[row].lpPnlBps - o.metrics[col].lpPnlBps);
  const mu = mean(d);
  const n = d.length;
  const variance = n > 1 ? d.reduce((a, x) => a + (x - mu) ** 2, 0) / (n - 1) : 0;
  return { mean: mu, stderr: Math.sqrt(variance / n) };
}

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "—");
const musd = (x: number) => `${(x / 1e6).toFixed(2)}`;

/** Describes a strategy's parameters for the report. */
function describeStrategy(spec: ExperimentSpec, name: string): string {
  if (name === "constant product") return `x*y=k, fee ${f(Number(spec.cpFee ?? 0n) / 100, 1)} bp`;
  const v = spec.skew.find((s) => s.name === name);
  if (v === undefined) return "";
  const p = v.params;
  const params = `k ${f(Number(p.k) / 1e18)}, base fee ${f(Number(p.baseFee) / 100, 1)} bp, max fee ${f(Number(p.maxFee) / 100, 1)} bp, tau ${f(Number(p.tau) / 1e18)}`;
  return v.policy === undefined ? `fixed: ${params}` : `keeper, starting at ${params}`;
}

/** The markdown report. */
export function markdown(
  spec: ExperimentSpec,
  names: readonly string[],
  outcomes: readonly PathOutcome[],
  summaries: readonly StrategySummary[],
  seconds: number,
  charts: readonly string[],
): string {
  const c = spec.cfg;
  const days = (c.blocks * c.clock.blockTime) / 86_400;
  const lines: string[] = [];
  lines.push(`# Skew market simulation`, ``);
  lines.push(
    `${spec.paths} paths of ${days.toFixed(days < 1 ? 2 : 1)} days (${c.blocks} blocks of ${c.clock.blockTime} s, after ${c.warmupBlocks} warm-up blocks), seed ${spec.seed}; ${seconds.toFixed(0)} s.`,
    ``,
  );
  lines.push(`## Market`, ``);
  lines.push(
    `- True price: GBM, sigma ${f(c.sigma * 100, 0)} % a year, no drift, from ${c.s0}; pool value $${musd(c.poolValue)}M, base ${c.tokens.baseDecimals} decimals, quote ${c.tokens.quoteDecimals} decimals.`,
    `- Feed: ${f(c.feed.deviation * 100, 2)} % deviation, ${c.feed.heartbeat} s heartbeat, lands ${c.feed.lagBlocks} block(s) after it observes, ${c.feed.decimals} decimals.`,
    `- Arbitrageur: every block, up to ${c.arb.maxTradesPerBlock} swap(s) while profit at the true price exceeds gas ($${c.arb.gasUsd}); size maximises profit.`,
    `- Noise traders: Poisson ${c.noise.ratePerBlock} orders/block, log-normal size (median $${c.noise.medianUsd}, log-sd ${c.noise.sizeSigma}), ${f(c.noise.sellBaseProb * 100, 0)} % sell base; an order costing over ${c.noise.maxCostBps} bp vs the true price is not sent.`,
    `- Keeper: every ${spec.keeper.everyBlocks} blocks, min interval ${spec.bounds.minInterval} s between updates, pool-enforced bounds and steps.`,
    ``,
  );
  lines.push(`## Strategies`, ``);
  for (const n of names) lines.push(`- **${n}**: ${describeStrategy(spec, n)}`);
  lines.push(``);

  lines.push(`## Results (per path; bps of the initial pool value unless stated)`, ``);
  lines.push(
    `| strategy | LP P&L vs hold: mean | median | 5th pct | loss to arb | fees | RMS imbalance | noise cost (bp of volume) | noise volume ($M) | arb volume ($M) | noise orders skipped |`,
  );
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const s of summaries) {
    lines.push(
      `| ${s.name} | ${f(s.lpPnlBps.mean)} ± ${f(s.lpPnlBps.stderr)} | ${f(s.lpPnlBps.median)} | ${f(s.lpPnlBps.p5)} | ${f(s.arbProfitBps)} | ${f(s.feesBps)} | ${f(s.imbalanceRms * 100)} % | ${f(s.noiseCostBps)} | ${musd(s.noiseVolume)} | ${musd(s.arbVolume)} | ${f(s.noiseSkipped, 1)} |`,
    );
  }
  lines.push(``);
  lines.push(
    `LP P&L vs hold: pool value minus the initial deposit's value, both at the final true price (± standard error of the mean). Loss to arb: the arbitrageurs' profit at the true price, before gas. Fees: fees kept by the pool, at the true price. RMS imbalance: the pool's imbalance (DESIGN §2; constant product: the same formula with the deposit, grown by fees, as targets, at the true price). Noise cost: what noise traders paid against the true price, per unit volume.`,
    ``,
  );

  lines.push(`### Paired differences of LP P&L (row minus column, bps, mean ± s.e., same paths)`, ``);
  lines.push(`| | ${names.join(" | ")} |`);
  lines.push(`|---|${names.map(() => "---:").join("|")}|`);
  names.forEach((rn, i) => {
    const cells = names.map((_, j) => {
      if (i === j) return "—";
      const d = pairedDiff(outcomes, i, j);
      return `${f(d.mean)} ± ${f(d.stderr)}`;
    });
    lines.push(`| ${rn} | ${cells.join(" | ")} |`);
  });
  lines.push(``);

  lines.push(`### Activity and parameters (time averages)`, ``);
  lines.push(
    `| strategy | arb swaps | noise swaps | keeper updates | rejected | k | base fee (bp) | max fee (bp) | tau |`,
  );
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const s of summaries) {
    const cp = s.name === "constant product";
    lines.push(
      `| ${s.name} | ${f(s.arbTrades, 0)} | ${f(s.noiseTrades, 0)} | ${cp ? "—" : f(s.keeperUpdates, 1)} | ${cp ? "—" : f(s.keeperRejected, 0)} | ${cp ? "—" : f(s.meanK, 3)} | ${f(s.meanBaseFee / 100, 1)} | ${cp ? "—" : f(s.meanMaxFee / 100, 1)} | ${cp ? "—" : f(s.meanTau, 3)} |`,
    );
  }
  lines.push(``);
  if (charts.length > 0) {
    lines.push(`## Charts`, ``);
    for (const ch of charts) lines.push(`![${path.basename(ch, ".svg")}](${path.basename(ch)})`, ``);
  }
  return lines.join("\n");
}

/** The LP P&L distribution chart. */
function pnlChart(summaries: readonly StrategySummary[], outcomes: readonly PathOutcome[]): string {
  return histograms({
    title: "LP P&L vs holding, per path",
    xLabel: "LP P&L vs holding (bps of initial pool value)",
    distributions: summaries.map((s, i) => ({
      name: s.name,
      color: PALETTE[i % PALETTE.length],
      values: outcomes.map((o) => o.metrics[i].lpPnlBps),
      markers: [
        { label: `mean ${f(s.lpPnlBps.mean, 1)}`, x: s.lpPnlBps.mean },
        { label: `median ${f(s.lpPnlBps.median, 1)}`, x: s.lpPnlBps.median },
        { label: `p5 ${f(s.lpPnlBps.p5, 1)}`, x: s.lpPnlBps.p5, left: true },
      ],
    })),
  });
}

/** The example path chart: prices, mid deviations, inventory, fees, parameters, LP P&L. */
export function examplePathChart(names: readonly string[], series: readonly SeriesPoint[][]): string {
  const ref = series[0];
  const xs = ref.map((p) => p.hours);
  const per = (fn: (p: SeriesPoint) => number, skip: (name: string) => boolean = () => false, scale = 1): Line[] =>
    names.flatMap((n, i) =>
      skip(n)
        ? []
        : [
            {
              name: n,
              color: PALETTE[i % PALETTE.length],
              xs: series[i].map((p) => p.hours),
              ys: series[i].map((p) => fn(p) * scale),
            },
          ],
    );
  const cp = (n: string) => n === "constant product";
  const panels: Panel[] = [
    {
      yLabel: "price (quote per base)",
      lines: [
        { name: "true price", color: "#000", xs, ys: ref.map((p) => p.truePrice), width: 2 },
        { name: "feed", color: "#888", xs, ys: ref.map((p) => p.feedPrice), dash: "4 3" },
        ...per((p) => p.mid),
      ],
    },
    {
      yLabel: "mid - true price (bps)",
      refY: 0,
      lines: [
        { name: "feed", color: "#888", xs, ys: ref.map((p) => (p.feedPrice / p.truePrice - 1) * 1e4), dash: "4 3" },
        ...per((p) => (p.mid / p.truePrice - 1) * 1e4),
      ],
    },
    {
      yLabel: "imbalance (%)",
      refY: 0,
      lines: per(
        (p) => p.imbalance,
        () => false,
        100,
      ),
    },
    {
      yLabel: "fee (bps): base solid, max dashed",
      lines: [
        ...per((p) => p.params.baseFee / 100),
        ...per((p) => p.params.maxFee / 100, cp).map((l) => ({ ...l, name: `${l.name} max`, dash: "5 3" })),
      ],
    },
    {
      yLabel: "k (solid), tau (dashed)",
      lines: [
        ...per((p) => p.params.k, cp),
        ...per((p) => p.params.tau, cp).map((l) => ({ ...l, name: `${l.name} tau`, dash: "5 3" })),
      ],
    },
    { yLabel: "LP P&L vs hold (bps)", refY: 0, lines: per((p) => p.lpPnlBps) },
  ];
  return lineChart({ title: "Example path (path 0)", xLabel: "hours", panels, panelHeight: 200 });
}

/** Writes results.md, results.json and the charts into `dir`; returns the written paths. */
export function writeReport(
  dir: string,
  spec: ExperimentSpec,
  names: readonly string[],
  outcomes: readonly PathOutcome[],
  seconds: number,
): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const summaries = names.map((n, i) =>
    summarize(
      n,
      outcomes.map((o) => o.metrics[i]),
    ),
  );
  const charts: string[] = [];
  const write = (name: string, content: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  charts.push(write("lp-pnl-distribution.svg", pnlChart(summaries, outcomes)));
  const example = outcomes.find((o) => o.series !== null)?.series;
  if (example) charts.push(write("example-path.svg", examplePathChart(names, example)));
  const json = JSON.stringify(
    { spec, summaries, paired: names.map((_, i) => names.map((__, j) => pairedDiff(outcomes, i, j))) },
    (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
    2,
  );
  const md = write("results.md", markdown(spec, names, outcomes, summaries, seconds, charts));
  return [md, write("results.json", json + "\n"), ...charts];
}
