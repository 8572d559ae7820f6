import { readFileSync } from "node:fs";
import path from "node:path";
import { PoolMath, Region, SwapSide, WAD } from "../../sdk/math";

/** One exact-math case from spec/vectors/swaps.json (see its README). */
export interface VectorCase {
  state: {
    base: string;
    quote: string;
    region: "A" | "B" | "ONE";
    baseTarget: string;
    quoteTarget: string;
    priceWad: string;
    kWad: string;
    baseFeePips: number;
    maxFeePips: number;
    tauWad: string;
    baseDecimals: number;
    quoteDecimals: number;
  };
  side: SwapSide;
  amountIn: string;
  expect: { revert: string } | { feePips: number; netOutFloor: string; grossOut: string };
}

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
