/**
 * Pull-oracle pools (Pyth): which pools of a route price from a pull oracle, what their oracle holds,
 * and the price a swap carrying an update will trade at. Quotes apply the oracle's own rule (the newer
 * of the stored price and the update's, the confidence bound, the exact decimal conversion) to the loaded
 * pool state and then run the ordinary quotes, so they stay wei-exact with the chain for that update.
 */
import { getAddress } from "ethers";
import type { BlockTag, Provider } from "ethers";
import { PythOracle__factory } from "../typechain-types/factories/contracts/oracle/PythOracle__factory";
import { InvalidArgumentError, NoPriceError, PriceTooUncertainError } from "./errors";
import { pulledPriceOf } from "./priceSource";
import type { PriceUpdate, PriceUpdateSource } from "./priceSource";
import { quoteExactIn, quoteExactOut, quoteRoute, quoteRouteExactOut } from "./quote";
import type { PoolStates, QuoteOptions, RouteHop, RouteQuote, SkewQuote } from "./quote";
import type { PoolSnapshot } from "./state";
import type { SwapSide } from "./math";

const PIPS = 1_000_000n;

/** What a pool's pull oracle holds (a `PythOracle`). */
export interface PullOracleState {
  /** The oracle (the pool's `feed`), checksummed. */
  address: string;
  /** The Pyth price id it answers, 0x-prefixed lower-case. */
  priceId: string;
  /** Decimals of its answers. */
  decimals: number;
  /** Its confidence bound, pips of the price. */
  maxConfidencePips: bigint;
  /** The stored price as Pyth published it (publishTime 0 before the first update). */
  stored: { price: bigint; conf: bigint; expo: number; publishTime: bigint };
}

/** The price a quote used for one pull oracle. */
export interface UsedPrice {
  oracle: string;
  priceId: string;
  /** The oracle's answer, `decimals` decimals. */
  answer: bigint;
  decimals: number;
  /** Pyth's confidence interval (Pyth's scale). */
  conf: bigint;
  publishTime: bigint;
  /** The last timestamp at which the pool accepts it: publishTime + the pool's max age. */
  validUntil: bigint;
  /** Whether it is the update's price (newer than the stored one) or the stored one. */
  fromUpdate: boolean;
}

/** Update data for one pull oracle, and the fee its `updatePrice` takes. */
export interface OracleUpdate {
  oracle: string;
  update: PriceUpdate;
  /** Wei, from the oracle's `getUpdateFee(data)`. */
  fee: bigint;
}

/** A quote priced with pull-oracle updates: which price each pull oracle gave it, and until when. */
export interface PulledQuoteInfo {
  prices: UsedPrice[];
  /** The earliest `validUntil` of the prices (null when the route has no pull pool). */
  validUntil: bigint | null;
  /** The updates the swap must carry. */
  updates: OracleUpdate[];
}

/**
 * The pull oracle behind `feed`, or null for a push feed (a Chainlink-style feed without `kind()`,
 * or whose `kind()` is Push).
 */
export async function getPullOracleState(
  feed: string,
  provider: Provider,
  blockTag?: BlockTag,
): Promise<PullOracleState | null> {
  const oracle = PythOracle__factory.connect(feed, provider);
  let kind: bigint;
  try {
    kind = await oracle.kind({ blockTag });
  } catch {
    return null;
  }
  if (kind !== 1n) return null;
  const [priceId, decimals, maxConfidencePips, p] = await Promise.all([
    oracle.priceId({ blockTag }),
    oracle.decimals({ blockTag }),
    oracle.maxConfidencePips({ blockTag }),
    oracle.latestPrice({ blockTag }),
  ]);
  return {
    address: getAddress(feed),
    priceId: priceId.toLowerCase(),
    decimals: Number(decimals),
    maxConfidencePips: BigInt(maxConfidencePips),
    stored: { price: p.price, conf: p.conf, expo: Number(p.expo), publishTime: p.publishTime },
  };
}

/** The pull oracles of `states`, keyed by lower-case oracle address (push pools are left out). */
export async function getPullOracles(
  states: readonly PoolSnapshot[],
  provider: Provider,
  blockTag?: BlockTag,
): Promise<Map<string, PullOracleState>> {
  const feeds = [...new Set(states.map((s) => s.feed.toLowerCase()))];
  const found = await Promise.all(feeds.map((f) => getPullOracleState(f, provider, blockTag)));
  const out = new Map<string, PullOracleState>();
  found.forEach((o) => o !== null && out.set(o.address.toLowerCase(), o));
  return out;
}

/** Fetches one update per pull oracle from `source` and reads each oracle's fee for it. */
export async function fetchOracleUpdates(
  oracles: Iterable<PullOracleState>,
  source: PriceUpdateSource,
  provider: Provider,
): Promise<OracleUpdate[]> {
  return Promise.all(
    [...oracles].map(async (o) => {
      const update = await source.latestUpdate([o.priceId]);
      const fee = await PythOracle__factory.connect(o.address, provider).getUpdateFee(update.data);
      return { oracle: o.address, update, fee };
    }),
  );
}

/**
 * The state `state` has once `update` lands on its pull oracle `oracle` (the oracle keeps the newer
 * price), and the price it then trades at. Throws the oracle's errors: NoPriceError,
 * PriceTooUncertainError, and InvalidArgumentError for an exponent the oracle refuses.
 */
