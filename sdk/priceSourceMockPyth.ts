/**
 * Update data for Pyth's `MockPyth` (a local chain): `abi.encode(PriceFeed, uint64 prevPublishTime)`,
 * byte for byte what `MockPyth.createPriceFeedUpdateData` returns, built locally (no RPC).
 */
import { AbiCoder } from "ethers";
import type { Provider } from "ethers";
import { normalizePriceId } from "./priceSource";
import type { PriceUpdate, PriceUpdateSource, PulledPrice } from "./priceSource";

const PRICE = "tuple(int64 price, uint64 conf, int32 expo, uint256 publishTime)";
const FEED = `tuple(bytes32 id, ${PRICE} price, ${PRICE} emaPrice)`;

/** MockPyth update data for one price (the EMA price is the price itself unless given). */
export function encodeMockPythUpdate(
  p: PulledPrice,
  extra: { emaPrice?: bigint; emaConf?: bigint; prevPublishTime?: bigint } = {},
): string {
  const price = { price: p.price, conf: p.conf, expo: p.expo, publishTime: p.publishTime };
  const ema = { ...price, price: extra.emaPrice ?? p.price, conf: extra.emaConf ?? p.conf };
  const feed = { id: normalizePriceId(p.priceId), price, emaPrice: ema };
  return AbiCoder.defaultAbiCoder().encode([FEED, "uint64"], [feed, extra.prevPublishTime ?? 0n]);
}

/** A price set on a {@link MockPythPriceSource}. */
export interface MockPythQuote {
  price: bigint;
  conf: bigint;
  expo: number;
}

/**
 * A {@link PriceUpdateSource} for a local chain with `MockPyth`: it signs nothing (MockPyth checks
 * nothing) and publishes the prices set with {@link MockPythPriceSource.setPrice}, dated at the
 * chain's latest block timestamp (or at the time `publishTime` returns).
 */
export class MockPythPriceSource implements PriceUpdateSource {
  private readonly prices = new Map<string, MockPythQuote>();

  constructor(private readonly options: { provider?: Provider; publishTime?: () => Promise<bigint> | bigint } = {}) {
    if (options.provider === undefined && options.publishTime === undefined) {
      throw new RangeError("MockPythPriceSource needs a provider or a publishTime function");
    }
  }

  /** Sets the price the source publishes for `priceId`. */
  setPrice(priceId: string, quote: MockPythQuote): this {
    this.prices.set(normalizePriceId(priceId), quote);
    return this;
  }

  async latestUpdate(priceIds: readonly string[]): Promise<PriceUpdate> {
    const publishTime = await this.now();
    const prices = priceIds.map((raw) => {
      const priceId = normalizePriceId(raw);
      const q = this.prices.get(priceId);
      if (q === undefined) throw new RangeError(`MockPythPriceSource: no price set for ${priceId}`);
      return { priceId, ...q, publishTime };
    });
    return { data: prices.map((p) => encodeMockPythUpdate(p)), prices };
  }

  private async now(): Promise<bigint> {
    if (this.options.publishTime !== undefined) return BigInt(await this.options.publishTime());
    const block = await (this.options.provider as Provider).getBlock("latest");
    if (block === null) throw new Error("no latest block");
    return BigInt(block.timestamp);
  }
}
