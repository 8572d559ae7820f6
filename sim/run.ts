/**
 * Runs strategies on scenarios. One block: the true price moves; a feed round that lands
 * reaches the pool; the arbitrageur trades while it pays; the block's noise orders arrive;
 * every few blocks the keeper runs. Every strategy replays the same scenario.
 */
import { imbalance as skewImbalance } from "../sdk/math";
import type { PoolParams } from "../keeper/types";
import { bestArbitrage, routeNoise, valueFill, type ArbConfig } from "./agents";
import { CircuitBreaker, withinBound, type BreakerConfig } from "./breaker";
import { makeCompetitor, type CompetitorConfig } from "./competitor";
import { CpVenue } from "./cpmm";
import { planFrontRun, type FrontRun } from "./frontrun";
import { answerAt, blockTime, fromAnswer, recentRounds } from "./feed";
import { SECONDS_PER_YEAR } from "./gbm";
import { applyKeeperParams, FlowLog, rejectReason, type KeeperSetup } from "./keeper";
import { MetricsAccumulator, type ParamSample, type PathMetrics } from "./metrics";
import { makeScenario, type MarketConfig, type Scenario } from "./scenario";
import { published, pullCandidates, selectStale, type PullConfig, type Published } from "./pull";
import { paramsOf, skewPool, SkewVenue } from "./skew";
import { V3Venue, v3Position } from "./v3";
import { toRaw, valueAt, type Tokens, type Venue } from "./venue";

/** A pool design under test. */
export type Strategy =
  | { name: string; kind: "cp"; /** fee in pips */ fee: bigint }
  | { name: string; kind: "v3"; fee: bigint; /** range [p / (1 + w), p (1 + w)] around the start */ width: number }
  | {
      name: string;
      kind: "skew";
      params: PoolParams;
      keeper?: KeeperSetup;
      /** The front-running fee floor, pips (none: 0). */
      feeFloor?: bigint;
      /** Priced on a pull oracle (none: on the push feed). */
      pull?: PullConfig;
    };

