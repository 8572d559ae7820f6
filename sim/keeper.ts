/**
 * The keeper in the simulator: runs the pure policy (`keeper/policy.ts` `decide`, injected)
 * every few blocks on what the runner would read from chain, and applies `decision.next`
 * when `decision.send`, after the same checks `SkewPool.setParams` makes (bounds, maxFee >=
 * baseFee, max step per parameter, min interval between updates).
 */
import type { Decision, FlowSample, ParamBounds, PolicyInput, PoolParams } from "../keeper/types";
import type { SkewVenue } from "./skew";

/** The policy function (`decide` bound to a config). */
export type DecideFn = (input: PolicyInput) => Decision;

export interface KeeperSetup {
  decide: DecideFn;
  /** The admin's bounds and step limits, as set on the pool. */
  bounds: ParamBounds;
  /** Blocks between two runs of the policy. */
  everyBlocks: number;
  /** Seconds of swap history passed to the policy. */
  flowWindow: number;
  /** Most feed rounds passed to the policy. */
  maxRounds: number;
}

type ParamName = keyof PoolParams;
const PARAMS: readonly ParamName[] = ["k", "baseFee", "maxFee", "tau"];

/**
 * Why `SkewPool.setParams(next)` would revert, or null when it would succeed.
 * @param lastUpdate unix seconds of the last update (0 = never)
 */
export function rejectReason(
  current: PoolParams,
  next: PoolParams,
  bounds: ParamBounds,
  now: number,
  lastUpdate: number,
): string | null {
  if (lastUpdate !== 0 && now < lastUpdate + bounds.minInterval) return "ParamsUpdateTooSoon";
  for (const p of PARAMS) {
    if (next[p] < bounds.min[p] || next[p] > bounds.max[p]) return `ParamOutOfBounds(${p})`;
  }
  if (next.maxFee < next.baseFee) return "MaxFeeBelowBaseFee";
  for (const p of PARAMS) {
    const change = next[p] > current[p] ? next[p] - current[p] : current[p] - next[p];
    if (change > bounds.maxStep[p]) return `ParamStepTooLarge(${p})`;
  }
  return null;
}

/** Swap history, oldest first, with a cursor so reading a trailing window is cheap. */
export class FlowLog {
  private readonly samples: FlowSample[] = [];
  private start = 0;

  push(sample: FlowSample): void {
    this.samples.push(sample);
  }

  /** Samples with timestamp >= `since` (the window only moves forward). */
  since(since: number): FlowSample[] {
    while (this.start < this.samples.length && this.samples[this.start].timestamp < since) this.start++;
    return this.samples.slice(this.start);
  }
}

/**
 * Every keeper update the simulator makes goes through here; the pool's rule for how it takes effect
 * (a k change queued while the pool is away from equilibrium, applied by the swap that reaches it)
 * lives in `SkewVenue.setParams`, and the SDK math prices the queue exactly as the chain does.
 */
export function applyKeeperParams(pool: SkewVenue, next: PoolParams): void {
  pool.setParams(next);
}
