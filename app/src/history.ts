/**
 * A pool's history from the chain: its Swap, Sync and ParamsUpdated events (bounded to the
 * latest `limit` swaps) and its feed's recent rounds, each with its block's timestamp.
 */
import { Contract, Interface } from "ethers";
import type { JsonRpcProvider } from "ethers";
import { decodeSwapLog, Region } from "@skew/sdk";
import type { PoolSnapshot } from "@skew/sdk";
import { wad } from "./figures";
import { poolLogs } from "./position";

const EVENTS = new Interface([
  "event Sync(uint256 baseReserve, uint256 quoteReserve, uint256 baseTarget, uint256 quoteTarget, uint8 region)",
  "event ParamsUpdated(address indexed caller, uint64 k, uint32 baseFee, uint32 maxFee, uint64 tau)",
]);
const SYNC = EVENTS.getEvent("Sync")?.topicHash;
const PARAMS = EVENTS.getEvent("ParamsUpdated")?.topicHash;
const FEED_ABI = [
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
  "function getRoundData(uint80 id) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
];

export interface SwapPoint {
  time: number;
  mid: number;
  /** Signed inventory after the swap, a fraction of the target value (+ long base). */
  inventory: number;
  feeBps: number;
  side: "sellBase" | "sellQuote";
}
export interface ParamsPoint {
  time: number;
  /** A keeper's update (false for the parameters set when the pool was created). */
  keeper: boolean;
  k: number;
  baseFeeBps: number;
  maxFeeBps: number;
  tau: number;
}
export interface FeedPoint {
  time: number;
  price: number;
}
export interface PoolHistory {
  swaps: SwapPoint[];
  updates: ParamsPoint[];
  feed: FeedPoint[];
}

/** Loads the history of `state`'s pool from `fromBlock`: the last `limit` swaps and feed rounds. */
export async function loadHistory(
  provider: JsonRpcProvider,
  state: PoolSnapshot,
  fromBlock: number,
  limit = 300,
): Promise<PoolHistory> {
  const logs = await poolLogs(provider, state.address, fromBlock);
  const regionByTx = new Map<string, number>();
  for (const l of logs)
    if (l.topics[0] === SYNC) regionByTx.set(l.transactionHash, Number(EVENTS.parseLog(l)?.args.region));
  const swapLogs = logs.filter((l) => decodeSwapLog(l) !== undefined).slice(-limit);
  const paramLogs = logs.filter((l) => l.topics[0] === PARAMS);
  const blocks = [...new Set([...swapLogs, ...paramLogs].map((l) => l.blockNumber))];
  const times = new Map<number, number>();
  await Promise.all(
    blocks.map(async (b) => {
      const block = await provider.getBlock(b);
      times.set(b, Number(block?.timestamp ?? 0));
    }),
  );
  const swaps = swapLogs.map((l) => {
    const e = decodeSwapLog(l)!;
    const region = regionByTx.get(l.transactionHash);
    const size = wad(e.imbalanceAfter);
    return {
      time: times.get(l.blockNumber) ?? 0,
      mid: wad(e.midPriceAfter),
      inventory: region === Region.A ? -size : region === Region.B ? size : 0,
      feeBps: Number(e.feePips) / 100,
      side: e.side,
    };
  });
  const updates = paramLogs.map((l) => {
    const a = EVENTS.parseLog(l)!.args;
    return {
      time: times.get(l.blockNumber) ?? 0,
      keeper: l.blockNumber > fromBlock,
      k: wad(a.k as bigint),
      baseFeeBps: Number(a.baseFee) / 100,
      maxFeeBps: Number(a.maxFee) / 100,
      tau: wad(a.tau as bigint),
    };
  });
  const earliest = swaps.length > 0 ? swaps[0].time : Number(state.blockTimestamp) - 3600;
  return { swaps, updates, feed: await feedRounds(provider, state, earliest, limit) };
}

/** The feed's rounds back to `since` (at most `limit`), oldest first. */
async function feedRounds(
  provider: JsonRpcProvider,
  state: PoolSnapshot,
  since: number,
  limit: number,
): Promise<FeedPoint[]> {
  const feed = new Contract(state.feed, FEED_ABI, provider);
  const scale = 10 ** state.feedDecimals;
  const out: FeedPoint[] = [];
  try {
    const latest = (await feed.latestRoundData()) as [bigint, bigint, bigint, bigint];
    const ids: bigint[] = [];
    for (let i = 0n; i < BigInt(limit) && latest[0] - i > 0n; i++) ids.push(latest[0] - i);
    const rounds = await Promise.all(
      ids.map((id) => (feed.getRoundData(id) as Promise<[bigint, bigint, bigint, bigint]>).catch(() => null)),
    );
    for (const r of rounds) {
      if (r === null || r[3] === 0n) continue;
      out.push({ time: Number(r[3]), price: Number(r[1]) / scale });
      if (Number(r[3]) < since) break;
    }
  } catch {
    // A broken feed has no readable history.
  }
  out.reverse();
  // The latest answer holds until now.
  if (out.length > 0) out.push({ time: Number(state.blockTimestamp), price: out[out.length - 1].price });
  return out;
}
