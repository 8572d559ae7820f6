import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  AnswerOutOfBoundsError,
  CircuitBreakerError,
  decodeSkewError,
  OracleError,
  SequencerDownError,
  SequencerGracePeriodError,
  SkewError,
} from "../../sdk/errors";
import { quoteExactIn } from "../../sdk/quote";
import { getPoolState, getPoolStates } from "../../sdk/state";
import { PRICE, Side, WAD } from "../pool/fixtures";
import { COOL_DOWN, GRACE, GuardedPoolCtx, guardedPoolFixture, MAX_MOVE, movedBy } from "./fixtures";

/** The pool's own quote reverts; the SDK decodes the revert into a typed error. */
async function chainError(ctx: GuardedPoolCtx): Promise<SkewError> {
  try {
    await ctx.pool.quoteExactIn(Side.SellBase, WAD);
  } catch (e) {
    const err = decodeSkewError(e);
    if (err !== undefined) return err;
    throw e;
  }
  throw new Error("the quote did not revert");
}

/** The SDK's pure quote on a fresh snapshot throws; returns what it threw. */
async function sdkQuoteError(ctx: GuardedPoolCtx): Promise<unknown> {
  const s = await getPoolState(await ctx.pool.getAddress(), ethers.provider);
  try {
    quoteExactIn(s, "sellBase", WAD);
  } catch (e) {
    return e;
  }
  throw new Error("the SDK quote did not throw");
}

describe("SDK: Skew oracle status and errors", function () {
  it("a snapshot carries the oracle's status; a pool on a bare feed has none", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    const [guarded, raw] = await getPoolStates(
      [await ctx.pool.getAddress(), await ctx.rawPool.getAddress()],
      ethers.provider,
    );
    const [roundId, answer, , updatedAt] = await ctx.feed.latestRoundData();
    expect(guarded.oracle.status).to.deep.equal({
      kind: "push",
      usable: true,
      reason: "usable",
      roundId,
      answer,
      updatedAt,
      referenceAnswer: answer,
      clearsAt: 0n,
      sequencer: "notChecked",
    });
    expect(guarded.oracle.ok).to.equal(true);
    expect(raw.oracle.status).to.equal(null);
    expect(await getPoolState(await ctx.pool.getAddress(), ethers.provider)).to.deep.equal(guarded);
  });

  it("a tripped breaker: status, CircuitBreakerError from the chain and from the SDK's quote, alike", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    const jump = movedBy(PRICE, 2n * MAX_MOVE);
    await ctx.aggregator.setAnswer(jump);
    const t = BigInt(await time.latest());
    const s = await getPoolState(await ctx.pool.getAddress(), ethers.provider);
    expect(s.oracle.ok).to.equal(false);
    expect(s.oracle.status).to.include({
      usable: false,
      reason: "circuitBreakerTripped",
      answer: jump,
      referenceAnswer: PRICE,
      clearsAt: t + COOL_DOWN,
    });
    for (const err of [await chainError(ctx), await sdkQuoteError(ctx)]) {
      expect(err).to.be.instanceOf(CircuitBreakerError);
      expect(err).to.be.instanceOf(OracleError);
      const e = err as CircuitBreakerError;
      expect([e.answer, e.referenceAnswer, e.clearsAt, e.errorName]).to.deep.equal([
        jump,
        PRICE,
        t + COOL_DOWN,
        "CircuitBreakerTripped",
      ]);
    }
  });

  it("bounds and sequencer: typed errors from the chain and the SDK's quote", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    await ctx.oracle.setAnswerBounds(PRICE / 2n, PRICE - 1n);
    const oob = await chainError(ctx);
    expect(oob).to.be.instanceOf(AnswerOutOfBoundsError);
    const e = oob as AnswerOutOfBoundsError;
    expect([e.answer, e.minAnswer, e.maxAnswer]).to.deep.equal([PRICE, PRICE / 2n, PRICE - 1n]);
    const fromSdk = (await sdkQuoteError(ctx)) as AnswerOutOfBoundsError;
    expect(fromSdk).to.be.instanceOf(AnswerOutOfBoundsError);
    expect(fromSdk.answer).to.equal(PRICE);
    await ctx.oracle.setAnswerBounds(1n, 2n * PRICE);

    const sequencer = await ethers.deployContract("MockSequencerUptimeFeed", [BigInt(await time.latest())]);
    await ctx.oracle.setSequencerFeed(await sequencer.getAddress(), GRACE);
    const upAt = BigInt(await time.latest());
    await sequencer.setStatus(0, upAt);
    for (const err of [await chainError(ctx), await sdkQuoteError(ctx)]) {
      expect(err).to.be.instanceOf(SequencerGracePeriodError);
      expect((err as SequencerGracePeriodError).endsAt).to.equal(upAt + GRACE);
    }
    expect((await getPoolState(await ctx.pool.getAddress(), ethers.provider)).oracle.status?.sequencer).to.equal(
      "gracePeriod",
    );
    await sequencer.setStatus(1, upAt);
    for (const err of [await chainError(ctx), await sdkQuoteError(ctx)]) {
      expect(err).to.be.instanceOf(SequencerDownError);
    }
    await time.increase(COOL_DOWN);
  });
});
