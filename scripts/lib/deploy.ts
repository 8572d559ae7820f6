/**
 * The deployment itself, shared by `scripts/deploy.ts` (any network) and the demo (a local
 * node it starts): libraries, factory, router, and the pools of a per-network config; on
 * local chains also mock tokens and Chainlink-shaped feeds, and seed liquidity. With an `oracle`
 * section, every feed gets a `ChainlinkOracle` (circuit breaker, answer bounds, optional L2
 * sequencer check) and pools price from it; each pool's `oracleMaxAge` defaults to its feed's
 * heartbeat plus the margin, and a larger one is refused unless forced.
 *
 * Idempotent: a contract in the previous record is reused when the code at its address is
 * still what was deployed and its sources have not changed since (creation-code hash); a pool
 * is reused when the factory already has it. `reset` starts over. Code hashes are read back from
 * the chain at the deployment's block (`deployedCode.ts`): empty code is never recorded or reused.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ContractFactory, getAddress, id, parseUnits, Provider, Signer } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import {
  AdminLogic__factory,
  AggregatorV3Interface__factory,
  ChainlinkOracle__factory,
  LiquidityLogic__factory,
  MockAggregator__factory,
  MockAggregatorProxy__factory,
  MockPermitERC20__factory,
  MockPyth__factory,
  PythOracle__factory,
  SkewFactory__factory,
  SkewPool__factory,
  SkewRouter__factory,
  SwapLogic__factory,
} from "../../typechain-types";
import type { DeployedContract, DeployedPool, DeploymentRecord } from "../../sdk/deployments";
import { encodeMockPythUpdate } from "../../sdk/priceSourceMockPyth";
import { deployedCodeHash, recordedCodeIsLive } from "./deployedCode";

/** Chain ids on which mocks may be deployed. */
export const LOCAL_CHAIN_IDS = [31337n, 1337n];

type Amount = string; // decimal string: whole tokens, or a fraction for k / tau

export interface TokenConfig {
  /** An existing token (real networks). */
  address?: string;
  /** A mock to deploy (local chains only). */
  mock?: { name: string; decimals: number };
}

export interface FeedConfig {
  address?: string;
  mock?: { decimals: number; answer: Amount };
  /** The feed's heartbeat, seconds: pools' `oracleMaxAge` defaults to it plus `oracle.maxAgeMargin`. */
  heartbeat?: number;
  /** The oracle's answer bounds, in whole units of the feed (e.g. "100" USD); defaults: `oracle`'s. */
  minAnswer?: Amount;
  maxAnswer?: Amount;
}

/**
 * The Skew oracle every feed is wrapped in (`ChainlinkOracle`, see `contracts/oracle/OracleGuard.sol`).
 * Without this section pools price straight from the feeds, as before.
 */
export interface OracleDeployConfig {
  /** Circuit breaker: largest move from the previous answer, pips (10,000 = 1 %). */
  maxMovePips: number;
  /** Seconds after a tripped round at which it becomes usable without the guardian. */
  coolDown: number;
  /** Added to a feed's heartbeat to give a pool's default `oracleMaxAge`, seconds. */
  maxAgeMargin: number;
  /** Default answer bounds in whole feed units (a feed's own `minAnswer` / `maxAnswer` win). */
  minAnswer: Amount;
  maxAnswer: Amount;
  /** Chainlink L2 sequencer-uptime feed (an address), or null on L1 / local chains. */
  sequencerFeed?: string | null;
  /** Seconds after the sequencer comes back before prices are usable. */
  sequencerGracePeriod?: number;
}

