import { expect } from "chai";
import { artifacts, ethers } from "hardhat";
import type { ErrorFragment, Interface } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockAggregator, MockAggregatorProxy, MockERC20, SkewFactory, SkewPool } from "../../typechain-types";
import type { PoolConfigStruct } from "../../typechain-types/contracts/SkewFactory";

export const WAD = 10n ** 18n;
export const PIPS = 1_000_000n;
export const MAX_UINT = ethers.MaxUint256;

/** Solidity enums. */
export const Side = { SellBase: 0, SellQuote: 1 } as const;
export const Region = { ONE: 0, A: 1, B: 2 } as const;
export const Param = { K: 0, BaseFee: 1, MaxFee: 2, Tau: 3, SurgeWidth: 4 } as const;

export const ADMIN_DELAY = 3n * 24n * 3600n;
export const MIN_INTERVAL = 3600n;
export const MAX_AGE = 3600n;
/** Reference price: 2000 USDC per WETH, 8-decimal feed. */
export const FEED_DECIMALS = 8;
export const PRICE = 2000n * 10n ** 8n;

/** A new pool's surge ramp width (contracts/pool/PoolStorage.sol DEFAULT_SURGE_WIDTH), WAD. */
export const SURGE_WIDTH = WAD / 20n;
export const DEFAULT_PARAMS = { k: WAD / 2n, baseFee: 3000n, maxFee: 20_000n, tau: WAD / 10n };
export const DEFAULT_BOUNDS = {
  kMin: 0n,
  kMax: WAD,
  tauMin: 0n,
  tauMax: (WAD * 9n) / 10n,
  baseFeeMin: 100n,
  baseFeeMax: 10_000n,
  maxFeeMin: 1_000n,
  maxFeeMax: 100_000n,
};
export const DEFAULT_STEPS = { k: WAD / 10n, tau: WAD / 10n, baseFee: 1_000n, maxFee: 10_000n };

/** Fully qualified names of the pool's linked libraries. */
const LIBS = ["SwapLogic", "LiquidityLogic", "AdminLogic"] as const;
export type LibraryAddresses = Record<`contracts/pool/${(typeof LIBS)[number]}.sol:${(typeof LIBS)[number]}`, string>;

/** Deploys the pool's logic libraries and returns them keyed for linking. */
export async function deployLibraries(): Promise<LibraryAddresses> {
  const out: Record<string, string> = {};
  for (const name of LIBS) {
    const lib = await ethers.deployContract(name);
    out[`contracts/pool/${name}.sol:${name}`] = await lib.getAddress();
  }
  return out as LibraryAddresses;
}

/**
 * An object carrying the union of the error ABIs the pool can revert with: its own and those of its
 * logic libraries (oracle and math errors are raised inside `SwapLogic`). For `revertedWithCustomError`.
 */
export async function poolErrors(): Promise<{ interface: Interface }> {
  const fragments = new Map<string, ErrorFragment>();
  for (const name of ["SkewPool", ...LIBS]) {
    const iface = new ethers.Interface((await artifacts.readArtifact(name)).abi);
    iface.forEachError((e) => fragments.set(e.selector, e));
  }
  return { interface: new ethers.Interface([...fragments.values()]) };
}

export interface Base {
  admin: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  other: HardhatEthersSigner;
  weth: MockERC20;
  usdc: MockERC20;
  aggregator: MockAggregator;
  feed: MockAggregatorProxy;
  libraries: LibraryAddresses;
  factory: SkewFactory;
  errors: { interface: Interface };
}

/** Tokens (18-dec WETH, 6-dec USDC), an 8-dec feed behind a proxy, the libraries and a factory. */
export async function baseFixture(): Promise<Base> {
  const [admin, keeper, guardian, alice, bob, treasury, other] = await ethers.getSigners();
  const weth = await ethers.deployContract("MockERC20", ["Wrapped Ether", "WETH", 18]);
  const usdc = await ethers.deployContract("MockERC20", ["USD Coin", "USDC", 6]);
  const aggregator = await ethers.deployContract("MockAggregator", [FEED_DECIMALS, PRICE]);
  const feed = await ethers.deployContract("MockAggregatorProxy", [await aggregator.getAddress()]);
  const libraries = await deployLibraries();
  const factory = (await (
    await ethers.getContractFactory("SkewFactory", { libraries })
  ).deploy(admin.address)) as unknown as SkewFactory;
  const errors = await poolErrors();
  return {
    admin,
    keeper,
    guardian,
    alice,
    bob,
    treasury,
    other,
    weth,
    usdc,
    aggregator,
    feed,
    libraries,
    factory,
    errors,
  };
}

