/**
 * Coefficients of the keeper's retuning policy (DESIGN §6) and their validation.
 *
 * Every number the policy uses lives here with its unit and the reason for its default. The
 * defaults are starting points chosen by reasoning about a volatile pair (ETH/USD-like: 50–100 %
 * annual volatility, a Chainlink feed with a 1 h heartbeat and a 0.5 % deviation trigger); the
 * simulator (`sim/`) is meant to tune them. Operators override any subset with a JSON object
 * through {@link parsePolicyConfig}.
 */
import type { PoolParams } from "./types";

/** Hysteresis of one parameter: a change counts when it exceeds max(abs, rel * |current|). */
export interface HysteresisBand {
  /**
   * Absolute threshold, in the parameter's natural unit: a fraction (0..1) for `k` and `tau`,
   * pips for `baseFee` and `maxFee`.
   */
  abs: number;
  /** Relative threshold, a fraction of the parameter's current value (0.1 = 10 %). */
  rel: number;
}

/** The per-parameter hysteresis bands. */
export type HysteresisConfig = Record<keyof PoolParams, HysteresisBand>;

/** Every coefficient of the policy. All times are in seconds; fractions are plain numbers (1 = 100 %). */
export interface PolicyConfig {
  /**
   * Half-life of the volatility EWMA, seconds. A return observed this long before the latest round
   * weighs half as much. Default 12 h: with a 1 h heartbeat that is an effective sample of ~35
   * returns (relative noise of sigma ~12 %), and it still forgets a volatility regime within a day.
   * The runner should pass at least ~4 half-lives of rounds (48 h by default); older data carries
   * < 7 % of the weight.
   */
  volHalfLifeSeconds: number;
  /**
   * Fewest usable feed rounds (positive answer, strictly increasing time) needed to decide; with
   * fewer the policy answers "insufficient-data". At least 2 (one return). Default 2, as the spec
   * asks; raise it to demand a less noisy first estimate.
   */
  minRounds: number;
  /**
   * Half-life of the flow measure's time decay, seconds. Default 1 h: toxic one-sided flow shows up
   * over minutes to hours, and an hour-old burst should already count only half.
   */
  flowHalfLifeSeconds: number;
  /**
   * Neutral pseudo-volume added to the flow's denominator, whole quote tokens (the unit of
   * `FlowSample.quoteValue`). 0 (default) is the plain value-weighted mean, so a single small swap
   * reads as fully one-sided; set it to about a typical swap's size so that a lone tiny swap after a
   * quiet period barely moves the measure. Pool-specific (it has the quote token's unit), hence 0.
   */
  flowPriorValue: number;
  /**
   * Skew strength with no volatility and balanced flow, fraction of 1 (k is WAD on-chain).
   * Default 0.05: a little inventory protection even in calm markets, close to a constant price at p.
   */
  kBase: number;
  /**
   * Avellaneda–Stoikov risk aversion, dimensionless: k gains gamma * sigma^2 * horizon/year.
   * The pool's marginal price near equilibrium is p * (1 + 2k x) for an inventory shift x (a
   * fraction of the target), and A–S skews the reservation price by x * gammaRel * sigma^2 * T with
   * gammaRel the risk aversion relative to the pool's value, so gamma = gammaRel / 2.
   * Default 100 (set from the simulator, `npm run simulate`): with a 1-day horizon k is about 0.25
   * at 80 % volatility and 0.46 at 120 %, where arbitrage losses were lowest (k 0.25-0.5); 150
   * pushed k to 0.65 at 120 % and turned away large noise orders.
   */
  gamma: number;
  /**
   * Avellaneda–Stoikov horizon T, seconds: how long the pool expects to carry an inventory
   * imbalance before flow brings it back. Default 1 day.
   */
  horizonSeconds: number;
  /**
   * Extra skew for fully one-sided flow, fraction of 1: k gains kFlow * |flow|. One-sided flow means
   * informed traders; a steeper curve makes them pay for the inventory they leave. Default 0.25.
   */
  kFlow: number;
  /**
   * baseFee = feeLagMultiplier * sigma * sqrt(feedInterval / year), a fraction of the traded value,
   * dimensionless multiplier. sigma * sqrt(interval/year) is the RMS price move between two feed
   * updates: what an arbitrageur can take from a pool quoting a stale price. Default 0.8 (set from the
   * simulator): about 40 bps on a 0.5 % deviation feed. At 0.5 the fee (~26 bps) handed LPs' money to
   * arbitrageurs: 0.8 cut their take by 55-60 % and beat constant product on the same paths.
   */
  feeLagMultiplier: number;
  /**
   * Lowest target base fee, pips (1e6 = 100 %). Default 500 (5 bps): the lowest tier that pays LPs
   * on a volatile pair; the admin's `bounds.min.baseFee` may still allow less.
   */
  baseFeeFloorPips: number;
  /**
   * The feed's update interval used for the base fee, seconds; 0 (default) estimates it from the
   * rounds (the same decay-weighted mean interval as the volatility, which makes the base fee
   * feeLagMultiplier times the RMS move per feed update). Set it to the feed's heartbeat to charge
   * for the worst-case lag of a quiet feed instead.
   */
  feedIntervalSeconds: number;
  /**
   * Surge spread with balanced flow, pips: maxFee = baseFee + maxFeeSpreadPips + maxFeeFlowPips * |flow|.
   * Default 5000 (50 bps): at 20 % imbalance past tau a swap pays ~10 bps of surge.
   */
  maxFeeSpreadPips: number;
  /**
   * Extra surge spread for fully one-sided flow, pips. Default 20000 (2 %): with one-sided flow the
   * swaps that push the imbalance further are likely informed and should pay for it.
   */
  maxFeeFlowPips: number;
  /**
   * Surge threshold with balanced flow, fraction of the target value (tau is WAD on-chain).
   * Default 0.10: ordinary two-way flow moves the pool a few percent and should pay only the base fee.
   */
  tauBase: number;
  /**
   * How much tau falls for fully one-sided flow, fraction: tau = max(tauFloor, tauBase - tauFlow * |flow|).
   * Default 0.08, so tau reaches 0.02 when all recent flow goes one way.
   */
  tauFlow: number;
  /** Lowest target tau, fraction. Default 0.01: a 1 % imbalance never pays surge. */
  tauFloor: number;
  /**
   * The feed's deviation threshold, a fraction (0.005 = 0.5 %), and the base-fee floor it sets:
   * baseFee >= deviationFeeMultiplier * feedDeviation. Whoever sees a feed round before it lands
   * (in the mempool) buys at the old answer and sells at the new one, a round trip that pays two
   * base fees and earns about the round's move, whatever its size: a base fee of at least half
   * the deviation threshold makes ordinary rounds unprofitable to front-run. Defaults 0 (off);
   * the simulator's study sets 0.005 and 0.6 (a 30 bp floor).
   */
  feedDeviation: number;
  deviationFeeMultiplier: number;
  /**
   * Ceiling on the target base fee, pips (0 = none): what the pool's flow would pay at the best
   * competing venue. Under competition a fee above it earns no flow, only a lower loss to
   * arbitrage, so the LP objective is better served by steeper k and surge. The floors
   * (baseFeeFloorPips, the front-running floor) win over it. Default 0.
   */
  maxBaseFeePips: number;
  /**
   * Jump response: a feed round whose log return exceeds `jumpReturn` (fraction; 0 = off) within
   * the last `jumpWindowSeconds` marks a likely stale or jumping price: k gains `jumpK` and the
   * base fee `jumpFeePips` until the window passes. Defaults off.
   */
  jumpReturn: number;
  jumpWindowSeconds: number;
  jumpK: number;
  jumpFeePips: number;
  /**
   * Hysteresis bands: an update is sent only when some parameter's change exceeds its band
   * (the band is capped at one max step, so a parameter that moves a full step always counts).
   * Defaults: k 0.02 or 10 %, baseFee 50 pips or 15 %, maxFee 250 pips or 15 %, tau 0.005 or 10 %.
   * The relative parts sit at or above the estimator's noise (sigma ~12 %, k's volatility term ~25 %
   * but k is damped by kBase), so the keeper does not spend gas chasing noise.
   */
  hysteresis: HysteresisConfig;
}

