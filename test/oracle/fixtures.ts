import { artifacts, ethers } from "hardhat";
import type { ErrorFragment, Interface } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  ChainlinkOracle,
  MockAggregator,
  MockAggregatorProxy,
  MockSequencerUptimeFeed,
  SkewPool,
} from "../../typechain-types";
import type { GuardConfigStruct } from "../../typechain-types/contracts/oracle/ChainlinkOracle";
import {
  ADMIN_DELAY,
  baseFixture,
  createSeededPool,
  FEED_DECIMALS,
  MAX_UINT,
  PIPS,
  PoolCtx,
  poolConfig,
  PRICE,
  SEED_BASE,
  SEED_QUOTE,
  WAD,
} from "../pool/fixtures";

/** `OracleReason` and `SequencerState` of IOracleGuard.sol. */
export const Reason = {
  Usable: 0,
  SequencerDown: 1,
  SequencerGracePeriod: 2,
  SourceUnavailable: 3,
  InvalidRound: 4,
  AnswerOutOfBounds: 5,
  CircuitBreakerTripped: 6,
} as const;
export const Sequencer = { NotChecked: 0, Up: 1, Down: 2, GracePeriod: 3 } as const;

/** The shipped defaults: 1 % breaker, 15 min cool-down, answers in [1e-8, 1e12] of an 8-decimal feed. */
export const MAX_MOVE = 10_000n;
export const COOL_DOWN = 900n;
export const MIN_ANSWER = 1n;
export const MAX_ANSWER = 10n ** 20n;
export const GRACE = 3600n;
export const MAX_LOOKBACK = 8;

export const guardConfig = (overrides: Partial<GuardConfigStruct> = {}): GuardConfigStruct => ({
  maxMovePips: MAX_MOVE,
  coolDown: COOL_DOWN,
  minAnswer: MIN_ANSWER,
  maxAnswer: MAX_ANSWER,
  sequencerFeed: ethers.ZeroAddress,
  sequencerGracePeriod: 0n,
  ...overrides,
});

/** `answer` moved by `pips` of it (rounded towards `answer`). */
export const movedBy = (answer: bigint, pips: bigint): bigint => answer + (answer * pips) / PIPS;

export interface OracleCtx {
  admin: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  other: HardhatEthersSigner;
  aggregator: MockAggregator;
  feed: MockAggregatorProxy;
  sequencer: MockSequencerUptimeFeed;
  oracle: ChainlinkOracle;
}

/** Deploys a ChainlinkOracle over `feed` with `cfg`, admin and guardian as given. */
export async function deployOracle(
  feed: string,
  cfg: GuardConfigStruct,
  admin: HardhatEthersSigner,
  guardian: HardhatEthersSigner,
): Promise<ChainlinkOracle> {
  return (await ethers.deployContract("ChainlinkOracle", [
    feed,
    cfg,
    admin.address,
    ADMIN_DELAY,
    guardian.address,
  ])) as unknown as ChainlinkOracle;
}

/**
 * An 8-decimal feed behind a proxy, a sequencer-uptime feed (up for a day, not wired) and a ChainlinkOracle
 * with the defaults; the feed's first round is older than the cool-down, so the oracle starts usable.
 */
export async function oracleFixture(): Promise<OracleCtx> {
  const [admin, , guardian, , , , other] = await ethers.getSigners();
  const aggregator = (await ethers.deployContract("MockAggregator", [
    FEED_DECIMALS,
    PRICE,
  ])) as unknown as MockAggregator;
  const feed = (await ethers.deployContract("MockAggregatorProxy", [
    await aggregator.getAddress(),
  ])) as unknown as MockAggregatorProxy;
  const now = BigInt(await time.latest());
  const sequencer = (await ethers.deployContract("MockSequencerUptimeFeed", [
    now - 86_400n,
  ])) as unknown as MockSequencerUptimeFeed;
  const oracle = await deployOracle(await feed.getAddress(), guardConfig(), admin, guardian);
  await time.increase(COOL_DOWN);
  return { admin, guardian, other, aggregator, feed, sequencer, oracle };
}

/** The union of the error ABIs of the pool, its libraries and the oracle, for `revertedWithCustomError`. */
export async function poolAndOracleErrors(): Promise<{ interface: Interface }> {
  const fragments = new Map<string, ErrorFragment>();
  for (const name of ["SkewPool", "SwapLogic", "LiquidityLogic", "AdminLogic", "ChainlinkOracle"]) {
    const iface = new ethers.Interface((await artifacts.readArtifact(name)).abi);
    iface.forEachError((e) => fragments.set(e.selector, e));
  }
  return { interface: new ethers.Interface([...fragments.values()]) };
}

/** Writes a new complete round with `answer` and returns its update time. */
export async function pushAnswer(aggregator: MockAggregator, answer: bigint): Promise<bigint> {
  await aggregator.setAnswer(answer);
  return BigInt(await time.latest());
}

export interface GuardedPoolCtx extends PoolCtx {
  oracle: ChainlinkOracle;
  /** The same pool's twin priced straight from the feed (as every pool before the guard). */
  rawPool: SkewPool;
}

/** The seeded pool of `test/pool`, but priced from a ChainlinkOracle over the proxy feed. */
export async function guardedPoolFixture(): Promise<GuardedPoolCtx> {
  const b = await baseFixture();
  const oracle = await deployOracle(await b.feed.getAddress(), guardConfig(), b.admin, b.guardian);
  // The mock feed has one round, the first of its phase: no reference, so it waits out the cool-down.
  await time.increase(COOL_DOWN);
  const pool = await createSeededPool(
    b,
    await poolConfig(b, { feed: await oracle.getAddress() }),
    SEED_BASE,
    SEED_QUOTE,
    b.alice.address,
    0n,
  );
  const rawPool = await createSeededPool(b, await poolConfig(b), SEED_BASE, SEED_QUOTE, b.alice.address, 0n);
  for (const user of [b.alice, b.bob]) {
    await b.weth.mint(user.address, 1_000n * WAD);
    await b.usdc.mint(user.address, 2_000_000n * 10n ** 6n);
    for (const p of [pool, rawPool]) {
      await b.weth.connect(user).approve(await p.getAddress(), MAX_UINT);
      await b.usdc.connect(user).approve(await p.getAddress(), MAX_UINT);
    }
  }
  const cfg = await poolConfig(b, { feed: await oracle.getAddress() });
  return { ...b, errors: await poolAndOracleErrors(), pool, rawPool, cfg, oracle };
}
