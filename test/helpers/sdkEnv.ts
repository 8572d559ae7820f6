/**
 * Deploys a Skew environment with plain ethers signers (no Hardhat runtime), so SDK tests and
 * the SDK benchmark (which runs against a separate node) share it: the pool's logic libraries,
 * a factory, a router, mock tokens and feeds, pools with wide bounds, seeded at creation by the factory.
 */
import type { Signer } from "ethers";
import type { MockAggregator, MockPermitERC20, SkewFactory, SkewPool, SkewRouter } from "../../typechain-types";
import { MockAggregator__factory } from "../../typechain-types/factories/contracts/test/MockAggregator__factory";
import { MockPermitERC20__factory } from "../../typechain-types/factories/contracts/test/MockPermitERC20__factory";
import { AdminLogic__factory } from "../../typechain-types/factories/contracts/pool/AdminLogic__factory";
import { LiquidityLogic__factory } from "../../typechain-types/factories/contracts/pool/LiquidityLogic__factory";
import { SwapLogic__factory } from "../../typechain-types/factories/contracts/pool/SwapLogic__factory";
import { SkewFactory__factory } from "../../typechain-types/factories/contracts/SkewFactory__factory";
import { SkewPool__factory } from "../../typechain-types/factories/contracts/SkewPool__factory";
import { SkewRouter__factory } from "../../typechain-types/factories/contracts/SkewRouter__factory";
import type { PoolConfigStruct } from "../../typechain-types/contracts/SkewFactory";

export const WAD = 10n ** 18n;

/** Bounds that allow every legal parameter value. */
export const WIDE_BOUNDS = {
  kMin: 0n,
  kMax: WAD,
  tauMin: 0n,
  tauMax: WAD - 1n,
  baseFeeMin: 0n,
  baseFeeMax: 999_999n,
  maxFeeMin: 0n,
  maxFeeMax: 999_999n,
};
/** Steps that allow any change in one keeper update. */
export const MAX_STEPS = { k: WAD, tau: WAD, baseFee: 1_000_000n, maxFee: 1_000_000n };
/** The largest oracle max age (uint32): feeds never go stale in long tests. */
export const MAX_AGE = 2n ** 32n - 1n;

/** The core contracts. */
export interface Core {
  factory: SkewFactory;
  router: SkewRouter;
  factoryAddress: string;
  routerAddress: string;
}

/** Deploys the logic libraries, the factory (owned by `admin`) and the router. */
export async function deployCore(admin: Signer): Promise<Core> {
  const swap = await new SwapLogic__factory(admin).deploy();
  const liquidity = await new LiquidityLogic__factory(admin).deploy();
  const adminLogic = await new AdminLogic__factory(admin).deploy();
  const links = {
    "contracts/pool/SwapLogic.sol:SwapLogic": await swap.getAddress(),
    "contracts/pool/LiquidityLogic.sol:LiquidityLogic": await liquidity.getAddress(),
    "contracts/pool/AdminLogic.sol:AdminLogic": await adminLogic.getAddress(),
  };
  const factory = await new SkewFactory__factory(links, admin).deploy(await admin.getAddress());
  const factoryAddress = await factory.getAddress();
  const router = await new SkewRouter__factory(admin).deploy(factoryAddress);
  return { factory, router, factoryAddress, routerAddress: await router.getAddress() };
}

/** Deploys a mintable ERC-20 with EIP-2612 permit. */
export async function deployToken(signer: Signer, symbol: string, decimals: number): Promise<MockPermitERC20> {
  return new MockPermitERC20__factory(signer).deploy(`Mock ${symbol}`, symbol, decimals);
}

/** Deploys a mock Chainlink feed with `decimals` and an initial answer. */
export async function deployFeed(signer: Signer, decimals: number, answer: bigint): Promise<MockAggregator> {
  return new MockAggregator__factory(signer).deploy(decimals, answer);
}

/** What a pool is created with (everything but the tokens and feed has a default). */
export interface PoolSpec {
  base: string;
  quote: string;
  feed: string;
  params?: { k: bigint; baseFee: bigint; maxFee: bigint; tau: bigint };
  protocolShare?: bigint;
  oracleMaxAge?: bigint;
  minInterval?: bigint;
  /** Keeper and guardian (default: the admin). */
  keeper?: string;
  guardian?: string;
}

/** A pool's configuration: wide bounds, unlimited steps and no keeper interval by default. */
function poolConfigOf(spec: PoolSpec, adminAddress: string): PoolConfigStruct {
  return {
    base: spec.base,
    quote: spec.quote,
    feed: spec.feed,
    params: spec.params ?? { k: WAD / 2n, baseFee: 500n, maxFee: 10_000n, tau: WAD / 10n },
    bounds: WIDE_BOUNDS,
    steps: MAX_STEPS,
    minInterval: spec.minInterval ?? 0n,
    oracleMaxAge: spec.oracleMaxAge ?? MAX_AGE,
    protocolShare: spec.protocolShare ?? 0n,
    admin: adminAddress,
    adminDelay: 0n,
    keeper: spec.keeper ?? adminAddress,
    guardian: spec.guardian ?? adminAddress,
  };
}

/** Creates an empty pool through the factory (see {@link poolConfigOf}); only the factory can seed it. */
export async function createPool(core: Core, admin: Signer, spec: PoolSpec): Promise<SkewPool> {
  const cfg = poolConfigOf(spec, await admin.getAddress());
  const factory = core.factory.connect(admin);
  const address = await factory.createPool.staticCall(cfg);
  await (await factory.createPool(cfg)).wait();
  return SkewPool__factory.connect(address, admin);
}

/** The first deposit of a pool created by {@link createSeededPool}. */
export interface SeedSpec {
  baseAmount: bigint;
  quoteAmount: bigint;
  /** Who receives the LP shares. */
  to: string;
  /** Largest seed price deviation from the oracle, pips (default: any price within (0, 2x) of it). */
  maxPriceDeviation?: bigint;
}

/**
 * Creates a pool and makes its first deposit in one transaction (`SkewFactory.createPoolAndSeed`, the
 * only way a pool gets its first deposit): the admin (factory owner) mints the mock tokens, approves the
 * factory and pays the seed; `seed.to` receives the shares.
 */
export async function createSeededPool(core: Core, admin: Signer, spec: PoolSpec, seed: SeedSpec): Promise<SkewPool> {
  const adminAddress = await admin.getAddress();
  for (const [token, amount] of [
    [spec.base, seed.baseAmount],
    [spec.quote, seed.quoteAmount],
  ] as const) {
    const t = MockPermitERC20__factory.connect(token, admin);
    await (await t.mint(adminAddress, amount)).wait();
    await (await t.approve(core.factoryAddress, amount)).wait();
  }
  const cfg = poolConfigOf(spec, adminAddress);
  const params = {
    baseAmount: seed.baseAmount,
    quoteAmount: seed.quoteAmount,
    maxPriceDeviation: seed.maxPriceDeviation ?? 999_999n,
    minShares: 0n,
    to: seed.to,
  };
  const factory = core.factory.connect(admin);
  const [address] = await factory.createPoolAndSeed.staticCall(cfg, params);
  await (await factory.createPoolAndSeed(cfg, params)).wait();
  return SkewPool__factory.connect(address, admin);
}
