/**
 * A local market for a deployed Skew system: mock feeds follow a seeded random walk with
 * occasional jumps (published like Chainlink: on a deviation or a heartbeat), noise traders
 * swap random sizes on random pools and sides, an optional one-sided flow keeps selling one
 * side of one pool, the simulator's arbitrageur trades each pool back toward the true price,
 * and the keeper runs on every pool. Each step advances the node's clock, so a keeper update
 * (minimum interval 10 min on localhost) comes within a few steps.
 *
 * Local chains only (mock tokens are minted to the traders). Used by `npm run market`,
 * `npm run app` and the demo.
 */
import { getAddress, JsonRpcProvider, MaxUint256, Signer } from "ethers";
import { KeeperRunner } from "../../keeper/runner";
import { silentLogger } from "../../keeper/log";
import { SkewClient } from "../../sdk/client";
import type { DeploymentRecord } from "../../sdk/deployments";
import { imbalance, midPrice, Region } from "../../sdk/math";
import type { PoolMath, SwapSide } from "../../sdk/math";
import { getPoolStates } from "../../sdk/state";
import type { PoolSnapshot } from "../../sdk/state";
import { bestArbitrage, inputFor } from "../../sim/agents";
import { Rng } from "../../sim/prng";
import { SkewVenue } from "../../sim/skew";
import { fromRaw, toRaw, valueAt } from "../../sim/venue";
import type { Tokens } from "../../sim/venue";
import { MockAggregator__factory, MockPermitERC20__factory } from "../../typechain-types";
import { postPythPrice } from "./pythMarket";

const YEAR = 365 * 24 * 3600;

/** How the market behaves. */
export interface MarketConfig {
  seed: number;
  /** Annualised volatility of every true price. */
  sigma: number;
  /** Chain seconds each step advances the node's clock (0: leave the clock alone). */
  stepSeconds: number;
  /** Probability of a price jump in a step, and the jump's log-size standard deviation. */
  jumpProbability: number;
  jumpSigma: number;
  /** Mean noise orders per step (all pools), and their median size in quote units (USD). */
  noiseOrders: number;
  noiseUsd: number;
  /** One-sided flow: this much (USD) sold every step on `flowPool`'s `flowSide` (0: none). */
  flowUsd: number;
  flowSide: SwapSide;
  /** Pool name of the one-sided flow (default: the first pool). */
  flowPool?: string;
  /** The feed publishes on a relative move of this size, or after `feedHeartbeat` seconds. */
  feedDeviation: number;
  feedHeartbeat: number;
  /** Run the keeper on every pool each `keeperEvery` steps (0: never). */
  keeperEvery: number;
  /** Whether the arbitrageur trades. */
  arbitrage: boolean;
}

export const DEFAULT_MARKET: MarketConfig = {
  seed: 1,
  sigma: 0.8,
  stepSeconds: 300,
  jumpProbability: 0.02,
  jumpSigma: 0.02,
  noiseOrders: 1.5,
  noiseUsd: 5000,
  flowUsd: 0,
  flowSide: "sellBase",
  feedDeviation: 0.003,
  feedHeartbeat: 1800,
  keeperEvery: 2,
  arbitrage: true,
};

/** The accounts the market trades with (unlocked node accounts on a local chain). */
export interface MarketAccounts {
  /** Mints the mock tokens (anyone may, on the mocks). */
  funder: Signer;
  traders: Signer[];
  arbitrageur: Signer;
  /** Sends keeper updates (it must hold the pools' keeper role). */
  keeper?: Signer;
}

/** A swap the market sent (or tried to). */
export interface MarketOrder {
  pool: string;
  kind: "noise" | "flow" | "arbitrage";
  side: SwapSide;
  /** Size at the true price, quote units. */
  usd: number;
  /** Filled amounts and fee, when the swap executed. */
  amountIn?: bigint;
  amountOut?: bigint;
  feePips?: bigint;
  feeAmount?: bigint;
  /** Why it failed, when it did. */
  error?: string;
}

/** One pool after a step. */
export interface PoolStep {
  name: string;
  truePrice: number;
  feedPrice: number;
  /** The pool's mid price, whole quote per whole base; null while it quotes none (the feed's breaker holds). */
  mid: number | null;
  /** Signed inventory: + long base (region B), − short base (region A), fraction of the target value. */
  inventory: number;
  baseReserve: number;
  quoteReserve: number;
  /** Signed inventory after the traders' orders, before the arbitrageur (the step's extreme). */
  inventoryBeforeArbitrage: number;
  k: number;
  tau: number;
  /** Fees in pips. */
  baseFee: number;
  maxFee: number;
  keeperUpdated: boolean;
  /** What the keeper did this step ("updated", or why it skipped), when it ran. */
  keeperStatus?: string;
}

