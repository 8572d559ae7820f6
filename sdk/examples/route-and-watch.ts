// sdk/examples/route-and-watch.ts
import type { Provider, Signer } from "ethers";
import {
  buildSwapFromQuote,
  deadlineFromNow,
  getPoolStates,
  onSwap,
  parseSwaps,
  quoteRoute,
  signPermit,
} from "@skew/sdk";
import type { RouteHop } from "@skew/sdk";

/** WETH -> USDC -> WBTC in one transaction: batched state, route quote, permit, built transaction. */
export async function wethToWbtc(signer: Signer, router: string, ethPool: string, btcPool: string) {
  const provider = signer.provider as Provider;
  const hops: RouteHop[] = [
    { pool: ethPool, side: "sellBase" }, // WETH -> USDC
    { pool: btcPool, side: "sellQuote" }, // USDC -> WBTC
  ];
  const states = await getPoolStates([ethPool, btcPool], provider); // both pools, one eth_call
  const quote = quoteRoute(states, hops, 5n * 10n ** 18n);
  const deadline = await deadlineFromNow(provider, 600);
  const permit = await signPermit(signer, quote.tokenIn, router, quote.amountIn, deadline); // no approve tx
  const recipient = await signer.getAddress();
  const { tx, minAmountOut } = buildSwapFromQuote({ router, quote, slippageBps: 30, recipient, deadline, permit });
  const receipt = await (await signer.sendTransaction(tx)).wait();
  return { quote, minAmountOut, swaps: parseSwaps(receipt?.logs ?? []) };
}

/** Logs every swap of a pool until the returned function is called. */
export function watchSwaps(provider: Provider, pool: string, log = console.log) {
  return onSwap(pool, provider, (e) => log(`${e.side}: ${e.amountIn} -> ${e.amountOut}, fee ${e.feePips} pips`));
}
