/**
 * An LP's position in one pool, from the pool's Deposit, Withdraw and Swap events: what the
 * account deposited (less what it took out, pro rata), and its share of the fees kept since.
 * LP tokens moved by plain transfers are not followed (their cost is unknown).
 */
import { decodeDepositLog, decodeSwapLog, decodeWithdrawLog, MINIMUM_LIQUIDITY } from "@skew/sdk";
import type { LogLike } from "@skew/sdk";
import type { JsonRpcProvider } from "ethers";

/** Cost basis and fee share, raw units. */
export interface PositionHistory {
  /** Base and quote deposited, reduced pro rata by withdrawals. */
  basisBase: bigint;
  basisQuote: bigint;
  /** The account's share of the fees swaps left in the pool while it held shares. */
  feesBase: bigint;
  feesQuote: bigint;
  deposits: number;
  withdrawals: number;
}

/** Replays the pool's events for `account`. */
export function replayPosition(logs: readonly LogLike[], account: string): PositionHistory {
  const me = account.toLowerCase();
  let supply = 0n;
  let mine = 0n;
  const h: PositionHistory = {
    basisBase: 0n,
    basisQuote: 0n,
    feesBase: 0n,
    feesQuote: 0n,
    deposits: 0,
    withdrawals: 0,
  };
  for (const log of logs) {
    const d = decodeDepositLog(log);
    if (d !== undefined) {
      if (supply === 0n) supply = MINIMUM_LIQUIDITY;
      supply += d.shares;
      if (d.to.toLowerCase() === me) {
        mine += d.shares;
        h.basisBase += d.baseIn;
        h.basisQuote += d.quoteIn;
        h.deposits++;
      }
      continue;
    }
    const w = decodeWithdrawLog(log);
    if (w !== undefined) {
      if (w.sender.toLowerCase() === me && mine > 0n) {
        const burnt = w.shares > mine ? mine : w.shares;
        h.basisBase -= (h.basisBase * burnt) / mine;
        h.basisQuote -= (h.basisQuote * burnt) / mine;
        mine -= burnt;
        h.withdrawals++;
      }
      supply -= w.shares;
      continue;
    }
    const s = decodeSwapLog(log);
    if (s !== undefined && mine > 0n && supply > 0n) {
      const fee = (s.feeAmount * mine) / supply;
      if (s.side === "sellBase") h.feesQuote += fee;
      else h.feesBase += fee;
    }
  }
  return h;
}

/** The pool's logs from `fromBlock`, in chain order. */
export async function poolLogs(provider: JsonRpcProvider, pool: string, fromBlock: number): Promise<LogLike[]> {
  const logs = await provider.getLogs({ address: pool, fromBlock, toBlock: "latest" });
  return logs.map((l) => ({ ...l, topics: [...l.topics] }));
}
