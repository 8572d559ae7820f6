/**
 * The pull-oracle tests' world: Pyth's official MockPyth (fee per update), a `PythOracle` for ETH/USD
 * (8 decimals, Pyth exponent -8, 1 % confidence bound) under a WETH/USDC pool with a 60 s max age, and a
 * WBTC/USDC pool on a push feed, so routes can mix both kinds. Bob seeded both pools; alice and carol hold
 * tokens and approved the router.
 */
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockAggregator, MockPermitERC20, MockPyth, PythOracle, SkewPool } from "../../typechain-types";
import { encodeMockPythUpdate } from "../../sdk/priceSourceMockPyth";
import { createSeededPool, deployCore, deployFeed, deployToken } from "./sdkEnv";
import type { Core } from "./sdkEnv";
import type { GuardConfigStruct } from "../../typechain-types/contracts/oracle/PythOracle";

export const E18 = 10n ** 18n;
export const E8 = 10n ** 8n;
export const E6 = 10n ** 6n;
/** Pyth's fee per update, wei. */
export const UPDATE_FEE = 1_000_000_000n;
/** The pull pool's max age, seconds. */
export const PULL_MAX_AGE = 60n;
/** ETH/USD's Pyth price id (the real one). */
export const ETH_ID = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";
/** Another id (BTC/USD). */
export const BTC_ID = "0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";
/** Pyth's exponent for crypto / USD prices. */
export const EXPO = -8;
/** The oracle's confidence bound: 1 %. */
export const MAX_CONF_PIPS = 10_000n;
/** The world's breaker: 50 % (wide, so price moves in the swap tests do not trip it), 15 min cool-down. */
export const WORLD_MAX_MOVE = 500_000n;
export const COOL_DOWN = 900n;

/** The guard's settings, overridable field by field. */
export function pythGuard(overrides: Partial<GuardConfigStruct> = {}): GuardConfigStruct {
  return {
    maxMovePips: WORLD_MAX_MOVE,
    coolDown: COOL_DOWN,
    minAnswer: 1n,
    maxAnswer: 10n ** 20n,
    sequencerFeed: ethers.ZeroAddress,
    sequencerGracePeriod: 0n,
    ...overrides,
  };
}

/**
 * Deploys a PythOracle (admin and guardian `admin`, no admin delay) for `priceId` on `pyth`; with `firstPrice`,
 * lands it and has the guardian clear it (the first price has no reference, so the breaker holds it back).
 */
export async function deployPythOracle(
  pyth: string,
  admin: HardhatEthersSigner,
  options: { priceId?: string; decimals?: number; guard?: Partial<GuardConfigStruct>; firstPrice?: string } = {},
): Promise<PythOracle> {
  const feed = {
    pyth,
    priceId: options.priceId ?? ETH_ID,
    decimals: options.decimals ?? 8,
    maxConfidencePips: MAX_CONF_PIPS,
    description: "ETH / USD (Pyth)",
  };
  const oracle = (await ethers.deployContract("PythOracle", [
    feed,
    pythGuard(options.guard),
    admin.address,
    0n,
    admin.address,
  ])) as unknown as PythOracle;
  if (options.firstPrice !== undefined) {
    await oracle.updatePrice([options.firstPrice], { value: UPDATE_FEE });
    await oracle.connect(admin).clearBreaker((await oracle.latestPrice()).publishTime);
  }
  return oracle;
}

export interface PythWorld {
  admin: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  core: Core;
  router: string;
  weth: MockPermitERC20;
  usdc: MockPermitERC20;
  wbtc: MockPermitERC20;
  pyth: MockPyth;
  oracle: PythOracle;
  btcFeed: MockAggregator;
  /** WETH/USDC on the Pyth oracle. */
  pullPool: SkewPool;
  /** WBTC/USDC on a push feed. */
  pushPool: SkewPool;
  a: { weth: string; usdc: string; wbtc: string; pyth: string; oracle: string; pullPool: string; pushPool: string };
}

/** The latest block's timestamp. */
export async function now(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
}

/** MockPyth update data for ETH/USD at `usd` dollars (conf 0.1 %), published at `publishTime`. */
export function ethUpdate(usd: bigint, publishTime: bigint, conf?: bigint, priceId = ETH_ID): string {
  const price = usd * E8;
  return encodeMockPythUpdate({ priceId, price, conf: conf ?? price / 1000n, expo: EXPO, publishTime });
}

/** Deploys the world (use with `loadFixture`). */
export async function pythWorld(): Promise<PythWorld> {
  const [admin, alice, bob, carol] = await ethers.getSigners();
  const core = await deployCore(admin);
  const weth = await deployToken(admin, "WETH", 18);
  const usdc = await deployToken(admin, "USDC", 6);
  const wbtc = await deployToken(admin, "WBTC", 8);
  const pyth = (await ethers.deployContract("MockPyth", [60n, UPDATE_FEE])) as unknown as MockPyth;
  const oracle = await deployPythOracle(await pyth.getAddress(), admin, { firstPrice: ethUpdate(3000n, await now()) });
  const btcFeed = await deployFeed(admin, 8, 60_000n * E8);
  const params = { k: E18 / 2n, baseFee: 500n, maxFee: 10_000n, tau: E18 / 10n };
  const pullPool = await createSeededPool(
    core,
    admin,
    {
      base: await weth.getAddress(),
      quote: await usdc.getAddress(),
      feed: await oracle.getAddress(),
      params,
      oracleMaxAge: PULL_MAX_AGE,
    },
    { baseAmount: 1000n * E18, quoteAmount: 3_000_000n * E6, to: bob.address },
  );
  const pushPool = await createSeededPool(
    core,
    admin,
    { base: await wbtc.getAddress(), quote: await usdc.getAddress(), feed: await btcFeed.getAddress(), params },
    { baseAmount: 50n * E8, quoteAmount: 3_000_000n * E6, to: bob.address },
  );
  for (const who of [alice, carol]) {
    await weth.mint(who.address, 10_000n * E18);
    await usdc.mint(who.address, 100_000_000n * E6);
    await wbtc.mint(who.address, 1_000n * E8);
    for (const token of [weth, usdc, wbtc]) await token.connect(who).approve(core.routerAddress, MaxUint256);
  }
  return {
    admin,
    alice,
    bob,
    carol,
    core,
    router: core.routerAddress,
    weth,
    usdc,
    wbtc,
    pyth,
    oracle,
    btcFeed,
    pullPool,
    pushPool,
    a: {
      weth: await weth.getAddress(),
      usdc: await usdc.getAddress(),
      wbtc: await wbtc.getAddress(),
      pyth: await pyth.getAddress(),
      oracle: await oracle.getAddress(),
      pullPool: await pullPool.getAddress(),
      pushPool: await pushPool.getAddress(),
    },
  };
}

/**
 * `loadFixture(pythWorld)`, brought to the present: a reverted snapshot sits in the past of the next block
 * (by the wall-clock time since it was taken), so this mines a block and posts a fresh 3000 ETH/USD price,
 * after which `now()` is later than that price's publish time.
 */
export async function loadPythWorld(): Promise<PythWorld> {
  const w = await loadFixture(pythWorld);
  await mine(1);
  await w.oracle.updatePrice([ethUpdate(3000n, await now())], { value: UPDATE_FEE });
  return w;
}
