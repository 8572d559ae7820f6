/**
 * What the keeper reads from the chain for a whole fleet of pools, bounded per tick:
 * - every pool's state, configuration and latest oracle reading in ONE `eth_call` through the SDK's
 *   deployless lens (`getPoolStates`), pinned to the tick's head block;
 * - each feed's recent rounds (one cache per feed, shared by the pools on it): `latestRoundData()` and
 *   `getRoundData(id - 1)` walking back, at most `maxRoundCallsPerTick` calls per feed and tick, within
 *   `roundWindowSeconds` and `maxRounds`. When the pool's own reading of the feed (in the lens result)
 *   shows no new round and nothing is left to backfill, the feed costs no call at all;
 * - the pools' `Swap` events: ONE `eth_getLogs` for all pools per chunk, from the block after the last
 *   one scanned, in chunks of at most `logChunkBlocks` and at most `maxLogBlocksPerTick` blocks per tick.
 *
 * Restarts and reorgs: nothing here is persisted, so a new process starts from the chain. The log
 * cursor remembers the hash of the last block it scanned; each tick checks that block against the
 * chain. A head below the cursor (the chain was reset) or a different hash there (a reorg, or a reset
 * chain that grew past the cursor again) drops the cursor, the swaps and the feed caches, which are
 * then read afresh ({@link FleetChainReader.reset}).
 *
 * Nothing here sends a transaction. Errors propagate to the runner, which backs off; the cursors only
 * advance past data that was actually read, so a failed tick loses nothing.
 */
import { getAddress, isError } from "ethers";
import type { Provider } from "ethers";
import { imbalance as poolImbalance } from "../sdk/math";
import { getPoolStates } from "../sdk/state";
import type { PoolSnapshot as SdkPoolSnapshot } from "../sdk/state";
import type { AggregatorV3Interface } from "../typechain-types/contracts/interfaces/AggregatorV3Interface";
import { AggregatorV3Interface__factory } from "../typechain-types/factories/contracts/interfaces/AggregatorV3Interface__factory";
import { ISkewPool__factory } from "../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import type { FeedRound, FlowSample, ParamBounds, PoolParams } from "./types";

/** The pool as the keeper sees it at one block (from the lens). */
export interface PoolSnapshot {
  /** The pool's address (checksummed). */
  address: string;
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
  /** Unix seconds of the last keeper update, 0 if never (read from the chain). */
  lastParamsUpdate: number;
  /** Whether the feed's latest round is usable (fresh, positive, complete). */
  oracleOk: boolean;
  /** When the feed's latest round was updated, as the pool reads it (0 if unreadable). */
  oracleUpdatedAt: number;
  paused: boolean;
  /** Imbalance, WAD (0 when the oracle is unusable: it needs the price). */
  imbalance: bigint;
  /** A `k` the pool has queued until it reaches equilibrium (null when none): already asked for. */
  pendingK: bigint | null;
  /** The surge ramp's width, WAD: the policy has no opinion on it, so updates send it back unchanged. */
  surgeWidth: bigint;
}

