import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { deadline, PoolCtx, SEED_BASE, SEED_QUOTE, seededPoolFixture, sendInput, Side, WAD } from "../pool/fixtures";

const USDC = 10n ** 6n;

/**
 * Gas of the real build (not run under coverage, whose instrumented code costs more by design).
 * `npm run bench:gas` gives the full comparison; this is a regression ceiling.
 */
describe("gas ceiling", function () {
  it("stays under a generous gas ceiling per swap, measured next to a Uniswap V2 pair", async function () {
    // A regression ceiling only: `npm run bench:gas` reports where Skew stands against Uniswap V2
    // (the DESIGN goal is parity; it is not met yet, see the README's gas section).
    const ctx = await loadFixture(seededPoolFixture);
    const skewGas: bigint[] = [];
    for (const side of [Side.SellBase, Side.SellQuote, Side.SellBase]) {
      const amount = side === Side.SellBase ? WAD : 2_000n * USDC;
      const q = await ctx.pool.quoteExactIn(side, amount);
      await sendInput(ctx, ctx.bob, side, amount);
      const tx: ContractTransactionResponse = await ctx.pool
        .connect(ctx.bob)
        .swap(side, q.amountOut, ctx.bob.address, await deadline());
      skewGas.push((await tx.wait())!.gasUsed);
    }

    const v2 = await uniswapV2Pair(ctx);
    const v2Gas: bigint[] = [];
    for (const side of [Side.SellBase, Side.SellQuote, Side.SellBase]) {
      const sellBase = side === Side.SellBase;
      const amountIn = sellBase ? WAD : 2_000n * USDC;
      const [r0, r1] = await v2.pair.getReserves();
      const [rIn, rOut] = sellBase === v2.baseIsToken0 ? [r0, r1] : [r1, r0];
      const out = (amountIn * 997n * rOut) / (rIn * 1000n + amountIn * 997n);
      await sendInput({ ...ctx, pool: v2.pair as never }, ctx.bob, side, amountIn);
      const outIsToken0 = sellBase !== v2.baseIsToken0;
      const tx: ContractTransactionResponse = await v2.pair
        .connect(ctx.bob)
        .swap(outIsToken0 ? out : 0n, outIsToken0 ? 0n : out, ctx.bob.address, "0x");
      v2Gas.push((await tx.wait())!.gasUsed);
    }
    console.log(`      gas per swap: Skew ${skewGas.join(", ")}; Uniswap V2 pair ${v2Gas.join(", ")}`);
    // Steady state (both pools warm from their first swap): at most twice Uniswap's gas.
    expect(skewGas[1] + skewGas[2]).to.be.lte(2n * (v2Gas[1] + v2Gas[2]));
  });
});

/** A Uniswap V2 pair of the same tokens with the same liquidity (from @uniswap/v2-core's build). */
async function uniswapV2Pair(ctx: PoolCtx) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const factoryJson = require("@uniswap/v2-core/build/UniswapV2Factory.json");
  const pairJson = require("@uniswap/v2-core/build/UniswapV2Pair.json");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const F = new ethers.ContractFactory(factoryJson.abi, factoryJson.bytecode, ctx.admin);
  const factory = (await F.deploy(ctx.admin.address)) as unknown as {
    createPair(a: string, b: string): Promise<ContractTransactionResponse>;
    getPair(a: string, b: string): Promise<string>;
    getAddress(): Promise<string>;
  };
  const [weth, usdc] = [await ctx.weth.getAddress(), await ctx.usdc.getAddress()];
  await factory.createPair(weth, usdc);
  const pairAddress = await factory.getPair(weth, usdc);
  const pair = new ethers.Contract(pairAddress, pairJson.abi, ctx.admin) as unknown as {
    connect(s: unknown): typeof pair;
    getReserves(): Promise<[bigint, bigint, bigint]>;
    token0(): Promise<string>;
    mint(to: string): Promise<ContractTransactionResponse>;
    swap(a0: bigint, a1: bigint, to: string, data: string): Promise<ContractTransactionResponse>;
    getAddress(): Promise<string>;
  };
  await ctx.weth.connect(ctx.alice).transfer(pairAddress, SEED_BASE);
  await ctx.usdc.connect(ctx.alice).transfer(pairAddress, SEED_QUOTE);
  await pair.mint(ctx.alice.address);
  return { pair, baseIsToken0: (await pair.token0()).toLowerCase() === weth.toLowerCase() };
}
