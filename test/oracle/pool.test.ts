import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deadline, expectRevertNoChange, PRICE, sendInput, Side, snapshot, WAD } from "../pool/fixtures";
import { COOL_DOWN, GRACE, GuardedPoolCtx, guardedPoolFixture, MAX_MOVE, movedBy } from "./fixtures";

/** The quotes and the swap all revert with `error` (and `args`), and the swap moves no balance. */
async function expectSwapsStopped(ctx: GuardedPoolCtx, error: string, args?: unknown[]): Promise<void> {
  for (const q of [
    () => ctx.pool.quoteExactIn(Side.SellBase, WAD),
    () => ctx.pool.quoteExactOut(Side.SellQuote, WAD),
  ]) {
    const a = expect(q()).to.be.revertedWithCustomError(ctx.errors, error);
    await (args ? a.withArgs(...args) : a);
  }
  await sendInput(ctx, ctx.bob, Side.SellBase, WAD);
  const d = await deadline();
  await expectRevertNoChange(
    ctx,
    () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, d),
    error,
    args,
  );
}

describe("SkewPool on a ChainlinkOracle", function () {
  it("trades at the feed's price while every rule holds, like the same pool on the bare feed", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    const guarded = await ctx.pool.quoteExactIn(Side.SellBase, WAD);
    const raw = await ctx.rawPool.quoteExactIn(Side.SellBase, WAD);
    expect(guarded.amountOut).to.equal(raw.amountOut);
    expect((await ctx.pool.getState()).oracleOk).to.equal(true);

    // Gas of one swap on each (printed, not asserted): with the latest round past its cool-down (nothing
    // read back), then just after a new round inside the bound (one round read back through the proxy).
    for (const when of ["old round", "fresh round"]) {
      if (when === "fresh round") await ctx.aggregator.setAnswer(PRICE + 1n);
      const gas: bigint[] = [];
      for (const p of [ctx.rawPool, ctx.pool]) {
        await ctx.weth.connect(ctx.bob).transfer(await p.getAddress(), WAD);
        const tx = await p.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, await deadline());
        gas.push((await tx.wait())!.gasUsed);
      }
      console.log(`      swap gas (${when}): bare feed ${gas[0]}, ChainlinkOracle ${gas[1]} (+${gas[1] - gas[0]})`);
    }
  });

  it("a tripped breaker stops quotes and swaps with CircuitBreakerTripped and moves no balance", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    const jump = movedBy(PRICE, 2n * MAX_MOVE);
    await ctx.aggregator.setAnswer(jump);
    const t = BigInt(await time.latest());
    await expectSwapsStopped(ctx, "CircuitBreakerTripped", [jump, PRICE, t + COOL_DOWN]);
    const s = await ctx.pool.getState();
    expect(s.oracleOk).to.equal(false);
    // The bare-feed twin trades the same round: only the guard stops it.
    await expect(ctx.rawPool.quoteExactIn(Side.SellBase, WAD)).to.not.be.reverted;
  });

  it("withdrawals and deposits work while the breaker is tripped (neither reads the oracle)", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    await ctx.aggregator.setAnswer(movedBy(PRICE, -3n * MAX_MOVE));
    await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "CircuitBreakerTripped");

    const shares = (await ctx.pool.balanceOf(ctx.alice.address)) / 10n;
    const s = await ctx.pool.getState();
    const before = [await ctx.weth.balanceOf(ctx.alice.address), await ctx.usdc.balanceOf(ctx.alice.address)];
    await ctx.pool.connect(ctx.alice).withdraw(shares, 1n, 1n, ctx.alice.address, await deadline());
    const got = [
      (await ctx.weth.balanceOf(ctx.alice.address)) - before[0],
      (await ctx.usdc.balanceOf(ctx.alice.address)) - before[1],
    ];
    // Pro rata, rounded down.
    expect(got).to.deep.equal([(s.baseReserve * shares) / s.totalSupply, (s.quoteReserve * shares) / s.totalSupply]);

    const [minted] = await ctx.pool
      .connect(ctx.bob)
      .deposit.staticCall(WAD, 2_000n * 10n ** 6n, 0n, 0n, 1n, ctx.bob.address, await deadline());
    expect(minted).to.be.gt(0n);
    await ctx.pool.connect(ctx.bob).deposit(WAD, 2_000n * 10n ** 6n, 0n, 0n, 1n, ctx.bob.address, await deadline());
    expect(await ctx.pool.balanceOf(ctx.bob.address)).to.equal(minted);
  });

  it("swaps resume once the guardian clears the round, at the new price", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    const jump = movedBy(PRICE, 2n * MAX_MOVE);
    await ctx.aggregator.setAnswer(jump);
    const [roundId] = await ctx.feed.latestRoundData();
    await expect(ctx.pool.quoteExactIn(Side.SellBase, WAD)).to.be.revertedWithCustomError(
      ctx.errors,
      "CircuitBreakerTripped",
    );
    await ctx.oracle.connect(ctx.guardian).clearBreaker(roundId);
    expect((await ctx.pool.getState()).price.num).to.equal(jump);
    const before = await snapshot(ctx);
    await ctx.weth.connect(ctx.bob).transfer(await ctx.pool.getAddress(), WAD);
    await ctx.pool.connect(ctx.bob).swap(Side.SellBase, 1n, ctx.bob.address, await deadline());
    expect(await snapshot(ctx)).to.not.deep.equal(before);
  });

  it("an answer out of bounds and a sequencer down or in its grace period stop swaps with their own errors", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    await ctx.oracle.setAnswerBounds(PRICE / 2n, PRICE - 1n);
    await expectSwapsStopped(ctx, "AnswerOutOfBounds", [PRICE, PRICE / 2n, PRICE - 1n]);
    await ctx.oracle.setAnswerBounds(1n, 2n * PRICE);

    const sequencer = await ethers.deployContract("MockSequencerUptimeFeed", [BigInt(await time.latest())]);
    await ctx.oracle.setSequencerFeed(await sequencer.getAddress(), GRACE);
    const upAt = BigInt(await time.latest()) - 1n;
    await sequencer.setStatus(0, upAt);
    await expectSwapsStopped(ctx, "SequencerGracePeriod", [upAt + GRACE]);
    await sequencer.setStatus(1, upAt);
    await expectSwapsStopped(ctx, "SequencerDown");
  });
});
