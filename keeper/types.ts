/**
 * Types of the keeper's retuning policy (DESIGN §6). The policy is pure: these are its whole
 * input and output, so the runner (chain), the simulator and the tests all drive it alike.
 */

/** One oracle round, oldest first in arrays. `answer` is in the feed's decimals. */
export interface FeedRound {
  answer: bigint;
  updatedAt: number; // unix seconds
}

/** One recent swap as the keeper sees it. */
export interface FlowSample {
  side: "sellBase" | "sellQuote";
  /** Size of the swap in quote value, as a float in whole quote tokens (for weighting only). */
  quoteValue: number;
  timestamp: number; // unix seconds
}

/** The parameters the keeper may set (pool units: k and tau in WAD, fees in pips). */
export interface PoolParams {
  k: bigint;
  baseFee: bigint;
  maxFee: bigint;
  tau: bigint;
}

/** The admin's limits on the keeper, as the pool enforces them. */
export interface ParamBounds {
  min: PoolParams;
  max: PoolParams;
  /** The most each parameter may move in one update. */
  maxStep: PoolParams;
  /** Seconds that must pass between two updates. */
  minInterval: number;
}

/** Everything the policy decides from. */
export interface PolicyInput {
  now: number; // unix seconds
  rounds: FeedRound[];
  feedDecimals: number;
  swaps: FlowSample[];
  /** Current imbalance of the pool, WAD (0 at equilibrium). */
  imbalance: bigint;
  current: PoolParams;
  bounds: ParamBounds;
  /** When the parameters were last updated on-chain (unix seconds, 0 if never). */
  lastUpdate: number;
}

/** Why the policy does or does not send an update. */
export type DecisionReason = "update" | "within-band" | "too-soon" | "insufficient-data";

/** The policy's answer, with the measurements behind it (logged by the runner). */
export interface Decision {
  /** Whether an update is worth a transaction now. */
  send: boolean;
  reason: DecisionReason;
  /** The unconstrained targets the model asks for. */
  target: PoolParams;
  /** What to send: targets clamped to bounds and moved at most one max step from `current`. */
  next: PoolParams;
  metrics: {
    /** Annualised realised volatility of the feed (EWMA of log returns, time-scaled). */
    sigma: number;
    /** One-sidedness of recent flow in [-1, 1]: +1 all sellBase, -1 all sellQuote. */
    flow: number;
    /** Pool imbalance as a float (1 = 100 %). */
    imbalance: number;
  };
}
