/**
 * Helpers of the keeper runner's tests: a pool whose parameters sit at the calm-market equilibrium of
 * the default policy, a feed history writer, an EIP-1193 wrapper that records calls and injects RPC
 * failures, a plain-ethers provider and wallets on top of it (the production path: local signing and
 * `eth_sendRawTransaction`), a fake clock and an in-memory log sink.
 */
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { BrowserProvider, HDNodeWallet, Network, Wallet } from "ethers";
import type { Eip1193Provider } from "ethers";
import type { SkewPool } from "../../typechain-types";
import { parsePolicyConfig } from "../../keeper/config";
import type { PolicyConfig } from "../../keeper/config";
import { createLogger } from "../../keeper/log";
import type { Logger } from "../../keeper/log";
import type { Clock } from "../../keeper/runner";
import {
  baseFixture,
  createSeededPool,
  deadline,
  FEED_DECIMALS,
  poolConfig,
  SEED_BASE,
  SEED_QUOTE,
  WAD,
} from "../pool/fixtures";
import type { Base } from "../pool/fixtures";

export const HOUR = 3600;
/** Hardhat's default accounts come from this public mnemonic. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const HARDHAT_CHAIN_ID = 31337;

/**
 * The policy the tests run, every coefficient pinned (the defaults are tuned by the simulator and may
 * change): the scenarios below are computed from these values.
 */
export const TEST_POLICY_JSON = {
  volHalfLifeSeconds: 12 * HOUR,
  minRounds: 2,
  flowHalfLifeSeconds: HOUR,
  flowPriorValue: 0,
  kBase: 0.05,
  gamma: 150,
  horizonSeconds: 24 * HOUR,
  kFlow: 0.25,
  feeLagMultiplier: 0.5,
  baseFeeFloorPips: 500,
  feedIntervalSeconds: 0,
  maxFeeSpreadPips: 5_000,
  maxFeeFlowPips: 20_000,
  tauBase: 0.1,
  tauFlow: 0.08,
  tauFloor: 0.01,
  hysteresis: {
    k: { abs: 0.02, rel: 0.1 },
    baseFee: { abs: 50, rel: 0.15 },
    maxFee: { abs: 250, rel: 0.15 },
    tau: { abs: 0.005, rel: 0.1 },
  },
};
export const TEST_POLICY: PolicyConfig = parsePolicyConfig(TEST_POLICY_JSON);

/**
 * Parameters at {@link TEST_POLICY}'s calm equilibrium (sigma ~ 9 %, no flow): k 0.05 (target ~0.054),
 * base fee 500 pips (target ~502), max fee 5,500, tau 0.1. A calm feed leaves them inside the band.
 */
export const CALM_PARAMS = { k: WAD / 20n, baseFee: 500n, maxFee: 5_500n, tau: WAD / 10n };
/** Calm prices: 2000 * (1 +- 0.05 %), so hourly returns of ~0.1 % (annualised ~9 %). */
export const CALM_MOVE = 0.0005;
/** Volatile prices: 2000 * (1 +- 3 %), returns of ~6 %. */
export const WILD_MOVE = 0.03;

/** The feed's base price (2000, 8 decimals). */
const PRICE_8 = 2000n * 10n ** BigInt(FEED_DECIMALS);

export interface KeeperCtx extends Base {
  pool: SkewPool;
  poolAddress: string;
}

/** A factory pool with {@link CALM_PARAMS}, seeded by alice (100 WETH / 200,000 USDC at 2000). */
export async function keeperPoolFixture(): Promise<KeeperCtx> {
  const b = await baseFixture();
  const cfg = await poolConfig(b, { params: CALM_PARAMS });
  const pool = await createSeededPool(b, cfg, SEED_BASE, SEED_QUOTE, b.alice.address);
  const poolAddress = await pool.getAddress();
  await b.weth.mint(b.alice.address, 1_000n * WAD);
  await b.usdc.mint(b.alice.address, 2_000_000n * 10n ** 6n);
  await b.weth.connect(b.alice).approve(poolAddress, ethers.MaxUint256);
  await b.usdc.connect(b.alice).approve(poolAddress, ethers.MaxUint256);
  return { ...b, pool, poolAddress };
}

/** The price `2000 * (1 + move)` in feed units. */
function priceAt(move: number): bigint {
  return (PRICE_8 * BigInt(Math.round((1 + move) * 1e9))) / 1_000_000_000n;
}

/**
 * Writes `count` rounds into the aggregator, `spacing` seconds apart, ending at the chain's time after
 * advancing it by `count * spacing`: the price alternates 2000 * (1 +- move) around 2000, so every
 * round is a log return of about 2 * move. The last round is fresh, so the pool's oracle is usable.
 */
