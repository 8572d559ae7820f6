import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { quoteExactIn as sdkQuoteExactIn, Region as SdkRegion } from "../../sdk/math";
import {
  createPoolSeeded,
  deadline,
  expectRevertNoChange,
  PoolCtx,
  poolFixture,
  Region,
  SEED_BASE,
  SEED_QUOTE,
  seededPoolFixture,
  sendInput,
  Side,
  WAD,
} from "./fixtures";

const USDC = 10n ** 6n;

type Quote = Awaited<ReturnType<PoolCtx["pool"]["quoteExactIn"]>>;

/**
 * Quotes, sends the input, swaps with minAmountOut = the quote, and checks the swap executed the quote.
 * `alreadySent` is input of this side already sitting in the pool (it counts towards this swap).
 */
async function swapAndCheck(ctx: PoolCtx, side: number, send: bigint, alreadySent = 0n): Promise<Quote> {
  const { pool, bob, weth, usdc } = ctx;
  const amountIn = send + alreadySent;
  const q = await pool.quoteExactIn(side, amountIn);
  expect(q.amountIn).to.equal(amountIn);
  const [tokenIn, tokenOut] = side === Side.SellBase ? [weth, usdc] : [usdc, weth];
  const poolAddr = await pool.getAddress();
  await sendInput(ctx, bob, side, send);
  const outBefore = await tokenOut.balanceOf(bob.address);
  expect(await pool.connect(bob).swap.staticCall(side, q.amountOut, bob.address, await deadline())).to.equal(
    q.amountOut,
  );
  const tx = pool.connect(bob).swap(side, q.amountOut, bob.address, await deadline());
  await expect(tx)
    .to.emit(pool, "Swap")
    .withArgs(
      bob.address,
      bob.address,
      side,
      amountIn,
      q.amountOut,
      q.feePips,
      q.feeAmount,
      q.imbalanceAfter,
      q.midPriceAfter,
    );
  await expect(tx)
    .to.emit(pool, "Sync")
    .withArgs(q.baseReserveAfter, q.quoteReserveAfter, q.baseTargetAfter, q.quoteTargetAfter, q.regionAfter);
  expect((await tokenOut.balanceOf(bob.address)) - outBefore).to.equal(q.amountOut);
  // The pool stored exactly the quote's post-state ...
  const s = await pool.getState();
  expect([s.baseReserve, s.quoteReserve, s.baseTarget, s.quoteTarget, s.region]).to.deep.equal([
    q.baseReserveAfter,
    q.quoteReserveAfter,
    q.baseTargetAfter,
    q.quoteTargetAfter,
    q.regionAfter,
  ]);
  // ... and its balances are exactly reserves plus the protocol fees owed.
  expect(await weth.balanceOf(poolAddr)).to.equal(s.baseReserve + s.protocolFeesBase);
  expect(await usdc.balanceOf(poolAddr)).to.equal(s.quoteReserve + s.protocolFeesQuote);
  expect(await tokenIn.balanceOf(poolAddr)).to.be.gt(0n);
  return q;
}

