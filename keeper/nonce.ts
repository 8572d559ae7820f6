/**
 * One nonce manager per key: hands out nonces to the fleet's transactions without ever giving the
 * same nonce to two different calls, tracks what is pending per pool, and replaces a transaction that
 * has waited too long with the same call at bumped EIP-1559 fees (up to a cap).
 *
 * - The next nonce comes from the chain at start (`pending` count) and then from memory; every
 *   {@link NonceManager.sync} re-reads the mined nonce and, if another sender used the key, moves past it.
 * - A transaction is signed locally (a node-held key signs and sends in one call), tracked BEFORE it is
 *   broadcast, and stays tracked until a receipt
 *   of one of its hashes (the original or a replacement) is found, or its nonce was mined by something
 *   else. A failed broadcast therefore never frees its nonce: the same nonce is rebroadcast (bumped)
 *   later, so no pool ever waits on a hole and no nonce is reused for another call.
 * - Replacement: after `bumpAfterMs` without a receipt, the same call is re-signed with the same nonce
 *   and fees raised by `bumpPercent` (at least the network's current fees), never above `maxFeePerGasCap`.
 *   This also revives a transaction the node dropped.
 * - A restart while transactions are pending: the pending nonces are found in the node's pending block
 *   and adopted (the pool they address waits for them); nonces the node does not show are cancelled
 *   after `bumpAfterMs` with a 0-value transfer to self, so later nonces can be mined.
 */
import { BaseWallet, getAddress, isError, keccak256 } from "ethers";
import type { Provider, Signer, TransactionReceipt, TransactionRequest } from "ethers";

/** EIP-1559 fees of one transaction. */
export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** The call a tracked transaction makes. */
export interface TxCall {
  to: string;
  data: string;
  gasLimit: bigint;
  value?: bigint;
}

/** A transaction the manager sent (or adopted) and has not seen mined yet. */
export interface TrackedTx {
  /** The pool it updates (checksummed), or "" for a cancellation of an unknown pending nonce. */
  pool: string;
  nonce: number;
  /** Undefined for a pending nonce found at start that the node does not show (replaced by a cancel). */
  call: TxCall | undefined;
  fees: Fees | undefined;
  /** Every hash signed for this nonce, the newest last. */
  hashes: string[];
  /** When the first version was sent (ms, the manager's clock). */
  sentAt: number;
  /** When the newest version was broadcast (ms). */
  broadcastAt: number;
  /** Replacements sent so far. */
  replacements: number;
  /** Whether the newest version reached the node (false after a failed broadcast). */
  broadcastOk: boolean;
}

/** A transaction of a pending block as the node returns it (hex quantities). */
interface RawPendingTx {
  hash: string;
  from: string;
  to?: string | null;
  nonce: string;
  input: string;
  gas: string;
  value: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
}

/** A tracked transaction whose nonce got mined. */
export interface SettledTx {
  tx: TrackedTx;
  /** The receipt of whichever of its hashes was mined; null when another transaction took the nonce. */
  receipt: TransactionReceipt | null;
}

/** A replacement that was sent (or attempted). */
export interface Replacement {
  tx: TrackedTx;
  previousHash: string | undefined;
  hash: string;
  fees: Fees;
  /** "repriced": same call, higher fees; "cancel": a 0-value transfer to self over an unknown nonce. */
  kind: "repriced" | "cancel";
  /** The broadcast error, when the node refused it (the next bump retries). */
  error?: unknown;
}

/** Options of {@link NonceManager}. */
export interface NonceManagerOptions {
  /** Replace a transaction without a receipt after this long, ms (default 60 s). */
  bumpAfterMs?: number;
  /** Fee increase per replacement, percent (default 12.5; nodes require at least 10). */
  bumpPercent?: number;
  /** Never sign fees above this `maxFeePerGas`, wei (default: no cap). */
  maxFeePerGasCap?: bigint;
  /** The clock, ms (default Date.now). */
  now?: () => number;
}

