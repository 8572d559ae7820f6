/**
 * Decoded pool events (Swap, Deposit, Withdraw) from receipts and logs, and `onSwap`, a live
 * subscription to one pool's swaps.
 */
import { getAddress } from "ethers";
import type { Log, Provider } from "ethers";
import { ISkewPool__factory } from "../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import type { SwapSide } from "./math";
import { sideFromSolidity } from "./tx";

/** Where an event was emitted. */
export interface EventMeta {
  /** The pool that emitted it. */
  pool: string;
  blockNumber: number;
  transactionHash: string;
  /** The log's index in its block. */
  logIndex: number;
}

/** A pool's `Swap` event. */
export interface SwapEvent extends EventMeta {
  sender: string;
  recipient: string;
  side: SwapSide;
  /** Raw input the pool received. */
  amountIn: bigint;
  /** Raw output paid. */
  amountOut: bigint;
  feePips: bigint;
  /** Raw fee retained, in the output token (protocol part included). */
  feeAmount: bigint;
  /** WAD. */
  imbalanceAfter: bigint;
  /** WAD, whole quote tokens per whole base token. */
  midPriceAfter: bigint;
}

/** A pool's `Deposit` event. */
export interface DepositEvent extends EventMeta {
  sender: string;
  to: string;
  shares: bigint;
  baseIn: bigint;
  quoteIn: bigint;
}

/** A pool's `Withdraw` event. */
export interface WithdrawEvent extends EventMeta {
  sender: string;
  to: string;
  shares: bigint;
  baseOut: bigint;
  quoteOut: bigint;
}

const poolInterface = ISkewPool__factory.createInterface();
const SWAP_TOPIC = poolInterface.getEvent("Swap").topicHash;
const DEPOSIT_TOPIC = poolInterface.getEvent("Deposit").topicHash;
const WITHDRAW_TOPIC = poolInterface.getEvent("Withdraw").topicHash;

/** A log as found in receipts and filters (the fields the decoders read). */
export type LogLike = Pick<Log, "address" | "topics" | "data" | "blockNumber" | "transactionHash"> & {
  index: number;
};

function meta(log: LogLike): EventMeta {
  return {
    pool: getAddress(log.address),
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    logIndex: log.index,
  };
}

function decode(log: LogLike, topic: string) {
  if (log.topics[0] !== topic) return undefined;
  return poolInterface.parseLog({ topics: [...log.topics], data: log.data })?.args;
}

/** Decodes a `Swap` log (undefined for any other log). */
export function decodeSwapLog(log: LogLike): SwapEvent | undefined {
  const a = decode(log, SWAP_TOPIC);
  if (a === undefined) return undefined;
  return {
    ...meta(log),
    sender: a.sender as string,
    recipient: a.recipient as string,
    side: sideFromSolidity(a.side as bigint),
    amountIn: a.amountIn as bigint,
    amountOut: a.amountOut as bigint,
    feePips: a.feePips as bigint,
    feeAmount: a.feeAmount as bigint,
    imbalanceAfter: a.imbalanceAfter as bigint,
    midPriceAfter: a.midPriceAfter as bigint,
  };
}

/** Decodes a `Deposit` log (undefined for any other log). */
export function decodeDepositLog(log: LogLike): DepositEvent | undefined {
  const a = decode(log, DEPOSIT_TOPIC);
  if (a === undefined) return undefined;
  const [sender, to, shares, baseIn, quoteIn] = a.toArray() as [string, string, bigint, bigint, bigint];
  return { ...meta(log), sender, to, shares, baseIn, quoteIn };
}

/** Decodes a `Withdraw` log (undefined for any other log). */
export function decodeWithdrawLog(log: LogLike): WithdrawEvent | undefined {
  const a = decode(log, WITHDRAW_TOPIC);
  if (a === undefined) return undefined;
  const [sender, to, shares, baseOut, quoteOut] = a.toArray() as [string, string, bigint, bigint, bigint];
  return { ...meta(log), sender, to, shares, baseOut, quoteOut };
}

function collect<T>(logs: readonly LogLike[], f: (log: LogLike) => T | undefined): T[] {
  const out: T[] = [];
  for (const log of logs) {
    const e = f(log);
    if (e !== undefined) out.push(e);
  }
  return out;
}

/** Every `Swap` in a list of logs (e.g. `receipt.logs`), in log order. */
export function parseSwaps(logs: readonly LogLike[]): SwapEvent[] {
  return collect(logs, decodeSwapLog);
}

/** Every `Deposit` in a list of logs. */
export function parseDeposits(logs: readonly LogLike[]): DepositEvent[] {
  return collect(logs, decodeDepositLog);
}

/** Every `Withdraw` in a list of logs. */
export function parseWithdraws(logs: readonly LogLike[]): WithdrawEvent[] {
  return collect(logs, decodeWithdrawLog);
}

/** Stops a subscription. */
export type Unsubscribe = () => Promise<void>;

/** Options of {@link onSwap}. */
export interface OnSwapOptions {
  /** First block to deliver swaps from (default: the block after the latest at subscription). */
  fromBlock?: number;
  /** Called when reading logs fails or the callback throws (default: ignore and retry on the next block). */
  onError?: (error: unknown) => void;
}

/**
 * Calls `callback` with every `Swap` of `pool`, decoded, in chain order (block, then log index),
 * from the block after the latest at subscription (or `options.fromBlock`). On each new block it
 * reads the logs of every block since the last one it read, so no swap is skipped even when the
 * provider reports blocks late or in batches. Returns the function that unsubscribes (after any
 * delivery in progress).
 */
export async function onSwap(
  pool: string,
  provider: Provider,
  callback: (event: SwapEvent) => void,
  options: OnSwapOptions = {},
): Promise<Unsubscribe> {
  const address = getAddress(pool);
  let next = options.fromBlock ?? (await provider.getBlockNumber()) + 1;
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();
  const deliver = async (latest: number): Promise<void> => {
    if (stopped || latest < next) return;
    const logs = await provider.getLogs({ address, topics: [SWAP_TOPIC], fromBlock: next, toBlock: latest });
    next = latest + 1;
    logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    for (const log of logs) {
      const event = decodeSwapLog(log);
      if (event !== undefined && !stopped) callback(event);
    }
  };
  const onBlock = (blockNumber: number): void => {
    queue = queue.then(() => deliver(Number(blockNumber))).catch((e: unknown) => options.onError?.(e));
  };
  await provider.on("block", onBlock);
  return async () => {
    stopped = true;
    await provider.off("block", onBlock);
    await queue;
  };
}
