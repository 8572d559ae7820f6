/**
 * The keeper's retuning policy (DESIGN §6), as pure functions: measurements in, a decision out.
 *
 * Model (fractions; converted to pool units at the end — k and tau WAD, fees pips):
 *
 *     k       = clamp01(kBase + gamma * sigma^2 * horizon / year + kFlow * |flow|)          Avellaneda–Stoikov
 *     baseFee = max(floor, feeLagMultiplier * sigma * sqrt(feedInterval / year))            covers the feed's lag
 *     maxFee  = baseFee + maxFeeSpread + maxFeeFlow * |flow|                                 >= baseFee
 *     tau     = max(tauFloor, tauBase - tauFlow * |flow|)
 *
 * Optional rules (off by default, see ./config): after a feed return larger than jumpReturn, for
 * jumpWindowSeconds, k gains jumpK and the base fee jumpFeePips; the base fee is then capped at
 * maxBaseFeePips (the competition's price) and kept at or above deviationFeeMultiplier *
 * feedDeviation (so front-running a known round does not pay); the floors win over the cap.
 *
 * sigma is the feed's annualised realised volatility (./volatility), flow the value-weighted,
 * time-decayed one-sidedness of recent swaps (./flow), feedInterval the config's heartbeat or the
 * rounds' mean interval. Each target is non-decreasing in sigma and in |flow| (tau: non-increasing
 * in |flow|). The targets are then clamped to the admin's bounds, moved at most one max step from
 * the current values, and sent only when the update is allowed (min interval) and some parameter
 * moves by more than its hysteresis band.
 */
import { PIPS, WAD } from "../sdk/math";
import { DEFAULT_POLICY_CONFIG, PolicyConfig, SECONDS_PER_YEAR } from "./config";
import { estimateFlow } from "./flow";
import type { Decision, ParamBounds, PolicyInput, PoolParams } from "./types";
import { estimateVolatility, logReturn, usableRounds } from "./volatility";

/** The parameters in a fixed order, for loops. */
export const PARAM_KEYS = ["k", "baseFee", "maxFee", "tau"] as const;
export type ParamKey = (typeof PARAM_KEYS)[number];

/** What the targets are computed from. */
export interface Measurements {
  /** Annualised volatility of the reference price (>= 0, finite). */
  sigma: number;
  /** Seconds between feed updates that the base fee must cover (> 0). */
  feedInterval: number;
  /** One-sidedness of recent flow in [-1, 1]; only |flow| matters. */
  flow: number;
  /** Whether a feed round jumped within the jump window (optional; absent = no). */
  recentJump?: boolean;
}

/** The input violates what the pool guarantees (bounds ordered, current inside them). */
export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyInputError";
  }
}

// ------------------------------------------------------------------ model (fractions, pips)