/** Limits on what one tick reads. */
export interface ChainReaderOptions {
  /** Most feed rounds kept per feed (default 500). */
  maxRounds: number;
  /** Rounds updated longer ago than this (seconds before the pool's block time) are not used (default 48 h). */
  roundWindowSeconds: number;
  /** Most calls per feed and tick, `latestRoundData` included (default 100). */
  maxRoundCallsPerTick: number;
  /** Largest block range of one `eth_getLogs` call (default 2,000). */
  logChunkBlocks: number;
  /** Most blocks scanned for swaps per tick (default 20,000). */
  maxLogBlocksPerTick: number;
  /** How far back the first scan starts, blocks (default 5,000). */
  initialLookbackBlocks: number;
  /** Swaps older than this (seconds before the pool's block time) are dropped (default 4 h). */
  swapWindowSeconds: number;
  /** Most swap samples kept per pool; the oldest go first (default 10,000). */
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

/** What {@link FeedRounds.read} returns. */
export interface RoundsRead {
  /** Usable rounds inside the window, oldest first. */
  rounds: FeedRound[];
  /** Feed calls made for this read (0 when the cache was known to be current). */
  calls: number;
  /** The latest round's id (phase-encoded, as the feed reports it). */
  latestRoundId: bigint;
}

/** What {@link FleetChainReader.readSwaps} returns. */
export interface SwapsRead {
  /** Per pool (checksummed address): its swaps inside the window, oldest first. */
  swaps: Map<string, FlowSample[]>;
  /** Blocks scanned this tick: [fromBlock, toBlock] (empty when fromBlock > toBlock). */
  fromBlock: number;
  toBlock: number;
  /** `eth_getLogs` calls made this tick. */
  logCalls: number;
  /** False while the scan is more than one tick's budget behind the head. */
  caughtUp: boolean;
}

/** Why the cursors and caches were dropped (the `reason` label of `cursor_resets_total`). */
export type CursorResetReason =
  /** The head is below the cursor: the chain was reset (or a deep reorg). */
  | "behind-head"
  /** The block at the cursor has another hash: a reorg, or a reset chain that grew past the cursor. */
  | "block-hash"
  /** The RPC now answers for another chain id. */
  | "chain-id";

export const CURSOR_RESET_REASONS: readonly CursorResetReason[] = ["behind-head", "block-hash", "chain-id"];

/** A block's number and hash. */
export interface BlockRef {
  number: number;
  hash: string;
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

/** The keeper's view of an SDK snapshot (parameters and bounds in the policy's types). */
export function snapshotFromSdk(s: SdkPoolSnapshot, block: number | undefined): PoolSnapshot {
  const params: PoolParams = { ...s.params };
  const b = s.bounds;
  const bounds: ParamBounds = {
    min: { k: b.kMin, baseFee: b.baseFeeMin, maxFee: b.maxFeeMin, tau: b.tauMin },
    max: { k: b.kMax, baseFee: b.baseFeeMax, maxFee: b.maxFeeMax, tau: b.tauMax },
    maxStep: { k: s.steps.k, baseFee: s.steps.baseFee, maxFee: s.steps.maxFee, tau: s.steps.tau },
    minInterval: Number(s.minInterval),
  };
  return {
    address: s.address,
    block,
    timestamp: Number(s.blockTimestamp),
    feed: getAddress(s.feed),
    feedDecimals: s.feedDecimals,
    baseDecimals: s.baseDecimals,
    quoteDecimals: s.quoteDecimals,
    params,
    bounds,
    lastParamsUpdate: Number(s.lastParamsUpdate),
    oracleOk: s.oracle.ok,
    oracleUpdatedAt: Number(s.oracle.updatedAt),
    paused: s.paused,
    imbalance: snapshotImbalance(s),
    pendingK: s.pendingK,
    surgeWidth: s.surgeWidth,
  };
}

/** The pool's imbalance (WAD) with the SDK's exact math; 0 when the oracle price is unusable. */
function snapshotImbalance(s: SdkPoolSnapshot): bigint {
  if (!s.oracle.ok || s.oracle.price.num === 0n || s.oracle.price.den === 0n) return 0n;
  try {
    return poolImbalance(s.math);
  } catch {
    return 0n; // an empty pool (zero targets) has no imbalance to speak of
  }
}

/** Every pool's state at `blockTag` with ONE `eth_call` (the SDK's deployless lens). */
export async function readPoolStates(
  provider: Provider,
  pools: readonly string[],
  blockTag: number | "latest" = "latest",
): Promise<PoolSnapshot[]> {
  const states = await getPoolStates(pools, provider, { blockTag });
  return states.map((s) => snapshotFromSdk(s, blockTag === "latest" ? undefined : blockTag));
}

/** One feed's round cache (see the module doc). */
export class FeedRounds {
  private rounds: CachedRound[] = [];
  /** No older rounds worth fetching (start of the feed's phase, a missing round, or outside the window). */
  private exhausted = false;
  private latestId = 0n;
  private readonly feed: AggregatorV3Interface;

  constructor(
    readonly address: string,
    provider: Provider,
    private readonly options: Readonly<ChainReaderOptions>,
  ) {
    this.feed = AggregatorV3Interface__factory.connect(address, provider);
  }

