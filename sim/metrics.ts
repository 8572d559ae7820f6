/**
 * Per-path measurements of one strategy and their summary over many paths.
 *
 * All values are in quote units (USD) at the true price of the block they happen in, and
 * relative ones in basis points of the pool's initial value.
 */
import type { Trade } from "./agents";

/** What one strategy did on one path. */
export interface PathMetrics {
  /** LP value minus the value of holding the initial deposit, at the final true price. */
  lpPnlUsd: number;
  lpPnlBps: number;
  /** Arbitrageurs' profit at the true price, gross of gas: the LPs' loss to arbitrage. */
  arbProfitUsd: number;
  arbProfitBps: number;
  /** The next-round front-runner's profit (both legs at their blocks' true prices). */
  frontRunProfitUsd: number;
  frontRunProfitBps: number;
  frontRunTrades: number;
  /**
   * Trading P&L: what noise traders paid this pool minus what arbitrageurs and the front-runner
   * took from it, each trade marked at its block's true price. LP P&L vs holding without the
   * inventory's mark-to-market noise (which has zero mean), so a low-variance estimator.
   */
  tradingPnlUsd: number;
  tradingPnlBps: number;
  /** Every routed noise order, whichever venue filled it: cost and volume (USD). */
  marketNoiseCostUsd: number;
  marketNoiseVolume: number;
  /** Share of the routed noise volume this pool filled (1 with no competing venue). */
  volumeShare: number;
  /** Length of the path in weeks (for per-week figures). */
  weeks: number;
  /** Fees kept by the pool. */
  feesUsd: number;
  feesBps: number;
  /** Root mean square of the pool's imbalance over blocks (fraction, 0.01 = 1 %). */
  imbalanceRms: number;
  /** Noise traders' cost against the true price, summed, and per unit volume (bps). */
  noiseCostUsd: number;
  noiseCostBps: number;
  noiseVolume: number;
  arbVolume: number;
  noiseTrades: number;
  /** Noise orders not filled: too costly, or the pool could not fill them. */
  noiseSkipped: number;
  arbTrades: number;
  /** Smallest arbitrage profit of the path, gross of gas (Infinity with no arbitrage). */
  minArbProfitUsd: number;
  keeperUpdates: number;
  /** Times the oracle's circuit breaker tripped, and blocks the pool spent halted by it. */
  breakerTrips: number;
  haltedBlocks: number;
  /** Blocks simulated. */
  blocks: number;
  /** Keeper decisions the pool would have reverted (should be 0). */
  keeperRejected: number;
  /** Time averages of the parameters (k and tau as fractions, fees in pips). */
  meanK: number;
  meanBaseFee: number;
  meanMaxFee: number;
  meanTau: number;
  /** Integral of the pool's value over time, USD x years (LVR is sigma^2 / 8 of it). */
  valueYears: number;
}

/** Parameters of a pool as floats, for time averages. */
export interface ParamSample {
  k: number;
  baseFee: number;
  maxFee: number;
  tau: number;
}

/** Accumulates one strategy's path metrics block by block. */
export class MetricsAccumulator {
  private arbProfit = 0;
  private frontRunProfit = 0;
  private frontRunTrades = 0;
  private marketCost = 0;
  private marketVolume = 0;
  private fees = 0;
  private imbSq = 0;
  private blocks = 0;
  private noiseCost = 0;
  private noiseVolume = 0;
  private arbVolume = 0;
  private noiseTrades = 0;
  private noiseSkipped = 0;
  private arbTrades = 0;
  private minArbProfit = Infinity;
  keeperUpdates = 0;
  keeperRejected = 0;
  breakerTrips = 0;
  private haltedBlocks = 0;
  private sumK = 0;
  private sumBaseFee = 0;
  private sumMaxFee = 0;
  private sumTau = 0;
  private valueYears = 0;

  onArb(t: Trade): void {
    this.arbProfit += t.valueOut - t.valueIn;
    this.minArbProfit = Math.min(this.minArbProfit, t.valueOut - t.valueIn);
    this.fees += t.feeValue;
    this.arbVolume += t.valueIn;
    this.arbTrades++;
  }

  /** A front-runner's leg (either one). */
  onFrontRun(t: Trade): void {
    this.frontRunProfit += t.valueOut - t.valueIn;
    this.fees += t.feeValue;
    this.frontRunTrades++;
  }

  /** A routed noise order filled by any venue (this pool's fills also go to `onNoise`). */
  onMarketNoise(t: Trade): void {
    this.marketCost += t.valueIn - t.valueOut;
    this.marketVolume += t.valueIn;
  }

  onNoise(t: Trade): void {
    this.noiseCost += t.valueIn - t.valueOut;
    this.fees += t.feeValue;
    this.noiseVolume += t.valueIn;
    this.noiseTrades++;
  }

  /** A block in which the breaker stops the pool's swaps. */
  onHalted(): void {
    this.haltedBlocks++;
  }

  onSkip(): void {
    this.noiseSkipped++;
  }

