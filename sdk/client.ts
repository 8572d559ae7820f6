/**
 * `SkewClient`: a signer bound to a Skew router. Each action loads the state it needs, quotes,
 * applies the slippage and deadline, gets the router the right to move the input (nothing, a
 * permit or an approval: see {@link ApprovalMode}), sends, waits, and returns the decoded events.
 * Every failure comes out as a {@link SkewError} subclass.
 *
 * Works with any ethers v6 signer that has a provider: a `Wallet`, a `NonceManager` or a
 * JSON-RPC signer. Transactions of one client are sent one at a time, each with a nonce past the
 * last one it used, so an approval and the action after it never share a nonce (a provider's
 * cached `getTransactionCount` cannot hand out the same one twice).
 */
import { getAddress, isError } from "ethers";
import type { Provider, Signer, TransactionReceipt, TransactionRequest } from "ethers";
import { planApproval, supportsPermit } from "./approvals";
import type { ApprovalMode } from "./approvals";
import { decodeSkewError, InvalidArgumentError, SkewContractError, SkewProviderError, toSkewError } from "./errors";
import type { SkewError } from "./errors";
import { parseDeposits, parseSwaps, parseWithdraws } from "./events";
import type { DepositEvent, SwapEvent, WithdrawEvent } from "./events";
import { depositLimits, quoteDeposit, quoteWithdraw } from "./liquidity";
import type { DepositQuote, WithdrawQuote } from "./liquidity";
import type { SwapSide } from "./math";
import { quoteRoute, quoteRouteExactOut } from "./quote";
import type { RouteHop, RouteQuote } from "./quote";
import { fetchOracleUpdates, getPullOracles, quoteRouteExactOutWithUpdate, quoteRouteWithUpdate } from "./pullOracle";
import type { PulledQuoteInfo } from "./pullOracle";
import type { PriceUpdateSource } from "./priceSource";
import { getPoolState, getPoolStates } from "./state";
import type { PoolSnapshot } from "./state";
import {
  buildDeposit,
  buildPoolWithdraw,
  buildSwapFromQuote,
  buildWithdrawWithPermit,
  deadlineFromNow,
  minOutWithSlippage,
  signPermit,
} from "./tx";
import type { BuiltSwap, PermitSignature, TxRequest } from "./tx";

/** Settings of a {@link SkewClient}. */
export interface SkewClientOptions {
  /** The account that trades (must have a provider). */
  signer: Signer;
  /** The SkewRouter's address. */
  router: string;
  /** Default slippage tolerance, basis points (default 50 = 0.5 %). */
  slippageBps?: number;
  /** Default deadline, seconds after the latest block (default 1200). */
  deadlineSeconds?: number;
  /** How the router gets to move your tokens (default "auto": a permit where the token has EIP-2612, else an exact approval). */
  approval?: ApprovalMode;
  /**
   * Where signed prices for pull-oracle pools come from (`HermesPriceSource`, `MockPythPriceSource`). With it,
   * quotes and swaps through a pull pool carry a fresh update (its fee is sent as value); without it they use
   * the oracle's stored price.
   */
  priceSource?: PriceUpdateSource;
}

/** Per-call options shared by the client's actions. */
export interface ActionOptions {
  /** Slippage tolerance for this call, basis points. */
  slippageBps?: number;
  /** Absolute deadline (chain timestamp); default: latest block + `deadlineSeconds`. */
  deadline?: bigint;
  /** How the router gets to move your tokens in this call (default: the client's `approval`). */
  approval?: ApprovalMode;
  /** Shorthand: `true` is `approval: "permit"`, `false` is `approval: "exact"` (`approval` wins). */
  permit?: boolean;
}

/** A swap: a single pool and side, or a route. */
export type SwapTarget = { pool: string; side: SwapSide } | { path: readonly RouteHop[] };

/** What a swap did. */
export interface SwapResult {
  receipt: TransactionReceipt;
  /** The quote the limits were computed from (with `pulled`: the pull-oracle prices it used and carried). */
  quote: RouteQuote & { pulled?: PulledQuoteInfo };
  /** The transaction's limits. */
  built: BuiltSwap;
  /** Raw input received by the first pool (from its Swap event). */
  amountIn: bigint;
  /** Raw output paid to the recipient by the last pool (from its Swap event). */
  amountOut: bigint;
  /** Every hop's Swap event, in order. */
  swaps: SwapEvent[];
}

/** What a deposit did. */
export interface DepositResult {
  receipt: TransactionReceipt;
  quote: DepositQuote;
  event: DepositEvent;
}

