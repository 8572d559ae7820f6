/**
 * Pure quotes over loaded pool state. They wrap the wei-exact math mirror (`sdk/math.ts`) with
 * the pool's own checks, in the pool's order (pause, zero amount, empty pool, oracle), so a quote
 * equals the pool's `quoteExactIn` / `quoteExactOut` view to the wei and fails with the same
 * (typed) error. Routes mirror the router: exact-in hop by hop, exact-out backwards.
 */
import { getAddress } from "ethers";
import {
  ExactOutUnreachableError,
  IncompleteOracleRoundError,
  InsufficientLiquidityError,
  InsufficientOutputError,
  InvalidOraclePriceError,
  InvalidPathError,
  MathOverflowError,
  OracleError,
  oracleStatusError,
  OracleUpdateInFutureError,
  PausedError,
  StaleOracleError,
  UnknownPoolError,
  ZeroAmountError,
} from "./errors";
import { MathOverflowError as MathOverflow } from "./fullMath";
import * as math from "./math";
import type { PoolMath, SdkSwapQuote, SwapSide } from "./math";
import type { PoolSnapshot } from "./state";

export type { SwapSide };

/** A quote of one swap on one pool: the math's {@link SwapQuote} plus what it is about. */
export interface SkewQuote extends SdkSwapQuote {
  /** The pool quoted. */
  pool: string;
  side: SwapSide;
  /** "exactIn": `amountIn` was given; "exactOut": at least `requested` output was asked for. */
  kind: "exactIn" | "exactOut";
  /** The amount the caller asked about: the input (exact-in) or the wanted output (exact-out). */
  requested: bigint;
  tokenIn: string;
  tokenOut: string;
}

/** Options of the quote functions. */
export interface QuoteOptions {
  /**
   * Check the oracle's freshness at this timestamp instead of the snapshot's block timestamp
   * (e.g. the expected execution time).
   */
  timestamp?: bigint;
}

/** One hop of a route: a pool and the direction to trade it in. */
export interface RouteHop {
  pool: string;
  side: SwapSide;
}

/** A quote of a whole route. */
export interface RouteQuote {
  /** "exactIn": `amountIn` was given; "exactOut": at least `requested` output was asked for. */
  kind: "exactIn" | "exactOut";
  /** The amount the caller asked about: the input (exact-in) or the wanted final output (exact-out). */
  requested: bigint;
  /** Raw input taken by the first hop. */
  amountIn: bigint;
  /** Raw output paid by the last hop. */
  amountOut: bigint;
  /** The hops' quotes as they execute (each hop's input is the previous hop's output). */
  hops: SkewQuote[];
  tokenIn: string;
  tokenOut: string;
}

/** Where the pool states of a route come from: a list of snapshots or a map keyed by address. */
export type PoolStates = readonly PoolSnapshot[] | ReadonlyMap<string, PoolSnapshot>;

/** The input and output tokens of a side of a pool. */
export function tokensOf(state: PoolSnapshot, side: SwapSide): { tokenIn: string; tokenOut: string } {
  return side === "sellBase"
    ? { tokenIn: state.base, tokenOut: state.quote }
    : { tokenIn: state.quote, tokenOut: state.base };
}

/**
 * The typed error the pool would revert with for its oracle reading, or undefined when it is
 * usable. The snapshot carries the feed's price, update time and the pool's verdict; when the
 * verdict is "unusable" for a reason the snapshot cannot show (an answer computed in an earlier
 * round), this reports `IncompleteOracleRound`. A Skew oracle that holds its answer back reports its
 * own error first (circuit breaker, bounds, sequencer), from the snapshot's oracle status.
 */
export function oracleProblem(state: PoolSnapshot, timestamp = state.blockTimestamp): OracleError | undefined {
  const o = state.oracle;
  const guarded = o.status ? oracleStatusError(o.status) : undefined;
  if (guarded !== undefined) return guarded;
  if (o.updatedAt === 0n) return new IncompleteOracleRoundError(0n, 0n);
  if (o.price.num === 0n) return new InvalidOraclePriceError(0n);
  if (o.updatedAt > timestamp) return new OracleUpdateInFutureError(o.updatedAt, timestamp);
  if (timestamp - o.updatedAt > o.maxAge) return new StaleOracleError(o.updatedAt, o.maxAge);
  if (o.ok) return undefined;
  // Unusable at the snapshot's block for a reason other than the time, or for the time only.
  const bt = state.blockTimestamp;
  const timeOnly = o.updatedAt > bt || bt - o.updatedAt > o.maxAge;
  return timeOnly && timestamp !== bt ? undefined : new IncompleteOracleRoundError(0n, 0n);
}

