/**
 * Lean JSON-RPC helpers for long randomized tests on the Hardhat network: transactions as single
 * `eth_sendTransaction` calls with an explicit gas limit (no estimate, no nonce or fee look-ups),
 * raw receipts, snapshots. Reverts come back as values (decoded by the SDK), not exceptions.
 */
import type { EIP1193Provider } from "hardhat/types";
import { decodeSkewError, SkewError } from "../../sdk/errors";

/** A raw receipt log. */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
}

/** A raw receipt. */
export interface RawReceipt {
  status: string;
  logs: RawLog[];
  gasUsed: string;
}

/** A transaction's outcome: its receipt, or the typed error it reverted with. */
export type TxOutcome = { ok: true; receipt: RawReceipt } | { ok: false; error: SkewError };

/** A call's outcome: its return data, or the typed error it reverted with. */
export type CallOutcome = { ok: true; data: string } | { ok: false; error: SkewError };

const GAS = "0xe4e1c0"; // 15,000,000

/** Raw RPC bound to a Hardhat provider. */
export class Rpc {
  constructor(private readonly provider: EIP1193Provider) {}

  send<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.provider.request({ method, params }) as Promise<T>;
  }

  /** Sends a transaction from an unlocked account; a revert is returned as its typed error. */
  async tx(from: string, to: string, data: string): Promise<TxOutcome> {
    try {
      const hash = await this.send<string>("eth_sendTransaction", [{ from, to, data, gas: GAS }]);
      const receipt = await this.send<RawReceipt>("eth_getTransactionReceipt", [hash]);
      if (receipt.status !== "0x1") throw new Error(`transaction ${hash} failed without revert data`);
      return { ok: true, receipt };
    } catch (e) {
      const error = decodeSkewError(e);
      if (error === undefined) throw e;
      return { ok: false, error };
    }
  }

  /** Sends a transaction that must succeed. */
  async mustTx(from: string, to: string, data: string): Promise<RawReceipt> {
    const r = await this.tx(from, to, data);
    if (!r.ok) throw r.error;
    return r.receipt;
  }

  /** `eth_call` at the latest block; a revert is returned as its typed error. */
  async call(to: string, data: string): Promise<CallOutcome> {
    try {
      return { ok: true, data: await this.send<string>("eth_call", [{ to, data }, "latest"]) };
    } catch (e) {
      const error = decodeSkewError(e);
      if (error === undefined) throw e;
      return { ok: false, error };
    }
  }

  snapshot(): Promise<string> {
    return this.send<string>("evm_snapshot");
  }

  async revert(id: string): Promise<void> {
    const ok = await this.send<boolean>("evm_revert", [id]);
    if (!ok) throw new Error(`evm_revert(${id}) failed`);
  }
}

/** A raw log in the shape the SDK's event decoders take. */
export function toLogLike(log: RawLog) {
  return {
    address: log.address,
    topics: log.topics,
    data: log.data,
    blockNumber: Number(log.blockNumber),
    transactionHash: log.transactionHash,
    index: Number(log.logIndex),
  };
}