/** What a withdrawal did. */
export interface WithdrawResult {
  receipt: TransactionReceipt;
  quote: WithdrawQuote;
  event: WithdrawEvent;
}

/** A route quote that may carry pull-oracle updates. */
type PulledRoute = RouteQuote & { pulled?: PulledQuoteInfo };

function pathOf(target: SwapTarget): readonly RouteHop[] {
  return "path" in target ? target.path : [{ pool: target.pool, side: target.side }];
}

/** A signer bound to a Skew router: quote, swap, deposit and withdraw with typed results and errors. */
export class SkewClient {
  readonly signer: Signer;
  readonly router: string;
  readonly provider: Provider;
  readonly slippageBps: number;
  readonly deadlineSeconds: number;

  readonly approval: ApprovalMode;
  readonly priceSource: PriceUpdateSource | undefined;
  /** The last nonce this client sent with (undefined before its first transaction). */
  private lastNonce: number | undefined;
  /** Sends of this client, one after another. */
  private sending: Promise<unknown> = Promise.resolve();
  private readonly permitSupport = new Map<string, Promise<boolean>>();

  constructor(options: SkewClientOptions) {
    if (options.signer.provider === null) {
      throw new InvalidArgumentError("SkewClient: the signer needs a provider");
    }
    this.signer = options.signer;
    this.provider = options.signer.provider;
    try {
      this.router = getAddress(options.router);
    } catch (e) {
      throw new InvalidArgumentError(`SkewClient: router ${String(options.router)} is not an address`, { cause: e });
    }
    this.slippageBps = options.slippageBps ?? 50;
    this.deadlineSeconds = options.deadlineSeconds ?? 1200;
    this.approval = options.approval ?? "auto";
    this.priceSource = options.priceSource;
  }

  /** One pool's state (one RPC call); a `NotAPoolError` when `pool` is not a Skew pool. */
  getPoolState(pool: string): Promise<PoolSnapshot> {
    return typed(() => getPoolState(pool, this.provider));
  }

  /** Many pools' states (one RPC call). */
  getPoolStates(pools: readonly string[]): Promise<PoolSnapshot[]> {
    return typed(() => getPoolStates(pools, this.provider));
  }

  /** Loads the route's pools and quotes selling exactly `amountIn`. */
  quoteExactIn(target: SwapTarget, amountIn: bigint): Promise<PulledRoute> {
    const path = pathOf(target);
    return typed(async () => {
      const states = await this.statesOf(path);
      const pulled = await this.pulledPrices(states);
      if (pulled === undefined) return quoteRoute(states, path, amountIn);
      return quoteRouteWithUpdate(states, pulled.oracles, pulled.updates, path, amountIn);
    });
  }

  /** Loads the route's pools and quotes buying at least `amountOut`. */
  quoteExactOut(target: SwapTarget, amountOut: bigint): Promise<PulledRoute> {
    const path = pathOf(target);
    return typed(async () => {
      const states = await this.statesOf(path);
      const pulled = await this.pulledPrices(states);
      if (pulled === undefined) return quoteRouteExactOut(states, path, amountOut);
      return quoteRouteExactOutWithUpdate(states, pulled.oracles, pulled.updates, path, amountOut);
    });
  }

  /**
   * Sells exactly `amountIn` of the route's input token, accepting at least the quote minus the
   * slippage; the output goes to `recipient` (default: the signer).
   */
  swapExactIn(
    target: SwapTarget,
    amountIn: bigint,
    options: ActionOptions & { recipient?: string } = {},
  ): Promise<SwapResult> {
    return typed(async () => this.sendSwap(await this.quoteExactIn(target, amountIn), options));
  }

  /**
   * Buys at least `amountOut` of the route's output token, paying at most the quoted input plus
   * the slippage.
   */
  swapExactOut(
    target: SwapTarget,
    amountOut: bigint,
    options: ActionOptions & { recipient?: string } = {},
  ): Promise<SwapResult> {
    return typed(async () => this.sendSwap(await this.quoteExactOut(target, amountOut), options));
  }

