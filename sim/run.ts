/**
 * Runs strategies on scenarios. One block: the true price moves; a feed round that lands
 * reaches the pool; the arbitrageur trades while it pays; the block's noise orders arrive;
 * every few blocks the keeper runs. Every strategy replays the same scenario.
 */
import { imbalance as skewImbalance } from "../sdk/math";
import type { PoolParams } from "../keeper/types";
import { bestArbitrage, noiseSwap, type ArbConfig, type Choice } from "./agents";
import { CpVenue } from "./cpmm";
import { answerAt, blockTime, fromAnswer, recentRounds } from "./feed";
import { SECONDS_PER_YEAR } from "./gbm";
import { FlowLog, rejectReason, type KeeperSetup } from "./keeper";
import { MetricsAccumulator, type ParamSample, type PathMetrics } from "./metrics";
import { makeScenario, type MarketConfig, type Scenario } from "./scenario";
import { paramsOf, skewPool, SkewVenue } from "./skew";
import { toRaw, valueAt, type Tokens, type Venue } from "./venue";

/** What the runner reads from a pool after each block. */
type Observed = Pick<Venue<unknown>, "reserves" | "imbalance" | "midPrice">;

/** A pool design under test. */
export type Strategy =
  | { name: string; kind: "cp"; /** fee in pips */ fee: bigint }
  | { name: string; kind: "skew"; params: PoolParams; keeper?: KeeperSetup };

export interface SimConfig extends MarketConfig {
  tokens: Tokens;
  /** Initial pool value in quote units, half in each token. */
  poolValue: number;
  arb: ArbConfig;
  /** Record a time series point every this many blocks (0 = no series). */
  recordEvery: number;
}

/** One point of an example path's time series. */
export interface SeriesPoint {
  block: number;
  /** Hours since the start. */
  hours: number;
  truePrice: number;
  feedPrice: number;
  mid: number;
  imbalance: number;
  /** Share of the pool's value held in base at the true price. */
  baseShare: number;
  lpPnlBps: number;
  params: ParamSample;
}

export interface StrategyRun {
  strategy: string;
  metrics: PathMetrics;
  series: SeriesPoint[];
}

/** Floats of a pool's parameters (k, tau as fractions; fees in pips). */
function sampleParams(p: PoolParams): ParamSample {
  return {
    k: Number(p.k) / 1e18,
    baseFee: Number(p.baseFee),
    maxFee: Number(p.maxFee),
    tau: Number(p.tau) / 1e18,
  };
}

/**
 * Initial raw reserves: half the pool value in each token at `price` (the feed's price when
 * the pool starts, so a Skew pool starts at equilibrium).
 */
export function initialReserves(cfg: SimConfig, price: number): { base: bigint; quote: bigint } {
  return {
    base: toRaw(cfg.poolValue / 2 / price, cfg.tokens.baseDecimals),
    quote: toRaw(cfg.poolValue / 2, cfg.tokens.quoteDecimals),
  };
}

