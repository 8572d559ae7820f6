import { readFileSync } from "node:fs";
import path from "node:path";
import { PoolMath, Region, WAD } from "../../sdk/math";
import type { VectorCase } from "../../spec/model/vector";

/** One exact-math case of spec/vectors/ (the format the exact model reads and writes; see its README). */
export type { VectorCase };

export const VECTORS_PATH = path.resolve(__dirname, "../../spec/vectors/swaps.json");

export function loadVectors(): VectorCase[] {
  return (JSON.parse(readFileSync(VECTORS_PATH, "utf8")) as { cases: VectorCase[] }).cases;
}

/** The library's view of a vector's state: raw reserves, scaled targets, rational price. */
export function vectorPool(c: VectorCase): PoolMath {
  const s = c.state;
  const baseScale = 10n ** BigInt(18 - s.baseDecimals);
  const quoteScale = 10n ** BigInt(18 - s.quoteDecimals);
  return {
    baseReserve: BigInt(s.base),
    quoteReserve: BigInt(s.quote),
    baseTarget: BigInt(s.baseTarget) * baseScale,
    quoteTarget: BigInt(s.quoteTarget) * quoteScale,
    region: Region[s.region],
    baseScale,
    quoteScale,
    // priceWad is raw quote per raw base times 1e18; scaled price = that * quoteScale / baseScale
    price: { num: BigInt(s.priceWad) * quoteScale, den: WAD * baseScale },
    k: BigInt(s.kWad),
    baseFee: BigInt(s.baseFeePips),
    maxFee: BigInt(s.maxFeePips),
    tau: BigInt(s.tauWad),
    feeFloor: BigInt(s.feeFloorPips ?? 0),
    surgeWidth: s.surgeWidthWad === undefined ? WAD - BigInt(s.tauWad) : BigInt(s.surgeWidthWad),
    protocolShare: 0n,
  };
}

/** The vectors README's tolerance on an output of `floor` units: max(10, floor / 1e12). */
export function vectorTolerance(floor: bigint): bigint {
  return floor / 10n ** 12n > 10n ? floor / 10n ** 12n : 10n;
}

/** The vectors README's pass rule: never above exact math, within tolerance. */
export function withinTolerance(out: bigint, floor: bigint): boolean {
  return out <= floor && floor - out <= vectorTolerance(floor);
}

/**
 * The vectors README's fee rule: the fee charged (the effective rate, pips) within this many pips of the
 * exact rate's ceiling. The path-integrated fee's rate depends on the gross output, which the integer
 * math has to a few units (rounded down); a unit moves the mean rate by at most 1e6 / gross pips.
 */
export function feePipsTolerance(grossOut: bigint): bigint {
  return 1n + (grossOut === 0n ? 10n ** 6n : 10n ** 7n / grossOut);
}

/** Whether a quote's fee pips pass the vectors' fee rule against the exact `feePips`. */
export function feeWithinTolerance(feePips: bigint, exact: bigint, grossOut: bigint): boolean {
  const gap = feePips > exact ? feePips - exact : exact - feePips;
  return gap <= feePipsTolerance(grossOut);
}
