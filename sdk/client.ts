/**
 * `SkewClient`: a signer bound to a Skew router. Each action loads the state it needs, quotes,
 * applies the slippage and deadline, approves (or signs a permit), sends, waits, and returns the
 * decoded events; failures come out as the SDK's typed errors.
 */
import { getAddress, isError } from "ethers";
import type { Provider, Signer, TransactionReceipt } from "ethers";
import { decodeSkewError, SkewContractError } from "./errors";
import type { SkewError } from "./errors";
import { parseDeposits, parseSwaps, parseWithdraws } from "./events";
import type { DepositEvent, SwapEvent, WithdrawEvent } from "./events";
import { quoteDeposit, quoteWithdraw } from "./liquidity";
import type { DepositQuote, WithdrawQuote } from "./liquidity";
import type { SwapSide } from "./math";
import { quoteRoute, quoteRouteExactOut } from "./quote";
import type { RouteHop, RouteQuote } from "./quote";
import { getPoolState, getPoolStates } from "./state";
import type { PoolSnapshot } from "./state";
import {
  buildDeposit,
  buildPoolWithdraw,
  buildSwapFromQuote,
  buildWithdrawWithPermit,
  deadlineFromNow,
  ensureAllowance,
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
}

/** Per-call options shared by the client's actions. */
export interface ActionOptions {
  /** Slippage tolerance for this call, basis points. */
  slippageBps?: number;
  /** Absolute deadline (chain timestamp); default: latest block + `deadlineSeconds`. */
  deadline?: bigint;
  /** Sign EIP-2612 permits instead of sending approvals (default false). */
  permit?: boolean;
}

/** A swap: a single pool and side, or a route. */
export type SwapTarget = { pool: string; side: SwapSide } | { path: readonly RouteHop[] };

/** What a swap did. */
export interface SwapResult {
  receipt: TransactionReceipt;
  /** The quote the limits were computed from. */
  quote: RouteQuote;
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

  constructor(options: SkewClientOptions) {
    if (options.signer.provider === null) throw new Error("SkewClient: the signer needs a provider");
    this.signer = options.signer;
    this.provider = options.signer.provider;
    this.router = getAddress(options.router);
    this.slippageBps = options.slippageBps ?? 50;
    this.deadlineSeconds = options.deadlineSeconds ?? 1200;
  }

  /** One pool's state (one RPC call). */
  getPoolState(pool: string): Promise<PoolSnapshot> {
    return getPoolState(pool, this.provider);
  }

  /** Many pools' states (one RPC call). */
  getPoolStates(pools: readonly string[]): Promise<PoolSnapshot[]> {
    return getPoolStates(pools, this.provider);
  }

  /** Loads the route's pools and quotes selling exactly `amountIn`. */
  async quoteExactIn(target: SwapTarget, amountIn: bigint): Promise<RouteQuote> {
    const path = pathOf(target);
    return quoteRoute(await this.statesOf(path), path, amountIn);
  }

  /** Loads the route's pools and quotes buying at least `amountOut`. */
  async quoteExactOut(target: SwapTarget, amountOut: bigint): Promise<RouteQuote> {
    const path = pathOf(target);
    return quoteRouteExactOut(await this.statesOf(path), path, amountOut);
  }

  /**
   * Sells exactly `amountIn` of the route's input token, accepting at least the quote minus the
   * slippage; the output goes to `recipient` (default: the signer).
   */
  async swapExactIn(
    target: SwapTarget,
    amountIn: bigint,
    options: ActionOptions & { recipient?: string } = {},
  ): Promise<SwapResult> {
    const quote = await this.quoteExactIn(target, amountIn);
    return this.sendSwap(quote, options);
  }

  /**
   * Buys at least `amountOut` of the route's output token, paying at most the quoted input plus
   * the slippage.
   */
  async swapExactOut(
    target: SwapTarget,
    amountOut: bigint,
    options: ActionOptions & { recipient?: string } = {},
  ): Promise<SwapResult> {
    const quote = await this.quoteExactOut(target, amountOut);
    return this.sendSwap(quote, options);
  }