/** Seconds in a (365-day) year: feeds and crypto markets run around the clock. */
export const SECONDS_PER_YEAR = 365 * 24 * 60 * 60;

/** The starting defaults (see each field's doc for the rationale). Frozen. */
export const DEFAULT_POLICY_CONFIG: Readonly<PolicyConfig> = deepFreeze({
  volHalfLifeSeconds: 12 * 3600,
  minRounds: 2,
  flowHalfLifeSeconds: 3600,
  flowPriorValue: 0,
  kBase: 0.05,
  gamma: 100,
  horizonSeconds: 86_400,
  kFlow: 0.25,
  feeLagMultiplier: 0.8,
  baseFeeFloorPips: 500,
  feedIntervalSeconds: 0,
  maxFeeSpreadPips: 5_000,
  maxFeeFlowPips: 20_000,
  tauBase: 0.1,
  tauFlow: 0.08,
  tauFloor: 0.01,
  feedDeviation: 0,
  deviationFeeMultiplier: 0,
  maxBaseFeePips: 0,
  jumpReturn: 0,
  jumpWindowSeconds: 6 * 3600,
  jumpK: 0,
  jumpFeePips: 0,
  hysteresis: {
    k: { abs: 0.02, rel: 0.1 },
    baseFee: { abs: 50, rel: 0.15 },
    maxFee: { abs: 250, rel: 0.15 },
    tau: { abs: 0.005, rel: 0.1 },
  },
});

