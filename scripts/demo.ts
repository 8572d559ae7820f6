/**
 * `npm run demo`: the pricing story on a local chain. Deploys the math harness to Hardhat's
 * in-process network, then walks a pool from equilibrium into both regions and prints how
 * Skew quotes each side (skewed mid, surge fee) next to the SDK's off-chain quote.
 *
 * (Interim: the full market session with pools, LPs, traders and the keeper replaces this
 * once the pool, SDK and keeper land.)
 */
import { ethers } from "hardhat";
import { PoolMath, quoteExactIn, Region, WAD } from "../sdk/math";
import { fromSolQuote, sideId, toSol } from "../test/helpers/harness";

const fmt = (x: bigint, decimals = 18, digits = 4) => (Number(x) / 10 ** decimals).toFixed(digits);

async function main() {
  const harness = await ethers.deployContract("SkewMathHarness");
  let pool: PoolMath = {
    baseReserve: 1_000n * 10n ** 18n, // 1,000 WETH
    quoteReserve: 3_000_000n * 10n ** 6n, // 3,000,000 USDC
    baseTarget: 1_000n * WAD,
    quoteTarget: 3_000_000n * WAD,
    region: Region.ONE,
    baseScale: 1n,
    quoteScale: 10n ** 12n,
    price: { num: 3_000n * 10n ** 8n, den: 10n ** 8n }, // feed answer 3000.00000000
    k: WAD / 2n,
    baseFee: 500n,
    maxFee: 10_000n,
    tau: WAD / 10n,
    protocolShare: 0n,
  };
  console.log("Skew demo: oracle 3000 USDC/WETH, k = 0.5, base fee 5 bp, surge to 100 bp past 10 % imbalance\n");
  console.log(
    "step | trade            | out            | fee bp | mid before -> after | imbalance | region | on-chain == SDK",
  );
  for (let step = 1; step <= 8; step++) {
    const side = step <= 5 ? "sellBase" : "sellQuote";
    const amountIn = side === "sellBase" ? 50n * 10n ** 18n : 250_000n * 10n ** 6n;
    const sol = fromSolQuote(await harness.quoteExactIn(toSol(pool), sideId(side), amountIn));
    const sdk = quoteExactIn(pool, side, amountIn);
    const same =
      JSON.stringify(sol, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ===
      JSON.stringify(sdk, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    const trade = side === "sellBase" ? `sell ${fmt(amountIn, 18, 0)} WETH` : `sell ${fmt(amountIn, 6, 0)} USDC`;
    const out = side === "sellBase" ? `${fmt(sol.amountOut, 6, 2)} USDC` : `${fmt(sol.amountOut, 18, 4)} WETH`;
    console.log(
      `${String(step).padStart(4)} | ${trade.padEnd(16)} | ${out.padEnd(14)} | ${(Number(sol.feePips) / 100).toFixed(2).padStart(6)} | ` +
        `${fmt(sol.midPriceBefore, 18, 2)} -> ${fmt(sol.midPriceAfter, 18, 2)} | ${fmt(sol.imbalanceAfter * 100n, 18, 2)} % | ${Region[sol.regionAfter].padEnd(6)} | ${same}`,
    );
    if (!same) throw new Error("on-chain and SDK quotes differ");
    pool = {
      ...pool,
      baseReserve: sol.baseReserveAfter,
      quoteReserve: sol.quoteReserveAfter,
      baseTarget: sol.baseTargetAfter,
      quoteTarget: sol.quoteTargetAfter,
      region: sol.regionAfter,
    };
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