  /**
   * Deposits at most `baseMax` and `quoteMax` into `pool` through the router, accepting at least
   * the quoted shares minus the slippage; shares go to `to` (default: the signer).
   */
  async deposit(
    pool: string,
    baseMax: bigint,
    quoteMax: bigint,
    options: ActionOptions & { to?: string } = {},
  ): Promise<DepositResult> {
    const state = await this.getPoolState(pool);
    const quote = quoteDeposit(state, baseMax, quoteMax);
    const minShares = minOutWithSlippage(quote.shares, options.slippageBps ?? this.slippageBps);
    const deadline = options.deadline ?? (await deadlineFromNow(this.provider, this.deadlineSeconds));
    const to = options.to ?? (await this.signer.getAddress());
    let permits: { base: PermitSignature; quote: PermitSignature } | undefined;
    if (options.permit === true) {
      permits = {
        base: await signPermit(this.signer, state.base, this.router, baseMax, deadline),
        quote: await signPermit(this.signer, state.quote, this.router, quoteMax, deadline),
      };
    } else {
      await ensureAllowance(this.signer, state.base, this.router, baseMax);
      await ensureAllowance(this.signer, state.quote, this.router, quoteMax);
    }
    const request = buildDeposit({ router: this.router, pool, baseMax, quoteMax, minShares, to, deadline, permits });
    const receipt = await this.send(request);
    return { receipt, quote, event: this.single(parseDeposits(receipt.logs), "Deposit") };
  }

  /**
   * Burns `shares` of `pool` for both tokens, accepting at least the quote minus the slippage.
   * By default straight through the pool (no approval needed); with `permit: true` through the
   * router with an LP-token permit.
   */
  async withdraw(pool: string, shares: bigint, options: ActionOptions & { to?: string } = {}): Promise<WithdrawResult> {
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
      options.permit === true
        ? buildWithdrawWithPermit({
            ...args,
            router: this.router,
            permit: await signPermit(this.signer, pool, this.router, shares, deadline),
          })
        : buildPoolWithdraw(args);
    const receipt = await this.send(request);
    return { receipt, quote, event: this.single(parseWithdraws(receipt.logs), "Withdraw") };
  }

  // ------------------------------------------------------------------------------ internals

  private async statesOf(path: readonly RouteHop[]): Promise<PoolSnapshot[]> {
    const pools = [...new Set(path.map((h) => getAddress(h.pool)))];
    return pools.length === 1 ? [await this.getPoolState(pools[0])] : this.getPoolStates(pools);
  }

  private async sendSwap(quote: RouteQuote, options: ActionOptions & { recipient?: string }): Promise<SwapResult> {
    const deadline = options.deadline ?? (await deadlineFromNow(this.provider, this.deadlineSeconds));
    const recipient = options.recipient ?? (await this.signer.getAddress());
    const slippageBps = options.slippageBps ?? this.slippageBps;
    const args = { router: this.router, quote, slippageBps, recipient, deadline };
    const draft = buildSwapFromQuote(args);
    let built = draft;
    if (options.permit === true) {
      const permit = await signPermit(this.signer, quote.tokenIn, this.router, draft.maxAmountIn, deadline);
      built = buildSwapFromQuote({ ...args, permit });
    } else {
      await ensureAllowance(this.signer, quote.tokenIn, this.router, draft.maxAmountIn);
    }
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
      const sent = await this.signer.sendTransaction(request);
      receipt = await sent.wait();
    } catch (e) {
      const decoded = decodeSkewError(e);
      if (decoded !== undefined) throw decoded;
      if (isError(e, "CALL_EXCEPTION") && e.receipt !== null && e.receipt !== undefined) {
        throw await this.explain(request, e.receipt, e);
      }
      throw e;
    }
    if (receipt === null) throw new SkewContractError("transaction was dropped");
    return receipt;
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

  private single<T>(events: T[], name: string): T {
    if (events.length !== 1) throw new SkewContractError(`expected one ${name} event, found ${events.length}`);
    return events[0];
  }
}