/** A pool configuration with the defaults above, overridable field by field. */
export async function poolConfig(b: Base, overrides: Partial<PoolConfigStruct> = {}): Promise<PoolConfigStruct> {
  return {
    base: await b.weth.getAddress(),
    quote: await b.usdc.getAddress(),
    feed: await b.feed.getAddress(),
    params: DEFAULT_PARAMS,
    bounds: DEFAULT_BOUNDS,
    steps: DEFAULT_STEPS,
    minInterval: MIN_INTERVAL,
    oracleMaxAge: MAX_AGE,
    protocolShare: 0n,
    admin: b.admin.address,
    adminDelay: ADMIN_DELAY,
    keeper: b.keeper.address,
    guardian: b.guardian.address,
    ...overrides,
  };
}

export interface PoolCtx extends Base {
  pool: SkewPool;
  cfg: PoolConfigStruct;
}

/** Funds alice and bob with WETH and USDC and approves `pool` for both. */
async function fundUsers(b: Base, pool: string): Promise<void> {
  for (const user of [b.alice, b.bob]) {
    await b.weth.mint(user.address, 1_000_000n * WAD);
    await b.usdc.mint(user.address, 2_000_000_000n * 10n ** 6n);
    await b.weth.connect(user).approve(pool, MAX_UINT);
    await b.usdc.connect(user).approve(pool, MAX_UINT);
  }
}

/** Creates a pool through the factory and funds and approves alice and bob. */
export async function poolFixture(): Promise<PoolCtx> {
  const b = await baseFixture();
  const cfg = await poolConfig(b);
  const address = await b.factory.createPool.staticCall(cfg);
  await b.factory.createPool(cfg);
  const pool = (await ethers.getContractAt("SkewPool", address)) as unknown as SkewPool;
  await fundUsers(b, address);
  return { ...b, pool, cfg };
}

/** Initial liquidity: 100 WETH and 200,000 USDC (balanced at the 2000 USDC reference price). */
export const SEED_BASE = 100n * WAD;
export const SEED_QUOTE = 200_000n * 10n ** 6n;

/** Any seed price within (0, 2x) of the oracle's passes: for tests that seed at other ratios on purpose. */
export const ANY_SEED_PRICE = PIPS - 1n;

/**
 * Creates a pool and makes its first deposit in one transaction (`SkewFactory.createPoolAndSeed`): the
 * factory's owner mints and pays the seed, `to` receives the shares. Returns the pool.
 */
export async function createSeededPool(
  b: Base,
  cfg: PoolConfigStruct,
  baseAmount: bigint,
  quoteAmount: bigint,
  to: string,
  maxPriceDeviation = ANY_SEED_PRICE,
): Promise<SkewPool> {
  const factory = await b.factory.getAddress();
  for (const [token, amount] of [
    [cfg.base, baseAmount],
    [cfg.quote, quoteAmount],
  ] as const) {
    const t = (await ethers.getContractAt("MockERC20", token as string)) as unknown as MockERC20;
    await t.connect(b.admin).mint(b.admin.address, amount);
    await t.connect(b.admin).approve(factory, amount);
  }
  const seed = { baseAmount, quoteAmount, maxPriceDeviation, minShares: 0n, to };
  const [address] = await b.factory.connect(b.admin).createPoolAndSeed.staticCall(cfg, seed);
  await b.factory.connect(b.admin).createPoolAndSeed(cfg, seed);
  return (await ethers.getContractAt("SkewPool", address)) as unknown as SkewPool;
}

