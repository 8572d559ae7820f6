import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ADMIN_DELAY,
  DEFAULT_BOUNDS,
  DEFAULT_PARAMS,
  DEFAULT_STEPS,
  deadline,
  expectRevertNoChange,
  MIN_INTERVAL,
  Param,
  PoolCtx,
  poolFixture,
  seededPoolFixture,
  Side,
  WAD,
  SURGE_WIDTH,
} from "./fixtures";

type Params = { k: bigint; baseFee: bigint; maxFee: bigint; tau: bigint };

async function params(ctx: PoolCtx): Promise<Params> {
  const p = (await ctx.pool.getState()).params;
  return { k: p.k, baseFee: p.baseFee, maxFee: p.maxFee, tau: p.tau };
}

function setParams(ctx: PoolCtx, p: Params, who = ctx.keeper) {
  return ctx.pool.connect(who).setParams(p.k, p.baseFee, p.maxFee, p.tau, SURGE_WIDTH);
}

describe("SkewPool roles and parameters", function () {
  describe("keeper: setParams", function () {
    it("sets values inside the bounds and steps, emits, and records the time", async function () {
      const ctx = await loadFixture(poolFixture);
      const next = {
        k: DEFAULT_PARAMS.k + DEFAULT_STEPS.k,
        baseFee: DEFAULT_PARAMS.baseFee - DEFAULT_STEPS.baseFee,
        maxFee: DEFAULT_PARAMS.maxFee + DEFAULT_STEPS.maxFee,
        tau: DEFAULT_PARAMS.tau + DEFAULT_STEPS.tau,
      };
      await expect(setParams(ctx, next))
        .to.emit(ctx.pool, "ParamsUpdated")
        .withArgs(ctx.keeper.address, next.k, next.baseFee, next.maxFee, next.tau);
      expect(await params(ctx)).to.deep.equal(next);
      expect((await ctx.pool.getState()).lastParamsUpdate).to.equal(await time.latest());
    });

    it("allows one update per minInterval", async function () {
      const ctx = await loadFixture(poolFixture);
      await setParams(ctx, DEFAULT_PARAMS);
      const last = BigInt(await time.latest());
      const next = { ...DEFAULT_PARAMS, k: DEFAULT_PARAMS.k + 1n };
      await expect(setParams(ctx, next))
        .to.be.revertedWithCustomError(ctx.pool, "ParamsUpdateTooSoon")
        .withArgs(last + MIN_INTERVAL);
      await time.setNextBlockTimestamp(last + MIN_INTERVAL - 1n);
      await expect(setParams(ctx, next)).to.be.revertedWithCustomError(ctx.pool, "ParamsUpdateTooSoon");
      await time.setNextBlockTimestamp(last + MIN_INTERVAL);
      await setParams(ctx, next);
      expect((await params(ctx)).k).to.equal(next.k);
    });

    it("rejects each parameter outside its bounds", async function () {
      const ctx = await loadFixture(poolFixture);
      const b = DEFAULT_BOUNDS;
      // Widen the steps so only the bounds can fail.
      await ctx.pool.connect(ctx.admin).setSteps({ k: WAD, tau: WAD, baseFee: 10n ** 6n, maxFee: 10n ** 6n });
      const cases: [Params, number, bigint, bigint, bigint][] = [
        [{ ...DEFAULT_PARAMS, k: b.kMax + 1n }, Param.K, b.kMax + 1n, b.kMin, b.kMax],
        [
          { ...DEFAULT_PARAMS, baseFee: b.baseFeeMin - 1n },
          Param.BaseFee,
          b.baseFeeMin - 1n,
          b.baseFeeMin,
          b.baseFeeMax,
        ],
        [
          { ...DEFAULT_PARAMS, baseFee: b.baseFeeMax + 1n },
          Param.BaseFee,
          b.baseFeeMax + 1n,
          b.baseFeeMin,
          b.baseFeeMax,
        ],
        [{ ...DEFAULT_PARAMS, maxFee: b.maxFeeMax + 1n }, Param.MaxFee, b.maxFeeMax + 1n, b.maxFeeMin, b.maxFeeMax],
        [
          { ...DEFAULT_PARAMS, baseFee: 100n, maxFee: b.maxFeeMin - 1n },
          Param.MaxFee,
          b.maxFeeMin - 1n,
          b.maxFeeMin,
          b.maxFeeMax,
        ],
        [{ ...DEFAULT_PARAMS, tau: b.tauMax + 1n }, Param.Tau, b.tauMax + 1n, b.tauMin, b.tauMax],
      ];
      for (const [p, param, value, lo, hi] of cases) {
        await expect(setParams(ctx, p))
          .to.be.revertedWithCustomError(ctx.pool, "ParamOutOfBounds")
          .withArgs(param, value, lo, hi);
      }
      expect(await params(ctx)).to.deep.equal(DEFAULT_PARAMS);
    });

    it("rejects each parameter moving by more than its step, in either direction", async function () {
      const ctx = await loadFixture(poolFixture);
      const s = DEFAULT_STEPS;
      const P = DEFAULT_PARAMS;
      const cases: [Params, number, bigint, bigint, bigint][] = [
        [{ ...P, k: P.k + s.k + 1n }, Param.K, P.k, P.k + s.k + 1n, s.k],
        [{ ...P, k: P.k - s.k - 1n }, Param.K, P.k, P.k - s.k - 1n, s.k],
        [
          { ...P, baseFee: P.baseFee + s.baseFee + 1n },
          Param.BaseFee,
          P.baseFee,
          P.baseFee + s.baseFee + 1n,
          s.baseFee,
        ],
        [{ ...P, maxFee: P.maxFee + s.maxFee + 1n }, Param.MaxFee, P.maxFee, P.maxFee + s.maxFee + 1n, s.maxFee],
        [{ ...P, maxFee: P.maxFee - s.maxFee - 1n }, Param.MaxFee, P.maxFee, P.maxFee - s.maxFee - 1n, s.maxFee],
        [{ ...P, tau: P.tau + s.tau + 1n }, Param.Tau, P.tau, P.tau + s.tau + 1n, s.tau],
      ];
      for (const [p, param, current, requested, step] of cases) {
        await expect(setParams(ctx, p))
          .to.be.revertedWithCustomError(ctx.pool, "ParamStepTooLarge")
          .withArgs(param, current, requested, step);
      }
      // A zero step freezes the parameter.
      await ctx.pool.connect(ctx.admin).setSteps({ ...s, k: 0n });
      await expect(setParams(ctx, { ...P, k: P.k + 1n })).to.be.revertedWithCustomError(ctx.pool, "ParamStepTooLarge");
      await setParams(ctx, { ...P, baseFee: P.baseFee + s.baseFee });
    });

    it("rejects maxFee below baseFee", async function () {
      const ctx = await loadFixture(poolFixture);
      await ctx.pool.connect(ctx.admin).setSteps({ k: WAD, tau: WAD, baseFee: 10n ** 6n, maxFee: 10n ** 6n });
      await expect(setParams(ctx, { ...DEFAULT_PARAMS, baseFee: 5000n, maxFee: 4999n }))
        .to.be.revertedWithCustomError(ctx.pool, "MaxFeeBelowBaseFee")
        .withArgs(5000n, 4999n);
      await setParams(ctx, { ...DEFAULT_PARAMS, baseFee: 5000n, maxFee: 5000n });
    });

    it("is the keeper's alone", async function () {
      const ctx = await loadFixture(poolFixture);
      const KEEPER = await ctx.pool.KEEPER_ROLE();
      for (const who of [ctx.admin, ctx.guardian, ctx.alice]) {
        await expect(setParams(ctx, DEFAULT_PARAMS, who))
          .to.be.revertedWithCustomError(ctx.pool, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, KEEPER);
      }
    });
  });

  describe("admin", function () {
    it("sets validated bounds and clamps current parameters into them", async function () {
      const ctx = await loadFixture(poolFixture);
      const b = {
        ...DEFAULT_BOUNDS,
        kMax: WAD / 5n, // below k = 0.5
        baseFeeMin: 4000n, // above baseFee = 3000
        maxFeeMax: 15_000n, // below maxFee = 20000
        tauMin: WAD / 5n, // above tau = 0.1
      };
      await expect(ctx.pool.connect(ctx.admin).setBounds(b))
        .to.emit(ctx.pool, "BoundsUpdated")
        .and.to.emit(ctx.pool, "ParamsUpdated")
        .withArgs(ctx.admin.address, WAD / 5n, 4000n, 15_000n, WAD / 5n);
      const s = await ctx.pool.getState();
      expect(s.bounds.kMax).to.equal(b.kMax);
      expect(await params(ctx)).to.deep.equal({ k: WAD / 5n, baseFee: 4000n, maxFee: 15_000n, tau: WAD / 5n });
    });

    it("keeps baseFee <= maxFee when clamping", async function () {
      const ctx = await loadFixture(poolFixture);
      // baseFee must drop to maxFeeMax (2000 <= baseFeeMax) and maxFee follows.
      await ctx.pool
        .connect(ctx.admin)
        .setBounds({ ...DEFAULT_BOUNDS, baseFeeMin: 100n, maxFeeMin: 1000n, maxFeeMax: 2000n });
      const p = await params(ctx);
      expect(p.baseFee).to.equal(2000n);
      expect(p.maxFee).to.equal(2000n);
      // maxFee rises to baseFee when the new maxFee range starts below the clamped baseFee.
      await ctx.pool
        .connect(ctx.admin)
        .setBounds({ ...DEFAULT_BOUNDS, baseFeeMin: 5000n, maxFeeMin: 1000n, maxFeeMax: 9000n });
      const q = await params(ctx);
      expect(q.baseFee).to.equal(5000n);
      expect(q.maxFee).to.equal(5000n);
    });

    it("does not emit ParamsUpdated when nothing needs clamping", async function () {
      const ctx = await loadFixture(poolFixture);
      await expect(ctx.pool.connect(ctx.admin).setBounds(DEFAULT_BOUNDS)).not.to.emit(ctx.pool, "ParamsUpdated");
    });

    it("rejects invalid bounds", async function () {
      const ctx = await loadFixture(poolFixture);
      const b = DEFAULT_BOUNDS;
      const cases: [typeof b, number][] = [
        [{ ...b, kMin: 2n, kMax: 1n }, Param.K],
        [{ ...b, kMax: WAD + 1n }, Param.K],
        [{ ...b, baseFeeMin: 2n, baseFeeMax: 1n }, Param.BaseFee],
        [{ ...b, baseFeeMax: 1_000_000n, maxFeeMax: 999_999n }, Param.BaseFee],
        [{ ...b, maxFeeMin: 2000n, maxFeeMax: 1999n }, Param.MaxFee],
        [{ ...b, maxFeeMax: 1_000_000n }, Param.MaxFee],
        [{ ...b, baseFeeMin: 5000n, maxFeeMin: 1000n, maxFeeMax: 4999n }, Param.MaxFee],
        [{ ...b, tauMin: 2n, tauMax: 1n }, Param.Tau],
        [{ ...b, tauMax: WAD }, Param.Tau],
      ];
      for (const [bad, param] of cases) {
        await expect(ctx.pool.connect(ctx.admin).setBounds(bad))
          .to.be.revertedWithCustomError(ctx.pool, "InvalidBounds")
          .withArgs(param);
      }
      expect((await ctx.pool.getState()).bounds.kMax).to.equal(b.kMax);
    });

    it("sets steps, min interval, oracle max age and protocol share, with events and checks", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool, admin } = ctx;
      const steps = { k: 1n, tau: 2n, baseFee: 3n, maxFee: 4n };
      await expect(pool.connect(admin).setSteps(steps)).to.emit(pool, "StepsUpdated");
      await expect(pool.connect(admin).setMinInterval(7n)).to.emit(pool, "MinIntervalUpdated").withArgs(7n);
      await expect(pool.connect(admin).setOracleMaxAge(60n)).to.emit(pool, "OracleMaxAgeUpdated").withArgs(60n);
      await expect(pool.connect(admin).setProtocolShare(500_000n))
        .to.emit(pool, "ProtocolShareUpdated")
        .withArgs(500_000n);
      const s = await pool.getState();
      expect([s.steps.k, s.steps.tau, s.steps.baseFee, s.steps.maxFee]).to.deep.equal([1n, 2n, 3n, 4n]);
      expect([s.minInterval, s.oracleMaxAge, s.protocolShare]).to.deep.equal([7n, 60n, 500_000n]);

      await expect(pool.connect(admin).setOracleMaxAge(0n))
        .to.be.revertedWithCustomError(pool, "InvalidOracleMaxAge")
        .withArgs(0n);
      await expect(pool.connect(admin).setProtocolShare(500_001n))
        .to.be.revertedWithCustomError(pool, "ProtocolShareTooHigh")
        .withArgs(500_001n, 500_000n);
    });

    it("is the admin's alone", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool } = ctx;
      const ADMIN = await pool.DEFAULT_ADMIN_ROLE();
      for (const who of [ctx.keeper, ctx.guardian, ctx.alice]) {
        const calls = [
          () => pool.connect(who).setBounds(DEFAULT_BOUNDS),
          () => pool.connect(who).setSteps(DEFAULT_STEPS),
          () => pool.connect(who).setMinInterval(1n),
          () => pool.connect(who).setOracleMaxAge(1n),
          () => pool.connect(who).setProtocolShare(1n),
          () => pool.connect(who).collectProtocolFees(who.address),
          () => pool.connect(who).grantRole(ethers.id("KEEPER_ROLE"), who.address),
        ];
        for (const call of calls) {
          await expect(call())
            .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
            .withArgs(who.address, ADMIN);
        }
      }
    });

    it("grants and revokes the keeper and guardian roles", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool, admin, alice } = ctx;
      const KEEPER = await pool.KEEPER_ROLE();
      const GUARDIAN = await pool.GUARDIAN_ROLE();
      expect(KEEPER).to.equal(ethers.id("KEEPER_ROLE"));
      expect(GUARDIAN).to.equal(ethers.id("GUARDIAN_ROLE"));
      await expect(pool.connect(admin).grantRole(KEEPER, alice.address)).to.emit(pool, "RoleGranted");
      await setParams(ctx, DEFAULT_PARAMS, alice);
      await pool.connect(admin).revokeRole(KEEPER, ctx.keeper.address);
      await time.increase(MIN_INTERVAL);
      await expect(setParams(ctx, DEFAULT_PARAMS)).to.be.revertedWithCustomError(
        pool,
        "AccessControlUnauthorizedAccount",
      );
      await pool.connect(admin).grantRole(GUARDIAN, alice.address);
      await pool.connect(alice).pause();
      expect(await pool.paused()).to.equal(true);
    });

    it("transfers admin in two steps, after the delay", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool, admin, alice } = ctx;
      const ADMIN = await pool.DEFAULT_ADMIN_ROLE();
      expect(await pool.defaultAdmin()).to.equal(admin.address);
      expect(await pool.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      await expect(pool.connect(admin).grantRole(ADMIN, alice.address)).to.be.revertedWithCustomError(
        pool,
        "AccessControlEnforcedDefaultAdminRules",
      );
      await pool.connect(admin).beginDefaultAdminTransfer(alice.address);
      const [, schedule] = await pool.pendingDefaultAdmin();
      await expect(pool.connect(alice).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(pool, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await time.increaseTo(schedule + 1n);
      await expect(pool.connect(ctx.bob).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
        pool,
        "AccessControlInvalidDefaultAdmin",
      );
      await pool.connect(alice).acceptDefaultAdminTransfer();
      expect(await pool.defaultAdmin()).to.equal(alice.address);
      await pool.connect(alice).setOracleMaxAge(10n);
      await expect(pool.connect(admin).setOracleMaxAge(10n))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, ADMIN);
    });
  });

  describe("guardian: pause", function () {
    it("the guardian and the admin pause and unpause; no one else", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool, guardian, admin, keeper, alice } = ctx;
      const GUARDIAN = await pool.GUARDIAN_ROLE();
      for (const who of [keeper, alice]) {
        await expect(pool.connect(who).pause())
          .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, GUARDIAN);
      }
      await expect(pool.connect(guardian).pause()).to.emit(pool, "Paused").withArgs(guardian.address);
      expect(await pool.paused()).to.equal(true);
      expect((await pool.getState()).paused).to.equal(true);
      await expect(pool.connect(guardian).pause()).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(pool.connect(alice).unpause()).to.be.revertedWithCustomError(
        pool,
        "AccessControlUnauthorizedAccount",
      );
      await expect(pool.connect(admin).unpause()).to.emit(pool, "Unpaused").withArgs(admin.address);
      await expect(pool.connect(admin).unpause()).to.be.revertedWithCustomError(pool, "ExpectedPause");
      await pool.connect(admin).pause();
      await pool.connect(guardian).unpause();
      expect(await pool.paused()).to.equal(false);
    });

    it("the guardian can do nothing else", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool, guardian } = ctx;
      await expect(setParams(ctx, DEFAULT_PARAMS, guardian)).to.be.revertedWithCustomError(
        pool,
        "AccessControlUnauthorizedAccount",
      );
      await expect(pool.connect(guardian).setBounds(DEFAULT_BOUNDS)).to.be.revertedWithCustomError(
        pool,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("pausing stops swaps, quotes and deposits but never withdrawals", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, guardian, alice, bob } = ctx;
      await pool.connect(guardian).pause();
      const d = await deadline();
      await expectRevertNoChange(ctx, () => pool.connect(bob).swap(Side.SellBase, 0n, bob.address, d), "EnforcedPause");
      await expect(pool.quoteExactIn(Side.SellBase, WAD)).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(pool.quoteExactOut(Side.SellBase, 10n ** 6n)).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expectRevertNoChange(ctx, () => pool.connect(bob).deposit(WAD, WAD, 0n, bob.address, d), "EnforcedPause");
      await pool.connect(alice).withdraw(10n ** 18n, 0n, 0n, alice.address, d);
    });
  });
});