/** The pool's own checks before the math, in the pool's order. */
function checkQuotable(state: PoolSnapshot, amount: bigint, options: QuoteOptions): void {
  if (state.paused) throw new PausedError({ errorName: "EnforcedPause" });
  if (amount === 0n) throw new ZeroAmountError();
  if (state.math.baseReserve === 0n || state.math.quoteReserve === 0n) throw new InsufficientLiquidityError();
  const problem = oracleProblem(state, options.timestamp);
  if (problem !== undefined) throw problem;
}

/** Runs the math, translating its errors into the SDK's typed errors. */
function runMath(f: () => SdkSwapQuote): SdkSwapQuote {
  try {
    return f();
  } catch (e) {
    if (e instanceof math.InsufficientLiquidityError) throw new InsufficientLiquidityError({ cause: e });
    if (e instanceof math.ZeroAmountError) throw new ZeroAmountError({ cause: e });
    if (e instanceof math.ExactOutUnreachableError) throw new ExactOutUnreachableError({ cause: e });
    if (e instanceof MathOverflow) throw new MathOverflowError({ cause: e, errorName: "Panic" });
    throw e;
  }
}

/**
 * Quotes selling exactly `amountIn` (raw units of the input token) on a loaded pool: the output
 * after the fee, the fee in pips and in tokens, the gross output, mid price and imbalance before
 * and after, and the pool state the swap leaves. Equal to the pool's `quoteExactIn` view at the
 * snapshot's block, to the wei. Pure: no RPC.
 * @throws PausedError, ZeroAmountError, InsufficientLiquidityError, an OracleError subclass, MathOverflowError.
 */
export function quoteExactIn(
  state: PoolSnapshot,
  side: SwapSide,
  amountIn: bigint,
  options: QuoteOptions = {},
): SkewQuote {
  checkQuotable(state, amountIn, options);
  const q = runMath(() => math.quoteExactIn(state.math, side, amountIn));
  return { ...q, pool: state.address, side, kind: "exactIn", requested: amountIn, ...tokensOf(state, side) };
}

/**
 * Quotes buying at least `amountOut` (raw units of the output token): the smallest practical
 * input (`amountIn`) and the exact-in quote of that input (`amountOut` is at least the request).
 * Equal to the pool's `quoteExactOut` view at the snapshot's block, to the wei. Pure: no RPC.
 * @throws as {@link quoteExactIn}, and ExactOutUnreachableError.
 */
export function quoteExactOut(
  state: PoolSnapshot,
  side: SwapSide,
  amountOut: bigint,
  options: QuoteOptions = {},
): SkewQuote {
  checkQuotable(state, amountOut, options);
  const q = runMath(() => math.quoteExactOut(state.math, side, amountOut));
  return { ...q, pool: state.address, side, kind: "exactOut", requested: amountOut, ...tokensOf(state, side) };
}

/**
 * The pricing state a swap leaves behind (what the pool stores): reserves, targets and region from
 * the quote, the k in force after it, and the queued k (`pendingK` absent when none).
 */
export function mathAfterSwap(p: PoolMath, quote: SdkSwapQuote): PoolMath {
  const { pendingK: _queued, ...rest } = p; // eslint-disable-line @typescript-eslint/no-unused-vars
  const math: PoolMath = {
    ...rest,
    baseReserve: quote.baseReserveAfter,
    quoteReserve: quote.quoteReserveAfter,
    baseTarget: quote.baseTargetAfter,
    quoteTarget: quote.quoteTargetAfter,
    region: quote.regionAfter,
    k: quote.kAfter,
  };
  return quote.pendingKAfter === null ? math : { ...math, pendingK: quote.pendingKAfter };
}

/**
 * The snapshot a swap leaves behind: reserves, targets and region from the quote, the k in force
 * and the queued k after it, the protocol fee added to the owed fees. Use it to quote several
 * swaps in a row on one pool.
 */
export function applySwap(state: PoolSnapshot, quote: SdkSwapQuote & { side: SwapSide }): PoolSnapshot {
  const owedBase = quote.side === "sellQuote" ? quote.protocolFee : 0n;
  const owedQuote = quote.side === "sellBase" ? quote.protocolFee : 0n;
  return {
    ...state,
    math: mathAfterSwap(state.math, quote),
    params: { ...state.params, k: quote.kAfter },
    pendingK: quote.pendingKAfter,
    protocolFees: { base: state.protocolFees.base + owedBase, quote: state.protocolFees.quote + owedQuote },
  };
}

