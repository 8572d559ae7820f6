// sdk/examples/quote-and-swap.ts
import type { Provider, Signer } from "ethers";
import { getPoolState, OracleError, quoteExactIn, quoteExactOut, SkewClient, SlippageError } from "@skew/sdk";

/** Reads a WETH/USDC pool in one call and quotes both ways, off-chain and wei-exact. */
export async function quoteWethUsdc(provider: Provider, pool: string, log = console.log) {
  const state = await getPoolState(pool, provider); // one eth_call (the state lens)
  const sell = quoteExactIn(state, "sellBase", 10n ** 18n); // sell 1 WETH
  const buy = quoteExactOut(state, "sellQuote", 10n ** 18n); // buy 1 WETH
  log(`1 WETH -> ${sell.amountOut} USDC units, fee ${sell.feePips} pips`);
  log(`mid ${sell.midPriceBefore} -> ${sell.midPriceAfter}, imbalance ${sell.imbalanceAfter} (WAD)`);
  log(`buying 1 WETH costs ${buy.amountIn} USDC units`);
  return { state, sell, buy };
}

/** Sells 1 WETH through the router with 0.5 % slippage; errors come out typed. */
export async function sellOneWeth(signer: Signer, router: string, pool: string, log = console.log) {
  const client = new SkewClient({ signer, router, slippageBps: 50 });
  try {
    const result = await client.swapExactIn({ pool, side: "sellBase" }, 10n ** 18n);
    log(`received ${result.amountOut} USDC units in ${result.receipt.hash}`);
    return result;
  } catch (e) {
    if (e instanceof SlippageError) log(`price moved: ${e.message}`);
    else if (e instanceof OracleError) log(`oracle unavailable: ${e.message}`);
    throw e;
  }
}
