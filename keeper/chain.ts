/**
 * What the keeper reads from the chain, bounded per tick:
 * - the pool's state, configuration and latest oracle price in ONE call (`getState()`), pinned to a block;
 * - the feed's recent rounds: `latestRoundData()` and then `getRoundData(id - 1)` walking back, at most
 *   `maxRoundCallsPerTick` calls per tick, within `roundWindowSeconds` and `maxRounds`; rounds are
 *   cached between ticks, so a tick normally costs one call (the latest round) plus one per new round;
 * - the pool's `Swap` events: `eth_getLogs` from the block after the last one seen, in chunks of at
 *   most `logChunkBlocks` blocks and at most `maxLogBlocksPerTick` blocks per tick (a keeper that fell
 *   behind catches up over several ticks). Samples older than `swapWindowSeconds` are dropped.
 *
 * Nothing here sends a transaction. Errors propagate to the runner, which backs off; the cursors only
 * advance past data that was actually read, so a failed tick loses nothing.
 */
import { isError } from "ethers";
import type { Provider } from "ethers";
import { imbalance as poolImbalance, Region } from "../sdk/math";
import type { PoolMath } from "../sdk/math";
import type { AggregatorV3Interface } from "../typechain-types/contracts/interfaces/AggregatorV3Interface";
import type { PoolStateStructOutput, SkewPool } from "../typechain-types/contracts/SkewPool";
import { AggregatorV3Interface__factory } from "../typechain-types/factories/contracts/interfaces/AggregatorV3Interface__factory";
import type { FeedRound, FlowSample, ParamBounds, PoolParams } from "./types";

/** The pool as the keeper sees it at one block (from one `getState()` call). */
export interface PoolSnapshot {
  /** Block the state was read at (undefined when read at "latest"). */
  block: number | undefined;
  /** That block's timestamp (unix seconds): the keeper's notion of "now". */
  timestamp: number;
  feed: string;
  feedDecimals: number;
  baseDecimals: number;
  quoteDecimals: number;
  params: PoolParams;
  bounds: ParamBounds;
  /** Unix seconds of the last keeper update, 0 if never. */
  lastParamsUpdate: number;
  /** Whether the feed's latest round is usable (fresh, positive, complete). */
  oracleOk: boolean;
  paused: boolean;
  /** Imbalance, WAD (0 when the oracle is unusable: it needs the price). */
  imbalance: bigint;
}

/** Limits on what one tick reads. */
export interface ChainReaderOptions {
  /** Most feed rounds kept (default 500). */
  maxRounds: number;
  /** Rounds updated longer ago than this (seconds before the pool's block time) are not used (default 48 h). */
  roundWindowSeconds: number;
  /** Most feed calls per tick, `latestRoundData` included (default 100). */
  maxRoundCallsPerTick: number;
  /** Largest block range of one `eth_getLogs` call (default 2,000). */
  logChunkBlocks: number;
  /** Most blocks scanned for swaps per tick (default 20,000). */
  maxLogBlocksPerTick: number;
  /** How far back the first scan starts, blocks (default 5,000). */
  initialLookbackBlocks: number;
  /** Swaps older than this (seconds before the pool's block time) are dropped (default 4 h). */
  swapWindowSeconds: number;
  /** Most swap samples kept; the oldest go first (default 10,000). */
  maxSwapSamples: number;
  /**
   * Most `eth_getBlockByNumber` calls per tick to timestamp swaps (default 200). Swaps in blocks past
   * the budget are stamped with the newest known block time (they count as recent, a conservative
   * error for a flow measure).
   */
  maxBlockLookupsPerTick: number;
}

/** Defaults sized for a 1 h-heartbeat feed and an L1-like block time (see each field). */
export const DEFAULT_CHAIN_READER_OPTIONS: Readonly<ChainReaderOptions> = Object.freeze({
  maxRounds: 500,
  roundWindowSeconds: 48 * 3600,
  maxRoundCallsPerTick: 100,
  logChunkBlocks: 2_000,
  maxLogBlocksPerTick: 20_000,
  initialLookbackBlocks: 5_000,
  swapWindowSeconds: 4 * 3600,
  maxSwapSamples: 10_000,
  maxBlockLookupsPerTick: 200,
});