/** `poolFixture`, but the pool is seeded at creation with SEED_BASE / SEED_QUOTE, alice holding the shares. */
export async function seededPoolFixture(): Promise<PoolCtx> {
  const b = await baseFixture();
  const cfg = await poolConfig(b);
  const pool = await createSeededPool(b, cfg, SEED_BASE, SEED_QUOTE, b.alice.address, 0n);
  const address = await pool.getAddress();
  await fundUsers(b, address);
  return { ...b, pool, cfg };
}

/** A deadline one hour from the latest block. */
export async function deadline(): Promise<bigint> {
  return BigInt(await time.latest()) + 3600n;
}

/** Every balance a failed call could have moved, plus the pool's accounting. */
export async function snapshot(ctx: PoolCtx): Promise<bigint[]> {
  const holders = [await ctx.pool.getAddress(), ctx.alice.address, ctx.bob.address, ctx.treasury.address];
  const out: bigint[] = [];
  for (const h of holders) {
    out.push(await ctx.weth.balanceOf(h), await ctx.usdc.balanceOf(h), await ctx.pool.balanceOf(h));
  }
  const s = await ctx.pool.getState();
  out.push(
    s.baseReserve,
    s.quoteReserve,
    s.baseTarget,
    s.quoteTarget,
    s.totalSupply,
    s.protocolFeesBase,
    s.protocolFeesQuote,
  );
  return out;
}

/** Asserts that `call` reverts with the named custom error (optionally with args) and moves nothing. */
export async function expectRevertNoChange(
  ctx: PoolCtx,
  call: () => Promise<unknown>,
  error: string,
  args?: unknown[],
): Promise<void> {
  const before = await snapshot(ctx);
  const assertion = expect(call()).to.be.revertedWithCustomError(ctx.errors, error);
  if (args) await assertion.withArgs(...args);
  else await assertion;
  expect(await snapshot(ctx)).to.deep.equal(before);
}

/** Sends `amount` of the side's input token from `from` to the pool (the balance-delta swap's first step). */
export async function sendInput(ctx: PoolCtx, from: HardhatEthersSigner, side: number, amount: bigint): Promise<void> {
  const token = side === Side.SellBase ? ctx.weth : ctx.usdc;
  await token.connect(from).transfer(await ctx.pool.getAddress(), amount);
}

/** Creates another pool through the context's factory (default config with overrides). */
export async function createPool(ctx: PoolCtx, overrides: Parameters<typeof poolConfig>[1]): Promise<SkewPool> {
  const cfg = await poolConfig(ctx, overrides);
  const address = await ctx.factory.createPool.staticCall(cfg);
  await ctx.factory.createPool(cfg);
  return (await ethers.getContractAt("SkewPool", address)) as unknown as SkewPool;
}

/** Creates another pool (default config with overrides) seeded at creation, `to` holding the shares. */
export async function createPoolSeeded(
  ctx: PoolCtx,
  overrides: Parameters<typeof poolConfig>[1],
  baseAmount: bigint,
  quoteAmount: bigint,
  to: string,
): Promise<SkewPool> {
  return createSeededPool(ctx, await poolConfig(ctx, overrides), baseAmount, quoteAmount, to);
}

export const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * What a proportional (non-first) deposit of standard tokens takes and mints, by the rules of
 * ISkewPool.deposit: the largest share amount both maxima allow, the amounts it needs rounded up,
 * and the shares those amounts buy rounded down.
 */
export function proportionalDeposit(
  s: { baseReserve: bigint; quoteReserve: bigint; totalSupply: bigint },
  baseMax: bigint,
  quoteMax: bigint,
): { wanted: bigint; needBase: bigint; needQuote: bigint; shares: bigint } {
  const S = s.totalSupply;
  const wanted = min((baseMax * S) / s.baseReserve, (quoteMax * S) / s.quoteReserve);
  const needBase = ceilDiv(wanted * s.baseReserve, S);
  const needQuote = ceilDiv(wanted * s.quoteReserve, S);
  const shares = min((needBase * S) / s.baseReserve, (needQuote * S) / s.quoteReserve);
  return { wanted, needBase, needQuote, shares };
}