export interface PoolDeployConfig {
  name: string;
  base: string;
  quote: string;
  feed: string;
  params: { k: Amount; baseFee: number; maxFee: number; tau: Amount };
  bounds: {
    kMin: Amount;
    kMax: Amount;
    tauMin: Amount;
    tauMax: Amount;
    baseFeeMin: number;
    baseFeeMax: number;
    maxFeeMin: number;
    maxFeeMax: number;
  };
  steps: { k: Amount; tau: Amount; baseFee: number; maxFee: number };
  minInterval: number;
  /**
   * Largest accepted round age, seconds. Optional when the feed has a `heartbeat`: then it defaults to
   * heartbeat + `oracle.maxAgeMargin`, and a larger value is refused unless the deploy is forced.
   */
  oracleMaxAge?: number;
  protocolShare: number;
  /** The least rate away-from-target volume pays, pips (DESIGN.md §2); set by the admin after creation. */
  feeFloor?: number;
  /** Limits of the keeper's surge ramp width (WAD amounts); set by the admin after creation. */
  surgeWidthLimits?: { min: Amount; max: Amount; maxStep: Amount };
  /**
   * Initial liquidity in whole tokens: the factory creates the pool and makes this first deposit in one
   * transaction (`createPoolAndSeed`), from the deployer's tokens (mock tokens are minted to it first on
   * local chains), refusing a seed whose price `quote / base` is more than `maxPriceDeviation` pips away
   * from the feed's. Shares go to the deployer. Without a seed the pool is created empty, and only the
   * factory's owner can seed it later (`SkewFactory.seedPool`).
   */
  seed?: { base: Amount; quote: Amount; maxPriceDeviation: number };
}

/** A Pyth pull oracle (`PythOracle`) to deploy. */
export interface PullFeedConfig {
  /** The chain's Pyth contract, or a `MockPyth` to deploy (local chains only; fee in wei per update). */
  pyth: { address?: string; mock?: { validTimePeriod: number; updateFee: string } };
  /** The Pyth price id (quote per base). */
  priceId: string;
  /** Decimals of the oracle's answers (at least minus Pyth's exponent). */
  decimals: number;
  /** The confidence bound, pips of the price. */
  maxConfidencePips: number;
  /** The guard: breaker (pips, seconds), answer bounds (whole quote per base), optional L2 sequencer feed. */
  guard: {
    maxMovePips: number;
    coolDown: number;
    minAnswer: Amount;
    maxAnswer: Amount;
    sequencerFeed?: string;
    sequencerGracePeriod?: number;
  };
  /**
   * Local chains: the first price posted through MockPyth (whole quote per base, exponent -8), which the
   * admin clears as the breaker's reference, so that pools on it can be seeded.
   */
  mockPrice?: Amount;
}

/** A role holder: "deployer", "account:N" (an unlocked node account, local only) or an address. */
type RoleRef = string;

export interface DeployConfig {
  mocks?: boolean;
  tokens: Record<string, TokenConfig>;
  feeds: Record<string, FeedConfig>;
  /** Pull oracles (`PythOracle`), usable as a pool's `feed` by name like the push feeds. */
  pullFeeds?: Record<string, PullFeedConfig>;
  roles: { admin: RoleRef; keeper: RoleRef; guardian: RoleRef; adminDelay: number };
  /** Wrap every feed in a Skew oracle (see {@link OracleDeployConfig}); absent: pools use the feeds. */
  oracle?: OracleDeployConfig;
  pools: PoolDeployConfig[];
}

