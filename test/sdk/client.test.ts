import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, Wallet } from "ethers";
import { SkewClient } from "../../sdk/client";
import {
  DeadlineExpiredError,
  InsufficientOutputError,
  PausedError,
  SlippageError,
  StaleOracleError,
} from "../../sdk/errors";
import { sideToSolidity } from "../../sdk/tx";
import { approveAll, E18, E6, E8, expectRouterEmpty, expectSkewError, world } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

const client = (w: World, signer = w.alice) => new SkewClient({ signer, router: w.router, slippageBps: 50 });

async function routerEmpty(w: World) {
  await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc, w.ethPool, w.btcPool], [w.a.ethPool, w.a.btcPool]);
}

describe("SkewClient", function () {
  it("swapExactIn: approves, swaps at the pool's quote, and returns the decoded Swap", async function () {
    const w = await loadFixture(world);
    const view = await w.ethPool.quoteExactIn(sideToSolidity("sellBase"), 7n * E18);
    const before = await w.usdc.balanceOf(w.alice.address);
    const r = await client(w).swapExactIn({ pool: w.a.ethPool, side: "sellBase" }, 7n * E18);
    expect(r.receipt.status).to.equal(1);
    expect([r.amountIn, r.amountOut]).to.deep.equal([7n * E18, view.amountOut]);
    expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(view.amountOut);
    expect(r.swaps).to.have.length(1);
    expect([r.swaps[0].feePips, r.swaps[0].midPriceAfter]).to.deep.equal([view.feePips, view.midPriceAfter]);
    expect(r.built.minAmountOut).to.equal((view.amountOut * 9950n) / 10000n);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(0n); // approved exactly the input
    await routerEmpty(w);
  });

  it("swapExactOut with a permit over a route: no approval transaction, at least the requested output", async function () {
    const w = await loadFixture(world);
    const path = [
      { pool: w.a.ethPool, side: "sellBase" as const },
      { pool: w.a.btcPool, side: "sellQuote" as const },
    ];
    const nonce = await ethers.provider.getTransactionCount(w.alice.address);
    const before = await w.wbtc.balanceOf(w.alice.address);
    const r = await client(w).swapExactOut({ path }, E8 / 2n, { permit: true, recipient: w.alice.address });
    expect(await ethers.provider.getTransactionCount(w.alice.address)).to.equal(nonce + 1); // the swap only
    const got = (await w.wbtc.balanceOf(w.alice.address)) - before;
    expect(got).to.equal(r.amountOut);
    expect(got >= E8 / 2n).to.equal(true);
    expect(r.swaps.map((s) => s.pool)).to.deep.equal([w.a.ethPool, w.a.btcPool]);
    expect(r.quote.amountIn).to.equal(r.amountIn);
    await routerEmpty(w);
  });

  it("deposit and withdraw, with approvals and with permits", async function () {
    const w = await loadFixture(world);
    const c = client(w);
    const d1 = await c.deposit(w.a.ethPool, 10n * E18, 100_000n * E6);
    expect(d1.event.shares).to.equal(d1.quote.shares);
    expect(await w.ethPool.balanceOf(w.alice.address)).to.equal(d1.quote.shares);
    const d2 = await c.deposit(w.a.btcPool, E8, 100_000n * E6, { permit: true, to: w.carol.address });
    expect(await w.btcPool.balanceOf(w.carol.address)).to.equal(d2.event.shares);

    const half = d1.event.shares / 2n;
    const wd1 = await c.withdraw(w.a.ethPool, half);
    expect([wd1.event.baseOut, wd1.event.quoteOut]).to.deep.equal([wd1.quote.baseOut, wd1.quote.quoteOut]);
    const wd2 = await c.withdraw(w.a.ethPool, d1.event.shares - half, { permit: true, to: w.carol.address });
    expect(wd2.event.to).to.equal(w.carol.address);
    expect(wd2.event.sender).to.equal(w.router);
    expect(await w.ethPool.balanceOf(w.alice.address)).to.equal(0n);
    await routerEmpty(w);
  });

  it("throws typed errors: deadline, pause and oracle (the last two before sending anything)", async function () {
    const w = await loadFixture(world);
    await approveAll(w);
    const c = client(w);
    const target = { pool: w.a.ethPool, side: "sellBase" as const };
    const expired = await expectSkewError(c.swapExactIn(target, E18, { deadline: 1n }), DeadlineExpiredError);
    expect(expired.deadline).to.equal(1n);
    const nonce = await ethers.provider.getTransactionCount(w.alice.address);
    await w.ethPool.connect(w.admin).pause();
    await expectSkewError(c.swapExactIn(target, E18), PausedError);
    await expectSkewError(c.deposit(w.a.ethPool, E18, E6), PausedError);
    await w.ethPool.connect(w.admin).unpause();
    await w.ethPool.connect(w.admin).setOracleMaxAge(60);
    await time.increase(61);
    await expectSkewError(c.swapExactOut(target, E6), StaleOracleError);
    expect(await ethers.provider.getTransactionCount(w.alice.address)).to.equal(nonce);
  });

  it("a swap front-run after its gas estimate reverts on chain; the client recovers the typed slippage error", async function () {
    const w = await loadFixture(world);
    await approveAll(w);
    await approveAll(w, w.carol);
    const c = client(w);
    await network.provider.send("evm_setAutomine", [false]);
    try {
      const pending = c.swapExactIn({ pool: w.a.ethPool, side: "sellBase" }, 10n * E18, { slippageBps: 10 });
      // wait until alice's swap sits in the mempool, then carol outbids it
      for (;;) {
        const block = (await network.provider.send("eth_getBlockByNumber", ["pending", false])) as {
          transactions: string[];
        };
        if (block.transactions.length > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await w.core.router
        .connect(w.carol)
        .swapExactIn([{ pool: w.a.ethPool, side: 0 }], 200n * E18, 0n, w.carol.address, MaxUint256, {
          maxPriorityFeePerGas: 10n ** 11n,
          maxFeePerGas: 10n ** 12n,
          gasLimit: 1_000_000n,
        });
      await mine(1);
      const err = await expectSkewError(pending, InsufficientOutputError);
      expect(err).to.be.instanceOf(SlippageError);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("needs a signer with a provider", function () {
    expect(() => new SkewClient({ signer: Wallet.createRandom(), router: ethers.ZeroAddress })).to.throw(/provider/);
  });
});
