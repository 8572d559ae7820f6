/**
 * Pull-oracle pools (Pyth): which pools of a route price from a pull oracle, what their oracle holds,
 * and the price a swap carrying an update will trade at. Quotes apply the oracle's own rule (the newer
 * of the stored price and the update's, the confidence bound, the exact decimal conversion) to the loaded
 * pool state and then run the ordinary quotes, so they stay wei-exact with the chain for that update.
 */
import { getAddress } from "ethers";
import type { BlockTag, Provider } from "ethers";
import { PythOracle__factory } from "../typechain-types/factories/contracts/oracle/PythOracle__factory";
import { InvalidArgumentError, OracleSourceUnavailableError, PriceTooUncertainError } from "./errors";
import { pulledPriceOf } from "./priceSource";
import type { PriceUpdate, PriceUpdateSource } from "./priceSource";
import { quoteExactIn, quoteExactOut, quoteRoute, quoteRouteExactOut } from "./quote";
import type { PoolStates, QuoteOptions, RouteHop, RouteQuote, SkewQuote } from "./quote";
import type { OracleGuardStatus, PoolSnapshot } from "./state";
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
  /** The breaker's reference and pending jump (publishTime 0: none). */
  reference: StoredPrice;
  jump: StoredPrice;
  /** The guard's settings (answers in `decimals`). */
  guard: { maxMovePips: bigint; coolDown: bigint; minAnswer: bigint; maxAnswer: bigint };
  /** The round the guardian last cleared (round id = publish time). */
  cleared: { roundId: bigint; updatedAt: bigint };
}