/** What {@link ChainReader.readRounds} returns. */
export interface RoundsRead {
  /** Usable rounds inside the window, oldest first. */
  rounds: FeedRound[];
  /** Feed calls made this tick. */
  calls: number;
  /** The latest round's id (phase-encoded, as the feed reports it). */
  latestRoundId: bigint;
}

/** What {@link ChainReader.readSwaps} returns. */
export interface SwapsRead {
  /** Swaps inside the window, oldest first. */
  swaps: FlowSample[];
  /** Blocks scanned this tick: [fromBlock, toBlock] (empty when fromBlock > toBlock). */
  fromBlock: number;
  toBlock: number;
  /** `eth_getLogs` calls made this tick. */
  logCalls: number;
  /** False while the scan is more than one tick's budget behind the head. */
  caughtUp: boolean;
}

/** One cached feed round (contiguous ids; incomplete rounds are kept as placeholders). */
interface CachedRound {
  id: bigint;
  answer: bigint;
  updatedAt: number;
  /** Complete round with a positive answer. */
  usable: boolean;
}

/** One cached swap, with the block that timestamps it. */
interface CachedSwap {
  side: FlowSample["side"];
  quoteValue: number;
  block: number;
  /** Unix seconds; undefined until the block's time is known. */
  timestamp: number | undefined;
}

/** Low 64 bits of a Chainlink proxy round id: the aggregator's own round id (0 does not exist). */
const AGGREGATOR_ROUND_MASK = (1n << 64n) - 1n;

/**
 * Whether `err` is a contract revert with revert data. Ethers reports any failed `eth_call` as a
 * CALL_EXCEPTION, including transport failures relayed by some providers (without data): only a
 * revert with data is certainly the contract's answer; anything else is treated as an RPC fault.
 */
export function isRevertWithData(err: unknown): boolean {
  if (!isError(err, "CALL_EXCEPTION")) return false;
  return typeof err.data === "string" && err.data.length > 2;
}

/** The keeper's parameters and bounds out of `getState()`, in the policy's types. */
export function snapshotFromState(state: PoolStateStructOutput, block: number | undefined): PoolSnapshot {
  const params: PoolParams = {
    k: state.params.k,
    baseFee: state.params.baseFee,
    maxFee: state.params.maxFee,
    tau: state.params.tau,
  };
  const b = state.bounds;
  const bounds: ParamBounds = {
    min: { k: b.kMin, baseFee: b.baseFeeMin, maxFee: b.maxFeeMin, tau: b.tauMin },
    max: { k: b.kMax, baseFee: b.baseFeeMax, maxFee: b.maxFeeMax, tau: b.tauMax },
    maxStep: { k: state.steps.k, baseFee: state.steps.baseFee, maxFee: state.steps.maxFee, tau: state.steps.tau },
    minInterval: Number(state.minInterval),
  };
  return {
    block,
    timestamp: Number(state.blockTimestamp),
    feed: state.feed,
    feedDecimals: Number(state.feedDecimals),
    baseDecimals: Number(state.baseDecimals),
    quoteDecimals: Number(state.quoteDecimals),
    params,
    bounds,
    lastParamsUpdate: Number(state.lastParamsUpdate),
    oracleOk: state.oracleOk,
    paused: state.paused,
    imbalance: stateImbalance(state, params),
  };
}

/** The pool's imbalance (WAD) with the SDK's exact math; 0 when the oracle price is unusable. */
function stateImbalance(state: PoolStateStructOutput, params: PoolParams): bigint {
  if (!state.oracleOk || state.price.num === 0n || state.price.den === 0n) return 0n;
  const p: PoolMath = {
    baseReserve: state.baseReserve,
    quoteReserve: state.quoteReserve,
    baseTarget: state.baseTarget,
    quoteTarget: state.quoteTarget,
    region: Number(state.region) as Region,
    baseScale: state.baseScale,
    quoteScale: state.quoteScale,
    price: { num: state.price.num, den: state.price.den },
    ...params,
    protocolShare: state.protocolShare,
  };
  try {
    return poolImbalance(p);
  } catch {
    return 0n; // an empty pool (zero targets) has no imbalance to speak of
  }
}

