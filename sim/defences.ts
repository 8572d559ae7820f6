/**
 * The new defences as the study sets them (issues 11 and 16): the front-running fee floor derived
 * from the circuit breaker's bound, the floor sweep, and the pull-oracle twins of Skew strategies.
 */
import type { PullConfig } from "./pull";
import type { SkewVariant } from "./experiment";
import type { PoolParams } from "../keeper/types";

const PIPS = 1_000_000n;

/**
 * The smallest floor (pips) at which a round trip through a feed round moving up to `maxMovePips`
 * cannot gain (DESIGN §2 on the `fee-path` branch): the away leg pays `max(baseFee, floor)`, the
 * toward leg `baseFee`, so `(1 - floor)(1 - baseFee) <= 1 - B` (which also gives `<= 1 / (1 + B)`),
 * i.e. floor >= (B - baseFee) / (1 - baseFee), rounded up. Zero when the base fee alone covers B.
 */
export function shippedFloor(baseFee: bigint, maxMovePips: bigint): bigint {
  if (baseFee >= maxMovePips) return 0n;
  const num = (maxMovePips - baseFee) * PIPS;
  const den = PIPS - baseFee;
  return (num + den - 1n) / den;
}

/** The floor sweep, bp: none, about twice the swept pool's 5 bp base fee, half the feed's 0.5 % deviation, the deviation. */
export const SWEEP_FLOORS_BPS = [0, 10, 25, 50] as const;

/** The swept pool: the local deployment's WETH/USDC parameters (k 0.2, 5 bp, surge to 50 bp from 10 %). */
export const SWEEP_PARAMS: PoolParams = {
  k: 200_000_000_000_000_000n,
  baseFee: 500n,
  maxFee: 5_000n,
  tau: 100_000_000_000_000_000n,
};

/** Suffix of a pull-oracle twin's name. */
export const PULL_SUFFIX = " [pull]";

/** The pull-oracle twin of a Skew variant (same parameters and floor, priced on a pull oracle). */
export function pullTwin(v: SkewVariant, pull: PullConfig): SkewVariant {
  const family = v.family ?? (v.policy === undefined ? "skew" : "keeper");
  const twin = family === "keeper" ? "keeper-pull" : family === "floor" ? "floor-pull" : "skew-pull";
  return { ...v, name: v.name + PULL_SUFFIX, pull, family: twin };
}

/** The floor sweep on SWEEP_PARAMS: each floor of SWEEP_FLOORS_BPS and the shipped one. */
export function floorSweep(maxMovePips: bigint): SkewVariant[] {
  const shipped = shippedFloor(SWEEP_PARAMS.baseFee, maxMovePips);
  const floors = [...SWEEP_FLOORS_BPS.map((bp) => BigInt(bp * 100)), shipped];
  return floors.map((f) => ({
    name: `Skew k 0.2 5 bp, floor ${Number(f) / 100} bp${f === shipped ? " (shipped)" : ""}`,
    params: SWEEP_PARAMS,
    feeFloor: f,
    family: "floor",
  }));
}
