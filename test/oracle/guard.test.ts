import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { MockAggregator } from "../../typechain-types";
import { FEED_DECIMALS, PIPS, PRICE } from "../pool/fixtures";
import {
  COOL_DOWN,
  deployOracle,
  GRACE,
  guardConfig,
  MAX_ANSWER,
  MAX_LOOKBACK,
  MAX_MOVE,
  MIN_ANSWER,
  movedBy,
  OracleCtx,
  oracleFixture,
  pushAnswer,
  Reason,
  Sequencer,
} from "./fixtures";

const phased = (phase: bigint, id: bigint) => (phase << 64n) | id;

/** Asserts the oracle answers `answer` and its status says usable. */
async function expectUsable(ctx: OracleCtx, answer: bigint): Promise<void> {
  const [, a] = await ctx.oracle.latestRoundData();
  expect(a).to.equal(answer);
  const st = await ctx.oracle.status();
  expect(st.usable).to.equal(true);
  expect(st.reason).to.equal(Reason.Usable);
  expect(st.answer).to.equal(answer);
  expect(st.referenceAnswer).to.equal(answer);
  expect(st.clearsAt).to.equal(0n);
}

/** Asserts the breaker holds `answer` back, measured from `reference`, until `clearsAt`. */
async function expectTripped(ctx: OracleCtx, answer: bigint, reference: bigint, clearsAt: bigint): Promise<void> {
  await expect(ctx.oracle.latestRoundData())
    .to.be.revertedWithCustomError(ctx.oracle, "CircuitBreakerTripped")
    .withArgs(answer, reference, clearsAt);
  const st = await ctx.oracle.status();
  expect(st.usable).to.equal(false);
  expect(st.reason).to.equal(Reason.CircuitBreakerTripped);
  expect(st.answer).to.equal(answer);
  expect(st.referenceAnswer).to.equal(reference);
  expect(st.clearsAt).to.equal(clearsAt);
}

