/**
 * What a sceptic reads off a scenario's results: every strategy as a point (trader cost, LP
 * P&L per week), the best fixed parameters in hindsight, and paired comparisons of the keeper
 * and of Skew against them and against constant product at equal trader cost. Trading P&L is
 * the headline (low variance); P&L vs holding stands beside it. Everything per week.
 */
import type { PathOutcome } from "./experiment";
import { mean } from "./metrics";

/** Mean and standard error over paths. */
export interface Estimate {
  mean: number;
  stderr: number;
}

/** Mean and standard error of a sample (0 error with fewer than two values). */
export function estimate(xs: readonly number[]): Estimate {
  const mu = mean(xs);
  const n = xs.length;
  const variance = n > 1 ? xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (n - 1) : 0;
  return { mean: mu, stderr: Math.sqrt(variance / n) };
}

/**
 * Where a strategy belongs in the report: oracle-free pools, Skew fixed and with the keeper on the
 * push feed, their pull-oracle twins, and the floor sweep (push and pull).
 */
export type Family = "cp" | "v3" | "skew" | "keeper" | "skew-pull" | "keeper-pull" | "floor" | "floor-pull";

/** One strategy of a scenario, summarised over paths. */
export interface FrontierPoint {
  name: string;
  family: Family;
  /** Trading P&L (noise traders' cost to this pool minus arbitrage and front-running), bps/week. */
  tradingPnl: Estimate;
  /** LP P&L vs holding, bps/week. */
  lpPnl: Estimate;
  /** Noise traders' cost over all venues, bp of their volume. */
  traderCostBps: number;
  /** Share of routed noise volume this pool filled. */
  volumeShare: number;
  /** Loss to arbitrage, bps/week: all of it, the part with no noise flow (pure LVR), the rest (back-running). */
  arb: number;
  pureLvr: number | null;
  backRun: number | null;
  /** Front-runner's take (on a pull oracle: the price selector's), bps/week. */
  frontRun: number;
  /** What noise traders paid on this pool, bp of the volume it filled. */
  poolCostBps: number;
  /** Circuit-breaker trips per day, and the share of blocks the pool was halted. */
  breakerTripsPerDay: number;
  haltedShare: number;
  fees: number;
  meanBaseFeeBps: number;
  meanK: number;
  keeperUpdates: number;
}

/** A paired comparison, bps/week (a - b on the same paths). */
export interface Comparison {
  a: string;
  b: string;
  diff: Estimate;
  /** How b was formed when it is an interpolation on the constant-product frontier. */
  note?: string;
}

export interface ScenarioAnalysis {
  points: FrontierPoint[];
  bestFixedSkew: string;
  bestCp: string;
  /** Keeper minus the best fixed Skew chosen in hindsight on these paths. */
  keeperVsBestFixed: Comparison | null;
  /** Keeper minus the constant-product frontier at the keeper's trader cost. */
  keeperVsCpAtCost: Comparison | null;
  /** Best fixed Skew minus the constant-product frontier at its trader cost. */
  skewVsCpAtCost: Comparison;
  /** Keeper minus the best constant-product fee (whatever its trader cost). */
  keeperVsBestCp: Comparison | null;
  /** Pairs of (with, without) strategies whose difference is reported (e.g. the surge fee). */
  extra: Comparison[];
}

/** Per-path trading P&L per week of strategy `i`. */
function pathPnl(outcomes: readonly PathOutcome[], i: number): number[] {
  return outcomes.map((o) => o.metrics[i].tradingPnlBps / o.metrics[i].weeks);
}

function familyOf(name: string, keeperNames: readonly string[]): Family {
  if (keeperNames.includes(name)) return "keeper";
  if (name.startsWith("CP ") || name === "constant product") return "cp";
  if (name.startsWith("v3")) return "v3";
  return "skew";
}

/** Summarises each strategy as a frontier point (families: from the names when not given). */
export function frontierPoints(
  names: readonly string[],
  outcomes: readonly PathOutcome[],
  keeperNames: readonly string[],
  families?: readonly Family[],
): FrontierPoint[] {
  return names.map((name, i) => {
    const ms = outcomes.map((o) => o.metrics[i]);
    const perWeek = (f: (m: (typeof ms)[number]) => number) => mean(ms.map((m) => f(m) / m.weeks));
    const pure = outcomes.map((o) => o.pure[i]).filter((m) => m !== null);
    const volume = ms.reduce((a, m) => a + m.marketNoiseVolume, 0);
    const poolVolume = ms.reduce((a, m) => a + m.noiseVolume, 0);
    const pureLvr = pure.length === ms.length ? mean(pure.map((m) => m.arbProfitBps / m.weeks)) : null;
    const arb = perWeek((m) => m.arbProfitBps);
    return {
      name,
      family: families?.[i] ?? familyOf(name, keeperNames),
      tradingPnl: estimate(pathPnl(outcomes, i)),
      lpPnl: estimate(ms.map((m) => m.lpPnlBps / m.weeks)),
      traderCostBps: volume > 0 ? (ms.reduce((a, m) => a + m.marketNoiseCostUsd, 0) / volume) * 1e4 : 0,
      volumeShare: mean(ms.map((m) => m.volumeShare)),
      arb,
      pureLvr,
      backRun: pureLvr === null ? null : arb - pureLvr,
      frontRun: perWeek((m) => m.frontRunProfitBps),
      poolCostBps: poolVolume > 0 ? (ms.reduce((a, m) => a + m.noiseCostUsd, 0) / poolVolume) * 1e4 : 0,
      breakerTripsPerDay: perWeek((m) => m.breakerTrips) / 7,
      haltedShare: mean(ms.map((m) => m.haltedBlocks / Math.max(1, m.blocks))),
      fees: perWeek((m) => m.feesBps),
      meanBaseFeeBps: mean(ms.map((m) => m.meanBaseFee)) / 100,
      meanK: mean(ms.map((m) => m.meanK)),
      keeperUpdates: mean(ms.map((m) => m.keeperUpdates)),
    };
  });
}