/** Reads pool state, feed rounds and swaps with the bounds above; keeps caches between ticks. */
export class ChainReader {
  readonly options: Readonly<ChainReaderOptions>;
  private rounds: CachedRound[] = [];
  /** No older rounds worth fetching (start of the feed's phase, a missing round, or outside the window). */
  private roundsExhausted = false;
  private roundsFeed: string | undefined;
  private nextLogBlock: number | undefined;
  private swaps: CachedSwap[] = [];

  constructor(
    readonly pool: SkewPool,
    readonly provider: Provider,
    options: Partial<ChainReaderOptions> = {},
  ) {
    this.options = { ...DEFAULT_CHAIN_READER_OPTIONS, ...options };
    for (const [key, value] of Object.entries(this.options)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${key} must be a positive integer`);
    }
  }

  /** The pool's state at `blockTag` (default: latest) in one `getState()` call. */
  async readState(blockTag: number | "latest" = "latest"): Promise<PoolSnapshot> {
    const state = await this.pool.getState({ blockTag });
    return snapshotFromState(state, blockTag === "latest" ? undefined : blockTag);
  }

  /**
   * The feed's usable rounds updated at or after `now - roundWindowSeconds`, oldest first. Fetches
   * the latest round, then the rounds since the previous tick, then backfills older ones, within
   * the per-tick call budget. A revert of `getRoundData` (a missing round) ends the walk back; any
   * other failure is thrown (the caches stay consistent).
   */
  async readRounds(feedAddress: string, now: number): Promise<RoundsRead> {
    const o = this.options;
    if (this.roundsFeed !== feedAddress) {
      this.rounds = [];
      this.roundsExhausted = false;
      this.roundsFeed = feedAddress;
    }
    const feed: AggregatorV3Interface = AggregatorV3Interface__factory.connect(feedAddress, this.provider);
    let calls = 1;
    const latest = toCached(await feed.latestRoundData());
    const top = this.rounds.at(-1);
    const missing = top === undefined ? 0n : latest.id - top.id - 1n; // rounds between the cache and the latest
    if (top === undefined || latest.id < top.id || missing > BigInt(o.maxRoundCallsPerTick - 1)) {
      // First read, a feed that went backwards, or more new rounds than the budget (e.g. a new proxy
      // phase): start over from the latest round.
      this.rounds = [latest];
      this.roundsExhausted = false;
    } else if (latest.id > top.id) {
      const newer: CachedRound[] = [];
      for (let id = top.id + 1n; id < latest.id; id++) {
        calls++;
        try {
          newer.push(await this.fetchRound(feed, id));
        } catch (err) {
          if (!isRevertWithData(err)) throw err;
          newer.push({ id, answer: 0n, updatedAt: 0, usable: false }); // a hole in the feed: skip it
        }
      }
      this.rounds.push(...newer, latest);
    } else {
      this.rounds[this.rounds.length - 1] = latest; // same round; take its newest data
    }
    const horizon = now - o.roundWindowSeconds;
    while (!this.roundsExhausted && calls < o.maxRoundCallsPerTick && this.rounds.length < o.maxRounds) {
      const oldest = this.rounds[0];
      const id = oldest.id - 1n;
      if ((oldest.usable && oldest.updatedAt < horizon) || (id & AGGREGATOR_ROUND_MASK) === 0n) {
        this.roundsExhausted = true;
        break;
      }
      calls++;
      let round: CachedRound;
      try {
        round = await this.fetchRound(feed, id);
      } catch (err) {
        if (!isRevertWithData(err)) throw err;
        this.roundsExhausted = true; // the feed has no such round
        break;
      }
      this.rounds.unshift(round);
    }
    // Keep the window (at least the latest round, which anchors the cache); what falls out is never
    // fetched again.
    let cut = this.rounds.findIndex((r) => r.usable && r.updatedAt >= horizon);
    if (cut === -1) cut = this.rounds.length - 1;
    if (cut > 0) {
      this.rounds.splice(0, cut);
      this.roundsExhausted = true;
    }
    if (this.rounds.length > o.maxRounds) {
      this.rounds.splice(0, this.rounds.length - o.maxRounds);
      this.roundsExhausted = true;
    }
    const rounds = this.rounds
      .filter((r) => r.usable && r.updatedAt >= horizon)
      .map((r) => ({ answer: r.answer, updatedAt: r.updatedAt }));
    return { rounds, calls, latestRoundId: latest.id };
  }

  /** One round by id. Reverts propagate (the caller decides what a missing round means). */
  private async fetchRound(feed: AggregatorV3Interface, id: bigint): Promise<CachedRound> {
    return toCached(await feed.getRoundData(id));
  }

  /**
   * The pool's swaps inside the window ending at `now`, oldest first, after scanning the blocks since
   * the last scan up to `head` (bounded per tick, see the module doc). `quoteDecimals` converts swap
   * sizes to whole quote tokens. A failed `eth_getLogs` or block read throws; chunks already read stay.
   */
  async readSwaps(head: number, now: number, quoteDecimals: number): Promise<SwapsRead> {
    const o = this.options;
    if (this.nextLogBlock === undefined) this.nextLogBlock = Math.max(0, head - o.initialLookbackBlocks + 1);
    const fromBlock = this.nextLogBlock;
    const toBlock = Math.min(head, fromBlock + o.maxLogBlocksPerTick - 1);
    let logCalls = 0;
    const unit = 10 ** quoteDecimals;
    for (let from = fromBlock; from <= toBlock; ) {
      const to = Math.min(toBlock, from + o.logChunkBlocks - 1);
      logCalls++;
      const logs = await this.pool.queryFilter(this.pool.filters.Swap, from, to);
      for (const log of logs) {
        const { side, amountIn, amountOut, feeAmount } = log.args;
        // Quote value of the swap: the quote paid in, or the gross quote taken out (output + fee).
        const sellBase = side === 0n;
        const quoteRaw = sellBase ? amountOut + feeAmount : amountIn;
        this.swaps.push({
          side: sellBase ? "sellBase" : "sellQuote",
          quoteValue: Number(quoteRaw) / unit,
          block: log.blockNumber,
          timestamp: undefined,
        });
      }
      this.nextLogBlock = to + 1;
      from = to + 1;
    }
    await this.stampSwaps();
    const horizon = now - o.swapWindowSeconds;
    this.swaps = this.swaps.filter((s) => s.timestamp === undefined || s.timestamp >= horizon);
    if (this.swaps.length > o.maxSwapSamples) this.swaps.splice(0, this.swaps.length - o.maxSwapSamples);
    const swaps = this.swaps.map((s) => ({ side: s.side, quoteValue: s.quoteValue, timestamp: s.timestamp ?? now }));
    return { swaps, fromBlock, toBlock, logCalls, caughtUp: toBlock >= head };
  }

  /**
   * Fills in the block timestamps of swaps that have none, within the per-tick lookup budget. Swaps
   * left without one count as recent for this tick and are retried on the next.
   */
  private async stampSwaps(): Promise<void> {
    const times = new Map<number, number>();
    let lookups = 0;
    for (const s of this.swaps) {
      if (s.timestamp !== undefined) continue;
      let t = times.get(s.block);
      if (t === undefined && lookups < this.options.maxBlockLookupsPerTick) {
        lookups++;
        const block = await this.provider.getBlock(s.block);
        if (block !== null) times.set(s.block, (t = block.timestamp));
      }
      s.timestamp = t;
    }
  }
}

/** A `latestRoundData`/`getRoundData` result as a cached round. */
function toCached(r: [bigint, bigint, bigint, bigint, bigint]): CachedRound {
  const [id, answer, , updatedAt] = r;
  return { id, answer, updatedAt: Number(updatedAt), usable: answer > 0n && updatedAt > 0n };
}