/** `x * (100 + percent) / 100`, rounded up, at least `x + 1`. */
export function bumpFee(x: bigint, percent: number): bigint {
  const permille = BigInt(Math.round(percent * 10));
  const bumped = (x * (1000n + permille) + 999n) / 1000n;
  return bumped > x ? bumped : x + 1n;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Whether a broadcast error means the node already has exactly this transaction. */
function alreadyKnown(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /already known|known transaction|already imported/i.test(text);
}

/** The nonce manager of one key (see the module doc). */
export class NonceManager {
  readonly bumpAfterMs: number;
  readonly bumpPercent: number;
  readonly maxFeePerGasCap: bigint | undefined;
  private readonly now: () => number;
  private address: string | undefined;
  private nextNonce: number | undefined;
  private readonly tracked = new Map<number, TrackedTx>();
  /** Highest nonce mined, as of the last sync (the `latest` transaction count). */
  private minedCount = 0;

  constructor(
    readonly signer: Signer,
    readonly provider: Provider,
    options: NonceManagerOptions = {},
  ) {
    this.bumpAfterMs = options.bumpAfterMs ?? 60_000;
    this.bumpPercent = options.bumpPercent ?? 12.5;
    this.maxFeePerGasCap = options.maxFeePerGasCap;
    this.now = options.now ?? Date.now;
    if (!(this.bumpAfterMs >= 0) || !(this.bumpPercent >= 10)) {
      throw new RangeError("bumpAfterMs must be >= 0 and bumpPercent >= 10 (nodes refuse smaller bumps)");
    }
  }

  /** The key's address (checksummed, cached). */
  async keyAddress(): Promise<string> {
    this.address ??= getAddress(await this.signer.getAddress());
    return this.address;
  }

  /**
   * Forgets every tracked transaction and the next nonce: the next {@link sync} starts from the chain
   * again (after the chain was reset: what was tracked is not on it; what the node has pending is adopted).
   */
  reset(): void {
    this.tracked.clear();
    this.nextNonce = undefined;
    this.minedCount = 0;
  }

  /** Transactions not yet mined, oldest nonce first. */
  pending(): TrackedTx[] {
    return [...this.tracked.values()].sort((a, b) => a.nonce - b.nonce);
  }

  /** The pending transaction of `pool`, if any. */
  pendingFor(pool: string): TrackedTx | undefined {
    const p = getAddress(pool);
    return this.pending().find((t) => t.pool === p);
  }

  /** The nonce the next new transaction gets (undefined before the first sync). */
  get next(): number | undefined {
    return this.nextNonce;
  }

  /**
   * Reads the mined nonce (one call) and settles every tracked transaction below it: its receipt is
   * looked up (newest hash first); a nonce mined by another transaction settles with `receipt: null`.
   * On the first call it also reads the pending nonce and adopts the key's pending transactions
   * (see the module doc). Returns the settled transactions.
   */
  async sync(): Promise<SettledTx[]> {
    const address = await this.keyAddress();
    const mined = await this.provider.getTransactionCount(address, "latest");
    this.minedCount = mined;
    if (this.nextNonce === undefined) {
      const pendingCount = await this.provider.getTransactionCount(address, "pending");
      this.nextNonce = Math.max(mined, pendingCount);
      if (pendingCount > mined) await this.adoptPending(address, mined, pendingCount);
    }
    if (mined > this.nextNonce) this.nextNonce = mined; // another sender used the key
    const settled: SettledTx[] = [];
    for (const tx of this.pending()) {
      if (tx.nonce >= mined) break;
      this.tracked.delete(tx.nonce);
      let receipt: TransactionReceipt | null = null;
      for (const hash of [...tx.hashes].reverse()) {
        receipt = await this.provider.getTransactionReceipt(hash);
        if (receipt !== null) break;
      }
      settled.push({ tx, receipt });
    }
    return settled;
  }

  /** Adopts the key's pending nonces [from, to) from the node's pending block; unknown ones get placeholders. */
  private async adoptPending(address: string, from: number, to: number): Promise<void> {
    const found = new Map<number, TrackedTx>();
    for (const tx of await this.pendingBlockTransactions()) {
      const nonce = Number(BigInt(tx.nonce));
      if (getAddress(tx.from) !== address || nonce < from || nonce >= to) continue;
      const to_ = tx.to === null || tx.to === undefined ? undefined : getAddress(tx.to);
      found.set(nonce, {
        pool: to_ ?? "",
        nonce,
        call:
          to_ === undefined
            ? undefined
            : { to: to_, data: tx.input, gasLimit: BigInt(tx.gas), value: BigInt(tx.value) },
        fees:
          tx.maxFeePerGas !== undefined && tx.maxPriorityFeePerGas !== undefined
            ? { maxFeePerGas: BigInt(tx.maxFeePerGas), maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas) }
            : tx.gasPrice !== undefined
              ? { maxFeePerGas: BigInt(tx.gasPrice), maxPriorityFeePerGas: BigInt(tx.gasPrice) }
              : undefined,
        hashes: [tx.hash],
        sentAt: this.now(),
        broadcastAt: this.now(),
        replacements: 0,
        broadcastOk: true,
      });
    }
    for (let nonce = from; nonce < to; nonce++) {
      this.tracked.set(
        nonce,
        found.get(nonce) ?? {
          pool: "",
          nonce,
          call: undefined,
          fees: undefined,
          hashes: [],
          sentAt: this.now(),
          broadcastAt: this.now(),
          replacements: 0,
          broadcastOk: false,
        },
      );
    }
  }

  /**
   * The node's pending block's transactions, raw (ethers' block parser refuses a pending block, whose
   * number is null); none when the provider cannot send raw requests or the node has no pending block.
   */
  private async pendingBlockTransactions(): Promise<RawPendingTx[]> {
    const send = (this.provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
    if (typeof send !== "function") return [];
    try {
      const block = (await send.call(this.provider, "eth_getBlockByNumber", ["pending", true])) as {
        transactions?: unknown[];
      } | null;
      return (block?.transactions ?? []).filter((t): t is RawPendingTx => typeof t === "object" && t !== null);
    } catch {
      return [];
    }
  }

  /** Whether a pending nonce of the key is not known (found at start, not in the node's pending block). */
  hasUnknownPending(): boolean {
    return this.pending().some((t) => t.call === undefined);
  }

  /**
   * Signs `call` for `pool` with the next nonce and `fees`, tracks it, then broadcasts it. Resolves to
   * the tracked transaction; a failed broadcast is recorded (`broadcastOk: false`, `error`) and the
   * nonce stays taken by this call (the next bump rebroadcasts it). Call {@link sync} once first.
   */
  async send(pool: string, call: TxCall, fees: Fees): Promise<{ tx: TrackedTx; error?: unknown }> {
    if (this.nextNonce === undefined) throw new Error("NonceManager: sync() before the first send");
    const nonce = this.nextNonce++;
    const tx: TrackedTx = {
      pool: getAddress(pool),
      nonce,
      call,
      fees,
      hashes: [],
      sentAt: this.now(),
      broadcastAt: this.now(),
      replacements: 0,
      broadcastOk: false,
    };
    this.tracked.set(nonce, tx);
    const error = await this.signAndBroadcast(tx, call, fees);
    return error === undefined ? { tx } : { tx, error };
  }

  /**
   * Replaces every tracked transaction whose newest version was broadcast at least `bumpAfterMs` ago
   * (or never reached the node): the same call with the same nonce at fees raised by `bumpPercent`,
   * at least `network` (the current fees), at most the cap. At the cap, the same fees are broadcast
   * again (this revives a dropped transaction). Unknown pending nonces are cancelled. Returns what was
   * sent.
   */
  async bump(network: Fees): Promise<Replacement[]> {
    const out: Replacement[] = [];
    const now = this.now();
    for (const tx of this.pending()) {
      if (tx.nonce < this.minedCount) continue;
      if (tx.broadcastOk && now - tx.broadcastAt < this.bumpAfterMs) continue;
      const previousHash = tx.hashes.at(-1);
      const fees = this.bumpedFees(tx.fees, network);
      const kind = tx.call === undefined ? "cancel" : "repriced";
      const call: TxCall = tx.call ?? { to: await this.keyAddress(), data: "0x", gasLimit: 21_000n, value: 0n };
      tx.replacements++;
      const error = await this.signAndBroadcast(tx, call, fees);
      tx.call = call;
      tx.fees = fees;
      out.push({
        tx,
        previousHash,
        hash: tx.hashes.at(-1) ?? "",
        fees,
        kind,
        ...(error === undefined ? {} : { error }),
      });
    }
    return out;
  }

  /** The fees of a replacement (see {@link bump}). */
  private bumpedFees(old: Fees | undefined, network: Fees): Fees {
    const base = old ?? {
      maxFeePerGas: network.maxFeePerGas * 2n,
      maxPriorityFeePerGas: network.maxPriorityFeePerGas * 2n,
    };
    let maxFeePerGas = maxBig(bumpFee(base.maxFeePerGas, this.bumpPercent), network.maxFeePerGas);
    let maxPriorityFeePerGas = maxBig(
      bumpFee(base.maxPriorityFeePerGas, this.bumpPercent),
      network.maxPriorityFeePerGas,
    );
    if (this.maxFeePerGasCap !== undefined)
      maxFeePerGas = minBig(maxFeePerGas, maxBig(this.maxFeePerGasCap, base.maxFeePerGas));
    maxPriorityFeePerGas = minBig(maxPriorityFeePerGas, maxFeePerGas);
    return { maxFeePerGas, maxPriorityFeePerGas };
  }

  /** Signs `call` at `tx.nonce` with `fees`, records the hash, broadcasts; returns the broadcast error. */
  private async signAndBroadcast(tx: TrackedTx, call: TxCall, fees: Fees): Promise<unknown> {
    const request: TransactionRequest = {
      type: 2,
      to: call.to,
      data: call.data,
      value: call.value ?? 0n,
      gasLimit: call.gasLimit,
      nonce: tx.nonce,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      chainId: (await this.provider.getNetwork()).chainId,
    };
    const populated = await this.signer.populateTransaction(request);
    // A local key signs here (the hash is known before the broadcast); a node-held key (JsonRpcSigner:
    // most nodes refuse eth_signTransaction) signs and sends in one call.
    const raw = this.signer instanceof BaseWallet ? await this.signer.signTransaction(populated) : undefined;
    tx.broadcastAt = this.now();
    try {
      if (raw === undefined) {
        const response = await this.signer.sendTransaction(populated);
        if (tx.hashes.at(-1) !== response.hash) tx.hashes.push(response.hash);
      } else {
        const hash = keccak256(raw);
        if (tx.hashes.at(-1) !== hash) tx.hashes.push(hash);
        await this.provider.broadcastTransaction(raw);
      }
      tx.broadcastOk = true;
      return undefined;
    } catch (err) {
      if (alreadyKnown(err)) {
        tx.broadcastOk = true;
        return undefined;
      }
      // "nonce too low": the nonce was mined meanwhile; the next sync settles it.
      tx.broadcastOk = isError(err, "NONCE_EXPIRED");
      return err;
    }
  }
}