/** What one step did. */
export interface StepReport {
  step: number;
  /** Chain timestamp after the step. */
  time: number;
  orders: MarketOrder[];
  pools: PoolStep[];
}

interface MarketPool {
  name: string;
  address: string;
  tokens: Tokens;
  /** The mock aggregator behind a push feed, or the PythOracle of a pull pool (updated through MockPyth). */
  aggregator: string;
  pull: boolean;
  feedDecimals: number;
  truePrice: number;
  feedPrice: number;
  lastFeedTime: number;
}

/** A mid price for a progress line: "halted" while the pool quotes none. */
export const formatMid = (mid: number | null): string => (mid === null ? "halted" : mid.toFixed(2));

/** One line per step: every pool's price, mid, inventory and k, and what traded. */
export function describeStep(r: StepReport): string {
  const pools = r.pools
    .map(
      (p) =>
        `${p.name} ${p.truePrice.toFixed(2)} (feed ${p.feedPrice.toFixed(2)}, mid ${formatMid(p.mid)}) inv ${(p.inventory * 100).toFixed(2)}% k ${p.k.toFixed(3)}${p.keeperUpdated ? " KEEPER UPDATE" : ""}`,
    )
    .join(" | ");
  const done = r.orders.filter((o) => o.error === undefined);
  const count = (kind: string) => done.filter((o) => o.kind === kind).length;
  const failed = r.orders.length - done.length;
  return `step ${r.step}: ${pools} | swaps ${count("noise")} noise, ${count("flow")} flow, ${count("arbitrage")} arb${failed ? `, ${failed} failed` : ""}`;
}

/** The signed inventory of a pool's math: + long base, − short base, fraction of the target value. */
export function signedInventory(math: PoolMath): number {
  const size = fromRaw(imbalance(math), 18);
  return math.region === Region.B ? size : math.region === Region.A ? -size : 0;
}

/** The whole-token oracle price of a snapshot (quote per base). */
export function snapshotPrice(s: PoolSnapshot): number {
  return Number(s.oracle.price.num) / Number(s.oracle.price.den);
}

/**
 * Finds the mock aggregator behind a pool's feed proxy (or its Skew oracle) in a local deployment record,
 * or the pool's PythOracle itself (a pull pool: the market posts its price through MockPyth every step).
 */
function aggregatorOf(record: DeploymentRecord, feed: string): string {
  const entry = Object.entries(record.contracts).find(([, c]) => getAddress(c.address) === getAddress(feed));
  if (entry?.[1].contract === "PythOracle") return entry[1].address;
  const feedName = entry?.[0].replace(/ (feed|oracle)$/, "");
  const agg = feedName !== entry?.[0] ? record.contracts[`${feedName} aggregator`] : undefined;
  if (agg === undefined) throw new Error(`the market needs mock feeds: no aggregator recorded for the feed ${feed}`);
  return agg.address;
}

export class MarketDriver {
  private readonly rng: Rng;
  private stepCount = 0;

  private constructor(
    private readonly provider: JsonRpcProvider,
    private readonly router: string,
    private readonly pools: MarketPool[],
    private readonly accounts: MarketAccounts,
    readonly config: MarketConfig,
    private readonly keeper: KeeperRunner | undefined,
  ) {
    this.rng = new Rng(config.seed, "market");
  }

