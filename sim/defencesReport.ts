/**
 * The report on the defences (issues 11 and 16): push vs pull per Skew strategy, the floor sweep
 * (what the floor costs noise traders and saves LPs) as a table and a frontier-style chart, and the
 * headline table the README copies.
 */
import { PALETTE, scatterGrid, type ScatterSeries } from "./charts";
import { PULL_SUFFIX } from "./defences";
import { compare, compareAtCost, type Comparison, type Estimate, type Family, type FrontierPoint } from "./frontier";
import type { ScenarioResult } from "./study";

const f = (x: number | null, digits = 1) => (x !== null && Number.isFinite(x) ? x.toFixed(digits) : "—");
const est = (e: Estimate) => `${f(e.mean)} ± ${f(e.stderr)}`;

/** The best point of a family by mean trading P&L, or null when the family is empty. */
function best(points: readonly FrontierPoint[], family: Family): FrontierPoint | null {
  const fam = points.filter((p) => p.family === family);
  return fam.length === 0 ? null : fam.reduce((x, y) => (y.tradingPnl.mean > x.tradingPnl.mean ? y : x));
}

/** One scenario's figures on the defences. */
export interface DefenceSummary {
  scenario: string;
  /** Best fixed Skew on the push feed (with the defences) and on the pull oracle, in hindsight. */
  bestPush: FrontierPoint;
  bestPull: FrontierPoint | null;
  pushVsCp: Comparison;
  pullVsCp: Comparison | null;
  keeperPush: FrontierPoint | null;
  keeperPull: FrontierPoint | null;
  keeperPushVsCp: Comparison | null;
  keeperPullVsCp: Comparison | null;
  /** The front-runner's largest take over the push Skew pools with the defences (fixed and keeper), bps/week. */
  frontRunMax: number;
  /** The selector's largest take over the pull Skew pools, bps/week. */
  selectorMax: number | null;
  /** Breaker trips per day (the first push Skew pool's; every pool on the same path sees the same feed). */
  tripsPerDay: number;
}

/** The defence summary of one scenario's results. */
export function defenceSummary(r: ScenarioResult): DefenceSummary {
  const { points } = r.analysis;
  const at = (p: FrontierPoint | null) => (p === null ? null : compareAtCost(r.outcomes, r.names, points, p.name));
  const bestPush = best(points, "skew") ?? points[0];
  const bestPull = best(points, "skew-pull");
  const keeperPush = best(points, "keeper");
  const keeperPull = best(points, "keeper-pull");
  const push = points.filter((p) => p.family === "skew" || p.family === "keeper");
  const pull = points.filter((p) => p.family === "skew-pull" || p.family === "keeper-pull");
  return {
    scenario: r.scenario.name,
    bestPush,
    bestPull,
    pushVsCp: compareAtCost(r.outcomes, r.names, points, bestPush.name),
    pullVsCp: at(bestPull),
    keeperPush,
    keeperPull,
    keeperPushVsCp: at(keeperPush),
    keeperPullVsCp: at(keeperPull),
    frontRunMax: Math.max(0, ...push.map((p) => p.frontRun)),
    selectorMax: pull.length === 0 ? null : Math.max(0, ...pull.map((p) => p.frontRun)),
    tripsPerDay: push.length === 0 ? 0 : push[0].breakerTripsPerDay,
  };
}

/** The headline table: Skew on the push feed with the defences and on the pull oracle, against constant product. */
export function headlineTable(results: readonly ScenarioResult[]): string[] {
  const lines = [
    `| scenario | best fixed Skew, push − CP at equal cost | best fixed Skew, pull − CP at equal cost | keeper push − CP | keeper pull − CP | front-runner's take (push, max) | selector's take (pull, max) | breaker trips / day |`,
    `|---|---|---|---|---|---:|---:|---:|`,
  ];
  for (const r of results) {
    const s = defenceSummary(r);
    const c = (x: Comparison | null) => (x === null ? "—" : est(x.diff));
    const named = (x: Comparison | null, p: FrontierPoint | null) =>
      x === null || p === null ? "—" : `${est(x.diff)} (${p.name.replace(PULL_SUFFIX, "").replace(/^Skew /, "")})`;
    lines.push(
      `| ${s.scenario} | ${named(s.pushVsCp, s.bestPush)} | ${named(s.pullVsCp, s.bestPull)} | ${c(s.keeperPushVsCp)} | ${c(s.keeperPullVsCp)} | ${f(s.frontRunMax)} | ${f(s.selectorMax)} | ${f(s.tripsPerDay)} |`,
    );
  }
  return lines;
}