/** A stored Pyth price (the breaker's reference or jump). */
export interface StoredPrice {
  price: bigint;
  expo: number;
  publishTime: bigint;
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
  const [priceId, decimals, maxConfidencePips, p, rounds, g, cleared] = await Promise.all([
    oracle.priceId({ blockTag }),
    oracle.decimals({ blockTag }),
    oracle.maxConfidencePips({ blockTag }),
    oracle.latestPrice({ blockTag }),
    oracle.breakerRounds({ blockTag }),
    oracle.guardConfig({ blockTag }),
    oracle.clearedRound({ blockTag }),
  ]);
  const stored = (r: { price: bigint; expo: bigint; publishTime: bigint }): StoredPrice => ({
    price: r.price,
    expo: Number(r.expo),
    publishTime: r.publishTime,
  });
  return {
    reference: stored(rounds[0]),
    jump: stored(rounds[1]),
    guard: {
      maxMovePips: BigInt(g.maxMovePips),
      coolDown: BigInt(g.coolDown),
      minAnswer: g.minAnswer,
      maxAnswer: g.maxAnswer,
    },
    cleared: { roundId: cleared[0], updatedAt: cleared[1] },
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

/** The oracle's answer of a stored price: `price * 10 ** (decimals + expo)`. */
function answerOf(p: { price: bigint; expo: number }, decimals: number): bigint {
  const scale = decimals + p.expo;
  if (scale < 0 || scale > 57) {
    throw new InvalidArgumentError(`exponent ${p.expo} cannot be converted to ${decimals} decimals`, {
      errorName: "UnsupportedExponent",
    });
  }
  return p.price * 10n ** BigInt(scale);
}

const LOOKBACK = 8;

/**
 * The guard's verdict (OracleGuard + PythOracle's stored rounds) on `latest` at `now`, as the contract's
 * `status()` computes it: sequencer (as the snapshot saw it), source, bounds, then the breaker's walk back
 * through the jump to the reference. An invalid (future-dated) round is passed through.
 */
function guardStatus(
  o: PullOracleState,
  rounds: { latest: StoredPrice; reference: StoredPrice; jump: StoredPrice },
  seen: OracleGuardStatus | null | undefined,
  now: bigint,
): OracleGuardStatus {
  const l = rounds.latest;
  const answer = l.publishTime === 0n ? 0n : answerOf(l, o.decimals);
  const st: OracleGuardStatus = {
    kind: "pull",
    usable: false,
    reason: "usable",
    roundId: l.publishTime,
    answer,
    updatedAt: l.publishTime,
    referenceAnswer: 0n,
    clearsAt: 0n,
    sequencer: seen?.sequencer ?? "notChecked",
  };
  const inBounds = (a: bigint) => a >= o.guard.minAnswer && a <= o.guard.maxAnswer;
  if (st.sequencer === "down") return { ...st, reason: "sequencerDown" };
  if (st.sequencer === "gracePeriod" && seen !== null && seen !== undefined && now < seen.clearsAt) {
    return { ...st, reason: "sequencerGracePeriod", clearsAt: seen.clearsAt };
  }
  if (l.publishTime === 0n) return { ...st, reason: "sourceUnavailable" };
  if (l.publishTime > now) return { ...st, reason: "invalidRound" };
  if (!inBounds(answer)) return { ...st, reason: "answerOutOfBounds" };
  const isAnchor = (t: bigint) => now >= t + o.guard.coolDown || (t === o.cleared.roundId && t === o.cleared.updatedAt);
  const moved = (ref: bigint, a: bigint) => (a >= ref ? a - ref : ref - a) * PIPS > ref * o.guard.maxMovePips;
  const trip = (ref: bigint, clearsAt: bigint): OracleGuardStatus => ({
    ...st,
    reason: "circuitBreakerTripped",
    referenceAnswer: ref,
    clearsAt,
  });
  let cur = l;
  for (let i = 0; ; i++) {
    if (isAnchor(cur.publishTime)) return { ...st, usable: true, referenceAnswer: answer };
    const clearsAt = cur.publishTime + o.guard.coolDown;
    if (i === LOOKBACK) return trip(0n, clearsAt);
    const { jump: j, reference: ref } = rounds;
    let prev: StoredPrice | undefined;
    let accepted = false;
    if (j.publishTime !== 0n && cur.publishTime > j.publishTime) prev = j;
    else if (ref.publishTime !== 0n && cur.publishTime > ref.publishTime) [prev, accepted] = [ref, true];
    if (prev === undefined) return trip(0n, clearsAt);
    const prevAnswer = answerOf(prev, o.decimals);
    if (!inBounds(prevAnswer)) return trip(0n, clearsAt);
    if (moved(prevAnswer, answerOf(cur, o.decimals))) return trip(prevAnswer, clearsAt);
    if (accepted) return { ...st, usable: true, referenceAnswer: answer };
    cur = prev;
  }
}

/**
 * The state `state` has once `update` lands on its pull oracle `oracle` (the oracle keeps the newer
 * price and records the one it replaces as the breaker's reference or jump), and the price it then
 * trades at. The guard's verdict goes into the snapshot's oracle status, so the quote fails with the
 * pool's error (circuit breaker, bounds, sequencer, stale); throws OracleSourceUnavailableError when
 * there is no price at all, PriceTooUncertainError past the
 * confidence bound, and InvalidArgumentError for an exponent the oracle refuses.
 * @param timestamp When the swap executes (default: the snapshot's block timestamp).
 */
export function applyPriceUpdate(
  state: PoolSnapshot,
  oracle: PullOracleState,
  update?: PriceUpdate,
  timestamp: bigint = state.blockTimestamp,
): { state: PoolSnapshot; used: UsedPrice } {
  const pulled = update === undefined ? undefined : pulledPriceOf(update, oracle.priceId);
  const fromUpdate = pulled !== undefined && pulled.publishTime > oracle.stored.publishTime;
  const p = fromUpdate ? pulled : oracle.stored;
  let { reference, jump } = oracle;
  const seen = state.oracle.status;
  if (fromUpdate && oracle.stored.publishTime !== 0n) {
    answerOf(pulled, oracle.decimals); // the oracle refuses an unconvertible exponent first
    const replaced = { price: oracle.stored.price, expo: oracle.stored.expo, publishTime: oracle.stored.publishTime };
    const was = guardStatus(oracle, { latest: replaced, reference, jump }, seen, timestamp);
    if (was.usable) [reference, jump] = [replaced, { price: 0n, expo: 0, publishTime: 0n }];
    else if (was.reason === "circuitBreakerTripped") {
      if (jump.publishTime === 0n || was.referenceAnswer === answerOf(jump, oracle.decimals)) jump = replaced;
    }
  }
  const latest = { price: p.price, expo: p.expo, publishTime: p.publishTime };
  const status = guardStatus(oracle, { latest, reference, jump }, seen, timestamp);
  if (status.reason === "sourceUnavailable") throw new OracleSourceUnavailableError();
  const answer = answerOf(latest, oracle.decimals);
  if ((status.usable || status.reason === "invalidRound") && p.price > 0n) {
    if (p.conf * PIPS > p.price * oracle.maxConfidencePips) throw new PriceTooUncertainError(p.conf, p.price);
  }
  const price = { num: answer > 0n ? answer : 0n, den: 10n ** BigInt(oracle.decimals) };
  const maxAge = state.oracle.maxAge;
  const ok = status.usable && answer > 0n && p.publishTime <= timestamp && timestamp - p.publishTime <= maxAge;
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
  const reading = { ...state.oracle, ok, price, updatedAt: p.publishTime, status };
  return { state: { ...state, math: { ...state.math, price }, oracle: reading }, used };
}

/** Applies each update to the pools on its oracle; returns the new states and the prices used, per oracle. */
export function applyPriceUpdates(
  states: readonly PoolSnapshot[],
  oracles: ReadonlyMap<string, PullOracleState>,
  updates: readonly OracleUpdate[],
  timestamp?: bigint,
): { states: PoolSnapshot[]; info: PulledQuoteInfo } {
  const byOracle = new Map(updates.map((u) => [u.oracle.toLowerCase(), u]));
  const prices = new Map<string, UsedPrice>();
  const out = states.map((s) => {
    const oracle = oracles.get(s.feed.toLowerCase());
    if (oracle === undefined) return s;
    const applied = applyPriceUpdate(s, oracle, byOracle.get(oracle.address.toLowerCase())?.update, timestamp);
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
  const { states, info } = applyPriceUpdates([state], oracles, updates, options.timestamp);
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
  const { states, info } = applyPriceUpdates([state], oracles, updates, options.timestamp);
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
  const applied = applyPriceUpdates(list(states), oracles, updates, options.timestamp);
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
  const applied = applyPriceUpdates(list(states), oracles, updates, options.timestamp);
  return { ...quoteRouteExactOut(applied.states, hops, amountOut, options), pulled: applied.info };
}
