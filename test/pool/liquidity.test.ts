import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { MockFeeOnTransferERC20, MockERC20, SkewPool } from "../../typechain-types";
import {
  baseFixture,
  ceilDiv,
  createSeededPool,
  deadline,
  expectRevertNoChange,
  min,
  poolConfig,
  poolFixture,
  proportionalDeposit,
  Region,
  SEED_BASE,
  SEED_QUOTE,
  seededPoolFixture,
  WAD,
} from "./fixtures";

const MINIMUM_LIQUIDITY = 1000n;
const DEAD = "0x000000000000000000000000000000000000dEaD";
const USDC_SCALE = 10n ** 12n;

/** Integer square root (Newton), rounded down. */
function sqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = x;
  let y = (r + 1n) / 2n;
  while (y < r) {
    r = y;
    y = (r + x / r) / 2n;
  }
  return r;
}

describe("SkewPool liquidity", function () {
  describe("first deposit (made by the factory when it creates the pool)", function () {
    it("takes both amounts, sets targets to the scaled reserves and locks MINIMUM_LIQUIDITY", async function () {
      const b = await loadFixture(baseFixture);
      const { alice, weth, usdc, admin, factory } = b;
      const cfg = await poolConfig(b);
      const expectedTotal = sqrt(SEED_BASE * (SEED_QUOTE * USDC_SCALE));
      await weth.mint(admin.address, SEED_BASE);
      await usdc.mint(admin.address, SEED_QUOTE);
      await weth.connect(admin).approve(await factory.getAddress(), SEED_BASE);
      await usdc.connect(admin).approve(await factory.getAddress(), SEED_QUOTE);
      const seed = {
        baseAmount: SEED_BASE,
        quoteAmount: SEED_QUOTE,
        maxPriceDeviation: 0n,
        minShares: 0n,
        to: alice.address,
      };
      const poolAddress = await factory.predictPoolAddress(cfg);
      const pool = (await ethers.getContractAt("SkewPool", poolAddress)) as unknown as SkewPool;
      const tx = factory.connect(admin).createPoolAndSeed(cfg, seed);
      await expect(tx)
        .to.emit(pool, "Deposit")
        .withArgs(await factory.getAddress(), alice.address, expectedTotal - MINIMUM_LIQUIDITY, SEED_BASE, SEED_QUOTE);
      await expect(tx).to.changeTokenBalances(weth, [admin, pool, factory], [-SEED_BASE, SEED_BASE, 0n]);
      expect(await pool.balanceOf(alice.address)).to.equal(expectedTotal - MINIMUM_LIQUIDITY);
      expect(await pool.balanceOf(DEAD)).to.equal(MINIMUM_LIQUIDITY);
      expect(await usdc.balanceOf(poolAddress)).to.equal(SEED_QUOTE);
      expect(await usdc.balanceOf(await factory.getAddress())).to.equal(0n);
      const s = await pool.getState();
      expect(s.totalSupply).to.equal(expectedTotal);
      expect([s.baseReserve, s.quoteReserve]).to.deep.equal([SEED_BASE, SEED_QUOTE]);
      expect([s.baseTarget, s.quoteTarget]).to.deep.equal([SEED_BASE, SEED_QUOTE * USDC_SCALE]);
      expect(s.region).to.equal(Region.ONE);
    });

    it("refuses a first deposit from anyone but the factory, dust or not, and moves nothing", async function () {
      const ctx = await loadFixture(poolFixture);
      const { pool, alice, factory } = ctx;
      const d = await deadline();
      for (const [b, q] of [
        [1n, 1n],
        [SEED_BASE, SEED_QUOTE],
      ]) {
        await expectRevertNoChange(
          ctx,
          () => pool.connect(alice).deposit(b, q, 0n, 0n, 0n, alice.address, d),
          "FirstDepositNotByFactory",
          [alice.address, await factory.getAddress()],
        );
      }
    });

    it("rejects a seed that would not mint more than the locked minimum", async function () {
      const ctx = await loadFixture(poolFixture);
      const { alice } = ctx;
      // With a 6-decimal quote the smallest deposit already mints 1e6 shares, so use an 18/18 pool.
      const dai = await ethers.deployContract("MockERC20", ["Dai", "DAI", 18]);
      const cfg = await poolConfig(ctx, { quote: await dai.getAddress() });
      // sqrt(1000 * 1000) = 1000 = MINIMUM_LIQUIDITY: nothing left for the depositor.
      await expect(createSeededPool(ctx, cfg, 1000n, 1000n, alice.address)).to.be.revertedWithCustomError(
        ctx.errors,
        "ZeroShares",
      );
      // 1001 * 1001: exactly one share.
      const pool18 = await createSeededPool(ctx, cfg, 1001n, 1001n, alice.address);
      expect(await pool18.balanceOf(alice.address)).to.equal(1n);
    });
  });

  describe("proportional deposit", function () {
    it("pulls the amounts the shares need (rounded up) and mints the shares they buy (rounded down)", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, bob, weth, usdc } = ctx;
      const s0 = await pool.getState();
      // Base-limited: quote max is plenty.
      const baseMax = 12_345_678_901_234_567_891n;
      const quoteMax = 10n ** 12n;
      const { needBase, needQuote, shares: expShares } = proportionalDeposit(s0, baseMax, quoteMax);
      const tx = pool.connect(bob).deposit(baseMax, quoteMax, 0n, 0n, 0n, bob.address, await deadline());
      await expect(tx).to.emit(pool, "Deposit").withArgs(bob.address, bob.address, expShares, needBase, needQuote);
      await expect(tx).to.changeTokenBalances(usdc, [bob, pool], [-needQuote, needQuote]);
      expect(needBase).to.be.lte(baseMax);
      expect(await weth.balanceOf(await pool.getAddress())).to.equal(SEED_BASE + needBase);
      expect(await pool.balanceOf(bob.address)).to.equal(expShares);
      const s1 = await pool.getState();
      expect([s1.baseReserve, s1.quoteReserve]).to.deep.equal([s0.baseReserve + needBase, s0.quoteReserve + needQuote]);
      // Region ONE: the targets stay equal to the scaled reserves.
      expect(s1.region).to.equal(Region.ONE);
      expect([s1.baseTarget, s1.quoteTarget]).to.deep.equal([s1.baseReserve, s1.quoteReserve * USDC_SCALE]);
      // The depositor never owns a larger fraction of a reserve than they added.
      expect(expShares * s1.baseReserve).to.be.lte(needBase * s1.totalSupply);
      expect(expShares * s1.quoteReserve).to.be.lte(needQuote * s1.totalSupply);
    });

    it("is limited by the scarcer side", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, bob } = ctx;
      // 1 WETH offered with only 1,000 USDC: quote-limited to half a WETH's worth.
      await pool.connect(bob).deposit(WAD, 1_000n * 10n ** 6n, 0n, 0n, 0n, bob.address, await deadline());
      const s = await pool.getState();
      expect(s.quoteReserve).to.equal(SEED_QUOTE + 1_000n * 10n ** 6n);
      expect(s.baseReserve - SEED_BASE).to.be.closeTo(WAD / 2n, 1n);
    });

    it("reverts below minShares, with zero amounts, after the deadline, to a bad recipient, and while paused", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, bob, guardian, weth, usdc } = ctx;
      const d = await deadline();
      const exp = proportionalDeposit(await pool.getState(), WAD, 10n ** 12n).shares;
      await expectRevertNoChange(
        ctx,
        () => pool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, exp + 1n, bob.address, d),
        "InsufficientShares",
        [exp, exp + 1n],
      );
      await expectRevertNoChange(
        ctx,
        () => pool.connect(bob).deposit(0n, 10n ** 12n, 0n, 0n, 0n, bob.address, d),
        "ZeroAmount",
      );
      const past = BigInt(await time.latest());
      await expectRevertNoChange(
        ctx,
        () => pool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, 0n, bob.address, past),
        "Expired",
      );
      for (const to of [
        ethers.ZeroAddress,
        await pool.getAddress(),
        await weth.getAddress(),
        await usdc.getAddress(),
      ]) {
        await expectRevertNoChange(
          ctx,
          () => pool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, 0n, to, d),
          "InvalidRecipient",
          [to],
        );
      }
      await pool.connect(guardian).pause();
      await expectRevertNoChange(
        ctx,
        () => pool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, 0n, bob.address, d),
        "EnforcedPause",
      );
    });

    it("accepts a minShares of exactly the shares minted (the bound is inclusive)", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, bob } = ctx;
      const exp = proportionalDeposit(await pool.getState(), WAD, 10n ** 12n).shares;
      const tx = pool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, exp, bob.address, await deadline());
      await expect(tx).to.emit(pool, "Deposit");
      expect(await pool.balanceOf(bob.address)).to.equal(exp);
    });

    it("reverts with ZeroShares when the maxima buy less than one share", async function () {
      const ctx = await loadFixture(poolFixture);
      const { alice, bob } = ctx;
      const dai = await ethers.deployContract("MockERC20", ["Dai", "DAI", 18]);
      // 100 WETH and 0.01 DAI: sqrt(1e20 * 1e16) = 1e18 shares, so one share holds 100 wei of WETH.
      const cfg = await poolConfig(ctx, { quote: await dai.getAddress() });
      const pool18 = await createSeededPool(ctx, cfg, 10n ** 20n, 10n ** 16n, alice.address);
      const addr = await pool18.getAddress();
      for (const u of [alice, bob]) {
        await dai.mint(u.address, 10n ** 20n);
        await dai.connect(u).approve(addr, ethers.MaxUint256);
        await ctx.weth.connect(u).approve(addr, ethers.MaxUint256);
      }
      await expect(
        pool18.connect(bob).deposit(99n, 10n ** 18n, 0n, 0n, 0n, bob.address, await deadline()),
      ).to.be.revertedWithCustomError(ctx.errors, "ZeroShares");
      await pool18.connect(bob).deposit(100n, 10n ** 18n, 0n, 0n, 0n, bob.address, await deadline());
      expect(await pool18.balanceOf(bob.address)).to.equal(1n);
    });

    it("moves nothing when the depositor lacks allowance", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, bob, usdc } = ctx;
      await usdc.connect(bob).approve(await pool.getAddress(), 0n);
      await expectRevertNoChange(
        ctx,
        () => pool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, 0n, bob.address, 0n + 2n ** 64n),
        "ERC20InsufficientAllowance",
      );
    });
  });

  describe("fee-on-transfer tokens", function () {
    async function fotFixture() {
      const ctx = await poolFixture();
      const fot = (await ethers.deployContract("MockFeeOnTransferERC20", [
        "Fee Token",
        "FEE",
        18,
        100n, // 1 %
      ])) as unknown as MockFeeOnTransferERC20;
      const cfg = await poolConfig(ctx, { base: await fot.getAddress() });
      const pool = await createSeededPool(ctx, cfg, SEED_BASE, SEED_QUOTE, ctx.alice.address);
      for (const u of [ctx.alice, ctx.bob]) {
        await fot.mint(u.address, 1_000n * WAD);
        await fot.connect(u).approve(await pool.getAddress(), ethers.MaxUint256);
        await ctx.usdc.connect(u).approve(await pool.getAddress(), ethers.MaxUint256);
      }
      return { ...ctx, fot, fotPool: pool };
    }

    it("mints the seed's shares from what arrived (the factory deposits what reached it)", async function () {
      const { fotPool, fot, alice } = await loadFixture(fotFixture);
      const atFactory = SEED_BASE - SEED_BASE / 100n;
      const arrived = atFactory - atFactory / 100n;
      expect(await fotPool.balanceOf(alice.address)).to.equal(
        sqrt(arrived * SEED_QUOTE * USDC_SCALE) - MINIMUM_LIQUIDITY,
      );
      const s = await fotPool.getState();
      expect(s.baseReserve).to.equal(arrived);
      expect(s.baseReserve).to.equal(await fot.balanceOf(await fotPool.getAddress()));
    });

    it("mints later deposits' shares from what arrived, rounded down", async function () {
      const { fotPool, fot, bob } = await loadFixture(fotFixture);
      const s0 = await fotPool.getState();
      const S = s0.totalSupply;
      const baseMax = 10n * WAD;
      const quoteMax = 10n ** 12n;
      const wanted = min((baseMax * S) / s0.baseReserve, (quoteMax * S) / s0.quoteReserve);
      const sentBase = ceilDiv(wanted * s0.baseReserve, S);
      const arrivedBase = sentBase - sentBase / 100n;
      const sentQuote = ceilDiv(wanted * s0.quoteReserve, S);
      const shares = min((arrivedBase * S) / s0.baseReserve, (sentQuote * S) / s0.quoteReserve);
      expect(shares).to.be.lt(wanted); // the fee costs the depositor shares, not the pool
      await expect(fotPool.connect(bob).deposit(baseMax, quoteMax, 0n, 0n, 0n, bob.address, await deadline()))
        .to.emit(fotPool, "Deposit")
        .withArgs(bob.address, bob.address, shares, arrivedBase, sentQuote);
      const s1 = await fotPool.getState();
      expect(s1.baseReserve).to.equal(await fot.balanceOf(await fotPool.getAddress()));
      // minShares is checked against the shares actually minted.
      await expect(
        fotPool.connect(bob).deposit(baseMax, quoteMax, 0n, 0n, wanted, bob.address, await deadline()),
      ).to.be.revertedWithCustomError(fotPool, "InsufficientShares");
    });
  });

  describe("withdraw", function () {
    it("pays the share of both reserves, rounded down, and scales the targets", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice, bob, weth, usdc } = ctx;
      const s0 = await pool.getState();
      const shares = (await pool.balanceOf(alice.address)) / 3n;
      const baseOut = (shares * s0.baseReserve) / s0.totalSupply;
      const quoteOut = (shares * s0.quoteReserve) / s0.totalSupply;
      const tx = pool.connect(alice).withdraw(shares, baseOut, quoteOut, bob.address, await deadline());
      await expect(tx).to.emit(pool, "Withdraw").withArgs(alice.address, bob.address, shares, baseOut, quoteOut);
      await expect(tx).to.changeTokenBalances(weth, [pool, bob], [-baseOut, baseOut]);
      expect(await usdc.balanceOf(bob.address)).to.equal(2_000_000_000n * 10n ** 6n + quoteOut);
      const s1 = await pool.getState();
      expect(s1.totalSupply).to.equal(s0.totalSupply - shares);
      expect([s1.baseReserve, s1.quoteReserve]).to.deep.equal([s0.baseReserve - baseOut, s0.quoteReserve - quoteOut]);
      expect([s1.baseTarget, s1.quoteTarget]).to.deep.equal([s1.baseReserve, s1.quoteReserve * USDC_SCALE]);
    });

    it("works while paused", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice, guardian } = ctx;
      await pool.connect(guardian).pause();
      const shares = await pool.balanceOf(alice.address);
      await expect(pool.connect(alice).withdraw(shares, 0n, 0n, alice.address, await deadline())).to.emit(
        pool,
        "Withdraw",
      );
      expect(await pool.balanceOf(alice.address)).to.equal(0n);
    });

    it("works while the feed is stale, answers garbage or reverts", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice, aggregator } = ctx;
      const part = (await pool.balanceOf(alice.address)) / 5n;
      const breakages = [
        () => time.increase(100_000), // far beyond the max age
        () => aggregator.setAnswer(-1n),
        () => aggregator.setRound(99n, 2000n, 0n, 0n, 0n), // incomplete round
        () => aggregator.setBroken(true),
      ];
      for (const breakFeed of breakages) {
        await breakFeed();
        expect((await pool.getState()).oracleOk).to.equal(false);
        const s = await pool.getState();
        const baseOut = (part * s.baseReserve) / s.totalSupply;
        await expect(pool.connect(alice).withdraw(part, baseOut, 0n, alice.address, await deadline()))
          .to.emit(pool, "Withdraw")
          .withArgs(alice.address, alice.address, part, baseOut, (part * s.quoteReserve) / s.totalSupply);
      }
    });

    it("reverts on slippage, zero shares, dust, deadline, recipient and missing shares, moving nothing", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice, bob, weth } = ctx;
      const d = await deadline();
      const s = await pool.getState();
      const shares = (await pool.balanceOf(alice.address)) / 2n;
      const baseOut = (shares * s.baseReserve) / s.totalSupply;
      const quoteOut = (shares * s.quoteReserve) / s.totalSupply;
      await expectRevertNoChange(
        ctx,
        () => pool.connect(alice).withdraw(shares, baseOut + 1n, 0n, alice.address, d),
        "InsufficientOutput",
        [baseOut, baseOut + 1n],
      );
      await expectRevertNoChange(
        ctx,
        () => pool.connect(alice).withdraw(shares, 0n, quoteOut + 1n, alice.address, d),
        "InsufficientOutput",
        [quoteOut, quoteOut + 1n],
      );
      await expectRevertNoChange(ctx, () => pool.connect(alice).withdraw(0n, 0n, 0n, alice.address, d), "ZeroAmount");
      // One share is worth less than one raw unit of either token here.
      expect((1n * s.baseReserve) / s.totalSupply).to.equal(0n);
      expect((1n * s.quoteReserve) / s.totalSupply).to.equal(0n);
      await expectRevertNoChange(ctx, () => pool.connect(alice).withdraw(1n, 0n, 0n, alice.address, d), "ZeroAmount");
      await expectRevertNoChange(
        ctx,
        () => pool.connect(alice).withdraw(shares, 0n, 0n, alice.address, BigInt(s.blockTimestamp) - 1n),
        "Expired",
      );
      for (const to of [ethers.ZeroAddress, await pool.getAddress(), await weth.getAddress()]) {
        await expectRevertNoChange(ctx, () => pool.connect(alice).withdraw(shares, 0n, 0n, to, d), "InvalidRecipient", [
          to,
        ]);
      }
      await expectRevertNoChange(
        ctx,
        () => pool.connect(bob).withdraw(shares, 0n, 0n, bob.address, d),
        "ERC20InsufficientBalance",
      );
    });

    it("keeps the locked minimum: the last LP cannot empty the pool", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice } = ctx;
      await pool.connect(alice).withdraw(await pool.balanceOf(alice.address), 0n, 0n, alice.address, await deadline());
      const s = await pool.getState();
      expect(s.totalSupply).to.equal(MINIMUM_LIQUIDITY);
      expect(s.baseReserve).to.be.gt(0n);
      expect(s.quoteReserve).to.be.gt(0n);
    });
  });

  describe("LP token", function () {
    it("is an ERC-20 with EIP-2612 permit under the pool's LP name", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const { pool, alice, bob } = ctx;
      const value = 12_345n;
      const dl = await deadline();
      const domain = {
        name: await pool.name(),
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await pool.getAddress(),
      };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const message = { owner: alice.address, spender: bob.address, value, nonce: 0n, deadline: dl };
      const sig = ethers.Signature.from(await alice.signTypedData(domain, types, message));
      await pool.connect(bob).permit(alice.address, bob.address, value, dl, sig.v, sig.r, sig.s);
      expect(await pool.allowance(alice.address, bob.address)).to.equal(value);
      expect(await pool.nonces(alice.address)).to.equal(1n);
      await pool.connect(bob).transferFrom(alice.address, bob.address, value);
      expect(await pool.balanceOf(bob.address)).to.equal(value);
      // Replaying the signature fails.
      await expect(
        pool.connect(bob).permit(alice.address, bob.address, value, dl, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(pool, "ERC2612InvalidSigner");
    });
  });

  describe("first-depositor share inflation", function () {
    it("a donation does not move the share price, so the victim loses nothing", async function () {
      const ctx = await loadFixture(poolFixture);
      const { alice, bob } = ctx;
      const dai = (await ethers.deployContract("MockERC20", ["Dai", "DAI", 18])) as unknown as MockERC20;
      // Attacker (bob): created with the smallest seed (one share), then a large donation of both tokens.
      const cfg = await poolConfig(ctx, { quote: await dai.getAddress() });
      const pool = await createSeededPool(ctx, cfg, 1001n, 1001n, bob.address);
      const poolAddr = await pool.getAddress();
      for (const u of [alice, bob]) {
        await dai.mint(u.address, 1_000_000n * WAD);
        await ctx.weth.connect(u).approve(poolAddr, ethers.MaxUint256);
        await dai.connect(u).approve(poolAddr, ethers.MaxUint256);
      }
      expect(await pool.balanceOf(bob.address)).to.equal(1n);
      await ctx.weth.connect(bob).transfer(poolAddr, 1_000n * WAD);
      await dai.connect(bob).transfer(poolAddr, 1_000n * WAD);

      // Victim (alice) deposits 10 of each, and later withdraws everything.
      const wethBefore = await ctx.weth.balanceOf(alice.address);
      const daiBefore = await dai.balanceOf(alice.address);
      await pool.connect(alice).deposit(10n * WAD, 10n * WAD, 0n, 0n, 1n, alice.address, await deadline());
      const shares = await pool.balanceOf(alice.address);
      expect(shares).to.be.gte(10n * WAD - 1n); // priced off the reserves (1001/1001), not the balances
      await pool.connect(alice).withdraw(shares, 0n, 0n, alice.address, await deadline());
      // At most one raw unit of rounding per token, in the pool's favour.
      expect(wethBefore - (await ctx.weth.balanceOf(alice.address))).to.be.lte(1n);
      expect(daiBefore - (await dai.balanceOf(alice.address))).to.be.lte(1n);

      // The donation never entered the reserves: the attacker's single share is still worth about one wei.
      const s = await pool.getState();
      expect(await ctx.weth.balanceOf(poolAddr)).to.equal(s.baseReserve + 1_000n * WAD);
      expect(await dai.balanceOf(poolAddr)).to.equal(s.quoteReserve + 1_000n * WAD);
      expect(s.baseReserve / s.totalSupply).to.be.lte(1n);
    });
  });

  describe("reentrancy", function () {
    async function reentrantFixture() {
      const ctx = await poolFixture();
      const evil = await ethers.deployContract("MockReentrantERC20", ["Evil", "EVL"]);
      const cfg = await poolConfig(ctx, { base: await evil.getAddress() });
      const pool = await createSeededPool(ctx, cfg, SEED_BASE, SEED_QUOTE, ctx.alice.address);
      const poolAddr = await pool.getAddress();
      for (const u of [ctx.alice, ctx.bob]) {
        await evil.mint(u.address, 1_000_000n * WAD);
        await evil.connect(u).approve(poolAddr, ethers.MaxUint256);
        await ctx.usdc.connect(u).approve(poolAddr, ethers.MaxUint256);
      }
      return { ...ctx, evil, evilPool: pool };
    }

    it("a token calling back into swap during a deposit reverts", async function () {
      const { evil, evilPool, bob } = await loadFixture(reentrantFixture);
      const call = evilPool.interface.encodeFunctionData("swap", [0, 0n, bob.address, await deadline()]);
      await evil.arm(await evilPool.getAddress(), call);
      await expect(
        evilPool.connect(bob).deposit(WAD, 10n ** 12n, 0n, 0n, 0n, bob.address, await deadline()),
      ).to.be.revertedWithCustomError(evilPool, "ReentrancyGuardReentrantCall");
    });

    it("a token calling back into deposit during a withdrawal reverts", async function () {
      const { evil, evilPool, alice } = await loadFixture(reentrantFixture);
      const d = await deadline();
      const call = evilPool.interface.encodeFunctionData("deposit", [WAD, WAD, 0n, 0n, 0n, alice.address, d]);
      await evil.arm(await evilPool.getAddress(), call);
      const before = await evil.balanceOf(alice.address);
      await expect(evilPool.connect(alice).withdraw(10n ** 9n, 0n, 0n, alice.address, d)).to.be.revertedWithCustomError(
        evilPool,
        "ReentrancyGuardReentrantCall",
      );
      expect(await evil.balanceOf(alice.address)).to.equal(before);
    });
  });

  it("pays a withdrawal whose quote share rounds to zero in base alone", async function () {
    // 45 of ~4.47e21 shares: 45 * 100e18 / supply >= 1 wei of WETH, 45 * 200,000e6 / supply < 1 unit of USDC.
    const ctx = await loadFixture(seededPoolFixture);
    const { pool, alice, weth, usdc } = ctx;
    const supply = await pool.totalSupply();
    const [b0, q0] = [await weth.balanceOf(alice.address), await usdc.balanceOf(alice.address)];
    const baseOut = (45n * SEED_BASE) / supply;
    expect(baseOut > 0n && (45n * SEED_QUOTE) / supply === 0n).to.equal(true);
    await pool.connect(alice).withdraw(45n, 0n, 0n, alice.address, await deadline());
    expect(await weth.balanceOf(alice.address)).to.equal(b0 + baseOut);
    expect(await usdc.balanceOf(alice.address)).to.equal(q0);
    expect(await pool.totalSupply()).to.equal(supply - 45n);
  });
});
