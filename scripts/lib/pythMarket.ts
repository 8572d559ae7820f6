/**
 * Local pull-oracle prices for the market driver and the demo: posts a price to a `PythOracle` over
 * `MockPyth` (update data from the SDK's MockPyth encoder, fee paid), as a trader bringing an update does.
 */
import type { Signer } from "ethers";
import { PythOracle__factory } from "../../typechain-types";
import { encodeMockPythUpdate } from "../../sdk/priceSourceMockPyth";

/** Posts `price` (exponent -8, confidence 0.01 %) published at `publishTime` to the oracle; returns the fee paid. */
export async function postPythPrice(
  oracle: string,
  signer: Signer,
  price: bigint,
  publishTime: bigint,
): Promise<bigint> {
  const o = PythOracle__factory.connect(oracle, signer);
  const priceId = await o.priceId();
  const data = [encodeMockPythUpdate({ priceId, price, conf: price / 10_000n, expo: -8, publishTime })];
  const fee = await o.getUpdateFee(data);
  await (await o.updatePrice(data, { value: fee })).wait();
  return fee;
}