export interface SimConfig extends MarketConfig {
  tokens: Tokens;
  /** Initial pool value in quote units, half in each token. */
  poolValue: number;
  arb: ArbConfig;
  /** The venue noise orders may route to instead (none: the pool is the only venue). */
  competitor?: CompetitorConfig;
  /** The next-round front-runner (none: absent). On a pull oracle the price selector plays its part. */
  frontRunner?: { gasUsd: number };
  /** The oracle's circuit breaker in front of every Skew pool, push or pull (none: absent). */
  breaker?: BreakerConfig;
  /**
   * How a keeper's new k takes effect: "equilibrium" (the pool's rule: queued while the pool is away
   * from equilibrium) or "immediate" (the rule before issue 10, kept to measure what the queue costs).
   */
  kChange?: "equilibrium" | "immediate";
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
  /** Whether the oracle's circuit breaker stopped the pool's swaps in this block. */
  halted: boolean;
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

/** Builds the pool a strategy puts under test, at the scenario's starting feed answer. */
function makePool(
  cfg: SimConfig,
  strategy: Strategy,
  init: { base: bigint; quote: bigint },
  answer0: bigint,
  feedDecimals: number,
  price0: number,
): { skew: SkewVenue | null; pool: Venue<unknown> } {
  switch (strategy.kind) {
    case "skew": {
      const skew = new SkewVenue(
        skewPool(cfg.tokens, init.base, init.quote, answer0, feedDecimals, strategy.params),
        cfg.kChange ?? "equilibrium",
        strategy.feeFloor ?? 0n,
      );
      return { skew, pool: skew as Venue<unknown> };
    }
    case "cp":
      return { skew: null, pool: new CpVenue(cfg.tokens, { ...init, fee: strategy.fee }) as Venue<unknown> };
    case "v3": {
      const { state, shape } = v3Position(cfg.tokens, cfg.poolValue, price0, strategy.width, strategy.fee);
      return { skew: null, pool: new V3Venue(cfg.tokens, shape, state) as Venue<unknown> };
    }
  }
}

/** Parameters of a non-Skew strategy, for the series and time averages. */
function fixedSample(strategy: Strategy): ParamSample {
  return strategy.kind === "skew"
    ? sampleParams(strategy.params)
    : { k: 1, baseFee: Number(strategy.fee), maxFee: Number(strategy.fee), tau: 0 };
}

/**
 * Runs one strategy over one scenario. A block: the true price moves and a landed feed round
 * reaches a Skew pool; the front-runner unwinds; the arbitrageur trades the pool (and the
 * competing venue, if it is a pool); the block's noise orders go to the venue quoting the most
 * output; the front-runner trades ahead of a round landing next block; every few blocks the
 * keeper runs.
 */
export function runStrategy(cfg: SimConfig, sc: Scenario, strategy: Strategy, record = false): StrategyRun {
  const start = sc.start;
  const end = start + cfg.blocks;
  const feedDecimals = sc.feed.decimals;
  const pull = strategy.kind === "skew" ? strategy.pull : undefined;
  const latency = pull === undefined ? 0 : Math.max(1, pull.latencyBlocks);
  const freshAt = (b: number): Published => published(sc.prices, cfg.clock, b - latency, feedDecimals);
  /** The newest pull price the pool has used. */
  let lastUsed = freshAt(start);
  const answer0 = pull === undefined ? answerAt(sc.feed, start) : lastUsed.answer;
  const price0 = fromAnswer(answer0, feedDecimals);
  const init = initialReserves(cfg, price0);
  const { skew, pool } = makePool(cfg, strategy, init, answer0, feedDecimals, price0);
  const breaker =
    skew !== null && cfg.breaker !== undefined
      ? new CircuitBreaker(cfg.breaker, answer0, pull === undefined ? "chain" : "reference")
      : null;
  const held = pool.reserves();
  const comp = cfg.competitor === undefined ? null : makeCompetitor(cfg.competitor, cfg.tokens, cfg.poolValue, price0);
  const keeper = strategy.kind === "skew" ? strategy.keeper : undefined;
  const fixedParams = fixedSample(strategy);

  const acc = new MetricsAccumulator();
  const flow = new FlowLog();
  const series: SeriesPoint[] = [];
  let lastUpdate = 0;
  let pending: FrontRun | null = null;
  const blockYears = cfg.clock.blockTime / SECONDS_PER_YEAR;
  const initialValue = valueAt(cfg.tokens, held.base, held.quote, sc.prices[start]);
  const poolValueAt = (price: number) => {
    const r = pool.reserves();
    return valueAt(cfg.tokens, r.base, r.quote, price);
  };

  /** The arbitrageur's swaps on `venue` this block; returns how many it made. */
  const arbitrage = (venue: Venue<unknown>, price: number, now: number, ours: boolean): number => {
    let i = 0;
    for (; i < cfg.arb.maxTradesPerBlock; i++) {
      const r = venue.reserves();
      const choice = bestArbitrage(venue, price, cfg.tokens, cfg.arb, valueAt(cfg.tokens, r.base, r.quote, price));
      if (choice === null) break;
      venue.apply(choice.fill);
      if (!ours) continue;
      acc.onArb(choice.trade);
      flow.push({ side: choice.trade.side, quoteValue: choice.trade.valueIn, timestamp: now });
    }
    return i;
  };

  for (let b = start + 1; b <= end; b++) {
    const price = sc.prices[b];
    const now = blockTime(cfg.clock, b);
    comp?.onBlock(price);
    // The oracle: a landed push round, or this block's freshest pull price (submitted by someone every
    // block, so the breaker sees it), through the breaker when there is one.
    const fresh = pull === undefined ? null : freshAt(b);
    if (skew !== null) {
      const arrived =
        fresh !== null ? fresh.answer : sc.feed.current[b] !== sc.feed.current[b - 1] ? answerAt(sc.feed, b) : null;
      if (arrived !== null && (breaker === null || breaker.onAnswer(arrived, now)) && fresh === null) {
        skew.setPrice(arrived, feedDecimals);
      }
      const cleared = breaker?.poll(now) ?? null;
      if (cleared !== null && fresh === null) skew.setPrice(cleared, feedDecimals);
      if (cleared !== null && fresh !== null) lastUsed = fresh;
    }
    const open = breaker === null || !breaker.tripped;
    if (breaker?.tripped === true) acc.onHalted();
    let usedFresh = false;
    if (skew !== null && pull !== undefined && fresh !== null && open) {
      const candidates = pullCandidates(sc.prices, cfg.clock, b, pull, lastUsed.publishTime, feedDecimals).filter(
        (c) => breaker === null || withinBound(c.answer, breaker.reference, breaker.cfg.maxMovePips),
      );
      if (pull.selector && cfg.frontRunner !== undefined && candidates.length > 1) {
        const sel = selectStale(skew, candidates, feedDecimals, price, cfg.tokens, cfg.arb, poolValueAt(price));
        if (sel !== null) {
          skew.apply(sel.choice.fill);
          acc.onFrontRun(sel.choice.trade);
          flow.push({ side: sel.choice.trade.side, quoteValue: sel.choice.trade.valueIn, timestamp: now });
          lastUsed = sel.source;
        }
      }
      // Arbitrageurs and noise traders bring the freshest price.
      skew.setPrice(fresh.answer, feedDecimals);
    }
    if (skew !== null && pending !== null && open) {
      const back = skew.quote(pending.backSide, pending.leg1.fill.amountOut);
      if (back !== null) {
        skew.apply(back);
        acc.onFrontRun(valueFill(cfg.tokens, back, price));
      }
      pending = null;
    }
    if (open && arbitrage(pool, price, now, true) > 0) usedFresh = true;
    if (comp !== null && comp.arbitraged) arbitrage(comp.venue, price, now, false);
    const other = comp?.venue ?? null;
    for (const order of sc.orders[b]) {
      const choice = open
        ? routeNoise(pool, other, order, price, cfg.tokens, cfg.noise.maxCostBps)
        : other === null
          ? null
          : routeNoise(other, null, order, price, cfg.tokens, cfg.noise.maxCostBps);
      if (choice === null) {
        acc.onSkip();
        continue;
      }
      choice.venue.apply(choice.fill);
      acc.onMarketNoise(choice.trade);
      if (choice.venue !== pool) continue;
      acc.onNoise(choice.trade);
      usedFresh = true;
      flow.push({ side: choice.trade.side, quoteValue: choice.trade.valueIn, timestamp: now });
    }
    if (skew !== null && fresh !== null) {
      // The pool keeps the newest price a swap brought.
      if (usedFresh && open) lastUsed = fresh;
      else skew.setPrice(lastUsed.answer, feedDecimals);
    }
    if (
      skew !== null &&
      pull === undefined &&
      open &&
      cfg.frontRunner !== undefined &&
      b < end &&
      sc.feed.current[b + 1] !== sc.feed.current[b]
    ) {
      pending = planFrontRun(
        skew,
        answerAt(sc.feed, b + 1),
        feedDecimals,
        price,
        cfg.tokens,
        cfg.frontRunner.gasUsd,
        cfg.arb.sizeTol,
        poolValueAt(price),
      );
      if (pending !== null) {
        skew.apply(pending.leg1.fill);
        acc.onFrontRun(pending.leg1.trade);
      }
    }
    if (skew !== null && keeper !== undefined && (b - start) % keeper.everyBlocks === 0) {
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
          applyKeeperParams(skew, decision.next);
          lastUpdate = now;
          acc.keeperUpdates++;
        } else {
          acc.keeperRejected++;
        }
      }
    }