export interface DeployOptions {
  /** Signs every deployment. */
  signer: Signer;
  network: string;
  config: DeployConfig;
  /** The record of an earlier run on this network, to reuse what is still valid. */
  previous?: DeploymentRecord;
  reset?: boolean;
  /** Accept a pool `oracleMaxAge` above its feed's heartbeat plus the margin. */
  forceMaxAge?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The deploy config of a network, from `scripts/config/<network>.json`. */
export function loadDeployConfig(network: string, dir = path.resolve(__dirname, "..", "config")): DeployConfig {
  const file = path.join(dir, `${network}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DeployConfig;
  } catch (e) {
    throw new Error(`no deploy config for network "${network}" (${file}): ${(e as Error).message}`);
  }
}

/** The current git commit (with "-dirty" when the work tree has changes), or "unknown". */
export function gitCommit(): string {
  try {
    const root = path.resolve(__dirname, "..", "..");
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head}-dirty` : head;
  } catch {
    return "unknown";
  }
}

/** Compiler settings of the build the artifacts come from. */
export function compilerSettings(): DeploymentRecord["compiler"] {
  const root = path.resolve(__dirname, "..", "..");
  const dbg = JSON.parse(
    readFileSync(path.join(root, "artifacts/contracts/SkewFactory.sol/SkewFactory.dbg.json"), "utf8"),
  ) as { buildInfo: string };
  const info = JSON.parse(
    readFileSync(path.resolve(root, "artifacts/contracts/SkewFactory.sol", dbg.buildInfo), "utf8"),
  ) as {
    solcLongVersion: string;
    input: { settings: { optimizer: { enabled: boolean; runs: number }; evmVersion: string } };
  };
  return {
    version: info.solcLongVersion,
    optimizer: { enabled: info.input.settings.optimizer.enabled, runs: info.input.settings.optimizer.runs },
    evmVersion: info.input.settings.evmVersion,
  };
}

const WAD_DECIMALS = 18;
/** `OracleReason.CircuitBreakerTripped` of `contracts/oracle/IOracleGuard.sol`. */
const BREAKER_TRIPPED = 6;
const toWad = (x: Amount) => parseUnits(x, WAD_DECIMALS);
const jsonArgs = (args: unknown[]) =>
  JSON.parse(JSON.stringify(args, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown[];

/**
 * A pool's `oracleMaxAge`: the configured value, or its feed's heartbeat plus the margin. Refuses a
 * configured value above heartbeat + margin unless `force`, and a pool with neither.
 */
export function poolMaxAge(
  pool: PoolDeployConfig,
  feed: FeedConfig,
  oracle: OracleDeployConfig | undefined,
  force = false,
): number {
  const margin = oracle?.maxAgeMargin ?? 0;
  const limit = feed.heartbeat === undefined ? undefined : feed.heartbeat + margin;
  if (pool.oracleMaxAge === undefined) {
    if (limit === undefined) throw new Error(`pool ${pool.name}: give oracleMaxAge, or a heartbeat for its feed`);
    return limit;
  }
  if (limit !== undefined && pool.oracleMaxAge > limit && !force) {
    throw new Error(
      `pool ${pool.name}: oracleMaxAge ${pool.oracleMaxAge} s exceeds its feed's heartbeat ${feed.heartbeat} s plus the ` +
        `margin ${margin} s (${limit} s): a stale price would stay tradable; lower it or force the deploy (--force-max-age)`,
    );
  }
  return pool.oracleMaxAge;
}

/** Deploys (or reuses) everything in `config` and returns the new record. */
export async function deploy(opts: DeployOptions): Promise<DeploymentRecord> {
  const { signer, config, network } = opts;
  const log = opts.log ?? (() => undefined);
  const provider = signer.provider as Provider;
  const chainId = (await provider.getNetwork()).chainId;
  const local = LOCAL_CHAIN_IDS.includes(chainId);
  const wantsMocks =
    config.mocks === true ||
    Object.values(config.tokens).some((t) => t.mock) ||
    Object.values(config.feeds).some((f) => f.mock);
  if (wantsMocks && !local) {
    throw new Error(`refusing to deploy mock tokens or feeds on ${network} (chain id ${chainId}): not a local chain`);
  }
  const previous = opts.reset ? undefined : opts.previous;
  if (previous && BigInt(previous.chainId) !== chainId) {
    throw new Error(`deployments/${network}.json is for chain ${previous.chainId}, this node is chain ${chainId}`);
  }
  const deployer = await signer.getAddress();
  const record: DeploymentRecord = {
    network,
    chainId: Number(chainId),
    commit: gitCommit(),
    compiler: compilerSettings(),
    deployer,
    contracts: {},
    pools: {},
    updatedAt: new Date().toISOString(),
  };

  /**
   * Reuses `name` from the previous record when still valid (same creation code, code still live, and with
   * `matchArgs` the same constructor arguments), else deploys it.
   */
  async function ensure(
    name: string,
    factory: ContractFactory,
    args: unknown[],
    contract: string,
    matchArgs = false,
  ): Promise<DeployedContract> {
    const artifactHash = id(factory.bytecode); // text hash: linked code has placeholders
    const old = previous?.contracts[name];
    const argsMatch = !matchArgs || JSON.stringify(old?.args) === JSON.stringify(jsonArgs(args));
    if (old && argsMatch && old.artifactHash === artifactHash && (await recordedCodeIsLive(provider, old))) {
      log(`reuse   ${name.padEnd(16)} ${old.address}`);
      record.contracts[name] = old;
      return old;
    }
    const c = await factory.connect(signer).deploy(...args);
    const tx = c.deploymentTransaction() as ContractTransactionResponse;
    const receipt = await tx.wait();
    if (receipt === null) throw new Error(`deployment of ${name} was dropped`);
    const address = getAddress(await c.getAddress());
    const entry: DeployedContract = {
      address,
      contract,
      txHash: receipt.hash,
      block: receipt.blockNumber,
      args: jsonArgs(args),
      codeHash: await deployedCodeHash(provider, name, address, receipt.blockNumber),
      artifactHash,
    };
    log(`deploy  ${name.padEnd(16)} ${address}  (tx ${receipt.hash.slice(0, 10)}…, block ${receipt.blockNumber})`);
    record.contracts[name] = entry;
    return entry;
  }

  async function role(ref: RoleRef): Promise<string> {
    if (ref === "deployer") return deployer;
    if (ref.startsWith("account:")) {
      if (!local) throw new Error(`role "${ref}" names a node account: only on local chains`);
      const accounts = (await (provider as unknown as { send(m: string, p: unknown[]): Promise<string[]> }).send(
        "eth_accounts",
        [],
      )) as string[];
      const i = Number(ref.slice("account:".length));
      if (accounts[i] === undefined) throw new Error(`the node has no account ${i}`);
      return getAddress(accounts[i]);
    }
    return getAddress(ref);
  }

  // Core: the pool's logic libraries, the factory (linked), the router.
  const libs = {
    "contracts/pool/SwapLogic.sol:SwapLogic": (await ensure("SwapLogic", new SwapLogic__factory(), [], "SwapLogic"))
      .address,
    "contracts/pool/LiquidityLogic.sol:LiquidityLogic": (
      await ensure("LiquidityLogic", new LiquidityLogic__factory(), [], "LiquidityLogic")
    ).address,
    "contracts/pool/AdminLogic.sol:AdminLogic": (
      await ensure("AdminLogic", new AdminLogic__factory(), [], "AdminLogic")
    ).address,
  };
  const factoryEntry = await ensure("SkewFactory", new SkewFactory__factory(libs), [deployer], "SkewFactory");
  await ensure("SkewRouter", new SkewRouter__factory(), [factoryEntry.address], "SkewRouter");
  const factory = SkewFactory__factory.connect(factoryEntry.address, signer);

  // Tokens and feeds.
  const tokens: Record<string, string> = {};
  for (const [name, t] of Object.entries(config.tokens)) {
    if (t.address) tokens[name] = getAddress(t.address);
    else if (t.mock) {
      const args = [t.mock.name, name, t.mock.decimals];
      tokens[name] = (await ensure(name, new MockPermitERC20__factory(), args, "MockPermitERC20")).address;
    } else throw new Error(`token ${name}: give an address or a mock`);
  }
  const admin = await role(config.roles.admin);
  const keeper = await role(config.roles.keeper);
  const guardian = await role(config.roles.guardian);
  /** The feed pools price from (its Skew oracle when wrapped), and the Chainlink feed behind it. */
  const feeds: Record<string, { feed: string; source: string }> = {};
  for (const [name, f] of Object.entries(config.feeds)) {
    let source: string;
    if (f.address) source = getAddress(f.address);
    else if (f.mock) {
      const answer = parseUnits(f.mock.answer, f.mock.decimals);
      const agg = await ensure(
        `${name} aggregator`,
        new MockAggregator__factory(),
        [f.mock.decimals, answer],
        "MockAggregator",
      );
      source = (await ensure(`${name} feed`, new MockAggregatorProxy__factory(), [agg.address], "MockAggregatorProxy"))
        .address;
    } else throw new Error(`feed ${name}: give an address or a mock`);
    if (!config.oracle) {
      feeds[name] = { feed: source, source };
      continue;
    }
    const o = config.oracle;
    const decimals = Number(await AggregatorV3Interface__factory.connect(source, provider).decimals());
    const guardConfig = {
      maxMovePips: o.maxMovePips,
      coolDown: o.coolDown,
      minAnswer: parseUnits(f.minAnswer ?? o.minAnswer, decimals),
      maxAnswer: parseUnits(f.maxAnswer ?? o.maxAnswer, decimals),
      sequencerFeed: o.sequencerFeed ? getAddress(o.sequencerFeed) : "0x0000000000000000000000000000000000000000",
      sequencerGracePeriod: o.sequencerGracePeriod ?? 0,
    };
    const args = [source, guardConfig, admin, config.roles.adminDelay, guardian];
    const oracle = await ensure(`${name} oracle`, new ChainlinkOracle__factory(), args, "ChainlinkOracle", true);
    feeds[name] = { feed: oracle.address, source };
    // A fresh mock feed has one round, the first of its phase: the oracle holds it back for its cool-down
    // (no earlier answer to measure from). On a local chain the deployer, as guardian or admin, clears it;
    // elsewhere that is a guardian's call, after a look at the feed.
    if (f.mock) {
      const o = ChainlinkOracle__factory.connect(oracle.address, signer);
      const st = await o.status();
      if (Number(st.reason) === BREAKER_TRIPPED && (guardian === deployer || admin === deployer)) {
        await (await o.clearBreaker(st.roundId)).wait();
        log(`clear   ${`${name} oracle`.padEnd(16)} round ${st.roundId} (a new mock feed's first round)`);
      }
    }
  }

  // Pools.
  for (const [name, address] of Object.entries(
    await deployPullFeeds(config, { ensure, signer, local, admin, guardian, log }),
  )) {
    feeds[name] = { feed: address, source: address };
  }
  for (const p of config.pools) {
    const base = tokens[p.base];
    const quote = tokens[p.quote];
    if (!base || !quote || !feeds[p.feed]) throw new Error(`pool ${p.name}: unknown token or feed`);
    const { feed, source } = feeds[p.feed];
    const cfg = {
      base,
      quote,
      feed,
      params: { k: toWad(p.params.k), baseFee: p.params.baseFee, maxFee: p.params.maxFee, tau: toWad(p.params.tau) },
      bounds: {
        kMin: toWad(p.bounds.kMin),
        kMax: toWad(p.bounds.kMax),
        tauMin: toWad(p.bounds.tauMin),
        tauMax: toWad(p.bounds.tauMax),
        baseFeeMin: p.bounds.baseFeeMin,
        baseFeeMax: p.bounds.baseFeeMax,
        maxFeeMin: p.bounds.maxFeeMin,
        maxFeeMax: p.bounds.maxFeeMax,
      },
      steps: { k: toWad(p.steps.k), tau: toWad(p.steps.tau), baseFee: p.steps.baseFee, maxFee: p.steps.maxFee },
      minInterval: p.minInterval,
      // A pull feed has no heartbeat: its pools give their (small) max age.
      oracleMaxAge: poolMaxAge(p, config.feeds[p.feed] ?? {}, config.oracle, opts.forceMaxAge),
      protocolShare: p.protocolShare,
      admin,
      adminDelay: config.roles.adminDelay,
      keeper,
      guardian,
    };
    let entry: DeployedPool;
    const existing = await factory.getPool(base, quote, feed);
    const old = previous?.pools[p.name];
    if (existing !== "0x0000000000000000000000000000000000000000") {
      if (old && getAddress(old.address) === getAddress(existing) && (await recordedCodeIsLive(provider, old))) {
        entry = old;
      } else {
        entry = {
          address: getAddress(existing),
          contract: "SkewPool",
          txHash: "",
          block: 0,
          args: jsonArgs([cfg]),
          codeHash: await deployedCodeHash(provider, p.name, existing, await provider.getBlockNumber()),
          artifactHash: id(SkewPool__factory.bytecode),
          base,
          quote,
          feed,
          ...(source === feed ? {} : { source }),
        };
      }
      log(`reuse   ${p.name.padEnd(16)} ${entry.address}`);
    } else {
      const seedArgs = p.seed ? await seedParams(signer, base, quote, factoryEntry.address, p.seed, local) : undefined;
      const tx = seedArgs ? await factory.createPoolAndSeed(cfg, seedArgs) : await factory.createPool(cfg);
      const receipt = await tx.wait();
      if (receipt === null) throw new Error(`pool ${p.name}: creation dropped`);
      const address = getAddress(await factory.getPool(base, quote, feed));
      entry = {
        address,
        contract: "SkewPool",
        txHash: receipt.hash,
        block: receipt.blockNumber,
        args: jsonArgs([cfg]),
        codeHash: await deployedCodeHash(provider, p.name, address, receipt.blockNumber),
        artifactHash: id(SkewPool__factory.bytecode),
        base,
        quote,
        feed,
        ...(source === feed ? {} : { source }),
      };
      log(`create  ${p.name.padEnd(16)} ${address}  (tx ${receipt.hash.slice(0, 10)}…, block ${receipt.blockNumber})`);
      if (p.seed) log(`seed    ${p.name.padEnd(16)} ${p.seed.base} ${p.base} + ${p.seed.quote} ${p.quote} (same tx)`);
    }
    record.pools[p.name] = entry;
    await applyFeeSettings(SkewPool__factory.connect(entry.address, signer), p, admin === deployer, log);
    // A pool created empty by an earlier run: the factory seeds it now.
    if (p.seed && (await SkewPool__factory.connect(entry.address, signer).totalSupply()) === 0n) {
      const seedArgs = await seedParams(signer, base, quote, factoryEntry.address, p.seed, local);
      await (await factory.seedPool(entry.address, seedArgs)).wait();
      log(`seed    ${p.name.padEnd(16)} ${p.seed.base} ${p.base} + ${p.seed.quote} ${p.quote}`);
    }
  }
  return record;
}

/**
 * The admin's fee settings of a pool (DESIGN.md §2): the fee floor and the surge ramp width limits, sent
 * when they differ from the pool's and the deployer is the admin (otherwise logged for the admin to send).
 */
async function applyFeeSettings(
  pool: ReturnType<typeof SkewPool__factory.connect>,
  p: PoolDeployConfig,
  isAdmin: boolean,
  log: (line: string) => void,
): Promise<void> {
  const st = await pool.getState();
  const limits = p.surgeWidthLimits && {
    min: toWad(p.surgeWidthLimits.min),
    max: toWad(p.surgeWidthLimits.max),
    maxStep: toWad(p.surgeWidthLimits.maxStep),
  };
  const floorDue = p.feeFloor !== undefined && BigInt(p.feeFloor) !== st.feeFloor;
  const l = st.surgeWidthLimits;
  const limitsDue = limits && (limits.min !== l.min || limits.max !== l.max || limits.maxStep !== l.maxStep);
  if (!floorDue && !limitsDue) return;
  if (!isAdmin) {
    log(`admin   ${p.name.padEnd(16)} must set feeFloor ${p.feeFloor} and the surge width limits`);
    return;
  }
  if (floorDue) await (await pool.setFeeFloor(p.feeFloor!)).wait();
  if (limitsDue) await (await pool.setSurgeWidthLimits(limits!)).wait();
  log(`fees    ${p.name.padEnd(16)} feeFloor ${p.feeFloor} pips, surge width limits set`);
}

/**
 * The factory's seed arguments for a pool's first deposit: raw amounts (minted to the deployer first on
 * local chains) approved to the factory, which pulls them; the deployer receives the shares.
 */
async function seedParams(
  signer: Signer,
  base: string,
  quote: string,
  factory: string,
  amounts: { base: Amount; quote: Amount; maxPriceDeviation: number },
  local: boolean,
) {
  const me = await signer.getAddress();
  const out: bigint[] = [];
  for (const [token, amount] of [
    [base, amounts.base],
    [quote, amounts.quote],
  ] as const) {
    const t = MockPermitERC20__factory.connect(token, signer);
    const raw = parseUnits(amount, await t.decimals());
    if (local) await (await t.mint(me, raw)).wait();
    await (await t.approve(factory, raw)).wait();
    out.push(raw);
  }
  return {
    baseAmount: out[0],
    quoteAmount: out[1],
    maxPriceDeviation: amounts.maxPriceDeviation,
    minShares: 0n,
    to: me,
  };
}

/** What {@link deployPullFeeds} needs from `deploy`. */
interface PullDeployContext {
  ensure: (
    name: string,
    factory: ContractFactory,
    args: unknown[],
    contract: string,
    matchArgs?: boolean,
  ) => Promise<DeployedContract>;
  signer: Signer;
  local: boolean;
  admin: string;
  guardian: string;
  log: (line: string) => void;
}

/**
 * Deploys (or reuses) the config's pull oracles: MockPyth where asked (local chains), a `PythOracle` per
 * entry (admin and guardian from the roles, the admin delay 0 on local chains), and on local chains gives a
 * new oracle its first price (`mockPrice`), cleared as the breaker's reference, so its pools can be seeded
 * in the same run. Returns the oracles' addresses by name.
 */
async function deployPullFeeds(config: DeployConfig, ctx: PullDeployContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(config.pullFeeds ?? {})) {
    let pyth: string;
    if (f.pyth.address) pyth = getAddress(f.pyth.address);
    else if (f.pyth.mock) {
      if (!ctx.local) throw new Error(`pull feed ${name}: MockPyth only on local chains`);
      const args = [f.pyth.mock.validTimePeriod, BigInt(f.pyth.mock.updateFee)];
      pyth = (await ctx.ensure("MockPyth", new MockPyth__factory(), args, "MockPyth")).address;
    } else throw new Error(`pull feed ${name}: give pyth.address or pyth.mock`);
    const feed = {
      pyth,
      priceId: f.priceId,
      decimals: f.decimals,
      maxConfidencePips: f.maxConfidencePips,
      description: name,
    };
    const guard = {
      maxMovePips: f.guard.maxMovePips,
      coolDown: f.guard.coolDown,
      minAnswer: parseUnits(f.guard.minAnswer, f.decimals),
      maxAnswer: parseUnits(f.guard.maxAnswer, f.decimals),
      sequencerFeed: f.guard.sequencerFeed ?? "0x0000000000000000000000000000000000000000",
      sequencerGracePeriod: f.guard.sequencerGracePeriod ?? 0,
    };
    const adminDelay = ctx.local ? 0 : config.roles.adminDelay;
    const args = [feed, guard, ctx.admin, adminDelay, ctx.guardian];
    const entry = await ctx.ensure(`${name} oracle`, new PythOracle__factory(), args, "PythOracle", true);
    out[name] = entry.address;
    if (ctx.local && f.mockPrice !== undefined) await postFirstMockPrice(ctx, entry.address, f, name);
  }
  return out;
}

/**
 * A new oracle's first price: posts `f.mockPrice` through MockPyth (fee paid) and clears it as the breaker's
 * reference. An oracle that has a price is left alone (a re-run changes nothing; swaps bring fresh prices).
 */
async function postFirstMockPrice(ctx: PullDeployContext, address: string, f: PullFeedConfig, name: string) {
  const oracle = PythOracle__factory.connect(address, ctx.signer);
  if ((await oracle.latestPrice()).publishTime !== 0n) return;
  const block = await (ctx.signer.provider as Provider).getBlock("latest");
  const price = parseUnits(f.mockPrice as string, 8);
  const data = encodeMockPythUpdate({
    priceId: f.priceId,
    price,
    conf: price / 10_000n,
    expo: -8,
    publishTime: BigInt(block?.timestamp ?? 0) + 1n,
  });
  await (await oracle.updatePrice([data], { value: await oracle.getUpdateFee([data]) })).wait();
  await (await oracle.clearBreaker((await oracle.latestPrice()).publishTime)).wait();
  ctx.log(`price   ${name.padEnd(16)} ${f.mockPrice} posted through MockPyth, cleared as the reference`);
}
