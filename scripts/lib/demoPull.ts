/**
 * The demo's pull-oracle part: every pool's oracle kind and price age, then a swap on the pull pool that
 * carries a fresh MockPyth update (the SDK's `MockPythPriceSource` at the market's true price), quoted
 * and executed through `SkewClient`, the output equal to the quote.
 */
import { formatUnits, parseUnits } from "ethers";
import type { JsonRpcProvider, Signer } from "ethers";
import { SkewClient } from "../../sdk/client";
import type { DeploymentRecord } from "../../sdk/deployments";
import { MockPythPriceSource } from "../../sdk/priceSourceMockPyth";
import { getPoolStates } from "../../sdk/state";
import { MockPermitERC20__factory, PythOracle__factory } from "../../typechain-types";
import { oracleLine } from "./demoReport";

/** Prints the oracle line and, when the record has a pull pool, swaps 1 base token through it with an update. */
export async function demoPullSwap(
  provider: JsonRpcProvider,
  record: DeploymentRecord,
  trader: Signer,
  truePrice: (pool: string) => number,
): Promise<void> {
  const names = Object.keys(record.pools);
  const states = await getPoolStates(
    names.map((n) => record.pools[n].address),
    provider,
  );
  const lines = states.map((s, i) => ({
    pool: names[i],
    kind: s.oracle.status?.kind ?? ("push" as const),
    ageSeconds: s.oracle.updatedAt === 0n ? null : Number(s.blockTimestamp - s.oracle.updatedAt),
    maxAge: Number(s.oracle.maxAge),
    usable: s.oracle.ok,
  }));
  console.log(`   ${oracleLine(lines)}`);
  const i = lines.findIndex((l) => l.kind === "pull");
  if (i < 0) return;
  const state = states[i];
  const oracle = PythOracle__factory.connect(state.feed, provider);
  const priceId = await oracle.priceId();
  const price = parseUnits(truePrice(names[i]).toFixed(8), 8);
  const source = new MockPythPriceSource({ provider }).setPrice(priceId, { price, conf: price / 10_000n, expo: -8 });
  const router = record.contracts.SkewRouter.address;
  const client = new SkewClient({ signer: trader, router, priceSource: source, slippageBps: 0 });
  const who = await trader.getAddress();
  const amount = 10n ** BigInt(state.baseDecimals);
  await (await MockPermitERC20__factory.connect(state.base, trader).mint(who, amount)).wait();
  const r = await client.swapExactIn({ pool: state.address, side: "sellBase" }, amount);
  const used = r.quote.pulled?.prices[0];
  if (used === undefined) throw new Error("the pull swap used no pulled price");
  console.log(
    `   ${names[i]}: sold 1 WETH with a fresh MockPyth update (price ${formatUnits(used.answer, used.decimals)}, ` +
      `published ${used.publishTime}, valid until ${used.validUntil}, fee ${r.built.tx.value} wei): ` +
      `received ${formatUnits(r.amountOut, state.quoteDecimals)} USDC, quoted ${formatUnits(r.quote.amountOut, state.quoteDecimals)}` +
      (r.amountOut === r.quote.amountOut ? " (equal to the wei)" : " (DIFFERENT)"),
  );
}