  /**
   * Deposits at most `baseMax` and `quoteMax` into `pool` through the router, at the pool's ratio:
   * the quote's amounts are the maxima and the slippage sets the minima of both tokens and of the
   * shares (`depositLimits`), so a pool pushed off its ratio before the deposit makes it revert with
   * `DepositBelowMinimumError` rather than take more of one token. Shares go to `to` (default: the signer).
   */
  deposit(
    pool: string,
    baseMax: bigint,
    quoteMax: bigint,
    options: ActionOptions & { to?: string } = {},
  ): Promise<DepositResult> {
    return typed(async () => {
      const state = await this.getPoolState(pool);
      const quote = quoteDeposit(state, baseMax, quoteMax);
      const limits = depositLimits(quote, options.slippageBps ?? this.slippageBps);
      const deadline = options.deadline ?? (await deadlineFromNow(this.provider, this.deadlineSeconds));
      const to = options.to ?? (await this.signer.getAddress());
      const base = await this.authorize(state.base, limits.baseMax, deadline, options);
      const quoteSig = await this.authorize(state.quote, limits.quoteMax, deadline, options);
      // The router takes both permits or none; a token without one gets an unusable (zero) permit,
      // which the router ignores, and was approved instead.
      const permits =
        base === undefined && quoteSig === undefined
          ? undefined
          : { base: base ?? noPermit(deadline), quote: quoteSig ?? noPermit(deadline) };
      const request = buildDeposit({ router: this.router, pool, ...limits, to, deadline, permits });
      const receipt = await this.send(request);
      return { receipt, quote, event: single(parseDeposits(receipt.logs), "Deposit") };
    });
  }

  /**
   * Burns `shares` of `pool` for both tokens, accepting at least the quote minus the slippage.
   * Straight through the pool (the shares are the signer's own: nothing to approve), unless
   * `approval` is "permit": then through the router with an LP-token permit.
   */
  withdraw(pool: string, shares: bigint, options: ActionOptions & { to?: string } = {}): Promise<WithdrawResult> {
    return typed(async () => {
      const state = await this.getPoolState(pool);
      const quote = quoteWithdraw(state, shares);
      const bps = options.slippageBps ?? this.slippageBps;
      const deadline = options.deadline ?? (await deadlineFromNow(this.provider, this.deadlineSeconds));
      const to = options.to ?? (await this.signer.getAddress());
      const args = {
        pool,
        shares,
        minBase: minOutWithSlippage(quote.baseOut, bps),
        minQuote: minOutWithSlippage(quote.quoteOut, bps),
        to,
        deadline,
      };
      const request =
        this.modeOf(options) === "permit"
          ? buildWithdrawWithPermit({
              ...args,
              router: this.router,
              permit: await signPermit(this.signer, pool, this.router, shares, deadline),
            })
          : buildPoolWithdraw(args);
      const receipt = await this.send(request);
      return { receipt, quote, event: single(parseWithdraws(receipt.logs), "Withdraw") };
    });
  }

  // ------------------------------------------------------------------------------ internals

  /** The route's pull oracles and a fresh update for each, when the client has a price source and there are any. */
  private async pulledPrices(states: readonly PoolSnapshot[]) {
    if (this.priceSource === undefined) return undefined;
    const oracles = await getPullOracles(states, this.provider);
    if (oracles.size === 0) return undefined;
    return { oracles, updates: await fetchOracleUpdates(oracles.values(), this.priceSource, this.provider) };
  }

  private async statesOf(path: readonly RouteHop[]): Promise<PoolSnapshot[]> {
    const pools = [...new Set(path.map((h) => getAddress(h.pool)))];
    return pools.length === 1 ? [await this.getPoolState(pools[0])] : this.getPoolStates(pools);
  }

  private modeOf(options: ActionOptions): ApprovalMode {
    if (options.approval !== undefined) return options.approval;
    if (options.permit !== undefined) return options.permit ? "permit" : "exact";
    return this.approval;
  }

  /**
   * Gets the router the right to move `amount` of `token`: returns a permit signature when one is
   * to be used, else undefined (the allowance covers it, or an approval was sent and mined).
   */
  private async authorize(
    token: string,
    amount: bigint,
    deadline: bigint,
    options: ActionOptions,
  ): Promise<PermitSignature | undefined> {
    const owner = await this.signer.getAddress();
    const key = getAddress(token);
    const step = await planApproval({
      provider: this.provider,
      token,
      owner,
      spender: this.router,
      amount,
      mode: this.modeOf(options),
      permitSupport: () => {
        if (!this.permitSupport.has(key)) this.permitSupport.set(key, supportsPermit(this.provider, token, owner));
        return this.permitSupport.get(key) as Promise<boolean>;
      },
    });
    if (step.kind === "permit") return signPermit(this.signer, token, this.router, amount, deadline);
    if (step.kind === "approve") await this.send(step.tx);
    return undefined;
  }

