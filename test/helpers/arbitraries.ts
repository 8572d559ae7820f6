import fc from "fast-check";
import { PoolMath, quoteExactIn, Region, SwapQuote, SwapSide, WAD } from "../../sdk/math";

export const DECIMALS = [6, 8, 18] as const;
export const sideArb: fc.Arbitrary<SwapSide> = fc.constantFrom("sellBase", "sellQuote");

/**
 * Applies a quote's post-swap state to a pool (what the pool contract stores): reserves, targets,
 * region, the k in force after the swap and the queued k (kept when the quote does not say).
 */
export function applyQuote(p: PoolMath, q: SwapQuote & { pendingKAfter?: bigint | null }): PoolMath {
  const next: PoolMath = {
    ...p,
    baseReserve: q.baseReserveAfter,
    quoteReserve: q.quoteReserveAfter,
    baseTarget: q.baseTargetAfter,
    quoteTarget: q.quoteTargetAfter,
    region: q.regionAfter,
    k: q.kAfter,
  };
  const pending = q.pendingKAfter === undefined ? (q.kAfter === p.k ? p.pendingK : undefined) : q.pendingKAfter;
  if (pending === undefined || pending === null) delete next.pendingK;
  else next.pendingK = pending;
  return next;
}

export interface PoolOptions {
  /** Force zero fees (for before-fee properties). */
  noFees?: boolean;
}

/**
 * Consistent pool states: an equilibrium pool of random size, decimals and price (whole
 * quote per whole base between 1e-4 and 1e5, as an oracle with 12 decimals would give),
 * moved into region A or B by a fee-free swap of up to ~90 % of a side, then given
 * random fee parameters.
 */
export function poolArb(opts: PoolOptions = {}): fc.Arbitrary<PoolMath> {
  return fc
    .record({
      baseDecimals: fc.constantFrom(...DECIMALS),
      quoteDecimals: fc.constantFrom(...DECIMALS),
      priceNum: fc.bigInt(10n ** 8n, 10n ** 17n),
      baseWhole: fc.bigInt(1n, 10n ** 9n),
      valueRatio: fc.integer({ min: 10, max: 1000 }), // quote value / base value, percent
      k: fc.oneof(fc.constant(0n), fc.constant(WAD), fc.bigInt(0n, WAD)),
      skewSide: sideArb,
      skewPermille: fc.integer({ min: 0, max: 900 }),
      baseFee: fc.bigInt(0n, 10_000n),
      surge: fc.bigInt(0n, 100_000n),
      tau: fc.oneof(fc.constant(0n), fc.bigInt(0n, (WAD * 99n) / 100n)),
    })
    .map((r) => {
      const baseScale = 10n ** BigInt(18 - r.baseDecimals);
      const quoteScale = 10n ** BigInt(18 - r.quoteDecimals);
      const price = { num: r.priceNum, den: 10n ** 12n };
      const baseReserve = r.baseWhole * 10n ** BigInt(r.baseDecimals);
      // quote value = ratio * base value, in raw quote units
      const quoteReserve =
        (r.baseWhole * price.num * BigInt(r.valueRatio) * 10n ** BigInt(r.quoteDecimals)) / (price.den * 100n) + 1n;
      let p: PoolMath = {
        baseReserve,
        quoteReserve,
        baseTarget: baseReserve * baseScale,
        quoteTarget: quoteReserve * quoteScale,
        region: Region.ONE,
        baseScale,
        quoteScale,
        price,
        k: r.k,
        baseFee: 0n,
        maxFee: 0n,
        tau: 0n,
        protocolShare: 0n,
      };
      // Skew it: sell up to 90 % of the output side's value.
      const outValueInInput =
        r.skewSide === "sellBase"
          ? (quoteReserve * quoteScale * price.den) / price.num / baseScale
          : (baseReserve * baseScale * price.num) / price.den / quoteScale;
      const amount = (outValueInInput * BigInt(r.skewPermille)) / 1000n;
      if (amount > 0n) {
        try {
          p = applyQuote(p, quoteExactIn(p, r.skewSide, amount));
        } catch {
          // too large for a steep or flat curve: stay at equilibrium
        }
      }
      const maxFee = opts.noFees ? 0n : r.baseFee + r.surge;
      return { ...p, baseFee: opts.noFees ? 0n : r.baseFee, maxFee, tau: r.tau };
    });
}

/** An input amount for a side of a pool: from 1 wei up to ~2x the other side's value. */
export function amountArb(): fc.Arbitrary<{ permille: number; dust: bigint }> {
  return fc.record({ permille: fc.integer({ min: 0, max: 2000 }), dust: fc.bigInt(1n, 10n ** 6n) });
}

/** Turns an amountArb sample into a raw input amount for `side` of pool `p`. */
export function inputAmount(p: PoolMath, side: SwapSide, a: { permille: number; dust: bigint }): bigint {
  const valueIn =
    side === "sellBase"
      ? (p.quoteReserve * p.quoteScale * p.price.den) / p.price.num / p.baseScale
      : (p.baseReserve * p.baseScale * p.price.num) / p.price.den / p.quoteScale;
  return (valueIn * BigInt(a.permille)) / 1000n + a.dust;
}