export async function writeRounds(ctx: KeeperCtx, count: number, spacing: number, move: number): Promise<void> {
  await time.increase(count * spacing);
  const end = await time.latest();
  let id = await ctx.aggregator.latestRound();
  for (let i = 0; i < count; i++) {
    id += 1n;
    const t = end - (count - 1 - i) * spacing;
    await ctx.aggregator.setRound(id, priceAt(i % 2 === 0 ? move : -move), t, t, id);
  }
}

/** Two days of calm hourly rounds. */
export async function calmHistory(ctx: KeeperCtx): Promise<void> {
  await writeRounds(ctx, 48, HOUR, CALM_MOVE);
}

/** Advances time and writes `count` volatile rounds `spacing` seconds apart (a fresh latest round). */
export async function volatileWalk(ctx: KeeperCtx, count = 6, spacing = 600): Promise<void> {
  await writeRounds(ctx, count, spacing, WILD_MOVE);
}

/** One recorded JSON-RPC request. */
export interface RecordedCall {
  method: string;
  params: unknown[];
}

/**
 * An EIP-1193 provider over Hardhat's in-process network that records every request and can fail
 * the next N requests (optionally only of some methods) with a JSON-RPC internal error, as a flaky
 * node or a dropped connection would.
 */
export class FlakyEip1193 implements Eip1193Provider {
  readonly calls: RecordedCall[] = [];
  private failuresLeft = 0;
  private passesLeft = 0;
  private failMethods: ReadonlySet<string> | undefined;
  /** Requests that failed by injection. */
  injected = 0;

  /**
   * Makes `n` matching requests fail (`methods` undefined: any method), after letting the next
   * `after` matching ones through.
   */
  failNext(n: number, methods?: string[], after = 0): void {
    this.failuresLeft = n;
    this.passesLeft = after;
    this.failMethods = methods === undefined ? undefined : new Set(methods);
  }

  async request(request: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown> {
    const params = Array.isArray(request.params) ? request.params : [];
    this.calls.push({ method: request.method, params });
    const matches = this.failMethods === undefined || this.failMethods.has(request.method);
    if (matches && this.failuresLeft > 0 && this.passesLeft > 0) {
      this.passesLeft--;
    } else if (matches && this.failuresLeft > 0) {
      this.failuresLeft--;
      this.injected++;
      throw Object.assign(new Error("injected failure: connection reset by peer"), { code: -32603 });
    }
    return network.provider.request({ method: request.method, params });
  }

  /** The recorded requests of one method. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }
}

/** A plain-ethers provider over `eip1193` (no caching, fast polling), on Hardhat's chain id. */
export function plainProvider(eip1193: Eip1193Provider): BrowserProvider {
  const net = Network.from(HARDHAT_CHAIN_ID);
  return new BrowserProvider(eip1193, net, { staticNetwork: net, cacheTimeout: -1, pollingInterval: 20 });
}

/** Hardhat's default account `index` as a local-signing wallet on `provider`. */
export function hardhatWallet(index: number, provider: BrowserProvider): Wallet {
  const hd = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return new Wallet(hd.privateKey, provider);
}

/**
 * A clock whose sleeps return at once and are recorded; `onSleep` may stop the runner. A loop that
 * never stops fails after 100 sleeps instead of spinning forever.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private ms = 1_700_000_000_000;
  constructor(private readonly onSleep: (sleeps: number[]) => void = () => undefined) {}

  now(): number {
    return this.ms;
  }

  async sleep(ms: number): Promise<void> {
    if (this.sleeps.length >= 100) throw new Error("FakeClock: runaway loop (100 sleeps)");
    this.sleeps.push(ms);
    this.ms += ms;
    this.onSleep(this.sleeps);
  }
}

/** A pino destination that keeps the lines in memory. */
export class MemoryLog {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }

  /** Every line, parsed. */
  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** The parsed lines with this `event`. */
  events(event: string): Record<string, unknown>[] {
    return this.entries().filter((e) => e.event === event);
  }

  /** A JSON logger (debug level) writing here. */
  logger(): Logger {
    return createLogger({ level: "debug", destination: this });
  }
}

/** Number of `ParamsUpdated` events the keeper caused since `fromBlock`. */
export async function keeperUpdates(ctx: KeeperCtx, fromBlock = 0): Promise<number> {
  const logs = await ctx.pool.queryFilter(ctx.pool.filters.ParamsUpdated(ctx.keeper.address), fromBlock);
  return logs.length;
}

/** Alice swaps `baseAmount` WETH (18 decimals) worth: sells that much base, or its value in USDC at 2000. */
export async function aliceSwaps(ctx: KeeperCtx, sellBase: boolean, baseAmount: bigint): Promise<void> {
  const token = sellBase ? ctx.weth : ctx.usdc;
  const amount = sellBase ? baseAmount : (baseAmount * 2000n) / 10n ** 12n;
  await token.connect(ctx.alice).transfer(ctx.poolAddress, amount);
  await ctx.pool.connect(ctx.alice).swap(sellBase ? 0 : 1, 0n, ctx.alice.address, await deadline());
}
