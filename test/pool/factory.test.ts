import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  ADMIN_DELAY,
  Base,
  baseFixture,
  DEFAULT_BOUNDS,
  DEFAULT_PARAMS,
  FEED_DECIMALS,
  poolConfig,
  poolErrors,
  Region,
  WAD,
  SURGE_WIDTH,
} from "./fixtures";

describe("SkewFactory", function () {
  it("creates the pool at the predicted CREATE2 address and registers it", async function () {
    const b = await loadFixture(baseFixture);
    const cfg = await poolConfig(b);
    const predicted = await b.factory.predictPoolAddress(cfg);
    await expect(b.factory.createPool(cfg))
      .to.emit(b.factory, "PoolCreated")
      .withArgs(cfg.base, cfg.quote, cfg.feed, predicted, 0n);
    expect(await ethers.provider.getCode(predicted)).to.not.equal("0x");
    expect(await b.factory.getPool(cfg.base, cfg.quote, cfg.feed)).to.equal(predicted);
    expect(await b.factory.getPool(cfg.quote, cfg.base, cfg.feed)).to.equal(ethers.ZeroAddress);
    expect(await b.factory.isPool(predicted)).to.equal(true);
    expect(await b.factory.isPool(b.admin.address)).to.equal(false);
    expect(await b.factory.allPoolsLength()).to.equal(1n);
    expect(await b.factory.allPools(0n)).to.equal(predicted);
  });

  it("predicts the address from the CREATE2 formula with salt keccak256(base, quote, feed)", async function () {
    const b = await loadFixture(baseFixture);
    const cfg = await poolConfig(b);
    const salt = ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(["address", "address", "address"], [cfg.base, cfg.quote, cfg.feed]),
    );
    const poolFactory = await ethers.getContractFactory("SkewPool", { libraries: b.libraries });
    const deployTx = await poolFactory.getDeployTransaction(cfg);
    const expected = ethers.getCreate2Address(await b.factory.getAddress(), salt, ethers.keccak256(deployTx.data));
    expect(await b.factory.predictPoolAddress(cfg)).to.equal(expected);
    await b.factory.createPool(cfg);
    expect(await b.factory.getPool(cfg.base, cfg.quote, cfg.feed)).to.equal(expected);
  });

  it("configures the pool: tokens, scales, feed, factory, LP name, roles and parameters", async function () {
    const b = await loadFixture(baseFixture);
    const cfg = await poolConfig(b);
    const address = await b.factory.createPool.staticCall(cfg);
    await b.factory.createPool(cfg);
    const pool = await ethers.getContractAt("SkewPool", address);
    expect(await pool.name()).to.equal("Skew LP WETH/USDC");
    expect(await pool.symbol()).to.equal("SKEW-LP-WETH/USDC");
    expect(await pool.decimals()).to.equal(18n);
    expect(await pool.base()).to.equal(cfg.base);
    expect(await pool.quote()).to.equal(cfg.quote);
    expect(await pool.feed()).to.equal(cfg.feed);
    expect(await pool.factory()).to.equal(await b.factory.getAddress());
    expect(await pool.baseScale()).to.equal(1n);
    expect(await pool.quoteScale()).to.equal(10n ** 12n);
    expect(await pool.feedDecimals()).to.equal(FEED_DECIMALS);
    expect(await pool.defaultAdmin()).to.equal(b.admin.address);
    expect(await pool.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    expect(await pool.hasRole(await pool.KEEPER_ROLE(), b.keeper.address)).to.equal(true);
    expect(await pool.hasRole(await pool.GUARDIAN_ROLE(), b.guardian.address)).to.equal(true);
    const s = await pool.getState();
    expect([s.params.k, s.params.baseFee, s.params.maxFee, s.params.tau]).to.deep.equal([
      DEFAULT_PARAMS.k,
      DEFAULT_PARAMS.baseFee,
      DEFAULT_PARAMS.maxFee,
      DEFAULT_PARAMS.tau,
    ]);
    expect([s.baseDecimals, s.quoteDecimals]).to.deep.equal([18n, 6n]);
    expect(s.region).to.equal(Region.ONE);
    expect(s.totalSupply).to.equal(0n);
    expect(s.lastParamsUpdate).to.equal(0n);
  });

  it("leaves keeper and guardian unset when given the zero address", async function () {
    const b = await loadFixture(baseFixture);
    const cfg = await poolConfig(b, { keeper: ethers.ZeroAddress, guardian: ethers.ZeroAddress });
    const address = await b.factory.createPool.staticCall(cfg);
    await b.factory.createPool(cfg);
    const pool = await ethers.getContractAt("SkewPool", address);
    expect(await pool.hasRole(await pool.KEEPER_ROLE(), b.keeper.address)).to.equal(false);
    expect(await pool.hasRole(await pool.GUARDIAN_ROLE(), b.guardian.address)).to.equal(false);
    await expect(
      pool.connect(b.keeper).setParams(DEFAULT_PARAMS.k, 3000n, 20_000n, WAD / 10n, SURGE_WIDTH),
    ).to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount");
  });

  describe("validation", function () {
    it("rejects zero and identical tokens and a zero feed", async function () {
      const b = await loadFixture(baseFixture);
      const f = b.factory;
      await expect(f.createPool(await poolConfig(b, { base: ethers.ZeroAddress }))).to.be.revertedWithCustomError(
        f,
        "ZeroAddress",
      );
      await expect(f.createPool(await poolConfig(b, { quote: ethers.ZeroAddress }))).to.be.revertedWithCustomError(
        f,
        "ZeroAddress",
      );
      await expect(f.createPool(await poolConfig(b, { feed: ethers.ZeroAddress }))).to.be.revertedWithCustomError(
        f,
        "ZeroAddress",
      );
      const weth = await b.weth.getAddress();
      await expect(f.createPool(await poolConfig(b, { quote: weth })))
        .to.be.revertedWithCustomError(f, "IdenticalTokens")
        .withArgs(weth);
      expect(await f.allPoolsLength()).to.equal(0n);
    });

    it("rejects addresses without code", async function () {
      const b = await loadFixture(baseFixture);
      for (const field of ["base", "quote", "feed"] as const) {
        await expect(b.factory.createPool(await poolConfig(b, { [field]: b.other.address })))
          .to.be.revertedWithCustomError(b.factory, "NotAContract")
          .withArgs(b.other.address);
      }
    });

    it("rejects tokens with more than 18 decimals or without decimals()", async function () {
      const b = await loadFixture(baseFixture);
      const t24 = await ethers.deployContract("MockERC20", ["Big", "BIG", 24]);
      const t18 = await ethers.deployContract("MockERC20", ["Ok", "OK", 18]);
      await expect(b.factory.createPool(await poolConfig(b, { base: await t24.getAddress() })))
        .to.be.revertedWithCustomError(b.factory, "UnsupportedTokenDecimals")
        .withArgs(await t24.getAddress(), 24n);
      await expect(b.factory.createPool(await poolConfig(b, { quote: await t24.getAddress() })))
        .to.be.revertedWithCustomError(b.factory, "UnsupportedTokenDecimals")
        .withArgs(await t24.getAddress(), 24n);
      // The proxy has decimals() but the factory itself has none: a token without decimals().
      const noDecimals = await b.factory.getAddress();
      await expect(b.factory.createPool(await poolConfig(b, { base: noDecimals })))
        .to.be.revertedWithCustomError(b.factory, "InvalidToken")
        .withArgs(noDecimals);
      await expect(b.factory.createPool(await poolConfig(b, { quote: noDecimals })))
        .to.be.revertedWithCustomError(b.factory, "InvalidToken")
        .withArgs(noDecimals);
      // 18 decimals is fine.
      await b.factory.createPool(await poolConfig(b, { base: await t18.getAddress() }));
    });

    it("rejects feeds whose decimals() reverts or exceeds 36", async function () {
      const b = await loadFixture(baseFixture);
      await b.aggregator.setBroken(true);
      await expect(b.factory.createPool(await poolConfig(b)))
        .to.be.revertedWithCustomError(b.factory, "InvalidFeed")
        .withArgs(await b.feed.getAddress());
      await b.aggregator.setBroken(false);
      await b.aggregator.setDecimals(37);
      await expect(b.factory.createPool(await poolConfig(b)))
        .to.be.revertedWithCustomError(b.factory, "UnsupportedFeedDecimals")
        .withArgs(await b.feed.getAddress(), 37n);
      await b.aggregator.setDecimals(36);
      await b.factory.createPool(await poolConfig(b));
      const pool = await ethers.getContractAt("SkewPool", await b.factory.allPools(0n));
      expect(await pool.feedDecimals()).to.equal(36n);
    });

    it("rejects a second pool for the same (base, quote, feed) but allows another feed", async function () {
      const b = await loadFixture(baseFixture);
      const cfg = await poolConfig(b);
      await b.factory.createPool(cfg);
      const existing = await b.factory.getPool(cfg.base, cfg.quote, cfg.feed);
      await expect(b.factory.createPool({ ...cfg, params: { ...DEFAULT_PARAMS, k: 0n } }))
        .to.be.revertedWithCustomError(b.factory, "PoolAlreadyExists")
        .withArgs(existing);
      const feed2 = await ethers.deployContract("MockAggregatorProxy", [await b.aggregator.getAddress()]);
      await expect(b.factory.createPool({ ...cfg, feed: await feed2.getAddress() }))
        .to.emit(b.factory, "PoolCreated")
        .withArgs(cfg.base, cfg.quote, await feed2.getAddress(), anyValue, 1n);
      expect(await b.factory.allPoolsLength()).to.equal(2n);
    });

    it("bubbles up the pool constructor's errors (bounds, parameters, admin, max age, share)", async function () {
      const b = await loadFixture(baseFixture);
      const errs = b.errors;
      await expect(b.factory.createPool(await poolConfig(b, { bounds: { ...DEFAULT_BOUNDS, kMax: WAD + 1n } })))
        .to.be.revertedWithCustomError(errs, "InvalidBounds")
        .withArgs(0);
      await expect(b.factory.createPool(await poolConfig(b, { params: { ...DEFAULT_PARAMS, baseFee: 0n } })))
        .to.be.revertedWithCustomError(errs, "ParamOutOfBounds")
        .withArgs(1, 0n, DEFAULT_BOUNDS.baseFeeMin, DEFAULT_BOUNDS.baseFeeMax);
      await expect(
        b.factory.createPool(await poolConfig(b, { params: { ...DEFAULT_PARAMS, baseFee: 5000n, maxFee: 4000n } })),
      ).to.be.revertedWithCustomError(errs, "MaxFeeBelowBaseFee");
      await expect(b.factory.createPool(await poolConfig(b, { admin: ethers.ZeroAddress })))
        .to.be.revertedWithCustomError(errs, "AccessControlInvalidDefaultAdmin")
        .withArgs(ethers.ZeroAddress);
      await expect(b.factory.createPool(await poolConfig(b, { oracleMaxAge: 0n }))).to.be.revertedWithCustomError(
        errs,
        "InvalidOracleMaxAge",
      );
      await expect(
        b.factory.createPool(await poolConfig(b, { protocolShare: 600_000n })),
      ).to.be.revertedWithCustomError(errs, "ProtocolShareTooHigh");
      expect(await b.factory.allPoolsLength()).to.equal(0n);
    });

    it("only the owner creates pools; ownership moves in two steps", async function () {
      const b = await loadFixture(baseFixture);
      const cfg = await poolConfig(b);
      await expect(b.factory.connect(b.alice).createPool(cfg))
        .to.be.revertedWithCustomError(b.factory, "OwnableUnauthorizedAccount")
        .withArgs(b.alice.address);
      await b.factory.transferOwnership(b.alice.address);
      expect(await b.factory.owner()).to.equal(b.admin.address);
      await b.factory.connect(b.alice).acceptOwnership();
      await b.factory.connect(b.alice).createPool(cfg);
      await expect(
        b.factory.createPool({ ...cfg, quote: await b.weth.getAddress(), base: cfg.quote }),
      ).to.be.revertedWithCustomError(b.factory, "OwnableUnauthorizedAccount");
    });
  });

  describe("createPoolAndSeed and seedPool: the first deposit, checked against the oracle", function () {
    const USDC = 10n ** 6n;
    /** The owner holds and approves the seed; returns the seed arguments (shares to alice). */
    async function fund(b: Base, baseAmount: bigint, quoteAmount: bigint, maxPriceDeviation: bigint) {
      await b.weth.mint(b.admin.address, baseAmount);
      await b.usdc.mint(b.admin.address, quoteAmount);
      await b.weth.connect(b.admin).approve(await b.factory.getAddress(), baseAmount);
      await b.usdc.connect(b.admin).approve(await b.factory.getAddress(), quoteAmount);
      return { baseAmount, quoteAmount, maxPriceDeviation, minShares: 0n, to: b.alice.address };
    }

    it("seeds within the tolerance: 1 % off the oracle passes at 1 %, is refused at 0.99 % and moves nothing", async function () {
      const b = await loadFixture(baseFixture);
      const cfg = await poolConfig(b);
      // 100 WETH against 202,000 USDC: a price of 2,020 vs the oracle's 2,000 (1 % off).
      const tight = await fund(b, 100n * WAD, 202_000n * USDC, 9_999n);
      const before = [await b.weth.balanceOf(b.admin.address), await b.usdc.balanceOf(b.admin.address)];
      await expect(b.factory.createPoolAndSeed(cfg, tight))
        .to.be.revertedWithCustomError(b.factory, "SeedPriceOutOfRange")
        .withArgs(2020n * WAD, 2000n * WAD, 9_999n);
      expect([await b.weth.balanceOf(b.admin.address), await b.usdc.balanceOf(b.admin.address)]).to.deep.equal(before);
      expect(await b.factory.allPoolsLength()).to.equal(0n);
      const pool = await ethers.getContractAt("SkewPool", await b.factory.predictPoolAddress(cfg));
      await expect(b.factory.createPoolAndSeed(cfg, { ...tight, maxPriceDeviation: 10_000n })).to.emit(pool, "Deposit");
      const s = await pool.getState();
      expect([s.baseReserve, s.quoteReserve, s.region]).to.deep.equal([
        100n * WAD,
        202_000n * USDC,
        BigInt(Region.ONE),
      ]);
      expect(await pool.balanceOf(b.alice.address)).to.be.gt(0n);
      // Below the oracle price too.
      const b2 = await baseFixture();
      const cheap = await fund(b2, 100n * WAD, 198_000n * USDC, 9_999n);
      await expect(b2.factory.createPoolAndSeed(await poolConfig(b2), cheap)).to.be.revertedWithCustomError(
        b2.factory,
        "SeedPriceOutOfRange",
      );
    });

    it("refuses zero amounts, a 100 % tolerance, a stale oracle, strangers, and seeding a pool twice", async function () {
      const b = await loadFixture(baseFixture);
      const cfg = await poolConfig(b);
      const seed = await fund(b, 100n * WAD, 200_000n * USDC, 100n);
      for (const bad of [{ baseAmount: 0n }, { quoteAmount: 0n }, { maxPriceDeviation: 1_000_000n }]) {
        await expect(b.factory.createPoolAndSeed(cfg, { ...seed, ...bad })).to.be.revertedWithCustomError(
          b.factory,
          "InvalidSeed",
        );
      }
      await expect(b.factory.connect(b.alice).createPoolAndSeed(cfg, seed))
        .to.be.revertedWithCustomError(b.factory, "OwnableUnauthorizedAccount")
        .withArgs(b.alice.address);
      const latest = await ethers.provider.getBlock("latest");
      await b.aggregator.setRound(2n, 2000n * 10n ** 8n, 1n, BigInt(latest!.timestamp) - 7200n, 2n);
      const errors = await poolErrors();
      await expect(b.factory.createPoolAndSeed(cfg, seed)).to.be.revertedWithCustomError(errors, "StaleOracle");
      await b.aggregator.setAnswer(2000n * 10n ** 8n);
      // Created empty, then seeded by the owner with seedPool; a second seed is refused.
      await b.factory.createPool(cfg);
      const address = await b.factory.getPool(cfg.base, cfg.quote, cfg.feed);
      await expect(b.factory.connect(b.alice).seedPool(address, seed)).to.be.revertedWithCustomError(
        b.factory,
        "OwnableUnauthorizedAccount",
      );
      await b.factory.seedPool(address, seed);
      await expect(b.factory.seedPool(address, seed))
        .to.be.revertedWithCustomError(b.factory, "NotAnEmptyPool")
        .withArgs(address);
      await expect(b.factory.seedPool(b.alice.address, seed))
        .to.be.revertedWithCustomError(b.factory, "NotAnEmptyPool")
        .withArgs(b.alice.address);
    });

    it("a dust first deposit placed before the seed is refused, and the seed sets the equilibrium", async function () {
      const b = await loadFixture(baseFixture);
      const cfg = await poolConfig(b);
      await b.factory.createPool(cfg);
      const pool = await ethers.getContractAt("SkewPool", await b.factory.getPool(cfg.base, cfg.quote, cfg.feed));
      const poolAddress = await pool.getAddress();
      // The griefer: 1 wei WETH + 1 raw unit of USDC.
      await b.weth.mint(b.bob.address, 1n);
      await b.usdc.mint(b.bob.address, 1n);
      await b.weth.connect(b.bob).approve(poolAddress, 1n);
      await b.usdc.connect(b.bob).approve(poolAddress, 1n);
      await expect(pool.connect(b.bob).deposit(1n, 1n, 0n, b.bob.address, ethers.MaxUint256))
        .to.be.revertedWithCustomError(pool, "FirstDepositNotByFactory")
        .withArgs(b.bob.address, await b.factory.getAddress());
      expect([await b.weth.balanceOf(b.bob.address), await b.usdc.balanceOf(b.bob.address)]).to.deep.equal([1n, 1n]);
      await b.factory.seedPool(poolAddress, await fund(b, 1000n * WAD, 2_000_000n * USDC, 100n));
      const s = await pool.getState();
      // The equilibrium inventory is the seed, at the oracle's ratio.
      expect([s.baseTarget, s.quoteTarget]).to.deep.equal([1000n * WAD, 2_000_000n * WAD]);
    });
  });
});