/** Push vs pull for every Skew strategy that has a pull twin: figures side by side, and the paired difference. */
export function pushPullTable(r: ScenarioResult): string[] {
  const { points } = r.analysis;
  const lines = [
    `| strategy | trading P&L push | pull | pull − push (paired) | LP P&L vs hold push / pull | loss to arb push / pull | front-runner push / selector pull | trader cost push / pull (bp) | volume share push / pull |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const p of points) {
    const twin = points.find((q) => q.name === p.name + PULL_SUFFIX);
    if (twin === undefined || p.family === "floor") continue;
    const d = compare(r.outcomes, r.names, twin.name, p.name);
    lines.push(
      `| ${p.name} | ${est(p.tradingPnl)} | ${est(twin.tradingPnl)} | ${est(d.diff)} | ${f(p.lpPnl.mean)} / ${f(twin.lpPnl.mean)} | ${f(p.arb)} / ${f(twin.arb)} | ${f(p.frontRun)} / ${f(twin.frontRun)} | ${f(p.traderCostBps)} / ${f(twin.traderCostBps)} | ${f(p.volumeShare * 100, 0)} / ${f(twin.volumeShare * 100, 0)} % |`,
    );
  }
  return lines;
}

/** The sweep's points of one mode, in floor order (the order they were run in). */
function sweepPoints(r: ScenarioResult, family: "floor" | "floor-pull"): FrontierPoint[] {
  return r.analysis.points.filter((p) => p.family === family);
}

/**
 * The floor sweep: per floor and oracle mode, LP trading P&L, what noise traders paid (all venues
 * and on this pool), the pool's volume share, loss to arbitrage, the front-runner's (selector's)
 * take, and the changes against no floor: what the floor saves LPs (paired) and costs traders.
 */
export function sweepTable(r: ScenarioResult): string[] {
  const lines = [
    `| floor | oracle | trading P&L | vs no floor (paired) | trader cost, all venues (bp) | vs no floor | cost on this pool (bp) | volume share | loss to arb | front-runner / selector |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const family of ["floor", "floor-pull"] as const) {
    const pts = sweepPoints(r, family);
    if (pts.length === 0) continue;
    const none = pts[0];
    for (const p of pts) {
      const d = compare(r.outcomes, r.names, p.name, none.name);
      const floor = p.name.replace(PULL_SUFFIX, "").replace(/^.*floor /, "");
      lines.push(
        `| ${floor} | ${family === "floor" ? "push" : "pull"} | ${est(p.tradingPnl)} | ${p === none ? "—" : est(d.diff)} | ${f(p.traderCostBps)} | ${p === none ? "—" : f(p.traderCostBps - none.traderCostBps, 2)} | ${f(p.poolCostBps)} | ${f(p.volumeShare * 100, 0)} % | ${f(p.arb)} | ${f(p.frontRun)} |`,
      );
    }
  }
  return lines;
}

/**
 * The y range of a sweep panel: around constant product and the sweep points within 200 bps/week of
 * zero, so that a front-run pool's loss (thousands of bps) does not flatten the rest; the points off
 * the scale sit on its edge with their value.
 */
function sweepRange(points: readonly FrontierPoint[]): [number, number] {
  const ys = points
    .filter((p) => p.family === "cp" || p.family === "floor" || p.family === "floor-pull")
    .map((p) => p.tradingPnl.mean)
    .filter((y) => Math.abs(y) <= 200);
  const lo = Math.min(0, ...ys);
  const hi = Math.max(0, ...ys);
  const pad = Math.max(5, (hi - lo) * 0.15);
  return [lo - pad, hi + pad];
}

/** The floor sweep chart: per scenario, LP trading P&L against traders' cost as the floor rises, push and pull, with constant product's fee sweep. */
export function sweepChart(results: readonly ScenarioResult[]): string {
  const label = (p: FrontierPoint) =>
    p.name
      .replace(PULL_SUFFIX, "")
      .replace(/^.*floor /, "")
      .replace(" (shipped)", " shipped");
  return scatterGrid({
    title: "The fee floor: LP trading P&L against noise traders' cost (Skew k 0.2 5 bp; points: floor)",
    xLabel: "noise traders' cost, all venues (bp of volume)",
    yLabel: "LP trading P&L (bps/week)",
    panels: results.map((r) => {
      const series = (
        family: Family,
        name: string,
        color: string,
        lab: (p: FrontierPoint) => string,
      ): ScatterSeries => ({
        name,
        color,
        joined: true,
        points: r.analysis.points
          .filter((p) => p.family === family)
          .map((p) => ({ x: p.traderCostBps, y: p.tradingPnl.mean, label: lab(p) })),
      });
      return {
        title: r.scenario.name,
        refY: 0,
        yRange: sweepRange(r.analysis.points),
        series: [
          series("cp", "constant product (fee sweep)", PALETTE[0], (p) => p.name.replace(/^CP /, "")),
          series("floor", "Skew, push feed, floor sweep", PALETTE[2], label),
          series("floor-pull", "Skew, pull oracle, floor sweep", PALETTE[3], label),
        ].filter((s) => s.points.length > 0),
      };
    }),
  });
}

/**
 * The floor sweep over every scenario in one table: per scenario and oracle mode, LP trading P&L and
 * the front-runner's (selector's) take at each floor, and what noise traders pay more, over all
 * venues, at the shipped floor than at none.
 */
export function sweepSummaryTable(results: readonly ScenarioResult[]): string[] {
  const first = results.find((r) => sweepPoints(r, "floor").length > 0);
  if (first === undefined) return [];
  const floors = sweepPoints(first, "floor").map((p) =>
    p.name
      .replace(/^.*floor /, "")
      .replace(" (shipped)", "")
      .replace(" bp", ""),
  );
  const lines = [
    `| scenario | oracle | trading P&L at floor ${floors.join(" / ")} bp | front-runner / selector at the same floors | trader cost at the shipped floor − none (bp) |`,
    `|---|---|---|---|---:|`,
  ];
  for (const r of results) {
    for (const family of ["floor", "floor-pull"] as const) {
      const pts = sweepPoints(r, family);
      if (pts.length === 0) continue;
      const cost = pts[pts.length - 1].traderCostBps - pts[0].traderCostBps;
      lines.push(
        `| ${r.scenario.name} | ${family === "floor" ? "push" : "pull"} | ${pts.map((p) => f(p.tradingPnl.mean, 0)).join(" / ")} | ${pts.map((p) => f(p.frontRun, 0)).join(" / ")} | ${f(cost)} |`,
      );
    }
  }
  return lines;
}
