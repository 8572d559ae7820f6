/**
 * Production update data from Pyth's Hermes service through `@pythnetwork/hermes-client`:
 * `new HermesPriceSource(new HermesClient("https://hermes.pyth.network"))`. The SDK takes the
 * client (it does not bundle it), so only apps that use Hermes install it.
 */
import { normalizePriceId } from "./priceSource";
import type { PriceUpdate, PriceUpdateSource } from "./priceSource";

/** The part of `HermesClient` (from `@pythnetwork/hermes-client`) this source calls. */
export interface HermesLike {
  getLatestPriceUpdates(
    ids: string[],
    options?: { encoding?: "hex" | "base64"; parsed?: boolean },
  ): Promise<{
    binary: { encoding: string; data: string[] };
    parsed?: { id: string; price: { price: string; conf: string; expo: number; publish_time: number } }[] | null;
  }>;
}

/** A {@link PriceUpdateSource} reading Hermes' latest signed updates (hex, with the parsed prices). */
export class HermesPriceSource implements PriceUpdateSource {
  constructor(private readonly client: HermesLike) {}

  async latestUpdate(priceIds: readonly string[]): Promise<PriceUpdate> {
    const ids = priceIds.map(normalizePriceId);
    const res = await this.client.getLatestPriceUpdates(ids, { encoding: "hex", parsed: true });
    if (res.binary.encoding !== "hex") throw new Error(`Hermes answered ${res.binary.encoding}, not hex`);
    const prices = (res.parsed ?? []).map((p) => ({
      priceId: normalizePriceId(p.id),
      price: BigInt(p.price.price),
      conf: BigInt(p.price.conf),
      expo: p.price.expo,
      publishTime: BigInt(p.price.publish_time),
    }));
    for (const id of ids) {
      if (!prices.some((p) => p.priceId === id)) throw new Error(`Hermes returned no price for ${id}`);
    }
    const data = res.binary.data.map((d) => (d.startsWith("0x") ? d : `0x${d}`));
    return { data, prices };
  }
}