  /**
   * Prepares a market on a local deployment: reads every pool, mints tokens to the traders and
   * approves the router once for each.
   */
  static async create(
    provider: JsonRpcProvider,
    record: DeploymentRecord,
    accounts: MarketAccounts,
    config: MarketConfig = DEFAULT_MARKET,
  ): Promise<MarketDriver> {
    if (record.chainId !== 31337 && record.chainId !== 1337) {
      throw new Error(`the market driver runs on local chains only (this record is chain ${record.chainId})`);
    }
    const names = Object.keys(record.pools);
    if (names.length === 0) throw new Error("the deployment record has no pools");
    if (config.flowPool !== undefined && !names.includes(config.flowPool)) {
      throw new Error(`unknown flow pool "${config.flowPool}": known pools are ${names.join(", ")}`);
    }
    const states = await getPoolStates(
      names.map((n) => record.pools[n].address),
      provider,
    );
    const now = (await provider.getBlock("latest"))!.timestamp;
    const pools: MarketPool[] = names.map((name, i) => {
      const s = states[i];
      const price = snapshotPrice(s);
      return {
        name,
        address: s.address,
        tokens: { baseDecimals: s.baseDecimals, quoteDecimals: s.quoteDecimals },
        aggregator: aggregatorOf(record, s.feed),
        pull: s.oracle.status?.kind === "pull",
        feedDecimals: s.feedDecimals,
        truePrice: price,
        feedPrice: price,
        lastFeedTime: Math.min(now, Number(s.oracle.updatedAt)),
      };
    });
    const router = record.contracts.SkewRouter.address;
    // One keeper process serves the whole fleet with one key (one nonce manager), as in production.
    const keeper =
      accounts.keeper === undefined || config.keeperEvery <= 0
        ? undefined
        : new KeeperRunner({
            provider,
            signer: accounts.keeper,
            pools: pools.map((p) => ({ name: p.name, address: p.address })),
            logger: silentLogger(),
            intervalMs: 0,
          });
    const tokens = new Set(states.flatMap((s) => [s.base, s.quote]));
    for (const who of [...accounts.traders, accounts.arbitrageur]) {
      const address = await who.getAddress();
      for (const t of tokens) {
        const token = MockPermitERC20__factory.connect(t, accounts.funder);
        const decimals = Number(await token.decimals());
        await (await token.mint(address, 10n ** BigInt(decimals + 12))).wait();
        await (await token.connect(who).approve(router, MaxUint256)).wait();
      }
    }
    return new MarketDriver(provider, router, pools, accounts, config, keeper);
  }

  /** The pools' names. */
  get poolNames(): string[] {
    return this.pools.map((p) => p.name);
  }

  /** A pool's true price now. */
  truePrice(pool: string): number {
    return this.pool(pool).truePrice;
  }

  /**
   * One step: advance the clock, move the true prices and publish the feeds, then the noise
   * orders, the one-sided flow and `extra` orders, then the arbitrage, then the keeper.
   * `shocks` adds a log-move to a pool's true price this step (by pool name).
   */
  async step(
    extra: { pool: string; side: SwapSide; usd: number }[] = [],
    shocks: Record<string, number> = {},
  ): Promise<StepReport> {
    const c = this.config;
    this.stepCount++;
    if (c.stepSeconds > 0) {
      await this.provider.send("evm_increaseTime", [c.stepSeconds]);
      await this.provider.send("evm_mine", []);
    }
    const now = (await this.provider.getBlock("latest"))!.timestamp;
    const dt = Math.max(c.stepSeconds, 1) / YEAR;
    const s = c.sigma * Math.sqrt(dt);
    for (const p of this.pools) {
      let move = s * this.rng.normal() - 0.5 * s * s;
      if (this.rng.bernoulli(c.jumpProbability)) move += c.jumpSigma * this.rng.normal();
      move += shocks[p.name] ?? 0;
      p.truePrice *= Math.exp(move);
      // A pull pool's price is as fresh as the swaps bring: posted every step.
      const due = Math.abs(p.truePrice / p.feedPrice - 1) >= c.feedDeviation || now - p.lastFeedTime >= c.feedHeartbeat;
      if (p.pull || due) {
        await this.publish(p, p.truePrice, now);
      }
    }

    const orders: MarketOrder[] = [];
    const noise = this.rng.poisson(c.noiseOrders);
    for (let i = 0; i < noise; i++) {
      const p = this.pools[this.rng.int(this.pools.length)];
      const side: SwapSide = this.rng.uniform() < 0.5 ? "sellBase" : "sellQuote";
      const usd = Math.min(40 * c.noiseUsd, this.rng.logNormal(Math.log(c.noiseUsd), 1));
      const trader = this.accounts.traders[this.rng.int(this.accounts.traders.length)];
      orders.push(await this.trade(p, "noise", side, usd, trader));
    }
    if (c.flowUsd > 0) {
      const p = c.flowPool === undefined ? this.pools[0] : this.pool(c.flowPool);
      orders.push(await this.trade(p, "flow", c.flowSide, c.flowUsd, this.accounts.traders[0]));
    }
    for (const o of extra)
      orders.push(await this.trade(this.pool(o.pool), "flow", o.side, o.usd, this.accounts.traders[0]));

    const states = await this.states();
    const beforeArbitrage = states.map((st) => signedInventory(st.math));
    if (c.arbitrage) {
      for (const [i, p] of this.pools.entries()) {
        const st = states[i];
        if (!st.oracle.ok || st.paused) continue;
        const value = valueAt(p.tokens, st.math.baseReserve, st.math.quoteReserve, p.truePrice);
        const best = bestArbitrage(
          new SkewVenue(st.math),
          p.truePrice,
          p.tokens,
          { gasUsd: 2, maxTradesPerBlock: 1, sizeTol: 1e-5 },
          value,
        );
        if (best === null) continue;
        orders.push(
          await this.trade(
            p,
            "arbitrage",
            best.fill.side,
            best.trade.valueIn,
            this.accounts.arbitrageur,
            best.fill.amountIn,
          ),
        );
      }
    }

    const keeper = new Map<string, string>();
    if (this.keeper !== undefined && c.keeperEvery > 0 && this.stepCount % c.keeperEvery === 0) {
      const tick = await this.keeper.tick();
      for (const t of tick.pools) keeper.set(t.name, t.status === "skipped" ? `skipped: ${t.reason}` : t.status);
    }

    const after = await this.states();
    const time = (await this.provider.getBlock("latest"))!.timestamp;
    return {
      step: this.stepCount,
      time,
      orders,
      pools: this.pools.map((p, i) => {
        const m = after[i].math;
        return {
          name: p.name,
          truePrice: p.truePrice,
          feedPrice: p.feedPrice,
          mid: m.price.num === 0n ? null : fromRaw(midPrice(m), 18),
          inventory: signedInventory(m),
          inventoryBeforeArbitrage: beforeArbitrage[i],
          baseReserve: fromRaw(m.baseReserve, p.tokens.baseDecimals),
          quoteReserve: fromRaw(m.quoteReserve, p.tokens.quoteDecimals),
          k: fromRaw(m.k, 18),
          tau: fromRaw(m.tau, 18),
          baseFee: Number(m.baseFee),
          maxFee: Number(m.maxFee),
          keeperUpdated: keeper.get(p.name) === "updated",
          keeperStatus: keeper.get(p.name),
        };
      }),
    };
  }

