/**
 * What the agents trade against: a pool seen through one interface, so the arbitrageur and
 * the noise traders run the same code against the constant-product baseline and Skew.
 */
import type { SwapSide } from "../sdk/math";

/** Token decimals of the simulated pair. */
export interface Tokens {
  baseDecimals: number;
  quoteDecimals: number;
}

/** A quoted exact-input swap and the pool state it leaves behind. */
export interface Fill<S> {
  side: SwapSide;
  /** Raw units of the input token. */
  amountIn: bigint;
  /** Raw units of the output token paid to the trader. */
  amountOut: bigint;
  /** Fee kept by the pool, raw units of the token it is charged in. */
  feeAmount: bigint;
  /** Whether the fee is charged in base (else quote). */
  feeInBase: boolean;
  /** Pool state after the swap. */
  after: S;
}

/** A pool the agents can quote and trade against. */
export interface Venue<S> {
  /** Current pool state (replaced by `apply`). */
  readonly state: S;
  /** Quotes an exact-input swap; null when the pool cannot fill it. */
  quote(side: SwapSide, amountIn: bigint): Fill<S> | null;
  /** Executes a fill quoted on the current state. */
  apply(fill: Fill<S>): void;
  /** Marginal price of base, whole quote per whole base (before fees). */
  midPrice(): number;
  /**
   * The lowest fee a marginal swap on `side` can pay, as a fraction (Skew: its base fee, or its
   * fee floor when that side moves the pool away from target).
   */
  minFee(side: SwapSide): number;
  /** Raw reserves. */
  reserves(): { base: bigint; quote: bigint };
  /**
   * Inventory imbalance as a fraction of the target value (DESIGN §2), at the true price
   * `truePrice` where the pool itself has no reference price.
   */
  imbalance(truePrice: number): number;
}

/** Raw units of a token for a float amount of whole tokens (rounded down, at least 0). */
export function toRaw(whole: number, decimals: number): bigint {
  if (!(whole > 0)) return 0n;
  return BigInt(Math.floor(whole * 10 ** decimals));
}

/** Whole tokens for raw units (float). */
export function fromRaw(raw: bigint, decimals: number): number {
  return Number(raw) / 10 ** decimals;
}

/** Value in quote (USD) of raw amounts of base and quote at price `price`. */
export function valueAt(tokens: Tokens, base: bigint, quote: bigint, price: number): number {
  return fromRaw(base, tokens.baseDecimals) * price + fromRaw(quote, tokens.quoteDecimals);
}
