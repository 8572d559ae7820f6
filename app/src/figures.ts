/**
 * Figures the pages show, derived from a loaded `PoolSnapshot` with the SDK's own math: prices,
 * value locked, the signed inventory, the fee a swap would pay now, oracle age, pending changes.
 */
import { formatUnits } from "ethers";
import { imbalance, midPrice, oracleProblem, quoteExactIn, Region, WAD } from "@skew/sdk";
import type { PoolSnapshot, SwapSide } from "@skew/sdk";

/** A WAD fixed-point value as a float. */
export const wad = (x: bigint): number => Number(formatUnits(x, 18));

/** Raw token units as a float of whole tokens. */
export const whole = (raw: bigint, decimals: number): number => Number(formatUnits(raw, decimals));

/** The oracle price, whole quote tokens per whole base token. */
export function oraclePrice(s: PoolSnapshot): number {
  const { num, den } = s.oracle.price;
  if (den === 0n) return 0;
  return wad((num * WAD) / den);
}

/** The pool's marginal price before fees, whole quote per whole base. */
export const poolMid = (s: PoolSnapshot): number => wad(midPrice(s.math));

/** Value of the reserves at the oracle price, in quote tokens. */
export function valueLocked(s: PoolSnapshot): number {
  return whole(s.math.baseReserve, s.baseDecimals) * oraclePrice(s) + whole(s.math.quoteReserve, s.quoteDecimals);
}

/**
 * The signed inventory: + when the pool holds more base than its target (long base, short
 * quote: region B), − when it holds less (region A), as a fraction of the target value.
 */
export function signedInventory(s: PoolSnapshot): number {
  const size = wad(imbalance(s.math));
  if (s.math.region === Region.B) return size;
  if (s.math.region === Region.A) return -size;
  return 0;
}

/** The side of a swap that adds to the current imbalance (null at equilibrium). */
export function sideAddingImbalance(s: PoolSnapshot): SwapSide | null {
  if (s.math.region === Region.B) return "sellBase";
  if (s.math.region === Region.A) return "sellQuote";
  return null;
}

/** The fee (pips) a small swap adding to the imbalance pays now, and whether that is the surge. */
export function feeNow(s: PoolSnapshot): { pips: bigint; surge: boolean } {
  const side = sideAddingImbalance(s);
  if (side === null || s.paused || oracleProblem(s) !== undefined) return { pips: s.params.baseFee, surge: false };
  const tiny =
    side === "sellBase"
      ? 10n ** BigInt(Math.max(0, s.baseDecimals - 4))
      : 10n ** BigInt(Math.max(0, s.quoteDecimals - 2));
  try {
    const q = quoteExactIn(s, side, tiny);
    return { pips: q.feePips, surge: q.feePips > s.params.baseFee };
  } catch {
    return { pips: s.params.baseFee, surge: false };
  }
}

/** Seconds since the feed's latest round, at the snapshot's block. */
export const oracleAge = (s: PoolSnapshot): number => Number(s.blockTimestamp - s.oracle.updatedAt);

/** The `k` the pool has queued until it reaches equilibrium (null when none; DESIGN.md §3). */
export function pendingK(s: PoolSnapshot): bigint | null {
  return s.pendingK;
}

/** Pips as a percentage string (500 pips = 0.05 %). */
export const pipsPct = (pips: bigint | number): string =>
  `${(Number(pips) / 1e4).toFixed(Number(pips) % 100 === 0 ? 2 : 3)} %`;

/** A human amount with a sensible number of digits. */
export function fmt(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return "–";
  const d = digits ?? (Math.abs(x) >= 1000 ? 2 : Math.abs(x) >= 1 ? 4 : 6);
  return x.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: d });
}

/** Raw units formatted with the token's decimals (exact, trailing zeros trimmed). */
export function fmtRaw(raw: bigint, decimals: number): string {
  const s = formatUnits(raw, decimals);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** A duration in words: 42 s, 5 min, 3 h, 2 d. */
export function ago(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}