/** Paired difference a - b of per-path trading P&L per week. */
export function compare(outcomes: readonly PathOutcome[], names: readonly string[], a: string, b: string): Comparison {
  const ia = names.indexOf(a);
  const ib = names.indexOf(b);
  const pa = pathPnl(outcomes, ia);
  const pb = pathPnl(outcomes, ib);
  return { a, b, diff: estimate(pa.map((x, k) => x - pb[k])) };
}

/**
 * Paired difference between strategy `a` and the constant-product frontier at a's trader cost:
 * per path, the linear interpolation between the two constant-product fees whose (mean) trader
 * costs bracket a's, or the nearest one when a's cost lies outside the swept range (noted).
 */
export function compareAtCost(
  outcomes: readonly PathOutcome[],
  names: readonly string[],
  points: readonly FrontierPoint[],
  a: string,
): Comparison {
  const target = points[names.indexOf(a)].traderCostBps;
  const cps = points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.family === "cp")
    .sort((x, y) => x.p.traderCostBps - y.p.traderCostBps);
  const pa = pathPnl(outcomes, names.indexOf(a));
  let weights: { i: number; w: number }[];
  let note: string;
  if (target <= cps[0].p.traderCostBps) {
    weights = [{ i: cps[0].i, w: 1 }];
    note = `${cps[0].p.name} (cheapest swept, ${cps[0].p.traderCostBps.toFixed(1)} bp: costs more than a's)`;
  } else if (target >= cps[cps.length - 1].p.traderCostBps) {
    const top = cps[cps.length - 1];
    weights = [{ i: top.i, w: 1 }];
    note = `${top.p.name} (dearest swept, ${top.p.traderCostBps.toFixed(1)} bp: cheaper than a's)`;
  } else {
    const hi = cps.findIndex(({ p }) => p.traderCostBps >= target);
    const [lo, up] = [cps[hi - 1], cps[hi]];
    const w = (target - lo.p.traderCostBps) / (up.p.traderCostBps - lo.p.traderCostBps);
    weights = [
      { i: lo.i, w: 1 - w },
      { i: up.i, w },
    ];
    note = `${lo.p.name} / ${up.p.name} interpolated at ${target.toFixed(1)} bp`;
  }
  const cp = outcomes.map((_, k) => weights.reduce((s, { i, w }) => s + w * pathPnl(outcomes, i)[k], 0));
  return { a, b: "CP at equal trader cost", diff: estimate(pa.map((x, k) => x - cp[k])), note };
}

/** The analysis of one scenario. */
export function analyseScenario(
  names: readonly string[],
  outcomes: readonly PathOutcome[],
  keeperNames: readonly string[],
  pairs: readonly [string, string][] = [],
  families?: readonly Family[],
): ScenarioAnalysis {
  const points = frontierPoints(names, outcomes, keeperNames, families);
  const best = (family: Family) =>
    points.filter((p) => p.family === family).reduce((x, y) => (y.tradingPnl.mean > x.tradingPnl.mean ? y : x));
  const bestFixedSkew = best("skew").name;
  const bestCp = best("cp").name;
  const keeper = keeperNames.find((k) => names.includes(k));
  return {
    points,
    bestFixedSkew,
    bestCp,
    keeperVsBestFixed: keeper === undefined ? null : compare(outcomes, names, keeper, bestFixedSkew),
    keeperVsCpAtCost: keeper === undefined ? null : compareAtCost(outcomes, names, points, keeper),
    skewVsCpAtCost: compareAtCost(outcomes, names, points, bestFixedSkew),
    keeperVsBestCp: keeper === undefined ? null : compare(outcomes, names, keeper, bestCp),
    extra: pairs
      .filter(([a, b]) => names.includes(a) && names.includes(b))
      .map(([a, b]) => compare(outcomes, names, a, b)),
  };
}