  private async sendSwap(quote: PulledRoute, options: ActionOptions & { recipient?: string }): Promise<SwapResult> {
    const deadline = options.deadline ?? (await deadlineFromNow(this.provider, this.deadlineSeconds));
    const recipient = options.recipient ?? (await this.signer.getAddress());
    const slippageBps = options.slippageBps ?? this.slippageBps;
    const args = { router: this.router, quote, slippageBps, recipient, deadline };
    const draft = buildSwapFromQuote(args);
    // The price-update entry points take no permit: such swaps use an approval.
    const carriesUpdates = (quote.pulled?.updates.length ?? 0) > 0;
    const authorizeOptions: ActionOptions = carriesUpdates ? { ...options, approval: "exact" } : options;
    const permit = await this.authorize(quote.tokenIn, draft.maxAmountIn, deadline, authorizeOptions);
    const built = permit === undefined ? draft : buildSwapFromQuote({ ...args, permit });
    const receipt = await this.send(built.tx);
    const swaps = parseSwaps(receipt.logs);
    if (swaps.length === 0) throw new SkewContractError("swap transaction emitted no Swap event");
    return {
      receipt,
      quote,
      built,
      amountIn: swaps[0].amountIn,
      amountOut: swaps[swaps.length - 1].amountOut,
      swaps,
    };
  }

  /**
   * Sends, waits, and turns reverts into typed errors: a revert caught before sending (gas
   * estimate) is decoded directly; a transaction mined and reverted (e.g. front-run after the
   * estimate) is replayed with `eth_call` at its block to recover the reason.
   */
  private async send(request: TxRequest): Promise<TransactionReceipt> {
    let receipt: TransactionReceipt | null;
    try {
      const sent = await this.submit(request);
      receipt = await sent.wait();
    } catch (e) {
      const decoded = decodeSkewError(e);
      if (decoded !== undefined) throw decoded;
      if (isError(e, "CALL_EXCEPTION") && e.receipt !== null && e.receipt !== undefined) {
        throw await this.explain(request, e.receipt, e);
      }
      throw SkewProviderError.from(e);
    }
    if (receipt === null) throw new SkewProviderError("transaction was dropped", "TRANSACTION_REPLACED");
    return receipt;
  }

  /**
   * Signs and broadcasts `request`, one at a time per client. The nonce is the account's pending
   * count read fresh from the node, and never at or below the last nonce this client used. A
   * `NonceManager` picks its own nonces.
   */
  private submit(request: TxRequest) {
    const next = this.sending.then(async () => {
      const tx: TransactionRequest = { ...request };
      if (!isNonceManager(this.signer)) {
        const pending = await pendingNonce(this.signer, this.provider);
        tx.nonce = this.lastNonce === undefined ? pending : Math.max(pending, this.lastNonce + 1);
      }
      const sent = await this.signer.sendTransaction(tx);
      this.lastNonce = sent.nonce;
      return sent;
    });
    this.sending = next.catch(() => undefined);
    return next;
  }

  /** Why a mined transaction reverted: its replay at the block it was mined in, decoded. */
  private async explain(request: TxRequest, receipt: TransactionReceipt, cause: unknown): Promise<SkewError> {
    try {
      const from = await this.signer.getAddress();
      await this.provider.call({ ...request, from, blockTag: receipt.blockNumber });
    } catch (e) {
      const decoded = decodeSkewError(e);
      if (decoded !== undefined) return decoded;
    }
    return new SkewContractError(`transaction ${receipt.hash} reverted`, [], { cause });
  }
}

function single<T>(events: T[], name: string): T {
  if (events.length !== 1) throw new SkewContractError(`expected one ${name} event, found ${events.length}`);
  return events[0];
}

/** Runs `action`; whatever it throws comes out as a SkewError. */
async function typed<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    throw toSkewError(e);
  }
}

/**
 * The signer's pending transaction count, asked of the node directly when the provider speaks
 * JSON-RPC: ethers' providers answer a repeated `getTransactionCount` from a cache for a moment,
 * which would hand the nonce of a just-mined approval to the transaction after it.
 */
async function pendingNonce(signer: Signer, provider: Provider): Promise<number> {
  const rpc = provider as Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> };
  if (typeof rpc.send !== "function") return signer.getNonce("pending");
  const count = await rpc.send("eth_getTransactionCount", [await signer.getAddress(), "pending"]);
  return Number(BigInt(count as string));
}

/** An ethers `NonceManager` (duck-typed: another copy of ethers has another class). */
function isNonceManager(signer: Signer): boolean {
  const s = signer as Signer & { increment?: unknown; reset?: unknown; signer?: unknown };
  return typeof s.increment === "function" && typeof s.reset === "function" && s.signer !== undefined;
}

/** A permit the router will try and ignore: for a token that was approved instead. */
function noPermit(deadline: bigint): PermitSignature {
  const zero = "0x" + "00".repeat(32);
  return { value: 0n, deadline, v: 27, r: zero, s: zero };
}