  /** End of a block: the pool's imbalance, parameters, and value over the block's duration. */
  onBlock(imbalance: number, params: ParamSample, value: number, years: number): void {
    this.imbSq += imbalance * imbalance;
    this.blocks++;
    this.sumK += params.k;
    this.sumBaseFee += params.baseFee;
    this.sumMaxFee += params.maxFee;
    this.sumTau += params.tau;
    this.valueYears += value * years;
  }

  /**
   * The path's metrics.
   * @param initialValue pool value at the start (true price)
   * @param finalValue pool value at the end (final true price)
   * @param holdValue the initial deposit's value at the final true price
   * @param weeks length of the path in weeks
   */
  finish(initialValue: number, finalValue: number, holdValue: number, weeks = 1): PathMetrics {
    const bps = (x: number) => (x / initialValue) * 1e4;
    const n = Math.max(this.blocks, 1);
    const lpPnlUsd = finalValue - holdValue;
    return {
      lpPnlUsd,
      lpPnlBps: bps(lpPnlUsd),
      arbProfitUsd: this.arbProfit,
      arbProfitBps: bps(this.arbProfit),
      frontRunProfitUsd: this.frontRunProfit,
      frontRunProfitBps: bps(this.frontRunProfit),
      frontRunTrades: this.frontRunTrades,
      tradingPnlUsd: this.noiseCost - this.arbProfit - this.frontRunProfit,
      tradingPnlBps: bps(this.noiseCost - this.arbProfit - this.frontRunProfit),
      marketNoiseCostUsd: this.marketCost,
      marketNoiseVolume: this.marketVolume,
      volumeShare: this.marketVolume > 0 ? this.noiseVolume / this.marketVolume : 0,
      weeks,
      feesUsd: this.fees,
      feesBps: bps(this.fees),
      imbalanceRms: Math.sqrt(this.imbSq / n),
      noiseCostUsd: this.noiseCost,
      noiseCostBps: this.noiseVolume > 0 ? (this.noiseCost / this.noiseVolume) * 1e4 : 0,
      noiseVolume: this.noiseVolume,
      arbVolume: this.arbVolume,
      noiseTrades: this.noiseTrades,
      noiseSkipped: this.noiseSkipped,
      arbTrades: this.arbTrades,
      minArbProfitUsd: this.minArbProfit,
      keeperUpdates: this.keeperUpdates,
      breakerTrips: this.breakerTrips,
      haltedBlocks: this.haltedBlocks,
      blocks: this.blocks,
      keeperRejected: this.keeperRejected,
      meanK: this.sumK / n,
      meanBaseFee: this.sumBaseFee / n,
      meanMaxFee: this.sumMaxFee / n,
      meanTau: this.sumTau / n,
      valueYears: this.valueYears,
    };
  }
}

/** The q-quantile of a sample (linear interpolation between order statistics). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** One strategy over many paths. */
export interface StrategySummary {
  name: string;
  paths: number;
  lpPnlBps: { mean: number; median: number; p5: number; stderr: number };
  arbProfitBps: number;
  feesBps: number;
  imbalanceRms: number;
  /** Volume-weighted over all paths. */
  noiseCostBps: number;
  /** Mean per path. */
  noiseVolume: number;
  arbVolume: number;
  noiseTrades: number;
  noiseSkipped: number;
  arbTrades: number;
  keeperUpdates: number;
  keeperRejected: number;
  meanK: number;
  meanBaseFee: number;
  meanMaxFee: number;
  meanTau: number;
}

/** Summarises one strategy's path metrics. */
export function summarize(name: string, ms: readonly PathMetrics[]): StrategySummary {
  const col = (f: (m: PathMetrics) => number) => ms.map(f);
  const pnl = col((m) => m.lpPnlBps);
  const mu = mean(pnl);
  const sd = Math.sqrt(mean(pnl.map((x) => (x - mu) ** 2)) * (pnl.length / Math.max(pnl.length - 1, 1)));
  const vol = col((m) => m.noiseVolume).reduce((a, b) => a + b, 0);
  const cost = col((m) => m.noiseCostUsd).reduce((a, b) => a + b, 0);
  return {
    name,
    paths: ms.length,
    lpPnlBps: { mean: mu, median: quantile(pnl, 0.5), p5: quantile(pnl, 0.05), stderr: sd / Math.sqrt(pnl.length) },
    arbProfitBps: mean(col((m) => m.arbProfitBps)),
    feesBps: mean(col((m) => m.feesBps)),
    imbalanceRms: Math.sqrt(mean(col((m) => m.imbalanceRms ** 2))),
    noiseCostBps: vol > 0 ? (cost / vol) * 1e4 : 0,
    noiseVolume: mean(col((m) => m.noiseVolume)),
    arbVolume: mean(col((m) => m.arbVolume)),
    noiseTrades: mean(col((m) => m.noiseTrades)),
    noiseSkipped: mean(col((m) => m.noiseSkipped)),
    arbTrades: mean(col((m) => m.arbTrades)),
    keeperUpdates: mean(col((m) => m.keeperUpdates)),
    keeperRejected: mean(col((m) => m.keeperRejected)),
    meanK: mean(col((m) => m.meanK)),
    meanBaseFee: mean(col((m) => m.meanBaseFee)),
    meanMaxFee: mean(col((m) => m.meanMaxFee)),
    meanTau: mean(col((m) => m.meanTau)),
  };
}
