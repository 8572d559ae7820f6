/**
 * Pull-oracle price updates: the signed data a swap carries to a pull oracle (Pyth), and a
 * pluggable {@link PriceUpdateSource} that fetches it. Sources: `HermesPriceSource` (Pyth's Hermes
 * service, production) and `MockPythPriceSource` (MockPyth-encoded updates for a local chain).
 */

/** One price carried by update data, as its publisher signed it (Pyth's fields). */
export interface PulledPrice {
  /** The Pyth price id, 0x-prefixed lower-case hex (32 bytes). */
  priceId: string;
  /** The price, scaled by `10 ** expo`. */
  price: bigint;
  /** The confidence interval, same scale. */
  conf: bigint;
  /** The exponent (e.g. -8). */
  expo: number;
  /** When the publisher published the price, unix seconds. */
  publishTime: bigint;
}

/** Update data for one or more price ids: what the oracle verifies and what it says. */
export interface PriceUpdate {
  /** The update data, 0x-prefixed hex, passed as `bytes[]` to `updatePrice`. */
  data: string[];
  /** The prices the data carries (read from the source's parsed answer, not from the signed bytes). */
  prices: PulledPrice[];
}

/** Where update data comes from. */
export interface PriceUpdateSource {
  /**
   * The latest update data for `priceIds` (0x-prefixed or bare hex).
   * @throws when the source has no price for one of them.
   */
  latestUpdate(priceIds: readonly string[]): Promise<PriceUpdate>;
}

/** A price id as 0x-prefixed lower-case hex of 32 bytes. */
export function normalizePriceId(id: string): string {
  const hex = (id.startsWith("0x") || id.startsWith("0X") ? id.slice(2) : id).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new RangeError(`not a 32-byte price id: ${id}`);
  return `0x${hex}`;
}

/** The price an update carries for `priceId`, or undefined. */
export function pulledPriceOf(update: PriceUpdate, priceId: string): PulledPrice | undefined {
  const id = normalizePriceId(priceId);
  return update.prices.find((p) => p.priceId === id);
}