/** Runs one strategy over one scenario. */
export function runStrategy(cfg: SimConfig, sc: Scenario, strategy: Strategy, record = false): StrategyRun {
  const start = sc.start;
  const end = start + cfg.blocks;
  const feedDecimals = sc.feed.decimals;
  const answer0 = answerAt(sc.feed, start);
  const init = initialReserves(cfg, fromAnswer(answer0, feedDecimals));
  const skew =
    strategy.kind === "skew"
      ? new SkewVenue(skewPool(cfg.tokens, init.base, init.quote, answer0, feedDecimals, strategy.params))
      : null;
  const cp = strategy.kind === "cp" ? new CpVenue(cfg.tokens, { ...init, fee: strategy.fee }) : null;
  const keeper = strategy.kind === "skew" ? strategy.keeper : undefined;
  const cpParams: ParamSample = { k: 1, baseFee: Number(cp?.state.fee ?? 0n), maxFee: 0, tau: 0 };

  const acc = new MetricsAccumulator();
  const flow = new FlowLog();
  const series: SeriesPoint[] = [];
  let lastUpdate = 0;
  const blockYears = cfg.clock.blockTime / SECONDS_PER_YEAR;
  const initialValue = valueAt(cfg.tokens, init.base, init.quote, sc.prices[start]);

  // The generic part of a block: the arbitrageur, then the noise traders.
  const trade = <S>(venue: Venue<S>, b: number, price: number, now: number): void => {
    for (let i = 0; i < cfg.arb.maxTradesPerBlock; i++) {
      const r = venue.reserves();
      const choice: Choice<S> | null = bestArbitrage(
        venue,
        price,
        cfg.tokens,
        cfg.arb,
        valueAt(cfg.tokens, r.base, r.quote, price),
      );
      if (choice === null) break;
      venue.apply(choice.fill);
      acc.onArb(choice.trade);
      flow.push({ side: choice.trade.side, quoteValue: choice.trade.valueIn, timestamp: now });
    }
    for (const order of sc.orders[b]) {
      const choice = noiseSwap(venue, order, price, cfg.tokens, cfg.noise.maxCostBps);
      if (choice === null) {
        acc.onSkip();
        continue;
      }
      venue.apply(choice.fill);
      acc.onNoise(choice.trade);
      flow.push({ side: choice.trade.side, quoteValue: choice.trade.valueIn, timestamp: now });
    }
  };

  for (let b = start + 1; b <= end; b++) {
    const price = sc.prices[b];
    const now = blockTime(cfg.clock, b);
    let venue: Observed;
    if (skew !== null) {
      if (sc.feed.current[b] !== sc.feed.current[b - 1]) skew.setPrice(answerAt(sc.feed, b), feedDecimals);
      trade(skew, b, price, now);
      if (keeper !== undefined && (b - start) % keeper.everyBlocks === 0) {
        const current = paramsOf(skew.state);
        const decision = keeper.decide({
          now,
          rounds: recentRounds(sc.feed, b, keeper.maxRounds),
          feedDecimals,
          swaps: flow.since(now - keeper.flowWindow),
          imbalance: skewImbalance(skew.state),
          current,
          bounds: keeper.bounds,
          lastUpdate,
        });
        if (decision.send) {
          if (rejectReason(current, decision.next, keeper.bounds, now, lastUpdate) === null) {
            skew.setParams(decision.next);
            lastUpdate = now;
            acc.keeperUpdates++;
          } else {
            acc.keeperRejected++;
          }
        }
      }
      venue = skew;
    } else if (cp !== null) {
      trade(cp, b, price, now);
      venue = cp;
    } else {
      throw new Error("unreachable: a strategy is either cp or skew");
    }

    const r = venue.reserves();
    const value = valueAt(cfg.tokens, r.base, r.quote, price);
    const imb = venue.imbalance(price);
    const params = skew !== null ? sampleParams(paramsOf(skew.state)) : cpParams;
    acc.onBlock(imb, params, value, blockYears);
    if (record && cfg.recordEvery > 0 && ((b - start) % cfg.recordEvery === 0 || b === start + 1)) {
      const hold = valueAt(cfg.tokens, init.base, init.quote, price);
      series.push({
        block: b - start,
        hours: ((b - start) * cfg.clock.blockTime) / 3600,
        truePrice: price,
        feedPrice: fromAnswer(answerAt(sc.feed, b), feedDecimals),
        mid: venue.midPrice(),
        imbalance: imb,
        baseShare: (value - valueAt(cfg.tokens, 0n, r.quote, price)) / value,
        lpPnlBps: ((value - hold) / initialValue) * 1e4,
        params,
      });
    }
  }

  const last = sc.prices[end];
  const r = (skew ?? cp)?.reserves() ?? init;
  const metrics = acc.finish(
    initialValue,
    valueAt(cfg.tokens, r.base, r.quote, last),
    valueAt(cfg.tokens, init.base, init.quote, last),
  );
  return { strategy: strategy.name, metrics, series };
}

/** Results of one path: every strategy on the same scenario. */
export interface PathRun {
  path: number;
  scenario: Scenario;
  runs: StrategyRun[];
}

/** Runs every strategy on path `path` of experiment `seed`. */
export function runPath(
  cfg: SimConfig,
  strategies: readonly Strategy[],
  seed: number,
  path: number,
  record = false,
): PathRun {
  const scenario = makeScenario(cfg, seed, path);
  return { path, scenario, runs: strategies.map((s) => runStrategy(cfg, scenario, s, record)) };
}