/** Clamps `x` into [lo, hi]. */
function clampNumber(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Target skew strength as a fraction in [0, 1]: kBase + gamma sigma^2 T + kFlow |flow|, clamped. */
export function targetKFraction(sigma: number, flow: number, c: Readonly<PolicyConfig>): number {
  const variance = sigma * sigma * (c.horizonSeconds / SECONDS_PER_YEAR);
  return clampNumber(c.kBase + c.gamma * variance + c.kFlow * Math.abs(flow), 0, 1);
}

/** Target base fee in whole pips: the feed-lag fee, never under the floor, below 100 %. */
export function targetBaseFeePips(sigma: number, feedInterval: number, c: Readonly<PolicyConfig>): number {
  const lagMove = sigma * Math.sqrt(feedInterval / SECONDS_PER_YEAR); // RMS move between two updates
  const fee = Math.round(c.feeLagMultiplier * lagMove * Number(PIPS));
  return clampNumber(fee, c.baseFeeFloorPips, Number(PIPS) - 1);
}

/**
 * The base fee after the optional rules: the feed-lag fee plus jumpFeePips after a jump, at most
 * the competition's ceiling (maxBaseFeePips, when set), then never under the floors
 * (baseFeeFloorPips and the front-running floor deviationFeeMultiplier * feedDeviation), which
 * win over the ceiling; whole pips below 100 %.
 */
export function competitiveBaseFeePips(feePips: number, recentJump: boolean, c: Readonly<PolicyConfig>): number {
  let fee = feePips + (recentJump ? Math.round(c.jumpFeePips) : 0);
  if (c.maxBaseFeePips > 0) fee = Math.min(fee, c.maxBaseFeePips);
  const deviationFloor = Math.round(c.deviationFeeMultiplier * c.feedDeviation * Number(PIPS));
  return clampNumber(Math.max(fee, deviationFloor, c.baseFeeFloorPips), 0, Number(PIPS) - 1);
}

/**
 * Whether a usable round within `windowSeconds` before `now` moved the answer by more than
 * `threshold` (absolute log return) from the round before it; false when threshold is 0.
 */
export function jumpedRecently(
  rounds: PolicyInput["rounds"],
  now: number,
  threshold: number,
  windowSeconds: number,
): boolean {
  if (!(threshold > 0)) return false;
  const usable = usableRounds(rounds);
  for (let i = usable.length - 1; i > 0; i--) {
    if (usable[i].updatedAt < now - windowSeconds) break;
    if (Math.abs(logReturn(usable[i - 1].answer, usable[i].answer)) > threshold) return true;
  }
  return false;
}

/** Target max fee in whole pips: base fee plus a surge spread that widens with |flow|, below 100 %. */
export function targetMaxFeePips(baseFeePips: number, flow: number, c: Readonly<PolicyConfig>): number {
  const fee = Math.round(baseFeePips + c.maxFeeSpreadPips + c.maxFeeFlowPips * Math.abs(flow));
  return clampNumber(fee, baseFeePips, Number(PIPS) - 1);
}

/** Target surge threshold as a fraction: tauBase lowered by one-sided flow, never under tauFloor. */
export function targetTauFraction(flow: number, c: Readonly<PolicyConfig>): number {
  return Math.max(c.tauFloor, c.tauBase - c.tauFlow * Math.abs(flow));
}

/** A fraction in [0, 1] as WAD (rounded to the nearest representable double). */
export function fractionToWad(x: number): bigint {
  return BigInt(Math.round(clampNumber(x, 0, 1) * 1e18));
}

/** The model's targets in pool units (k <= 1 WAD, fees < 1e6 pips, tau < 1 WAD, maxFee >= baseFee). */
export function targetParams(m: Measurements, c: Readonly<PolicyConfig> = DEFAULT_POLICY_CONFIG): PoolParams {
  const jump = m.recentJump === true;
  const baseFee = competitiveBaseFeePips(targetBaseFeePips(m.sigma, m.feedInterval, c), jump, c);
  const maxFee = targetMaxFeePips(baseFee, m.flow, c);
  const tau = fractionToWad(targetTauFraction(m.flow, c));
  return {
    k: fractionToWad(clampNumber(targetKFraction(m.sigma, m.flow, c) + (jump ? c.jumpK : 0), 0, 1)),
    baseFee: BigInt(baseFee),
    maxFee: BigInt(maxFee),
    tau: tau < WAD ? tau : WAD - 1n,
  };
}

// ------------------------------------------------------------------ bounds and steps (bigint)

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return max(lo, min(hi, x));
}

/** The values one update may set for `key`: inside the bounds and within one step of current. */
export function reachable(key: ParamKey, current: PoolParams, bounds: ParamBounds): { lo: bigint; hi: bigint } {
  const cur = current[key];
  const step = bounds.maxStep[key];
  return { lo: max(bounds.min[key], cur - step), hi: min(bounds.max[key], cur + step) };
}

/**
 * Targets clamped into the bounds the way the pool clamps on new bounds (baseFee into
 * [min, min(max, maxFee.max)], maxFee into [max(min, baseFee), max]), so the clamped pair keeps
 * maxFee >= baseFee.
 */
export function clampToBounds(target: PoolParams, bounds: ParamBounds): PoolParams {
  const baseFee = clamp(target.baseFee, bounds.min.baseFee, min(bounds.max.baseFee, bounds.max.maxFee));
  return {
    k: clamp(target.k, bounds.min.k, bounds.max.k),
    baseFee,
    maxFee: clamp(target.maxFee, max(bounds.min.maxFee, baseFee), bounds.max.maxFee),
    tau: clamp(target.tau, bounds.min.tau, bounds.max.tau),
  };
}

/**
 * What one update can set: the clamped targets, each moved at most one max step from `current`,
 * inside the bounds, with maxFee >= baseFee. When the steps make the fee pair conflict (the base
 * fee wants to rise past what the max fee may reach this update, or the max fee to fall below
 * what the base fee may reach), the max fee goes as high as its step allows toward the base fee
 * and the base fee is held down to it: the surge protection is never given up to chase the base
 * fee, and the next updates finish the move. This is always feasible because the current pair
 * itself satisfies baseFee <= maxFee inside the bounds.
 */
export function constrain(target: PoolParams, current: PoolParams, bounds: ParamBounds): PoolParams {
  const clamped = clampToBounds(target, bounds);
  const next = {} as PoolParams;
  for (const key of PARAM_KEYS) {
    const { lo, hi } = reachable(key, current, bounds);
    next[key] = clamp(clamped[key], lo, hi);
  }
  if (next.baseFee > next.maxFee) {
    next.maxFee = min(reachable("maxFee", current, bounds).hi, next.baseFee);
    next.baseFee = min(next.baseFee, next.maxFee);
  }
  return next;
}

// ------------------------------------------------------------------ when to send

/** A threshold in the parameter's pool unit (WAD for k and tau, pips for fees). */
function absThreshold(key: ParamKey, abs: number): bigint {
  return key === "k" || key === "tau" ? fractionToWad(abs) : BigInt(Math.round(abs));
}

/**
 * The hysteresis band of `key` around `current`, in pool units: max(abs, rel * current), capped at
 * maxStep - 1 so that a parameter moving a full step always counts (else a step smaller than the
 * band could never be taken).
 */