/** A config value's allowed range. */
interface Range {
  min: number;
  max: number;
  /** Whether `min` itself is excluded. */
  minExclusive?: boolean;
  /** Whether `max` itself is excluded. */
  maxExclusive?: boolean;
  integer?: boolean;
}

type ScalarKey = Exclude<keyof PolicyConfig, "hysteresis">;

const MAX_SECONDS = 10 * 365 * 24 * 3600;

/** Range of every scalar field. Fees stay below 100 % (1e6 pips), tau below 1, as the pool requires. */
const SCALAR_RANGES: Record<ScalarKey, Range> = {
  volHalfLifeSeconds: { min: 0, max: 1e15, minExclusive: true },
  minRounds: { min: 2, max: 1e6, integer: true },
  flowHalfLifeSeconds: { min: 0, max: 1e15, minExclusive: true },
  flowPriorValue: { min: 0, max: Number.MAX_VALUE },
  kBase: { min: 0, max: 1 },
  gamma: { min: 0, max: 1e12 },
  horizonSeconds: { min: 0, max: MAX_SECONDS },
  kFlow: { min: 0, max: 1 },
  feeLagMultiplier: { min: 0, max: 1e3 },
  baseFeeFloorPips: { min: 0, max: 1e6, maxExclusive: true, integer: true },
  feedIntervalSeconds: { min: 0, max: MAX_SECONDS },
  maxFeeSpreadPips: { min: 0, max: 1e6, maxExclusive: true },
  maxFeeFlowPips: { min: 0, max: 1e6, maxExclusive: true },
  tauBase: { min: 0, max: 1, maxExclusive: true },
  tauFlow: { min: 0, max: 1 },
  tauFloor: { min: 0, max: 1, maxExclusive: true },
  feedDeviation: { min: 0, max: 1 },
  deviationFeeMultiplier: { min: 0, max: 100 },
  maxBaseFeePips: { min: 0, max: 1e6, maxExclusive: true, integer: true },
  jumpReturn: { min: 0, max: 10 },
  jumpWindowSeconds: { min: 0, max: MAX_SECONDS },
  jumpK: { min: 0, max: 1 },
  jumpFeePips: { min: 0, max: 1e6, maxExclusive: true },
};

/** Range of the hysteresis thresholds, per parameter and kind. */
const BAND_RANGES: Record<keyof PoolParams, Record<keyof HysteresisBand, Range>> = {
  k: { abs: { min: 0, max: 1 }, rel: { min: 0, max: 1e3 } },
  baseFee: { abs: { min: 0, max: 1e6 }, rel: { min: 0, max: 1e3 } },
  maxFee: { abs: { min: 0, max: 1e6 }, rel: { min: 0, max: 1e3 } },
  tau: { abs: { min: 0, max: 1 }, rel: { min: 0, max: 1e3 } },
};

/** A config override that failed validation; the message names the offending path. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

/**
 * Validates a partial JSON override and merges it over {@link DEFAULT_POLICY_CONFIG}.
 * `undefined` means no override. Throws {@link PolicyConfigError} on a non-object, an unknown key,
 * a non-number, a non-finite number, a non-integer where one is required, or a value out of range.
 * Cross-field rule: `tauFloor <= tauBase`.
 */
