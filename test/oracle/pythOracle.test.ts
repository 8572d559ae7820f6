import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { EthRejecter } from "../../typechain-types";
import { encodeMockPythUpdate } from "../../sdk/priceSourceMockPyth";
import { poolErrors } from "../pool/fixtures";
import {
  BTC_ID,
  E18,
  E8,
  ETH_ID,
  EXPO,
  MAX_CONF_PIPS,
  COOL_DOWN,
  PULL_MAX_AGE,
  UPDATE_FEE,
  ethUpdate,
  now,
  deployPythOracle,
  loadPythWorld,
} from "../helpers/pythWorld";

const PIPS = 1_000_000n;

describe("PythOracle (pull oracle on Pyth)", function () {
  describe("identity and reading", function () {
    it("is a pull oracle with fixed decimals, and answers nothing before its first price", async function () {
      const w = await loadPythWorld();
      const fresh = await deployPythOracle(w.a.pyth, w.admin, { decimals: 18 });
      expect(await fresh.kind()).to.equal(1n); // OracleKind.Pull
      expect(await fresh.decimals()).to.equal(18n);
      expect(await fresh.priceId()).to.equal(ETH_ID);
      await expect(fresh.latestRoundData()).to.be.revertedWithCustomError(fresh, "OracleSourceUnavailable");
      await expect(fresh.getRoundData(0)).to.be.revertedWithCustomError(fresh, "RoundNotAvailable");
    });

    it("answers price * 10^(decimals + expo) exactly, dated at the publish time", async function () {
      const w = await loadPythWorld();
      const o18 = await deployPythOracle(w.a.pyth, w.admin, { decimals: 18, guard: { maxAnswer: 10n ** 30n } });
      const t = (await now()) - 5n;
      const price = 3141_59265432n; // 3141.59265432 with expo -8
      const data = encodeMockPythUpdate({ priceId: ETH_ID, price, conf: 1000n, expo: EXPO, publishTime: t });
      await expect(o18.updatePrice([data], { value: UPDATE_FEE }))
        .to.emit(o18, "PriceUpdated")
        .withArgs(ETH_ID, price, 1000n, EXPO, t, 0n);
      await o18.clearBreaker(t); // the first price has no reference
      const r = await o18.latestRoundData();
      expect(r.answer).to.equal(price * 10n ** 10n);
      expect(r.updatedAt).to.equal(t);
      expect(r.startedAt).to.equal(t);
      expect(r.roundId).to.equal(t);
      expect(r.answeredInRound).to.equal(t);
      expect((await o18.getRoundData(t)).answer).to.equal(price * 10n ** 10n);
      const raw = await o18.latestPrice();
      expect([raw.price, raw.conf, raw.expo, raw.publishTime]).to.deep.equal([price, 1000n, BigInt(EXPO), t]);
    });

    it("refuses an exponent that cannot be converted exactly, and stores nothing", async function () {
      const w = await loadPythWorld();
      const t = await now();
      const data = encodeMockPythUpdate({
        priceId: ETH_ID,
        price: 3000n * E8 * 100n,
        conf: 1n,
        expo: -10,
        publishTime: t,
      });
      await expect(w.oracle.updatePrice([data], { value: UPDATE_FEE }))
        .to.be.revertedWithCustomError(w.oracle, "UnsupportedExponent")
        .withArgs(-10, 8);
      expect((await w.oracle.latestRoundData()).answer).to.equal(3000n * E8);
    });

    it("refuses more than 36 decimals at construction", async function () {
      const w = await loadPythWorld();
      const f = await ethers.getContractFactory("PythOracle");
      await expect(deployPythOracle(w.a.pyth, w.admin, { decimals: 37 })).to.be.revertedWithCustomError(
        f,
        "UnsupportedDecimals",
      );
    });
  });

  describe("update fee", function () {
    it("pays Pyth exactly its fee and returns the excess to the caller", async function () {
      const w = await loadPythWorld();
      const data = [ethUpdate(3100n, await now())];
      expect(await w.oracle.getUpdateFee(data)).to.equal(UPDATE_FEE);
      const sent = UPDATE_FEE * 7n;
      await expect(w.oracle.connect(w.alice).updatePrice(data, { value: sent })).to.changeEtherBalances(
        [w.alice, w.pyth, w.oracle],
        [-UPDATE_FEE, UPDATE_FEE, 0n],
      );
      expect((await w.oracle.latestRoundData()).answer).to.equal(3100n * E8);
    });

    it("refuses less than the fee with InsufficientUpdateFee, moving nothing", async function () {
      const w = await loadPythWorld();
      const data = [ethUpdate(3100n, await now())];
      const before = await w.oracle.latestRoundData();
      const pythBefore = await ethers.provider.getBalance(w.a.pyth);
      await expect(w.oracle.connect(w.alice).updatePrice(data, { value: UPDATE_FEE - 1n }))
        .to.be.revertedWithCustomError(w.oracle, "InsufficientUpdateFee")
        .withArgs(UPDATE_FEE - 1n, UPDATE_FEE);
      expect(await ethers.provider.getBalance(w.a.pyth)).to.equal(pythBefore);
      expect((await w.oracle.latestRoundData()).answer).to.equal(before.answer);
    });

    it("reverts the whole update when the excess cannot be returned (RefundFailed)", async function () {
      const w = await loadPythWorld();
      const rejecter = (await ethers.deployContract("EthRejecter")) as unknown as EthRejecter;
      const call = w.oracle.interface.encodeFunctionData("updatePrice", [[ethUpdate(3100n, await now())]]);
      await expect(rejecter.forward(w.a.oracle, call, { value: UPDATE_FEE + 1n }))
        .to.be.revertedWithCustomError(w.oracle, "RefundFailed")
        .withArgs(await rejecter.getAddress(), 1n);
      // The exact fee needs no refund and goes through.
      await expect(rejecter.forward(w.a.oracle, call, { value: UPDATE_FEE })).to.emit(w.oracle, "PriceUpdated");
    });
  });

  describe("which price it answers", function () {
    it("refuses update data without its price id (PriceIdNotInUpdate), moving nothing", async function () {
      const w = await loadPythWorld();
      const before = await w.oracle.latestRoundData();
      const wrong = [ethUpdate(9999n, await now(), undefined, BTC_ID)];
      const pythBefore = await ethers.provider.getBalance(w.a.pyth);
      await expect(w.oracle.connect(w.alice).updatePrice(wrong, { value: UPDATE_FEE }))
        .to.be.revertedWithCustomError(w.oracle, "PriceIdNotInUpdate")
        .withArgs(ETH_ID);
      expect(await ethers.provider.getBalance(w.a.pyth)).to.equal(pythBefore);
      expect((await w.oracle.latestRoundData()).answer).to.equal(before.answer);
    });

    it("keeps the newest price: an older signed update after a fresher one changes nothing", async function () {
      const w = await loadPythWorld();
      const t = await now();
      await w.oracle.updatePrice([ethUpdate(3050n, t - 30n)], { value: UPDATE_FEE });
      await w.oracle.updatePrice([ethUpdate(3200n, t + 1n)], { value: UPDATE_FEE });
      const fresh = await w.oracle.latestRoundData();
      expect(fresh.answer).to.equal(3200n * E8);
      // Older (and equally old) signed prices, still within the pool's max age: accepted by Pyth, ignored here.
      for (const older of [t - 10n, t + 1n]) {
        await expect(w.oracle.updatePrice([ethUpdate(2500n, older)], { value: UPDATE_FEE })).to.not.emit(
          w.oracle,
          "PriceUpdated",
        );
        const after = await w.oracle.latestRoundData();
        expect(after.answer).to.equal(fresh.answer);
        expect(after.updatedAt).to.equal(fresh.updatedAt);
      }
    });

    it("uses the update for its own id when the data carries several", async function () {
      const w = await loadPythWorld();
      const t = await now();
      const data = [ethUpdate(60_000n, t, undefined, BTC_ID), ethUpdate(3333n, t)];
      await w.oracle.updatePrice(data, { value: UPDATE_FEE * 2n });
      expect((await w.oracle.latestRoundData()).answer).to.equal(3333n * E8);
    });
  });

  describe("confidence bound", function () {
    it("refuses to answer past maxConfidencePips (PriceTooUncertain) and answers at the bound", async function () {
      const w = await loadPythWorld();
      const price = 3000n * E8;
      const atBound = (price * MAX_CONF_PIPS) / PIPS;
      await w.oracle.updatePrice([ethUpdate(3000n, (await now()) + 1n, atBound)], { value: UPDATE_FEE });
      expect((await w.oracle.latestRoundData()).answer).to.equal(price);
      await w.oracle.updatePrice([ethUpdate(3000n, (await now()) + 2n, atBound + 1n)], { value: UPDATE_FEE });
      await expect(w.oracle.latestRoundData())
        .to.be.revertedWithCustomError(w.oracle, "PriceTooUncertain")
        .withArgs(atBound + 1n, price);
    });

    it("lets only the admin move the bound, within (0, 100 %]", async function () {
      const w = await loadPythWorld();
      await expect(w.oracle.connect(w.alice).setMaxConfidencePips(1n)).to.be.revertedWithCustomError(
        w.oracle,
        "AccessControlUnauthorizedAccount",
      );
      for (const bad of [0n, PIPS + 1n]) {
        await expect(w.oracle.setMaxConfidencePips(bad))
          .to.be.revertedWithCustomError(w.oracle, "InvalidMaxConfidence")
          .withArgs(bad);
      }
      await expect(w.oracle.setMaxConfidencePips(500n)).to.emit(w.oracle, "MaxConfidencePipsUpdated").withArgs(500n);
      // The fixture's price has a 0.1 % interval: past a 0.05 % bound.
      await expect(w.oracle.latestRoundData()).to.be.revertedWithCustomError(w.oracle, "PriceTooUncertain");
    });
  });

  describe("under a pool", function () {
    it("a price older than the pool's max age is refused; a fresh update re-opens swaps", async function () {
      const w = await loadPythWorld();
      const errors = await poolErrors();
      const t = await now();
      await w.oracle.updatePrice([ethUpdate(3000n, t)], { value: UPDATE_FEE });
      await time.increaseTo(t + PULL_MAX_AGE);
      await w.pullPool.quoteExactIn(0, E18); // age == max age: still usable
      await time.increaseTo(t + PULL_MAX_AGE + 1n);
      await expect(w.pullPool.quoteExactIn(0, E18))
        .to.be.revertedWithCustomError(errors, "StaleOracle")
        .withArgs(t, PULL_MAX_AGE);
      // A signed price that is itself older than the max age is stored (it is newer) but still refused.
      await w.oracle.updatePrice([ethUpdate(3000n, t + 1n)], { value: UPDATE_FEE });
      await expect(w.pullPool.quoteExactIn(0, E18)).to.be.revertedWithCustomError(errors, "StaleOracle");
      await w.oracle.updatePrice([ethUpdate(3000n, await now())], { value: UPDATE_FEE });
      expect((await w.pullPool.quoteExactIn(0, E18)).amountOut).to.be.greaterThan(0n);
    });

    it("the pool's state reports the oracle's refusal without reverting, and withdrawals never need it", async function () {
      const w = await loadPythWorld();
      await time.increase(PULL_MAX_AGE * 10n);
      const st = await w.pullPool.getState();
      expect(st.oracleOk).to.equal(false);
      await w.oracle.setMaxConfidencePips(1n); // now it reverts outright
      expect((await w.pullPool.getState()).oracleOk).to.equal(false);
      const shares = (await w.pullPool.balanceOf(w.bob.address)) / 10n;
      const deadline = (await now()) + 100n;
      await expect(w.pullPool.connect(w.bob).withdraw(shares, 0n, 0n, w.bob.address, deadline)).to.changeTokenBalance(
        w.pullPool,
        w.bob,
        -shares,
      );
    });

    it("the pool trades at the newest price even after an older update lands", async function () {
      const w = await loadPythWorld();
      const t = await now();
      await w.oracle.updatePrice([ethUpdate(3300n, t + 1n)], { value: UPDATE_FEE });
      const atFresh = await w.pullPool.quoteExactIn(0, E18);
      await w.oracle.updatePrice([ethUpdate(2700n, t - 5n)], { value: UPDATE_FEE }); // within max age, older
      const after = await w.pullPool.quoteExactIn(0, E18);
      expect(after.amountOut).to.equal(atFresh.amountOut);
      expect((await w.pullPool.getState()).price.num).to.equal(3300n * E8);
    });
  });

  describe("circuit breaker, bounds and sequencer (OracleGuard)", function () {
    /** A pool-less oracle with a 5 % breaker whose first price, 3000, is cleared as the reference. */
    async function tight() {
      const w = await loadPythWorld();
      const o = await deployPythOracle(w.a.pyth, w.admin, {
        guard: { maxMovePips: 50_000n },
        firstPrice: ethUpdate(3000n, await now()),
      });
      return { w, o };
    }

    it("a price beyond the bound from the reference trips; more updates at the new level do not clear it", async function () {
      const { o } = await tight();
      const t = await now();
      await o.updatePrice([ethUpdate(3100n, t + 1n)], { value: UPDATE_FEE }); // +3.3 %: fine
      expect((await o.latestRoundData()).answer).to.equal(3100n * E8);
      await expect(o.updatePrice([ethUpdate(3400n, t + 2n)], { value: UPDATE_FEE })) // +9.7 % from 3100
        .to.emit(o, "ReferenceUpdated")
        .withArgs(t + 1n, 3100n * E8);
      await expect(o.latestRoundData())
        .to.be.revertedWithCustomError(o, "CircuitBreakerTripped")
        .withArgs(3400n * E8, 3100n * E8, t + 2n + COOL_DOWN);
      // The tripped price is recorded as the jump, not as the reference.
      await expect(o.updatePrice([ethUpdate(3410n, t + 3n)], { value: UPDATE_FEE }))
        .to.emit(o, "JumpRecorded")
        .withArgs(t + 2n, 3400n * E8);
      await o.updatePrice([ethUpdate(3405n, t + 4n)], { value: UPDATE_FEE });
      await expect(o.latestRoundData()).to.be.revertedWithCustomError(o, "CircuitBreakerTripped");
      const [ref, jump] = await o.breakerRounds();
      expect([ref.price, jump.price]).to.deep.equal([3100n * E8, 3400n * E8]);
    });

    it("the cool-down after the jump clears it, for later prices within the bound of the jump", async function () {
      const { o } = await tight();
      const t = await now();
      await o.updatePrice([ethUpdate(3400n, t + 1n)], { value: UPDATE_FEE });
      await o.updatePrice([ethUpdate(3420n, t + 2n)], { value: UPDATE_FEE }); // jump = 3400
      await time.increaseTo(t + 1n + COOL_DOWN);
      await o.updatePrice([ethUpdate(3430n, t + 1n + COOL_DOWN)], { value: UPDATE_FEE });
      expect((await o.latestRoundData()).answer).to.equal(3430n * E8);
      // A price far from the jump still trips.
      await o.updatePrice([ethUpdate(4000n, t + 2n + COOL_DOWN)], { value: UPDATE_FEE });
      await expect(o.latestRoundData()).to.be.revertedWithCustomError(o, "CircuitBreakerTripped");
    });

    it("the guardian's clear adopts the price as the reference; nobody else can clear", async function () {
      const { w, o } = await tight();
      const t = (await now()) + 1n;
      await o.updatePrice([ethUpdate(2500n, t)], { value: UPDATE_FEE });
      await expect(o.latestRoundData()).to.be.revertedWithCustomError(o, "CircuitBreakerTripped");
      await expect(o.connect(w.alice).clearBreaker(t)).to.be.revertedWithCustomError(
        o,
        "AccessControlUnauthorizedAccount",
      );
      await expect(o.clearBreaker(t))
        .to.emit(o, "ReferenceUpdated")
        .withArgs(t, 2500n * E8);
      expect((await o.latestRoundData()).answer).to.equal(2500n * E8);
      await o.updatePrice([ethUpdate(2550n, t + 1n)], { value: UPDATE_FEE }); // judged against 2500: fine
      expect((await o.latestRoundData()).answer).to.equal(2550n * E8);
    });

    it("answers outside the admin's bounds are refused (AnswerOutOfBounds)", async function () {
      const w = await loadPythWorld();
      await w.oracle.setAnswerBounds(1000n * E8, 2000n * E8);
      await expect(w.oracle.latestRoundData())
        .to.be.revertedWithCustomError(w.oracle, "AnswerOutOfBounds")
        .withArgs(3000n * E8, 1000n * E8, 2000n * E8);
    });

    it("a sequencer that is down stops the price (SequencerDown), whatever the update", async function () {
      const w = await loadPythWorld();
      const seq = await ethers.deployContract("MockSequencerUptimeFeed", [await now()]);
      await w.oracle.setSequencerFeed(await seq.getAddress(), 3600);
      await seq.setStatus(1, await now());
      await w.oracle.updatePrice([ethUpdate(3001n, (await now()) + 1n)], { value: UPDATE_FEE });
      await expect(w.oracle.latestRoundData()).to.be.revertedWithCustomError(w.oracle, "SequencerDown");
      expect((await w.pullPool.getState()).oracleOk).to.equal(false);
      await expect(w.pullPool.quoteExactIn(0, E18)).to.be.revertedWithCustomError(w.oracle, "SequencerDown");
    });
  });
});
