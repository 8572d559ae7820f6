import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyUint } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  deadline,
  expectRevertNoChange,
  FEED_DECIMALS,
  MAX_AGE,
  PoolCtx,
  PRICE,
  seededPoolFixture,
  sendInput,
  Side,
  WAD,
} from "./fixtures";

/** Chainlink proxy round id: phase in the high bits. */
const phased = (phase: bigint, id: bigint) => (phase << 64n) | id;

/** Every way the pool reads the oracle must fail the same way: the quotes and the swap. */
async function expectOracleError(ctx: PoolCtx, error: string, args?: unknown[]) {
  const q = expect(ctx.pool.quoteExactIn(Side.SellBase, WAD)).to.be.revertedWithCustomError(ctx.errors, error);
  await (args ? q.withArgs(...args) : q);
  const o = expect(ctx.pool.quoteExactOut(Side.SellQuote, WAD)).to.be.revertedWithCustomError(ctx.errors, error);
  await (args ? o.withArgs(...args) : o);
  await sendInput(ctx, ctx.bob, Side.SellBase, WAD);
  const d = await deadline();
  await expectRevertNoChange(ctx, () => ctx.pool.connect(ctx.bob).swap(Side.SellBase, 0n, ctx.bob.address, d), error);
}

describe("SkewPool oracle", function () {
  it("reports the feed's answer as the exact fraction answer / 10**decimals", async function () {
    const { pool } = await loadFixture(seededPoolFixture);
    const s = await pool.getState();
    expect(s.price.num).to.equal(PRICE);
    expect(s.price.den).to.equal(10n ** BigInt(FEED_DECIMALS));
    expect(s.feedDecimals).to.equal(FEED_DECIMALS);
    expect(s.oracleOk).to.equal(true);
    expect(s.oracleUpdatedAt).to.be.gt(0n);
  });

  it("reads the feed's decimals once, at creation", async function () {
    const { pool, aggregator } = await loadFixture(seededPoolFixture);
    await aggregator.setDecimals(18);
    expect(await pool.feedDecimals()).to.equal(FEED_DECIMALS);
    expect((await pool.getState()).price.den).to.equal(10n ** BigInt(FEED_DECIMALS));
  });

  it("accepts a round exactly maxAge old and rejects one a second older", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    const updatedAt = (await ctx.pool.getState()).oracleUpdatedAt;
    await time.increaseTo(updatedAt + MAX_AGE);
    expect((await ctx.pool.getState()).oracleOk).to.equal(true);
    await time.increaseTo(updatedAt + MAX_AGE + 1n);
    const s = await ctx.pool.getState();
    expect(s.oracleOk).to.equal(false);
    expect(s.price.num).to.equal(PRICE); // still reported
    expect(s.oracleUpdatedAt).to.equal(updatedAt);
    await expectOracleError(ctx, "StaleOracle", [updatedAt, MAX_AGE]);
  });

  it("rejects zero and negative answers", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    for (const answer of [0n, -1n, -PRICE]) {
      await ctx.aggregator.setAnswer(answer);
      const s = await ctx.pool.getState();
      expect(s.oracleOk).to.equal(false);
      expect(s.price.num).to.equal(0n);
      await expectOracleError(ctx, "InvalidOraclePrice", [answer]);
    }
  });

  it("rejects incomplete rounds (answered in an earlier round, or never updated)", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    const now = BigInt(await time.latest());
    await ctx.aggregator.setRound(7n, PRICE, now, now, 6n);
    expect((await ctx.pool.getState()).oracleOk).to.equal(false);
    await expectOracleError(ctx, "IncompleteOracleRound", [phased(1n, 7n), phased(1n, 6n)]);
    await ctx.aggregator.setRound(8n, PRICE, now, 0n, 8n);
    await expectOracleError(ctx, "IncompleteOracleRound", [phased(1n, 8n), phased(1n, 8n)]);
  });

  it("rejects a round dated in the future", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    // Far enough ahead that the next block is still earlier, however long ago the fixture's snapshot was
    // taken (Hardhat dates new blocks by the wall clock, so a slow suite can pass a near "future").
    const future = BigInt(await time.latest()) + 1_000_000n;
    await ctx.aggregator.setRound(9n, PRICE, future, future, 9n);
    expect((await ctx.pool.getState()).oracleOk).to.equal(false);
    await expectOracleError(ctx, "OracleUpdateInFuture", [future, anyUint]);
  });

  it("getState never reverts, whatever the feed does", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await ctx.aggregator.setBroken(true);
    const s = await ctx.pool.getState();
    expect(s.oracleOk).to.equal(false);
    expect(s.price.num).to.equal(0n);
    expect(s.oracleUpdatedAt).to.equal(0n);
    expect(s.baseReserve).to.be.gt(0n); // the rest of the state is still there
    // A feed that stops answering makes the quotes revert with the feed's own error.
    await expect(ctx.pool.quoteExactIn(Side.SellBase, WAD)).to.be.revertedWithCustomError(ctx.aggregator, "FeedBroken");
  });

  it("follows the proxy to a new aggregator (new phase)", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    const next = await ethers.deployContract("MockAggregator", [FEED_DECIMALS, 2500n * 10n ** 8n]);
    await ctx.feed.setAggregator(await next.getAddress());
    const s = await ctx.pool.getState();
    expect(s.oracleOk).to.equal(true);
    expect(s.price.num).to.equal(2500n * 10n ** 8n);
    // Phase 2's incomplete round is reported with phase-2 ids.
    const now = BigInt(await time.latest());
    await next.setRound(3n, PRICE, now, now, 2n);
    await expect(ctx.pool.quoteExactIn(Side.SellBase, WAD))
      .to.be.revertedWithCustomError(ctx.errors, "IncompleteOracleRound")
      .withArgs(phased(2n, 3n), phased(2n, 2n));
  });

  it("recovers as soon as a fresh round arrives", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await time.increase(MAX_AGE * 10n);
    expect((await ctx.pool.getState()).oracleOk).to.equal(false);
    await ctx.aggregator.setAnswer(PRICE);
    expect((await ctx.pool.getState()).oracleOk).to.equal(true);
  });
});