export function parsePolicyConfig(json: unknown): PolicyConfig {
  const merged = cloneConfig(DEFAULT_POLICY_CONFIG);
  if (json === undefined) return merged;
  const obj = asPlainObject(json, "policy config");
  for (const [key, value] of Object.entries(obj)) {
    if (key === "hysteresis") {
      merged.hysteresis = parseHysteresis(value, merged.hysteresis);
    } else if (isScalarKey(key)) {
      merged[key] = checkNumber(value, key, SCALAR_RANGES[key]);
    } else {
      throw new PolicyConfigError(`policy config: unknown key "${key}"`);
    }
  }
  if (merged.tauFloor > merged.tauBase) {
    throw new PolicyConfigError(
      `policy config: tauFloor (${merged.tauFloor}) must not exceed tauBase (${merged.tauBase})`,
    );
  }
  return merged;
}

/** Merges a partial hysteresis override (per parameter, per threshold) over `base`. */
function parseHysteresis(json: unknown, base: HysteresisConfig): HysteresisConfig {
  const obj = asPlainObject(json, "hysteresis");
  const out = cloneHysteresis(base);
  for (const [param, bandJson] of Object.entries(obj)) {
    if (!isParamKey(param)) throw new PolicyConfigError(`policy config: unknown key "hysteresis.${param}"`);
    const band = asPlainObject(bandJson, `hysteresis.${param}`);
    for (const [kind, value] of Object.entries(band)) {
      if (kind !== "abs" && kind !== "rel") {
        throw new PolicyConfigError(`policy config: unknown key "hysteresis.${param}.${kind}"`);
      }
      out[param][kind] = checkNumber(value, `hysteresis.${param}.${kind}`, BAND_RANGES[param][kind]);
    }
  }
  return out;
}

/** Returns `value` as a record, or throws naming `what`. */
function asPlainObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new PolicyConfigError(`policy config: ${what} must be an object, got ${got}`);
  }
  return value as Record<string, unknown>;
}

/** Returns `value` if it is a finite number inside `range`, else throws naming `path`. */
function checkNumber(value: unknown, path: string, range: Range): number {
  if (typeof value !== "number") {
    throw new PolicyConfigError(`policy config: "${path}" must be a number, got ${describe(value)}`);
  }
  if (!Number.isFinite(value)) throw new PolicyConfigError(`policy config: "${path}" must be finite, got ${value}`);
  if (range.integer && !Number.isInteger(value)) {
    throw new PolicyConfigError(`policy config: "${path}" must be an integer, got ${value}`);
  }
  const belowMin = range.minExclusive ? value <= range.min : value < range.min;
  const aboveMax = range.maxExclusive ? value >= range.max : value > range.max;
  if (belowMin || aboveMax) {
    const lo = `${range.minExclusive ? "(" : "["}${range.min}`;
    const hi = `${range.max}${range.maxExclusive ? ")" : "]"}`;
    throw new PolicyConfigError(`policy config: "${path}" must be in ${lo}, ${hi}, got ${value}`);
  }
  return value;
}

/** A short description of a JSON value's type for error messages. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return typeof value;
}

function isScalarKey(key: string): key is ScalarKey {
  return Object.prototype.hasOwnProperty.call(SCALAR_RANGES, key);
}

function isParamKey(key: string): key is keyof PoolParams {
  return key === "k" || key === "baseFee" || key === "maxFee" || key === "tau";
}

/** A mutable deep copy of a config. */
export function cloneConfig(config: Readonly<PolicyConfig>): PolicyConfig {
  return { ...config, hysteresis: cloneHysteresis(config.hysteresis) };
}

function cloneHysteresis(h: HysteresisConfig): HysteresisConfig {
  return { k: { ...h.k }, baseFee: { ...h.baseFee }, maxFee: { ...h.maxFee }, tau: { ...h.tau } };
}

/** Freezes a config and its nested bands, so the shared default cannot be mutated by accident. */
function deepFreeze(config: PolicyConfig): Readonly<PolicyConfig> {
  for (const band of Object.values(config.hysteresis)) Object.freeze(band);
  Object.freeze(config.hysteresis);
  return Object.freeze(config);
}
