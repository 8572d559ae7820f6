/**
 * The vector file format of spec/vectors/ (see its README) and its reading into exact model inputs.
 */
import { readFileSync } from "node:fs";
import { Fraction } from "./fraction";
import type { RegionName, Side, SwapInput } from "./rules";

export const WAD = 10n ** 18n;
export const PIPS = 1_000_000n;

export interface VectorState {
  base: string;
  quote: string;
  region: RegionName;
  baseTarget: string;
  quoteTarget: string;
  priceWad: string;
  kWad: string;
  baseFeePips: number;
  maxFeePips: number;
  tauWad: string;
  /** Pips (absent: 0). */
  feeFloorPips?: number;
  /** WAD, 0 < width <= 1e18 (absent: 1e18 - tauWad, the ramp from tau to 100 %). */
  surgeWidthWad?: string;
  baseDecimals: number;
  quoteDecimals: number;
}

export interface QuoteExpect {
  grossOut: string;
  /** The exact fee in raw output units (absent in files written before the path-integrated fee). */
  fee?: string;
  feePipsExact: string;
  feePips: number;
  netOutFloor: string;
  imbalanceBefore: string;
  imbalanceAfter: string;
}

export type VectorExpect = { revert: string } | QuoteExpect;

export interface VectorCase {
  /** Optional: the edge region a generated case exercises (edge-swaps.json). */
  group?: string;
  state: VectorState;
  side: Side;
  amountIn: string;
  expect: VectorExpect;
}

export interface VectorFile {
  about: string;
  generator?: Record<string, unknown>;
  cases: VectorCase[];
}

export function loadVectorFile(file: string): VectorFile {
  return JSON.parse(readFileSync(file, "utf8")) as VectorFile;
}

/** The exact model's input for a vector case (raw units; the price as raw quote per raw base). */
export function swapInput(c: Pick<VectorCase, "state" | "side" | "amountIn">): SwapInput {
  const s = c.state;
  const f = (x: string) => Fraction.parse(x);
  return {
    base: f(s.base),
    quote: f(s.quote),
    baseTarget: f(s.baseTarget),
    quoteTarget: f(s.quoteTarget),
    region: s.region,
    price: new Fraction(BigInt(s.priceWad), WAD),
    k: new Fraction(BigInt(s.kWad), WAD),
    baseFee: Fraction.of(s.baseFeePips),
    maxFee: Fraction.of(s.maxFeePips),
    tau: new Fraction(BigInt(s.tauWad), WAD),
    feeFloor: Fraction.of(s.feeFloorPips ?? 0),
    surgeWidth: new Fraction(s.surgeWidthWad === undefined ? WAD - BigInt(s.tauWad) : BigInt(s.surgeWidthWad), WAD),
    side: c.side,
    amountIn: f(c.amountIn),
  };
}
