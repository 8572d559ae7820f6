/**
 * The deployment itself, shared by `scripts/deploy.ts` (any network) and the demo (a local
 * node it starts): libraries, factory, router, and the pools of a per-network config; on
 * local chains also mock tokens and Chainlink-shaped feeds, and seed liquidity.
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
  LiquidityLogic__factory,
  MockAggregator__factory,
  MockAggregatorProxy__factory,
  MockPermitERC20__factory,
  SkewFactory__factory,
  SkewPool__factory,
  SkewRouter__factory,
  SwapLogic__factory,
} from "../../typechain-types";
import type { DeployedContract, DeployedPool, DeploymentRecord } from "../../sdk/deployments";
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
  oracleMaxAge: number;
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

/** A role holder: "deployer", "account:N" (an unlocked node account, local only) or an address. */
type RoleRef = string;

export interface DeployConfig {
  mocks?: boolean;
  tokens: Record<string, TokenConfig>;
  feeds: Record<string, FeedConfig>;
  roles: { admin: RoleRef; keeper: RoleRef; guardian: RoleRef; adminDelay: number };
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
const toWad = (x: Amount) => parseUnits(x, WAD_DECIMALS);
const jsonArgs = (args: unknown[]) =>
  JSON.parse(JSON.stringify(args, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown[];

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

  /** Reuses `name` from the previous record when still valid, else deploys it. */
  async function ensure(
    name: string,
    factory: ContractFactory,
    args: unknown[],
    contract: string,
  ): Promise<DeployedContract> {
    const artifactHash = id(factory.bytecode); // text hash: linked code has placeholders
    const old = previous?.contracts[name];
    if (old && old.artifactHash === artifactHash && (await recordedCodeIsLive(provider, old))) {
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
  const feeds: Record<string, string> = {};
  for (const [name, f] of Object.entries(config.feeds)) {
    if (f.address) feeds[name] = getAddress(f.address);
    else if (f.mock) {
      const answer = parseUnits(f.mock.answer, f.mock.decimals);
      const agg = await ensure(
        `${name} aggregator`,
        new MockAggregator__factory(),
        [f.mock.decimals, answer],
        "MockAggregator",
      );
      feeds[name] = (
        await ensure(`${name} feed`, new MockAggregatorProxy__factory(), [agg.address], "MockAggregatorProxy")
      ).address;
    } else throw new Error(`feed ${name}: give an address or a mock`);
  }

  // Pools.
  const admin = await role(config.roles.admin);
  const keeper = await role(config.roles.keeper);
  const guardian = await role(config.roles.guardian);
  for (const p of config.pools) {
    const base = tokens[p.base];
    const quote = tokens[p.quote];
    const feed = feeds[p.feed];
    if (!base || !quote || !feed) throw new Error(`pool ${p.name}: unknown token or feed`);
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
      oracleMaxAge: p.oracleMaxAge,
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