  /**
   * The feed's usable rounds updated at or after `now - roundWindowSeconds`, oldest first. Fetches
   * the latest round, then the rounds since the previous read, then backfills older ones, within the
   * per-tick call budget. When `latestUpdatedAt` (the pool's own reading of the feed, from the lens)
   * equals the cached latest round's and nothing is left to backfill, no call is made. A revert of
   * `getRoundData` (a missing round) ends the walk back; any other failure is thrown (the cache stays
   * consistent).
   */
  async read(now: number, latestUpdatedAt?: number): Promise<RoundsRead> {
    const top = this.rounds.at(-1);
    if (top !== undefined && this.exhausted && latestUpdatedAt !== undefined && top.updatedAt === latestUpdatedAt) {
      return { rounds: this.window(now), calls: 0, latestRoundId: this.latestId };
    }
    const o = this.options;
    let calls = 1;
    const latest = toCached(await this.feed.latestRoundData());
    this.latestId = latest.id;
    const missing = top === undefined ? 0n : latest.id - top.id - 1n; // rounds between the cache and the latest
    if (top === undefined || latest.id < top.id || missing > BigInt(o.maxRoundCallsPerTick - 1)) {
      // First read, a feed that went backwards, or more new rounds than the budget (e.g. a new proxy
      // phase): start over from the latest round.
      this.rounds = [latest];
      this.exhausted = false;
    } else if (latest.id > top.id) {
      const newer: CachedRound[] = [];
      for (let id = top.id + 1n; id < latest.id; id++) {
        calls++;
        try {
          newer.push(toCached(await this.feed.getRoundData(id)));
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
    while (!this.exhausted && calls < o.maxRoundCallsPerTick && this.rounds.length < o.maxRounds) {
      const oldest = this.rounds[0];
      const id = oldest.id - 1n;
      if ((oldest.usable && oldest.updatedAt < horizon) || (id & AGGREGATOR_ROUND_MASK) === 0n) {
        this.exhausted = true;
        break;
      }
      calls++;
      let round: CachedRound;
      try {
        round = toCached(await this.feed.getRoundData(id));
      } catch (err) {
        if (!isRevertWithData(err)) throw err;
        this.exhausted = true; // the feed has no such round
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
      this.exhausted = true;
    }
    if (this.rounds.length > o.maxRounds) {
      this.rounds.splice(0, this.rounds.length - o.maxRounds);
      this.exhausted = true;
    }
    return { rounds: this.window(now), calls, latestRoundId: latest.id };
  }

  /** The cached usable rounds inside the window ending at `now`. */
  private window(now: number): FeedRound[] {
    const horizon = now - this.options.roundWindowSeconds;
    return this.rounds
      .filter((r) => r.usable && r.updatedAt >= horizon)
      .map((r) => ({ answer: r.answer, updatedAt: r.updatedAt }));
  }
}

/** The pools' swaps and the feeds' rounds for a fleet, with the bounds and the reset rules above. */
export class FleetChainReader {
  readonly options: Readonly<ChainReaderOptions>;
  private readonly pools: readonly string[];
  private readonly quoteUnits = new Map<string, number>();
  private feeds = new Map<string, FeedRounds>();
  private swaps = new Map<string, CachedSwap[]>();
  private nextLogBlock: number | undefined;
  /** The last block scanned for logs and its hash (to detect resets and reorgs). */
  private scanned: { number: number; hash: string } | undefined;
  private readonly swapTopic: string;
  private readonly poolInterface = ISkewPool__factory.createInterface();

  constructor(
    readonly provider: Provider,
    pools: readonly string[],
    options: Partial<ChainReaderOptions> = {},
  ) {
    this.options = { ...DEFAULT_CHAIN_READER_OPTIONS, ...options };
    for (const [key, value] of Object.entries(this.options)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${key} must be a positive integer`);
    }
    this.pools = pools.map((p) => getAddress(p));
    this.swapTopic = this.poolInterface.getEvent("Swap").topicHash;
  }

  /** Where the next swap scan starts (undefined before the first scan or after a reset). */
  get cursor(): number | undefined {
    return this.nextLogBlock;
  }

  /** Drops the log cursor, the swaps and the feed caches: everything is read afresh from the chain. */
  reset(): void {
    this.nextLogBlock = undefined;
    this.scanned = undefined;
    this.swaps = new Map();
    this.feeds = new Map();
  }

  /**
   * Whether the cursor still lies on the chain whose head is `head`: resets and returns the reason
   * when the head is below the last scanned block or that block's hash changed; undefined when the
   * cursor is fine (or there is none yet). Costs one block read once a scan has happened.
   */
  async checkCursor(head: number): Promise<CursorResetReason | undefined> {
    const scanned = this.scanned;
    if (scanned === undefined) return undefined;
    let reason: CursorResetReason | undefined;
    if (head < scanned.number) reason = "behind-head";
    else {
      const block = await this.provider.getBlock(scanned.number);
      if (block === null || block.hash !== scanned.hash) reason = "block-hash";
    }
    if (reason !== undefined) this.reset();
    return reason;
  }

  /** The rounds of `feed` (cached per feed, shared by its pools; see {@link FeedRounds.read}). */
  async readRounds(feed: string, now: number, latestUpdatedAt?: number): Promise<RoundsRead> {
    const key = getAddress(feed);
    let rounds = this.feeds.get(key);
    if (rounds === undefined) {
      rounds = new FeedRounds(key, this.provider, this.options);
      this.feeds.set(key, rounds);
    }
    return rounds.read(now, latestUpdatedAt);
  }

  /**
   * Every pool's swaps inside the window ending at its snapshot's time, oldest first, after scanning
   * the blocks since the last scan up to `headBlock` (the tick's head: number and hash) with one `eth_getLogs` per chunk for all pools.
   * `snapshots` give each pool's quote decimals and time. A failed `eth_getLogs` or block read throws;
   * chunks already read stay.
   */
  async readSwaps(headBlock: BlockRef, snapshots: readonly PoolSnapshot[]): Promise<SwapsRead> {
    const o = this.options;
    const head = headBlock.number;
    for (const s of snapshots) this.quoteUnits.set(s.address, 10 ** s.quoteDecimals);
    if (this.nextLogBlock === undefined) this.nextLogBlock = Math.max(0, head - o.initialLookbackBlocks + 1);
    const fromBlock = this.nextLogBlock;
    const toBlock = Math.min(head, fromBlock + o.maxLogBlocksPerTick - 1);
    let logCalls = 0;
    for (let from = fromBlock; from <= toBlock; ) {
      const to = Math.min(toBlock, from + o.logChunkBlocks - 1);
      logCalls++;
      const logs = await this.provider.getLogs({
        address: [...this.pools],
        topics: [this.swapTopic],
        fromBlock: from,
        toBlock: to,
      });
      for (const log of logs) this.addSwap(log);
      this.nextLogBlock = to + 1;
      from = to + 1;
    }
    if (toBlock >= fromBlock) {
      if (toBlock === head) this.scanned = { ...headBlock };
      else {
        const block = await this.provider.getBlock(toBlock);
        if (block?.hash) this.scanned = { number: toBlock, hash: block.hash };
      }
    }
    await this.stampSwaps();
    const out = new Map<string, FlowSample[]>();
    for (const s of snapshots) {
      const horizon = s.timestamp - o.swapWindowSeconds;
      let list = (this.swaps.get(s.address) ?? []).filter((w) => w.timestamp === undefined || w.timestamp >= horizon);
      if (list.length > o.maxSwapSamples) list = list.slice(list.length - o.maxSwapSamples);
      this.swaps.set(s.address, list);
      out.set(
        s.address,
        list.map((w) => ({ side: w.side, quoteValue: w.quoteValue, timestamp: w.timestamp ?? s.timestamp })),
      );
    }
    return { swaps: out, fromBlock, toBlock, logCalls, caughtUp: toBlock >= head };
  }

  /** Caches one `Swap` log under its pool. */
  private addSwap(log: { address: string; topics: readonly string[]; data: string; blockNumber: number }): void {
    const pool = getAddress(log.address);
    const parsed = this.poolInterface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed === null) return;
    const { side, amountIn, amountOut, feeAmount } = parsed.args as unknown as {
      side: bigint;
      amountIn: bigint;
      amountOut: bigint;
      feeAmount: bigint;
    };
    // Quote value of the swap: the quote paid in, or the gross quote taken out (output + fee).
    const sellBase = side === 0n;
    const quoteRaw = sellBase ? amountOut + feeAmount : amountIn;
    const list = this.swaps.get(pool) ?? [];
    list.push({
      side: sellBase ? "sellBase" : "sellQuote",
      quoteValue: Number(quoteRaw) / (this.quoteUnits.get(pool) ?? 1),
      block: log.blockNumber,
      timestamp: undefined,
    });
    this.swaps.set(pool, list);
  }

  /**
   * Fills in the block timestamps of swaps that have none, within the per-tick lookup budget. Swaps
   * left without one count as recent for this tick and are retried on the next.
   */
  private async stampSwaps(): Promise<void> {
    const times = new Map<number, number>();
    let lookups = 0;
    for (const list of this.swaps.values()) {
      for (const s of list) {
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
}

/** A `latestRoundData`/`getRoundData` result as a cached round. */
function toCached(r: [bigint, bigint, bigint, bigint, bigint]): CachedRound {
  const [id, answer, , updatedAt] = r;
  return { id, answer, updatedAt: Number(updatedAt), usable: answer > 0n && updatedAt > 0n };
}