  /** Publishes `price` on a pool's mock feed (a new complete round, now). */
  private async publish(p: MarketPool, price: number, now: number): Promise<void> {
    if (p.pull) {
      await postPythPrice(p.aggregator, this.accounts.funder, toRaw(price, 8), BigInt(now));
    } else {
      const agg = MockAggregator__factory.connect(p.aggregator, this.accounts.funder);
      await (await agg.setAnswer(toRaw(price, p.feedDecimals))).wait();
    }
    p.feedPrice = price;
    p.lastFeedTime = now;
    // Pools sharing this aggregator see the same round.
    for (const other of this.pools) {
      if (other !== p && other.aggregator === p.aggregator) {
        other.feedPrice = price;
        other.lastFeedTime = now;
        other.truePrice = price;
      }
    }
  }

  /** Sends one exact-in swap worth `usd` (or exactly `amountIn`), recording the result or the error. */
  private async trade(
    p: MarketPool,
    kind: MarketOrder["kind"],
    side: SwapSide,
    usd: number,
    trader: Signer,
    amountIn?: bigint,
  ): Promise<MarketOrder> {
    const order: MarketOrder = { pool: p.name, kind, side, usd };
    const amount = amountIn ?? inputFor(p.tokens, side, usd, p.truePrice);
    try {
      const client = new SkewClient({
        signer: trader,
        router: this.router,
        slippageBps: kind === "arbitrage" ? 10 : 100,
      });
      const r = await client.swapExactIn({ pool: p.address, side }, amount);
      const sw = r.swaps[0];
      Object.assign(order, {
        amountIn: sw.amountIn,
        amountOut: sw.amountOut,
        feePips: sw.feePips,
        feeAmount: sw.feeAmount,
      });
    } catch (e) {
      order.error = (e as Error).message.split("\n")[0].slice(0, 160);
    }
    return order;
  }

  private states(): Promise<PoolSnapshot[]> {
    return getPoolStates(
      this.pools.map((p) => p.address),
      this.provider,
    );
  }

  private pool(name: string): MarketPool {
    const p = this.pools.find((x) => x.name === name);
    if (p === undefined) throw new Error(`unknown pool "${name}": known pools are ${this.poolNames.join(", ")}`);
    return p;
  }
}