export function hysteresisBand(
  key: ParamKey,
  current: PoolParams,
  bounds: ParamBounds,
  c: Readonly<PolicyConfig> = DEFAULT_POLICY_CONFIG,
): bigint {
  const { abs, rel } = c.hysteresis[key];
  const relative = (current[key] * BigInt(Math.round(rel * 1e9))) / 1_000_000_000n;
  const band = max(absThreshold(key, abs), relative);
  const step = bounds.maxStep[key];
  return step > 0n ? min(band, step - 1n) : band;
}

/** The parameters whose change from `current` to `next` exceeds their hysteresis band. */
export function changesBeyondBand(
  next: PoolParams,
  current: PoolParams,
  bounds: ParamBounds,
  c: Readonly<PolicyConfig> = DEFAULT_POLICY_CONFIG,
): ParamKey[] {
  return PARAM_KEYS.filter((key) => {
    const change = next[key] - current[key];
    return (change < 0n ? -change : change) > hysteresisBand(key, current, bounds, c);
  });
}

/**
 * Whether the pool would still refuse an update at `now`: as on-chain, the interval only applies
 * after a first update (`lastUpdate` 0 means never updated).
 */
export function isTooSoon(now: number, lastUpdate: number, minInterval: number): boolean {
  return lastUpdate !== 0 && now - lastUpdate < minInterval;
}

/**
 * Checks what the pool guarantees about its bounds and parameters: min <= max, steps >= 0, the
 * current parameters inside the bounds with baseFee <= maxFee. Throws {@link PolicyInputError}
 * otherwise (a transaction built from such input would revert).
 */
export function validateInput(input: PolicyInput): void {
  const { current, bounds } = input;
  for (const key of PARAM_KEYS) {
    const lo = bounds.min[key];
    const hi = bounds.max[key];
    if (lo < 0n || lo > hi) throw new PolicyInputError(`bounds of ${key}: min ${lo} > max ${hi} or negative`);
    if (bounds.maxStep[key] < 0n) throw new PolicyInputError(`maxStep of ${key} is negative: ${bounds.maxStep[key]}`);
    if (current[key] < lo || current[key] > hi) {
      throw new PolicyInputError(`current ${key} ${current[key]} outside bounds [${lo}, ${hi}]`);
    }
  }
  if (current.baseFee > current.maxFee) {
    throw new PolicyInputError(`current baseFee ${current.baseFee} above maxFee ${current.maxFee}`);
  }
  if (!Number.isFinite(bounds.minInterval) || bounds.minInterval < 0) {
    throw new PolicyInputError(`minInterval must be a finite number >= 0, got ${bounds.minInterval}`);
  }
  if (!Number.isFinite(input.now) || !Number.isFinite(input.lastUpdate)) {
    throw new PolicyInputError(`now (${input.now}) and lastUpdate (${input.lastUpdate}) must be finite`);
  }
}

/**
 * The policy: measures volatility and flow, computes the targets, constrains them to what one
 * update may set, and decides whether that update is worth sending.
 * - fewer than `config.minRounds` usable rounds: "insufficient-data", no send, target = next = current
 *   (metrics.sigma is then 0, meaning "not measured");
 * - an update less than `bounds.minInterval` after the last one: "too-soon", no send;
 * - no parameter moving by more than its hysteresis band: "within-band", no send;
 * - otherwise "update": send `next`.
 * Throws {@link PolicyInputError} on input the pool could not have produced (see validateInput).
 */
export function decide(input: PolicyInput, config: Readonly<PolicyConfig> = DEFAULT_POLICY_CONFIG): Decision {
  validateInput(input);
  const { current, bounds } = input;
  const vol = estimateVolatility(input.rounds, config.volHalfLifeSeconds, config.minRounds);
  const flow = estimateFlow(input.swaps, input.now, config.flowHalfLifeSeconds, config.flowPriorValue);
  const imbalance = Number(input.imbalance) / Number(WAD);
  if (!vol.ok) {
    return {
      send: false,
      reason: "insufficient-data",
      target: { ...current },
      next: { ...current },
      metrics: { sigma: 0, flow, imbalance },
    };
  }
  const feedInterval = config.feedIntervalSeconds > 0 ? config.feedIntervalSeconds : vol.meanInterval;
  const recentJump = jumpedRecently(input.rounds, input.now, config.jumpReturn, config.jumpWindowSeconds);
  const target = targetParams({ sigma: vol.sigma, feedInterval, flow, recentJump }, config);
  const next = constrain(target, current, bounds);
  const metrics = { sigma: vol.sigma, flow, imbalance };
  if (isTooSoon(input.now, input.lastUpdate, bounds.minInterval)) {
    return { send: false, reason: "too-soon", target, next, metrics };
  }
  if (changesBeyondBand(next, current, bounds, config).length === 0) {
    return { send: false, reason: "within-band", target, next, metrics };
  }
  return { send: true, reason: "update", target, next, metrics };
}