describe("SkewPool swap", function () {
  describe("executes its own quote to the wei", function () {
    for (const [label, side, amounts] of [
      ["selling base", Side.SellBase, [1n, 10n ** 12n, WAD / 100n, WAD, 30n * WAD]],
      ["selling quote", Side.SellQuote, [1n, 1_000n, 20n * USDC, 2_000n * USDC, 60_000n * USDC]],
    ] as const) {
      it(label, async function () {
        const ctx = await loadFixture(seededPoolFixture);
        let dust = 0n;
        for (const amount of amounts) {
          const q = await ctx.pool.quoteExactIn(side, dust + amount);
          if (q.amountOut === 0n) {
            // Dust: the pool refuses to take input for nothing ...
            await sendInput(ctx, ctx.bob, side, amount);
            await expectRevertNoChange(
              ctx,
              async () => ctx.pool.connect(ctx.bob).swap(side, 0n, ctx.bob.address, await deadline()),
              "InsufficientOutput",
              [0n, 0n],
            );
            // ... and the dust left in the pool counts towards the next swap.
            dust += amount;
            continue;
          }
          await swapAndCheck(ctx, side, amount, dust);
          dust = 0n;
        }
      });
    }

    it("across equilibrium and back, alternating sides", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const regions = new Set<bigint>();
      const steps: [number, bigint][] = [
        [Side.SellBase, 20n * WAD], // into region B (pool long base)
        [Side.SellQuote, 80_000n * USDC], // back across into region A
        [Side.SellBase, 10n * WAD],
        [Side.SellQuote, 5_000n * USDC],
        [Side.SellBase, 3n * WAD],
      ];
      for (const [side, amount] of steps) {
        const q = await swapAndCheck(ctx, side, amount);
        regions.add(q.regionAfter);
      }
      expect(regions.has(BigInt(Region.A))).to.equal(true);
      expect(regions.has(BigInt(Region.B))).to.equal(true);
    });

    it("with a 6-decimal base against an 18-decimal quote", async function () {
      const ctx = await loadFixture(poolFixture);
      // Base USDC-like (6 dec) priced in an 18-dec quote (WETH) at 2000 per unit: feed answer still 2000e8.
      const over = { base: await ctx.usdc.getAddress(), quote: await ctx.weth.getAddress() };
      const pool = await createPoolSeeded(ctx, over, 100n * USDC, 200n * WAD, ctx.alice.address);
      const addr = await pool.getAddress();
      for (const u of [ctx.alice, ctx.bob]) {
        await ctx.weth.connect(u).approve(addr, ethers.MaxUint256);
        await ctx.usdc.connect(u).approve(addr, ethers.MaxUint256);
      }
      const sub = { ...ctx, pool };
      for (const [side, amount] of [
        [Side.SellBase, 5n * USDC],
        [Side.SellQuote, 3n * WAD],
        [Side.SellBase, 7n],
      ] as const) {
        const q = await pool.quoteExactIn(side, amount);
        if (q.amountOut > 0n) {
          const [tokenIn, tokenOut] = side === Side.SellBase ? [ctx.usdc, ctx.weth] : [ctx.weth, ctx.usdc];
          await tokenIn.connect(ctx.bob).transfer(addr, amount);
          const before = await tokenOut.balanceOf(ctx.bob.address);
          await pool.connect(ctx.bob).swap(side, q.amountOut, ctx.bob.address, await deadline());
          expect((await tokenOut.balanceOf(ctx.bob.address)) - before).to.equal(q.amountOut);
          const s = await sub.pool.getState();
          expect([s.baseReserve, s.quoteReserve]).to.deep.equal([q.baseReserveAfter, q.quoteReserveAfter]);
        }
      }
    });
  });

  it("pays at least the exact-output quote's output for its input", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    for (const [side, out] of [
      [Side.SellBase, 3_000n * USDC],
      [Side.SellQuote, 2n * WAD],
    ] as const) {
      const q = await ctx.pool.quoteExactOut(side, out);
      expect(q.amountOut).to.be.gte(out);
      const inQ = await ctx.pool.quoteExactIn(side, q.amountIn);
      expect(inQ.amountOut).to.be.gte(out);
      await sendInput(ctx, ctx.bob, side, q.amountIn);
      const tokenOut = side === Side.SellBase ? ctx.usdc : ctx.weth;
      const before = await tokenOut.balanceOf(ctx.bob.address);
      await ctx.pool.connect(ctx.bob).swap(side, out, ctx.bob.address, await deadline());
      expect((await tokenOut.balanceOf(ctx.bob.address)) - before).to.equal(inQ.amountOut);
    }
  });

  it("quotes what the SDK computes from getState", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await swapAndCheck(ctx, Side.SellBase, 7n * WAD); // leave equilibrium
    const s = await ctx.pool.getState();
    const math = {
      baseReserve: s.baseReserve,
      quoteReserve: s.quoteReserve,
      baseTarget: s.baseTarget,
      quoteTarget: s.quoteTarget,
      region: Number(s.region) as SdkRegion,
      baseScale: s.baseScale,
      quoteScale: s.quoteScale,
      price: { num: s.price.num, den: s.price.den },
      k: s.params.k,
      baseFee: s.params.baseFee,
      maxFee: s.params.maxFee,
      tau: s.params.tau,
      protocolShare: s.protocolShare,
    };
    for (const [side, sdkSide, amount] of [
      [Side.SellBase, "sellBase", WAD],
      [Side.SellQuote, "sellQuote", 30_000n * USDC],
    ] as const) {
      const q = await ctx.pool.quoteExactIn(side, amount);
      const sdk = sdkQuoteExactIn(math, sdkSide, amount);
      expect([q.amountOut, q.feePips, q.baseReserveAfter, q.quoteReserveAfter]).to.deep.equal([
        sdk.amountOut,
        sdk.feePips,
        sdk.baseReserveAfter,
        sdk.quoteReserveAfter,
      ]);
    }
  });

  describe("reverts, moving nothing", function () {
    it("after the deadline", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      await sendInput(ctx, ctx.bob, Side.SellBase, WAD);
      const past = BigInt(await time.latest());
      await expectRevertNoChange(
        ctx,
        () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, past),
        "Expired",
      );
    });

    it("when nothing arrived", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const d = await deadline();
      await expectRevertNoChange(
        ctx,
        () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, d),
        "ZeroAmount",
      );
      // Input of the other token does not count.
      await sendInput(ctx, ctx.bob, Side.SellQuote, 1_000n * USDC);
      await expectRevertNoChange(
        ctx,
        () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, d),
        "ZeroAmount",
      );
      await expect(ctx.pool.quoteExactIn(Side.SellBase, 0n)).to.be.revertedWithCustomError(ctx.errors, "ZeroAmount");
      await expect(ctx.pool.quoteExactOut(Side.SellBase, 0n)).to.be.revertedWithCustomError(ctx.errors, "ZeroAmount");
    });

    it("below minAmountOut", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const q = await ctx.pool.quoteExactIn(Side.SellBase, WAD);
      await sendInput(ctx, ctx.bob, Side.SellBase, WAD);
      const d = await deadline();
      await expectRevertNoChange(
        ctx,
        () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, q.amountOut + 1n, ctx.bob.address, d),
        "InsufficientOutput",
        [q.amountOut, q.amountOut + 1n],
      );
    });

    it("to the zero address, the pool or its tokens", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      await sendInput(ctx, ctx.bob, Side.SellBase, WAD);
      const d = await deadline();
      for (const to of [
        ethers.ZeroAddress,
        await ctx.pool.getAddress(),
        await ctx.weth.getAddress(),
        await ctx.usdc.getAddress(),
      ]) {
        await expectRevertNoChange(
          ctx,
          () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, to, d),
          "InvalidRecipient",
          [to],
        );
      }
    });

    it("on an empty pool", async function () {
      const ctx = await loadFixture(poolFixture);
      await expect(ctx.pool.quoteExactIn(Side.SellBase, WAD)).to.be.revertedWithCustomError(
        ctx.errors,
        "InsufficientLiquidity",
      );
      await sendInput(ctx, ctx.bob, Side.SellBase, WAD);
      const d = await deadline();
      await expectRevertNoChange(
        ctx,
        () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, d),
        "InsufficientLiquidity",
      );
    });

    it("when asked for the whole output reserve", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      await expect(ctx.pool.quoteExactOut(Side.SellQuote, SEED_BASE)).to.be.revertedWithCustomError(
        ctx.errors,
        "InsufficientLiquidity",
      );
      await expect(ctx.pool.quoteExactOut(Side.SellBase, SEED_QUOTE)).to.be.revertedWithCustomError(
        ctx.errors,
        "InsufficientLiquidity",
      );
    });
  });

  it("never pays out the whole reserve, however large the input", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    const huge = 10n ** 9n * USDC;
    const q = await swapAndCheck(ctx, Side.SellQuote, huge);
    expect(q.amountOut).to.be.lt(SEED_BASE);
    expect((await ctx.pool.getState()).baseReserve).to.be.gt(0n);
  });

  describe("protocol fees", function () {
    async function feeFixture() {
      const ctx = await seededPoolFixture();
      await ctx.pool.connect(ctx.admin).setProtocolShare(500_000n);
      return ctx;
    }

    it("sets the protocol's part of the fee aside, outside the reserves, and collects it", async function () {
      const ctx = await loadFixture(feeFixture);
      const { pool, admin, treasury, usdc, weth } = ctx;
      const q1 = await swapAndCheck(ctx, Side.SellBase, 5n * WAD); // fee in quote
      expect(q1.protocolFee).to.be.gt(0n);
      expect(q1.protocolFee).to.be.lte(q1.feeAmount);
      let s = await pool.getState();
      expect(s.protocolFeesQuote).to.equal(q1.protocolFee);
      // The owed quote fee is not mistaken for input of a quote-selling swap.
      const q2 = await swapAndCheck(ctx, Side.SellQuote, 4_000n * USDC); // fee in base
      s = await pool.getState();
      expect(s.protocolFeesQuote).to.equal(q1.protocolFee);
      expect(s.protocolFeesBase).to.equal(q2.protocolFee);
      // ... nor is a zero-input swap able to claim it.
      await expectRevertNoChange(
        ctx,
        async () => pool.connect(ctx.bob).swap(Side.SellQuote, 0n, ctx.bob.address, await deadline()),
        "ZeroAmount",
      );

      await expect(pool.connect(admin).collectProtocolFees(await pool.getAddress())).to.be.revertedWithCustomError(
        ctx.errors,
        "InvalidRecipient",
      );
      const tx = pool.connect(admin).collectProtocolFees(treasury.address);
      await expect(tx)
        .to.emit(pool, "ProtocolFeesCollected")
        .withArgs(treasury.address, q2.protocolFee, q1.protocolFee);
      await expect(tx).to.changeTokenBalances(usdc, [pool, treasury], [-q1.protocolFee, q1.protocolFee]);
      await expect(tx).to.changeTokenBalances(weth, [pool, treasury], [-q2.protocolFee, q2.protocolFee]);
      s = await pool.getState();
      expect([s.protocolFeesBase, s.protocolFeesQuote]).to.deep.equal([0n, 0n]);
      // Swaps keep working and accounting stays exact after collection.
      await swapAndCheck(ctx, Side.SellBase, WAD);
    });

    it("accrues nothing with a zero share", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const q = await swapAndCheck(ctx, Side.SellBase, 5n * WAD);
      expect(q.feeAmount).to.be.gt(0n);
      expect(q.protocolFee).to.equal(0n);
      const s = await ctx.pool.getState();
      expect([s.protocolFeesBase, s.protocolFeesQuote]).to.deep.equal([0n, 0n]);
    });
  });

  describe("liquidity away from equilibrium", function () {
    it("deposits and withdrawals scale the stored targets (rounded up) and keep the region", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice, bob } = ctx;
      await swapAndCheck(ctx, Side.SellBase, 10n * WAD); // region B: long base
      const s0 = await pool.getState();
      expect(s0.region).to.equal(Region.B);
      await pool.connect(bob).deposit(10n * WAD, 10n ** 12n, 0n, 0n, 0n, bob.address, await deadline());
      const s1 = await pool.getState();
      const ceil = (t: bigint, num: bigint, den: bigint) => (t * num + den - 1n) / den;
      expect(s1.region).to.equal(Region.B);
      expect(s1.baseTarget).to.equal(ceil(s0.baseTarget, s1.totalSupply, s0.totalSupply));
      expect(s1.quoteTarget).to.equal(ceil(s0.quoteTarget, s1.totalSupply, s0.totalSupply));
      const shares = await pool.balanceOf(alice.address);
      await pool.connect(alice).withdraw(shares / 2n, 0n, 0n, alice.address, await deadline());
      const s2 = await pool.getState();
      expect(s2.region).to.equal(Region.B);
      expect(s2.baseTarget).to.equal(ceil(s1.baseTarget, s2.totalSupply, s1.totalSupply));
      // The long side stays above its target, and the pool still quotes.
      expect(s2.baseReserve * s2.baseScale).to.be.gt(s2.baseTarget);
      await swapAndCheck(ctx, Side.SellQuote, 1_000n * USDC);
    });
  });

  it("a token calling back into withdraw while the swap pays it out reverts", async function () {
    const ctx = await loadFixture(poolFixture);
    const evil = await ethers.deployContract("MockReentrantERC20", ["Evil", "EVL"]);
    const pool = await createPoolSeeded(
      ctx,
      { base: await evil.getAddress() },
      SEED_BASE,
      SEED_QUOTE,
      ctx.alice.address,
    );
    const addr = await pool.getAddress();
    const d = await deadline();
    await ctx.usdc.connect(ctx.bob).transfer(addr, 1_000n * USDC);
    await evil.arm(addr, pool.interface.encodeFunctionData("withdraw", [1n, 0n, 0n, ctx.alice.address, d]));
    await expect(pool.connect(ctx.bob).swap(Side.SellQuote, 0n, ctx.bob.address, d)).to.be.revertedWithCustomError(
      pool,
      "ReentrancyGuardReentrantCall",
    );
  });
});
