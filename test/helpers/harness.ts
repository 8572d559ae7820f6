import { expect } from "chai";
import { ethers } from "hardhat";
import type { SkewMathHarness } from "../../typechain-types";
import {
  feeFloorOf,
  PoolMath,
  quoteExactIn,
  quoteExactOut,
  Region,
  surgeWidthOf,
  SwapQuote,
  SwapSide,
} from "../../sdk/math";

export async function deployHarness(): Promise<SkewMathHarness> {
  return ethers.deployContract("SkewMathHarness");
}

/** The Solidity `Side` enum value of an SDK side. */
export function sideId(side: SwapSide): 0 | 1 {
  return side === "sellBase" ? 0 : 1;
}

/** A `SwapQuote` as returned by the contracts, converted to the SDK's shape. */
export function fromSolQuote(r: SwapQuote | Record<keyof SwapQuote, bigint>): SwapQuote {
  return {
    amountIn: BigInt(r.amountIn),
    amountOut: BigInt(r.amountOut),
    grossOut: BigInt(r.grossOut),
    feePips: BigInt(r.feePips),
    feeAmount: BigInt(r.feeAmount),
    protocolFee: BigInt(r.protocolFee),
    imbalanceBefore: BigInt(r.imbalanceBefore),
    imbalanceAfter: BigInt(r.imbalanceAfter),
    midPriceBefore: BigInt(r.midPriceBefore),
    midPriceAfter: BigInt(r.midPriceAfter),
    baseReserveAfter: BigInt(r.baseReserveAfter),
    quoteReserveAfter: BigInt(r.quoteReserveAfter),
    baseTargetAfter: BigInt(r.baseTargetAfter),
    quoteTargetAfter: BigInt(r.quoteTargetAfter),
    regionAfter: Number(r.regionAfter) as Region,
    kAfter: BigInt(r.kAfter),
  };
}

/** A PoolMath in the form ethers encodes for the Solidity struct (the queue as a flag and a value). */
export function toSol(p: PoolMath) {
  const { pendingK, ...rest } = p;
  return {
    ...rest,
    region: Number(p.region),
    kNext: pendingK ?? p.k,
    feeFloor: feeFloorOf(p),
    surgeWidth: surgeWidthOf(p),
  };
}

/** What a quote came to: the quote, or the name of the error it reverted with. */
export type Outcome = { ok: true; quote: SwapQuote } | { ok: false; error: string };

const SDK_ERRORS: Record<string, string> = {
  InsufficientLiquidityError: "InsufficientLiquidity",
  ZeroAmountError: "ZeroAmount",
  ExactOutUnreachableError: "ExactOutUnreachable",
  MathOverflowError: "Panic",
};

/** Runs an SDK quote and names its error the way the Solidity library would. */
export function sdkOutcome(f: () => SwapQuote): Outcome {
  try {
    return { ok: true, quote: fromSolQuote(f()) };
  } catch (e) {
    const name = (e as Error).name;
    if (!(name in SDK_ERRORS)) throw e;
    return { ok: false, error: SDK_ERRORS[name] };
  }
}

/** Runs a harness quote and names its custom error (or "Panic"). */
export async function solOutcome(
  harness: SkewMathHarness,
  f: (h: SkewMathHarness) => Promise<Record<keyof SwapQuote, bigint>>,
): Promise<Outcome> {
  try {
    return { ok: true, quote: fromSolQuote(await f(harness)) };
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (typeof data !== "string") throw e;
    if (data.startsWith("0x4e487b71")) return { ok: false, error: "Panic" };
    const parsed = harness.interface.parseError(data);
    if (parsed === null) throw e;
    return { ok: false, error: parsed.name };
  }
}

/**
 * Quotes exact-in through the Solidity library and the SDK, checks that both agree to the
 * wei (or revert alike), and returns the outcome.
 */
export async function quoteInBoth(harness: SkewMathHarness, p: PoolMath, side: SwapSide, amountIn: bigint) {
  const sol = await solOutcome(harness, (h) => h.quoteExactIn(toSol(p), sideId(side), amountIn));
  const sdk = sdkOutcome(() => quoteExactIn(p, side, amountIn));
  expect(sdk, `SDK vs Solidity, exact-in ${side} ${amountIn}`).to.deep.equal(sol);
  return sol;
}

/** Exact-out through both, checked equal, as quoteInBoth. */
export async function quoteOutBoth(harness: SkewMathHarness, p: PoolMath, side: SwapSide, amountOut: bigint) {
  const sol = await solOutcome(harness, (h) => h.quoteExactOut(toSol(p), sideId(side), amountOut));
  const sdk = sdkOutcome(() => quoteExactOut(p, side, amountOut));
  expect(sdk, `SDK vs Solidity, exact-out ${side} ${amountOut}`).to.deep.equal(sol);
  return sol;
}
