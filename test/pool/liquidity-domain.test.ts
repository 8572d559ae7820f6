import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { OutsideSupportedDomainError } from "../../sdk/errors";
import { quoteDeposit } from "../../sdk/liquidity";
import { DOMAIN_LIMIT, quoteExactIn } from "../../sdk/quote";
import { getPoolState } from "../../sdk/state";
import type { MockERC20 } from "../../typechain-types";
import {
  ANY_SEED_PRICE,
  baseFixture,
  createSeededPool,
  deadline,
  expectRevertNoChange,
  MAX_UINT,
  poolConfig,
  Side,
} from "./fixtures";
import type { PoolCtx } from "./fixtures";

/**
 * Issue 11, point 5: a swap or deposit that would leave a scaled reserve or target at or above 2^120
 * (DESIGN §7) reverts with `OutsideSupportedDomain` before any transfer, and the SDK refuses the same
 * amounts, to the wei, with `OutsideSupportedDomainError`.
 */
const SEED = 1n << 118n;

interface DomainCtx extends PoolCtx {
  dai: MockERC20;
}

/** An 18/18-decimal pool at price 1 seeded with 2^118 of each token, a quarter of the domain. */
async function bigPoolFixture(): Promise<DomainCtx> {
  const b = await baseFixture();
  const dai = (await ethers.deployContract("MockERC20", ["Dai", "DAI", 18])) as unknown as MockERC20;
  const agg = await ethers.deployContract("MockAggregator", [8, 10n ** 8n]);
  const feed = await ethers.deployContract("MockAggregatorProxy", [await agg.getAddress()]);
  const cfg = await poolConfig(b, { quote: await dai.getAddress(), feed: await feed.getAddress() });
  const pool = await createSeededPool(b, cfg, SEED, SEED, b.alice.address, ANY_SEED_PRICE);
  for (const t of [b.weth, dai]) {
    await t.mint(b.bob.address, 1n << 122n);
    await t.connect(b.bob).approve(await pool.getAddress(), MAX_UINT);
  }
  // `expectRevertNoChange` snapshots `usdc` balances: point it at the pool's quote token.
  return { ...b, usdc: dai, pool, cfg, dai };
}

describe("supported domain (issue 11, point 5)", function () {
  it("a swap reaching 2^120 scaled reverts with OutsideSupportedDomain and moves nothing; one wei less swaps; the SDK agrees", async function () {
    const ctx = await loadFixture(bigPoolFixture);
    const { pool, weth, bob } = ctx;
    const poolAddress = await pool.getAddress();
    const state = await getPoolState(poolAddress, ethers.provider);
    const edge = DOMAIN_LIMIT - SEED; // the base reserve after would be exactly 2^120
    expect(() => quoteExactIn(state, "sellBase", edge)).to.throw(OutsideSupportedDomainError);
    await expect(pool.quoteExactIn(Side.SellBase, edge)).to.be.revertedWithCustomError(
      ctx.errors,
      "OutsideSupportedDomain",
    );
    const swapAt = async (amount: bigint) => {
      await weth.connect(bob).transfer(poolAddress, amount);
      return pool.connect(bob).swap(Side.SellBase, 0n, bob.address, await deadline());
    };
    const id = await ethers.provider.send("evm_snapshot", []);
    await weth.connect(bob).transfer(poolAddress, edge);
    await expectRevertNoChange(
      ctx,
      async () => pool.connect(bob).swap(Side.SellBase, 0n, bob.address, await deadline()),
      "OutsideSupportedDomain",
    );
    await ethers.provider.send("evm_revert", [id]);

    const sdk = quoteExactIn(state, "sellBase", edge - 1n);
    expect((await pool.quoteExactIn(Side.SellBase, edge - 1n)).amountOut).to.equal(sdk.amountOut);
    await expect(swapAt(edge - 1n)).to.emit(pool, "Swap");
    expect((await pool.getState()).baseReserve).to.equal(DOMAIN_LIMIT - 1n);
  });

  it("a deposit reaching 2^120 scaled reverts with OutsideSupportedDomain and moves nothing; the SDK agrees", async function () {
    const ctx = await loadFixture(bigPoolFixture);
    const { pool, bob } = ctx;
    const state = await getPoolState(await pool.getAddress(), ethers.provider);
    const edge = DOMAIN_LIMIT - SEED;
    expect(() => quoteDeposit(state, edge, edge)).to.throw(OutsideSupportedDomainError);
    const d = await deadline();
    await expectRevertNoChange(
      ctx,
      () => pool.connect(bob).deposit(edge, edge, 0n, 0n, 0n, bob.address, d),
      "OutsideSupportedDomain",
    );
    const below = quoteDeposit(state, edge - 1n, edge - 1n);
    await expect(pool.connect(bob).deposit(edge - 1n, edge - 1n, 0n, 0n, 0n, bob.address, d))
      .to.emit(pool, "Deposit")
      .withArgs(bob.address, bob.address, below.shares, below.baseIn, below.quoteIn);
  });
});
