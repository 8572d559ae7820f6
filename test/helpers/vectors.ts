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
    protocolShare: 0n,
  };
}

/** The vectors README's pass rule: never above exact math, within tolerance. */
export function withinTolerance(out: bigint, floor: bigint): boolean {
  const tol = floor / 10n ** 12n > 10n ? floor / 10n ** 12n : 10n;
  return out <= floor && floor - out <= tol;
}