/** A working copy of the states of a route, keyed by lower-case address. */
function stateMap(states: PoolStates): Map<string, PoolSnapshot> {
  const map = new Map<string, PoolSnapshot>();
  const entries: Iterable<PoolSnapshot> = Array.isArray(states)
    ? (states as readonly PoolSnapshot[])
    : (states as ReadonlyMap<string, PoolSnapshot>).values();
  for (const s of entries) map.set(s.address.toLowerCase(), s);
  return map;
}

/**
 * The hops' states, checking the route as the router does: each hop takes the previous hop's
 * output, and no hop trades the same pool as the previous one.
 */
function routeStates(map: Map<string, PoolSnapshot>, hops: readonly RouteHop[]): PoolSnapshot[] {
  if (hops.length === 0) throw new InvalidPathError(0);
  const out: PoolSnapshot[] = [];
  let prevOut = "";
  hops.forEach((hop, i) => {
    const state = map.get(hop.pool.toLowerCase());
    if (state === undefined) throw new UnknownPoolError(getAddress(hop.pool));
    const { tokenIn, tokenOut } = tokensOf(state, hop.side);
    if (i > 0 && (tokenIn.toLowerCase() !== prevOut || state === out[i - 1])) throw new InvalidPathError(i);
    prevOut = tokenOut.toLowerCase();
    out.push(state);
  });
  return out;
}

/** Executes a route exact-in on working copies of the states (a pool used twice sees its own first swap). */
function forward(map: Map<string, PoolSnapshot>, hops: readonly RouteHop[], amountIn: bigint, o: QuoteOptions) {
  const quotes: SkewQuote[] = [];
  let amount = amountIn;
  for (const hop of hops) {
    const key = hop.pool.toLowerCase();
    const state = map.get(key) as PoolSnapshot;
    const q = quoteExactIn(state, hop.side, amount, o);
    map.set(key, applySwap(state, q));
    quotes.push(q);
    amount = q.amountOut;
  }
  return quotes;
}

/**
 * Quotes selling exactly `amountIn` along `hops`, as the router's `swapExactIn` executes it: each
 * hop sells the previous hop's whole output. Throws InvalidPathError for an empty or broken route
 * and UnknownPoolError for a hop whose state is missing from `states`.
 */
export function quoteRoute(
  states: PoolStates,
  hops: readonly RouteHop[],
  amountIn: bigint,
  options: QuoteOptions = {},
): RouteQuote {
  const map = stateMap(states);
  const path = routeStates(map, hops);
  const quotes = forward(map, hops, amountIn, options);
  return {
    kind: "exactIn",
    requested: amountIn,
    amountIn,
    amountOut: quotes[quotes.length - 1].amountOut,
    hops: quotes,
    tokenIn: tokensOf(path[0], hops[0].side).tokenIn,
    tokenOut: tokensOf(path[path.length - 1], hops[hops.length - 1].side).tokenOut,
  };
}

/**
 * Quotes buying at least `amountOut` along `hops`, as the router's `swapExactOut` does it: the
 * input is found backwards from the last hop with each pool's exact-out quote (on the states
 * before the swap), then the route executes exact-in with that input; `amountOut` of the result
 * is what the recipient receives (at least the request, else InsufficientOutputError, as the
 * router would revert: possible only when a pool appears twice in the route).
 */
export function quoteRouteExactOut(
  states: PoolStates,
  hops: readonly RouteHop[],
  amountOut: bigint,
  options: QuoteOptions = {},
): RouteQuote {
  const map = stateMap(states);
  const path = routeStates(map, hops);
  let amount = amountOut;
  for (let i = hops.length - 1; i >= 0; i--) {
    amount = quoteExactOut(path[i], hops[i].side, amount, options).amountIn;
  }
  const quotes = forward(map, hops, amount, options);
  const received = quotes[quotes.length - 1].amountOut;
  // A pool visited twice pays less on its second visit than its quote on the earlier state.
  if (received < amountOut) throw new InsufficientOutputError(received, amountOut);
  return {
    kind: "exactOut",
    requested: amountOut,
    amountIn: amount,
    amountOut: quotes[quotes.length - 1].amountOut,
    hops: quotes,
    tokenIn: tokensOf(path[0], hops[0].side).tokenIn,
    tokenOut: tokensOf(path[path.length - 1], hops[hops.length - 1].side).tokenOut,
  };
}