describe("ChainlinkOracle (OracleGuard)", function () {
  describe("the feed's own data", function () {
    it("forwards decimals, description, version and historical rounds, and is a push oracle", async function () {
      const ctx = await loadFixture(oracleFixture);
      expect(await ctx.oracle.decimals()).to.equal(FEED_DECIMALS);
      expect(await ctx.oracle.description()).to.equal("MOCK / USD");
      expect(await ctx.oracle.version()).to.equal(4n);
      expect(await ctx.oracle.kind()).to.equal(0n);
      expect(await ctx.oracle.SOURCE()).to.equal(await ctx.feed.getAddress());
      const next = movedBy(PRICE, 5n * MAX_MOVE); // getRoundData is history, never judged
      await pushAnswer(ctx.aggregator, next);
      expect((await ctx.oracle.getRoundData(phased(1n, 2n)))[1]).to.equal(next);
      expect((await ctx.oracle.getRoundData(phased(1n, 1n)))[1]).to.equal(PRICE);
    });

    it("answers the feed's latest round when every rule holds", async function () {
      const ctx = await loadFixture(oracleFixture);
      expect(await ctx.oracle.latestRoundData()).to.deep.equal(await ctx.feed.latestRoundData());
      await expectUsable(ctx, PRICE);
      const st = await ctx.oracle.status();
      expect(st.sequencer).to.equal(Sequencer.NotChecked);
      expect(st.roundId).to.equal(phased(1n, 1n));
    });
  });

  describe("circuit breaker", function () {
    for (const sign of [1n, -1n]) {
      const dir = sign > 0n ? "up" : "down";
      it(`accepts a move ${dir} of exactly maxMovePips and trips one unit beyond, until the cool-down`, async function () {
        let ctx = await loadFixture(oracleFixture);
        expect((PRICE * MAX_MOVE) % PIPS).to.equal(0n); // so the bound is exact
        const atBound = PRICE + (sign * PRICE * MAX_MOVE) / PIPS;
        await pushAnswer(ctx.aggregator, atBound);
        await expectUsable(ctx, atBound);

        ctx = await loadFixture(oracleFixture);
        const jump = atBound + sign;
        const t = await pushAnswer(ctx.aggregator, jump);
        await expectTripped(ctx, jump, PRICE, t + COOL_DOWN);
        await time.increaseTo(t + COOL_DOWN - 1n);
        await expectTripped(ctx, jump, PRICE, t + COOL_DOWN);
        await time.increaseTo(t + COOL_DOWN);
        await expectUsable(ctx, jump);
      });
    }

    it("measures the move in pips of the earlier answer, not the later one", async function () {
      const ctx = await loadFixture(oracleFixture);
      // From 100 to 101 is 1 % of 100 (usable); from 101 back to 100 is 0.99 % of 101 (usable); from 100 to
      // 101.0001 is more than 1 % (trips).
      const base = 100n * 10n ** 8n;
      await ctx.aggregator.setAnswer(base);
      await time.increase(COOL_DOWN);
      await pushAnswer(ctx.aggregator, 101n * 10n ** 8n);
      await expectUsable(ctx, 101n * 10n ** 8n);
      await pushAnswer(ctx.aggregator, base);
      await expectUsable(ctx, base);
      const t = await pushAnswer(ctx.aggregator, 101n * 10n ** 8n + 1n);
      await expectTripped(ctx, 101n * 10n ** 8n + 1n, base, t + COOL_DOWN);
    });

    it("keeps a jump tripped through later rounds inside the bound, until the jump's own cool-down", async function () {
      const ctx = await loadFixture(oracleFixture);
      const jump = movedBy(PRICE, 3n * MAX_MOVE);
      const tJump = await pushAnswer(ctx.aggregator, jump);
      await time.increase(100);
      const after = movedBy(jump, MAX_MOVE / 2n);
      await pushAnswer(ctx.aggregator, after);
      await expectTripped(ctx, after, PRICE, tJump + COOL_DOWN);
      await time.increaseTo(tJump + COOL_DOWN);
      await expectUsable(ctx, after);
    });

    it("counts more than MAX_LOOKBACK rounds inside one cool-down as a trip, however small each step", async function () {
      const ctx = await loadFixture(oracleFixture);
      expect(await ctx.oracle.MAX_LOOKBACK()).to.equal(BigInt(MAX_LOOKBACK));
      let answer = PRICE;
      const times: bigint[] = [];
      for (let i = 0; i < MAX_LOOKBACK; i++) {
        answer += 1n;
        times.push(await pushAnswer(ctx.aggregator, answer));
      }
      await expectUsable(ctx, answer); // MAX_LOOKBACK steps back reach the old round, an anchor
      answer += 1n;
      times.push(await pushAnswer(ctx.aggregator, answer));
      // The oldest round read (MAX_LOOKBACK back from the latest) is the first new one.
      await expectTripped(ctx, answer, 0n, times[0] + COOL_DOWN);
      await time.increaseTo(times[0] + COOL_DOWN);
      await expectUsable(ctx, answer);
    });

    it("the guardian (or admin) clears the latest round, which then anchors the rounds after it", async function () {
      const ctx = await loadFixture(oracleFixture);
      const jump = movedBy(PRICE, -5n * MAX_MOVE);
      const t = await pushAnswer(ctx.aggregator, jump);
      const [roundId] = await ctx.feed.latestRoundData();
      await expectTripped(ctx, jump, PRICE, t + COOL_DOWN);

      await expect(ctx.oracle.connect(ctx.other).clearBreaker(roundId))
        .to.be.revertedWithCustomError(ctx.oracle, "AccessControlUnauthorizedAccount")
        .withArgs(ctx.other.address, await ctx.oracle.GUARDIAN_ROLE());
      await expect(ctx.oracle.connect(ctx.guardian).clearBreaker(roundId - 1n))
        .to.be.revertedWithCustomError(ctx.oracle, "RoundNotLatest")
        .withArgs(roundId - 1n, roundId);
      await expect(ctx.oracle.connect(ctx.guardian).clearBreaker(roundId))
        .to.emit(ctx.oracle, "BreakerCleared")
        .withArgs(roundId, jump, ctx.guardian.address);
      expect(await ctx.oracle.clearedRound()).to.deep.equal([roundId, t]);
      await expectUsable(ctx, jump);

      // The next round is measured from the cleared answer.
      const near = movedBy(jump, MAX_MOVE);
      await pushAnswer(ctx.aggregator, near);
      await expectUsable(ctx, near);
      const far = movedBy(near, MAX_MOVE + 1n);
      const t2 = await pushAnswer(ctx.aggregator, far);
      await expectTripped(ctx, far, near, t2 + COOL_DOWN);
      const [roundId2] = await ctx.feed.latestRoundData();
      await expect(ctx.oracle.connect(ctx.admin).clearBreaker(roundId2)).to.emit(ctx.oracle, "BreakerCleared");
      await expectUsable(ctx, far);
    });

    it("a round the guardian cleared is forgotten once another round replaces it", async function () {
      const ctx = await loadFixture(oracleFixture);
      const jump = movedBy(PRICE, 2n * MAX_MOVE);
      await pushAnswer(ctx.aggregator, jump);
      const [roundId] = await ctx.feed.latestRoundData();
      await ctx.oracle.connect(ctx.guardian).clearBreaker(roundId);
      // A re-written round with the same id but another update time is not the cleared one.
      await time.increase(10);
      const now = BigInt(await time.latest()) + 1n;
      await ctx.aggregator.setRound(2n, jump, now, now, 2n);
      await expectTripped(ctx, jump, PRICE, now + COOL_DOWN);
    });
  });

  describe("phase boundaries and missing rounds", function () {
    it("the first round of a new phase has no reference: it waits for the cool-down or the guardian", async function () {
      const ctx = await loadFixture(oracleFixture);
      const next = (await ethers.deployContract("MockAggregator", [FEED_DECIMALS, PRICE])) as unknown as MockAggregator;
      const t = BigInt(await time.latest());
      await ctx.feed.setAggregator(await next.getAddress());
      // Same answer, but round 1 of phase 2: no predecessor the guard trusts.
      await expectTripped(ctx, PRICE, 0n, t + COOL_DOWN);
      // A second round inside the bound does not clear it sooner.
      await time.increase(60);
      await pushAnswer(next, PRICE + 1n);
      await expectTripped(ctx, PRICE + 1n, 0n, t + COOL_DOWN);
      await time.increaseTo(t + COOL_DOWN);
      await expectUsable(ctx, PRICE + 1n);
    });

    it("the first round of a new phase is usable at once once the guardian clears it", async function () {
      const ctx = await loadFixture(oracleFixture);
      const next = await ethers.deployContract("MockAggregator", [FEED_DECIMALS, PRICE]);
      await ctx.feed.setAggregator(await next.getAddress());
      await ctx.oracle.connect(ctx.guardian).clearBreaker(phased(2n, 1n));
      await expectUsable(ctx, PRICE);
    });

    it("a round whose predecessor is missing, incomplete or out of bounds counts as a jump", async function () {
      const ctx = await loadFixture(oracleFixture);
      const now = () => time.latest().then((t) => BigInt(t) + 1n);
      // Missing: round 5 after round 1 (rounds 2-4 never written).
      let t = await now();
      await ctx.aggregator.setRound(5n, PRICE, t, t, 5n);
      await expectTripped(ctx, PRICE, 0n, t + COOL_DOWN);
      // Incomplete predecessor: round 7 after a round 6 that was never updated.
      await time.increase(COOL_DOWN);
      t = await now();
      await ctx.aggregator.setRound(6n, PRICE, t, 0n, 6n);
      t = await now();
      await ctx.aggregator.setRound(7n, PRICE, t, t, 7n);
      await expectTripped(ctx, PRICE, 0n, t + COOL_DOWN);
      // Out-of-bounds predecessor (0): round 9 after round 8 = 0.
      await time.increase(COOL_DOWN);
      t = await now();
      await ctx.aggregator.setRound(8n, 0n, t, t, 8n);
      t = await now();
      await ctx.aggregator.setRound(9n, PRICE, t, t, 9n);
      await expectTripped(ctx, PRICE, 0n, t + COOL_DOWN);
    });
  });

  describe("answer bounds", function () {
    it("accepts answers exactly at minAnswer and maxAnswer and refuses one unit outside, whatever the time", async function () {
      const ctx = await loadFixture(oracleFixture);
      const lo = PRICE - 10n;
      const hi = PRICE + 10n;
      await expect(ctx.oracle.setAnswerBounds(lo, hi)).to.emit(ctx.oracle, "AnswerBoundsUpdated").withArgs(lo, hi);
      for (const a of [lo, hi]) {
        await pushAnswer(ctx.aggregator, a);
        await expectUsable(ctx, a);
      }
      for (const a of [lo - 1n, hi + 1n, 0n, -PRICE]) {
        const t = await pushAnswer(ctx.aggregator, a);
        await expect(ctx.oracle.latestRoundData())
          .to.be.revertedWithCustomError(ctx.oracle, "AnswerOutOfBounds")
          .withArgs(a, lo, hi);
        const st = await ctx.oracle.status();
        expect([st.usable, st.reason, st.clearsAt]).to.deep.equal([false, BigInt(Reason.AnswerOutOfBounds), 0n]);
        // Neither time nor the guardian makes it usable.
        await time.increaseTo(t + 10n * COOL_DOWN);
        const [roundId] = await ctx.feed.latestRoundData();
        await ctx.oracle.connect(ctx.guardian).clearBreaker(roundId);
        await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "AnswerOutOfBounds");
      }
      // Only the admin's bounds do (the round is past its cool-down, so the breaker holds).
      await ctx.aggregator.setAnswer(hi + 1n);
      await time.increase(COOL_DOWN);
      await ctx.oracle.setAnswerBounds(lo, hi + 1n);
      await expectUsable(ctx, hi + 1n);
    });
  });

  describe("L2 sequencer", function () {
    async function withSequencer(): Promise<OracleCtx> {
      const ctx = await loadFixture(oracleFixture);
      await expect(ctx.oracle.setSequencerFeed(await ctx.sequencer.getAddress(), GRACE))
        .to.emit(ctx.oracle, "SequencerFeedUpdated")
        .withArgs(await ctx.sequencer.getAddress(), GRACE);
      return ctx;
    }

    it("is usable while the sequencer has been up for the grace period", async function () {
      const ctx = await withSequencer();
      await expectUsable(ctx, PRICE);
      expect((await ctx.oracle.status()).sequencer).to.equal(Sequencer.Up);
    });

    it("stops while the sequencer is down, or its feed cannot be read", async function () {
      const ctx = await withSequencer();
      await ctx.sequencer.setStatus(1, BigInt(await time.latest()));
      await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "SequencerDown");
      let st = await ctx.oracle.status();
      expect([st.usable, st.reason, st.sequencer]).to.deep.equal([false, BigInt(Reason.SequencerDown), 2n]);
      expect(st.answer).to.equal(PRICE); // the price is still reported
      await ctx.sequencer.setStatus(0, BigInt(await time.latest()) - 2n * GRACE);
      await ctx.sequencer.setBroken(true);
      await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "SequencerDown");
      st = await ctx.oracle.status();
      expect(st.sequencer).to.equal(Sequencer.Down);
      await ctx.sequencer.setBroken(false);
      await ctx.sequencer.setStatus(0, 0n); // Arbitrum's uninitialised feed: startedAt 0
      await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "SequencerDown");
    });

    it("stops for the grace period after the sequencer comes back, exactly until startedAt + grace", async function () {
      const ctx = await withSequencer();
      const upAt = BigInt(await time.latest());
      await ctx.sequencer.setStatus(0, upAt);
      await expect(ctx.oracle.latestRoundData())
        .to.be.revertedWithCustomError(ctx.oracle, "SequencerGracePeriod")
        .withArgs(upAt + GRACE);
      let st = await ctx.oracle.status();
      expect([st.reason, st.sequencer, st.clearsAt]).to.deep.equal([
        BigInt(Reason.SequencerGracePeriod),
        BigInt(Sequencer.GracePeriod),
        upAt + GRACE,
      ]);
      await time.increaseTo(upAt + GRACE - 1n);
      await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "SequencerGracePeriod");
      await time.increaseTo(upAt + GRACE);
      await expectUsable(ctx, PRICE);
      st = await ctx.oracle.status();
      expect(st.sequencer).to.equal(Sequencer.Up);
    });
  });

  describe("the source", function () {
    it("status never reverts: an unreadable source is SourceUnavailable, and latestRoundData says so", async function () {
      const ctx = await loadFixture(oracleFixture);
      await ctx.aggregator.setBroken(true);
      const st = await ctx.oracle.status();
      expect([st.usable, st.reason, st.roundId, st.answer]).to.deep.equal([
        false,
        BigInt(Reason.SourceUnavailable),
        0n,
        0n,
      ]);
      await expect(ctx.oracle.latestRoundData()).to.be.revertedWithCustomError(ctx.oracle, "OracleSourceUnavailable");
      await expect(ctx.oracle.connect(ctx.guardian).clearBreaker(1n)).to.be.revertedWithCustomError(
        ctx.oracle,
        "OracleSourceUnavailable",
      );
    });

    it("passes an incomplete or future round through unchanged for the pool's own checks", async function () {
      const ctx = await loadFixture(oracleFixture);
      const now = BigInt(await time.latest());
      await ctx.aggregator.setRound(2n, PRICE, now, 0n, 2n);
      expect(await ctx.oracle.latestRoundData()).to.deep.equal(await ctx.feed.latestRoundData());
      const st = await ctx.oracle.status();
      expect([st.usable, st.reason]).to.deep.equal([false, BigInt(Reason.InvalidRound)]);
      await expect(ctx.oracle.connect(ctx.guardian).clearBreaker(phased(1n, 2n)))
        .to.be.revertedWithCustomError(ctx.oracle, "CannotClearInvalidRound")
        .withArgs(phased(1n, 2n));
      await ctx.aggregator.setRound(3n, PRICE, now + 10_000n, now + 10_000n, 3n);
      expect(await ctx.oracle.latestRoundData()).to.deep.equal(await ctx.feed.latestRoundData());
      expect((await ctx.oracle.status()).reason).to.equal(Reason.InvalidRound);
    });
  });

  describe("settings and roles", function () {
    it("only the admin changes settings; each change is announced and validated", async function () {
      const ctx = await loadFixture(oracleFixture);
      const o = ctx.oracle;
      for (const call of [
        () => o.connect(ctx.guardian).setMaxMove(1n),
        () => o.connect(ctx.guardian).setCoolDown(1n),
        () => o.connect(ctx.guardian).setAnswerBounds(1n, 2n),
        () => o.connect(ctx.guardian).setSequencerFeed(ethers.ZeroAddress, 0n),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(o, "AccessControlUnauthorizedAccount");
      }
      await expect(o.setMaxMove(20_000n)).to.emit(o, "MaxMoveUpdated").withArgs(20_000n);
      await expect(o.setCoolDown(60n)).to.emit(o, "CoolDownUpdated").withArgs(60n);
      const cfg = await o.guardConfig();
      expect([cfg.maxMovePips, cfg.coolDown, cfg.minAnswer, cfg.maxAnswer]).to.deep.equal([
        20_000n,
        60n,
        MIN_ANSWER,
        MAX_ANSWER,
      ]);

      await expect(o.setMaxMove(0n)).to.be.revertedWithCustomError(o, "InvalidMaxMove");
      await expect(o.setCoolDown(0n)).to.be.revertedWithCustomError(o, "InvalidCoolDown").withArgs(0n);
      const week = 7n * 86_400n;
      await expect(o.setCoolDown(week)).to.emit(o, "CoolDownUpdated");
      await expect(o.setCoolDown(week + 1n))
        .to.be.revertedWithCustomError(o, "InvalidCoolDown")
        .withArgs(week + 1n);
      const int128Max = 2n ** 127n - 1n;
      for (const [lo, hi] of [
        [0n, 10n],
        [-1n, 10n],
        [10n, 10n],
        [11n, 10n],
        [1n, int128Max + 1n],
      ]) {
        await expect(o.setAnswerBounds(lo, hi))
          .to.be.revertedWithCustomError(o, "InvalidAnswerBounds")
          .withArgs(lo, hi);
      }
      await expect(o.setAnswerBounds(1n, int128Max)).to.emit(o, "AnswerBoundsUpdated");
      await expect(o.setSequencerFeed(ethers.ZeroAddress, 86_401n))
        .to.be.revertedWithCustomError(o, "InvalidGracePeriod")
        .withArgs(86_401n);
    });

    it("validates its constructor: a source with code and the same settings rules", async function () {
      const ctx = await loadFixture(oracleFixture);
      const feed = await ctx.feed.getAddress();
      const factory = await ethers.getContractFactory("ChainlinkOracle");
      await expect(deployOracle(ctx.other.address, guardConfig(), ctx.admin, ctx.guardian))
        .to.be.revertedWithCustomError(factory, "InvalidSource")
        .withArgs(ctx.other.address);
      await expect(
        deployOracle(feed, guardConfig({ maxMovePips: 0n }), ctx.admin, ctx.guardian),
      ).to.be.revertedWithCustomError(factory, "InvalidMaxMove");
      await expect(
        deployOracle(feed, guardConfig({ minAnswer: 0n }), ctx.admin, ctx.guardian),
      ).to.be.revertedWithCustomError(factory, "InvalidAnswerBounds");
      const o = await deployOracle(feed, guardConfig(), ctx.admin, ctx.guardian);
      expect(await o.hasRole(await o.GUARDIAN_ROLE(), ctx.guardian.address)).to.equal(true);
      expect(await o.defaultAdmin()).to.equal(ctx.admin.address);
    });
  });
});