export function applyPriceUpdate(
  state: PoolSnapshot,
  oracle: PullOracleState,
  update?: PriceUpdate,
): { state: PoolSnapshot; used: UsedPrice } {
  const pulled = update === undefined ? undefined : pulledPriceOf(update, oracle.priceId);
  const fromUpdate = pulled !== undefined && pulled.publishTime > oracle.stored.publishTime;
  const p = fromUpdate ? pulled : oracle.stored;
  if (p.publishTime === 0n) throw new NoPriceError(oracle.priceId);
  const scale = oracle.decimals + p.expo;
  if (scale < 0 || scale > 57) {
    throw new InvalidArgumentError(`exponent ${p.expo} cannot be converted to ${oracle.decimals} decimals`, {
      errorName: "UnsupportedExponent",
    });
  }
  if (p.price > 0n && p.conf * PIPS > p.price * oracle.maxConfidencePips) {
    throw new PriceTooUncertainError(p.conf, p.price);
  }
  const answer = p.price * 10n ** BigInt(scale);
  const price = { num: answer > 0n ? answer : 0n, den: 10n ** BigInt(oracle.decimals) };
  const bt = state.blockTimestamp;
  const maxAge = state.oracle.maxAge;
  const ok = answer > 0n && p.publishTime <= bt && bt - p.publishTime <= maxAge;
  const used: UsedPrice = {
    oracle: oracle.address,
    priceId: oracle.priceId,
    answer,
    decimals: oracle.decimals,
    conf: p.conf,
    publishTime: p.publishTime,
    validUntil: p.publishTime + maxAge,
    fromUpdate,
  };
  return {
    state: {
      ...state,
      math: { ...state.math, price },
      oracle: { ...state.oracle, ok, price, updatedAt: p.publishTime },
    },
    used,
  };
}

/** Applies each update to the pools on its oracle; returns the new states and the prices used, per oracle. */
export function applyPriceUpdates(
  states: readonly PoolSnapshot[],
  oracles: ReadonlyMap<string, PullOracleState>,
  updates: readonly OracleUpdate[],
): { states: PoolSnapshot[]; info: PulledQuoteInfo } {
  const byOracle = new Map(updates.map((u) => [u.oracle.toLowerCase(), u]));
  const prices = new Map<string, UsedPrice>();
  const out = states.map((s) => {
    const oracle = oracles.get(s.feed.toLowerCase());
    if (oracle === undefined) return s;
    const applied = applyPriceUpdate(s, oracle, byOracle.get(oracle.address.toLowerCase())?.update);
    prices.set(oracle.address.toLowerCase(), applied.used);
    return applied.state;
  });
  const used = [...prices.values()];
  const validUntil = used.length === 0 ? null : used.map((u) => u.validUntil).reduce((a, b) => (a < b ? a : b));
  const carried = updates.filter((u) => prices.has(u.oracle.toLowerCase()));
  return { states: out, info: { prices: used, validUntil, updates: carried } };
}

function list(states: PoolStates): PoolSnapshot[] {
  return Array.isArray(states)
    ? [...(states as PoolSnapshot[])]
    : [...(states as ReadonlyMap<string, PoolSnapshot>).values()];
}

/** `quoteExactIn` on a pool after its pull oracle receives `updates` (the pool's own checks at that price). */
export function quoteExactInWithUpdate(
  state: PoolSnapshot,
  oracles: ReadonlyMap<string, PullOracleState>,
  updates: readonly OracleUpdate[],
  side: SwapSide,
  amountIn: bigint,
  options: QuoteOptions = {},
): SkewQuote & { pulled: PulledQuoteInfo } {
  const { states, info } = applyPriceUpdates([state], oracles, updates);
  return { ...quoteExactIn(states[0], side, amountIn, options), pulled: info };
}

/** `quoteExactOut` on a pool after its pull oracle receives `updates`. */
export function quoteExactOutWithUpdate(
  state: PoolSnapshot,
  oracles: ReadonlyMap<string, PullOracleState>,
  updates: readonly OracleUpdate[],
  side: SwapSide,
  amountOut: bigint,
  options: QuoteOptions = {},
): SkewQuote & { pulled: PulledQuoteInfo } {
  const { states, info } = applyPriceUpdates([state], oracles, updates);
  return { ...quoteExactOut(states[0], side, amountOut, options), pulled: info };
}

/** `quoteRoute` (exact-in) after the route's pull oracles receive `updates`, as the router executes it. */
export function quoteRouteWithUpdate(
  states: PoolStates,
  oracles: ReadonlyMap<string, PullOracleState>,
  updates: readonly OracleUpdate[],
  hops: readonly RouteHop[],
  amountIn: bigint,
  options: QuoteOptions = {},
): RouteQuote & { pulled: PulledQuoteInfo } {
  const applied = applyPriceUpdates(list(states), oracles, updates);
  return { ...quoteRoute(applied.states, hops, amountIn, options), pulled: applied.info };
}

/** `quoteRouteExactOut` after the route's pull oracles receive `updates`. */
export function quoteRouteExactOutWithUpdate(
  states: PoolStates,
  oracles: ReadonlyMap<string, PullOracleState>,
  updates: readonly OracleUpdate[],
  hops: readonly RouteHop[],
  amountOut: bigint,
  options: QuoteOptions = {},
): RouteQuote & { pulled: PulledQuoteInfo } {
  const applied = applyPriceUpdates(list(states), oracles, updates);
  return { ...quoteRouteExactOut(applied.states, hops, amountOut, options), pulled: applied.info };
}