    const value = poolValueAt(price);
    const imb = pool.imbalance(price);
    if (breaker !== null) acc.breakerTrips = breaker.trips;
    const params = skew !== null ? sampleParams(paramsOf(skew.state)) : fixedParams;
    acc.onBlock(imb, params, value, blockYears);
    if (record && cfg.recordEvery > 0 && ((b - start) % cfg.recordEvery === 0 || b === start + 1)) {
      const hold = valueAt(cfg.tokens, held.base, held.quote, price);
      const r = pool.reserves();
      series.push({
        block: b - start,
        hours: ((b - start) * cfg.clock.blockTime) / 3600,
        truePrice: price,
        feedPrice: fromAnswer(answerAt(sc.feed, b), feedDecimals),
        mid: pool.midPrice(),
        imbalance: imb,
        baseShare: (value - valueAt(cfg.tokens, 0n, r.quote, price)) / value,
        lpPnlBps: ((value - hold) / initialValue) * 1e4,
        params,
        halted: !open,
      });
    }
  }

  const last = sc.prices[end];
  const metrics = acc.finish(
    initialValue,
    poolValueAt(last),
    valueAt(cfg.tokens, held.base, held.quote, last),
    (cfg.blocks * cfg.clock.blockTime) / (7 * 86_400),
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
