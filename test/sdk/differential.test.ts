import { expect } from "chai";
import fc from "fast-check";
import { ethers, network } from "hardhat";
import { Interface, MaxUint256 } from "ethers";
import { getPoolState, PoolSnapshot } from "../../sdk/state";
import { quoteExactIn, quoteExactOut, SkewQuote } from "../../sdk/quote";
import { Region, SwapQuote, SwapSide, WAD } from "../../sdk/math";
import { decodeSwapLog } from "../../sdk/events";
import { sideToSolidity } from "../../sdk/tx";
import { SkewError } from "../../sdk/errors";
import { ISkewPool__factory } from "../../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import { SkewRouter__factory } from "../../typechain-types/factories/contracts/SkewRouter__factory";
import { MockAggregator__factory } from "../../typechain-types/factories/contracts/test/MockAggregator__factory";
import { fromSolQuote } from "../helpers/harness";
import { createSeededPool, deployCore, deployFeed, deployToken } from "../helpers/sdkEnv";
import { RawReceipt, Rpc, toLogLike } from "../helpers/rpc";

/**
 * Differential test: for DIFF_RUNS (default 10,000) random pool states and swaps, the SDK's pure
 * quote, the pool's on-chain quote view and the swap executed through the router agree to the
 * wei (or fail with the same error). One pool per (base, quote) decimals combination is driven
 * into each state: a new feed answer, new keeper parameters and protocol share, a withdrawal that
 * shrinks it, a pre-trade into region A or B, and often a second keeper update of `k` made there, which
 * the pool queues (so quotes that reach or cross equilibrium price their second leg with the queued k);
 * the chain is reset with evm_snapshot/evm_revert between cases. DIFF_SEED replays a run.
 *
 * Independence: the expectations are the pool's view and the executed swap (its Transfer, Swap and
 * Sync events), never values computed by the SDK itself.
 */
const RUNS = Number(process.env.DIFF_RUNS ?? 10_000);
const SEED = process.env.DIFF_SEED === undefined ? undefined : Number(process.env.DIFF_SEED);
const DECIMALS = [6, 8, 18] as const;
const FEED_DECIMALS = [8, 12, 18] as const;

const poolIface: Interface = ISkewPool__factory.createInterface();
const routerIface = SkewRouter__factory.createInterface();
const feedIface = MockAggregator__factory.createInterface();
const transferIface = new Interface(["event Transfer(address indexed from, address indexed to, uint256 value)"]);
const TRANSFER = transferIface.getEvent("Transfer")!.topicHash;
const SYNC = ISkewPool__factory.createInterface().getEvent("Sync").topicHash;

interface TestPool {
  pool: string;
  base: string;
  quote: string;
  feed: string;
  baseDecimals: number;
  quoteDecimals: number;
  feedDecimals: number;
  lpShares: bigint;
}

/** One random case. */
interface Case {
  pool: number;
  /** price = mantissa / 1e6 * 10^exp whole quote per whole base */
  price: { mantissa: number; exp: number };
  k: bigint;
  baseFee: bigint;
  surge: bigint;
  tau: bigint;
  protocolShare: bigint;
  /** keep 1/shrink of the liquidity */
  shrink: bigint;
  pre: { side: SwapSide; permille: number };
  /** A k sent after the pre-trade (queued when the pool is away from equilibrium), or null. */
  queuedK: bigint | null;
  swap: { side: SwapSide; exactIn: boolean; permille: number; dust: bigint };
}

const sideArb = fc.constantFrom<SwapSide>("sellBase", "sellQuote");

function caseArb(pools: number): fc.Arbitrary<Case> {
  return fc.record({
    pool: fc.nat({ max: pools - 1 }),
    price: fc.record({
      mantissa: fc.integer({ min: 1_000_000, max: 9_999_999 }),
      exp: fc.integer({ min: -4, max: 4 }),
    }),
    k: fc.oneof(fc.constant(0n), fc.constant(WAD), fc.bigInt(0n, WAD)),
    baseFee: fc.oneof({ weight: 4, arbitrary: fc.bigInt(0n, 10_000n) }, fc.bigInt(0n, 200_000n)),
    surge: fc.oneof(fc.constant(0n), fc.bigInt(0n, 100_000n), fc.bigInt(0n, 900_000n)),
    tau: fc.oneof(fc.constant(0n), fc.bigInt(0n, WAD / 2n), fc.bigInt(0n, WAD - 1n)),
    protocolShare: fc.oneof({ weight: 3, arbitrary: fc.constant(0n) }, fc.bigInt(0n, 500_000n)),
    shrink: fc.constantFrom(1n, 1n, 1n, 2n, 1000n, 1_000_000n),
    pre: fc.record({
      side: sideArb,
      permille: fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 950 }) },
      ),
    }),
    queuedK: fc.option(fc.oneof(fc.constant(0n), fc.constant(WAD), fc.bigInt(0n, WAD)), { freq: 2 }),
    swap: fc.record({
      side: sideArb,
      exactIn: fc.boolean(),
      // mostly fillable sizes, some beyond the curve's reach (InsufficientLiquidity), some dust
      permille: fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 950 }) },
        { weight: 1, arbitrary: fc.integer({ min: 950, max: 1500 }) },
      ),
      dust: fc.oneof(
        { weight: 4, arbitrary: fc.bigInt(1n, 1000n) },
        { weight: 1, arbitrary: fc.bigInt(1n, 10n ** 9n) },
      ),
    }),
  });
}

/** The feed answer for a case's price. */
function answerOf(c: Case, feedDecimals: number): bigint {
  return (BigInt(c.price.mantissa) * 10n ** BigInt(feedDecimals + 9 + c.price.exp)) / 10n ** 15n;
}

/** The value of the pool's output side in input units, times permille / 1000, plus dust. */
function valueAmount(s: PoolSnapshot, side: SwapSide, permille: number, dust: bigint): bigint {
  const p = s.math;
  const valueIn =
    side === "sellBase"
      ? (p.quoteReserve * p.quoteScale * p.price.den) / p.price.num / p.baseScale
      : (p.baseReserve * p.baseScale * p.price.num) / p.price.den / p.quoteScale;
  return (valueIn * BigInt(permille)) / 1000n + dust;
}

/** An exact-out request: permille of the output reserve plus dust. */
function outAmount(s: PoolSnapshot, side: SwapSide, permille: number, dust: bigint): bigint {
  const reserve = side === "sellBase" ? s.math.quoteReserve : s.math.baseReserve;
  return (reserve * BigInt(permille)) / 1000n + dust;
}

type Outcome = { ok: true; quote: SwapQuote } | { ok: false; error: string };

/** The SDK's quote in the contracts' shape (to compare), and as the SDK returned it. */
function sdkOutcome(f: () => SkewQuote): { outcome: Outcome; raw?: SkewQuote } {
  try {
    const raw = f();
    return { outcome: { ok: true, quote: fromSolQuote(raw) }, raw };
  } catch (e) {
    if (e instanceof SkewError) return { outcome: { ok: false, error: e.errorName } };
    throw e;
  }
}

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

interface Stats {
  runs: number;
  ok: Record<string, number>;
  errors: Record<string, number>;
  crossings: number;
  surge: number;
  maxFeeHit: number;
  protocolFee: number;
  startRegion: Record<string, number>;
  preTradeFailures: number;
  /** Cases quoted with a queued k, and those whose swap applied it. */
  queued: number;
  applied: number;
}

describe("SDK differential: SDK quote = pool quote view = executed swap", function () {
  const pools: TestPool[] = [];
  let rpc: Rpc;
  let admin: string;
  let trader: string;
  let lp: string;
  let router: string;
  let snap: string;

  before(async function () {
    rpc = new Rpc(network.provider);
    const [adminSigner, traderSigner, lpSigner] = await ethers.getSigners();
    [admin, trader, lp] = [adminSigner.address, traderSigner.address, lpSigner.address];
    const core = await deployCore(adminSigner);
    router = core.routerAddress;
    let i = 0;
    for (const bd of DECIMALS) {
      for (const qd of DECIMALS) {
        const fd = FEED_DECIMALS[i % 3];
        const base = await deployToken(adminSigner, `B${i}`, bd);
        const quote = await deployToken(adminSigner, `Q${i}`, qd);
        const feed = await deployFeed(adminSigner, fd, 2000n * 10n ** BigInt(fd));
        const [b, q, f] = [await base.getAddress(), await quote.getAddress(), await feed.getAddress()];
        const baseWhole = [10n ** 3n, 10n ** 6n, 10n ** 9n][i % 3];
        const pool = await createSeededPool(
          core,
          adminSigner,
          { base: b, quote: q, feed: f },
          { baseAmount: baseWhole * 10n ** BigInt(bd), quoteAmount: baseWhole * 2000n * 10n ** BigInt(qd), to: lp },
        );
        const address = await pool.getAddress();
        for (const token of [base, quote]) {
          await (await token.connect(traderSigner).mint(trader, 2n ** 125n)).wait();
          await (await token.connect(traderSigner).approve(router, MaxUint256)).wait();
        }
        pools.push({
          pool: address,
          base: b,
          quote: q,
          feed: f,
          baseDecimals: bd,
          quoteDecimals: qd,
          feedDecimals: fd,
          lpShares: await pool.balanceOf(lp),
        });
        i++;
      }
    }
    snap = await rpc.snapshot();
  });

  after(async function () {
    if (snap !== undefined) await rpc.revert(snap);
  });

  /** Drives the pool into the case's state (oracle, parameters, size, region). */
  async function drive(c: Case, p: TestPool, stats: Stats): Promise<void> {
    await rpc.revert(snap);
    snap = await rpc.snapshot();
    await rpc.mustTx(admin, p.feed, feedIface.encodeFunctionData("setAnswer", [answerOf(c, p.feedDecimals)]));
    const maxFee = c.baseFee + c.surge > 999_999n ? 999_999n : c.baseFee + c.surge;
    const setParams = (k: bigint) =>
      poolIface.encodeFunctionData("setParams", [k, c.baseFee, maxFee, c.tau, 5n * 10n ** 16n]);
    await rpc.mustTx(admin, p.pool, setParams(c.k));
    if (c.protocolShare !== 0n) {
      await rpc.mustTx(admin, p.pool, poolIface.encodeFunctionData("setProtocolShare", [c.protocolShare]));
    }
    if (c.shrink > 1n) {
      const shares = p.lpShares - p.lpShares / c.shrink;
      await rpc.mustTx(lp, p.pool, poolIface.encodeFunctionData("withdraw", [shares, 0n, 0n, lp, MaxUint256]));
    }
    if (c.pre.permille > 0) {
      const s = await getPoolState(p.pool, ethers.provider);
      const amount = valueAmount(s, c.pre.side, c.pre.permille, 0n);
      if (amount === 0n) return;
      const pre = await rpc.tx(trader, router, swapInData(p, c.pre.side, amount));
      if (!pre.ok) stats.preTradeFailures++; // too large for the curve: the case starts where it is
    }
    if (c.queuedK !== null) await rpc.mustTx(admin, p.pool, setParams(c.queuedK));
  }

  function swapInData(p: TestPool, side: SwapSide, amountIn: bigint): string {
    const path = [{ pool: p.pool, side: sideToSolidity(side) }];
    return routerIface.encodeFunctionData("swapExactIn", [path, amountIn, 0n, trader, MaxUint256]);
  }

  function swapOutData(p: TestPool, side: SwapSide, amountOut: bigint): string {
    const path = [{ pool: p.pool, side: sideToSolidity(side) }];
    return routerIface.encodeFunctionData("swapExactOut", [path, amountOut, MaxUint256, trader, MaxUint256]);
  }

  /** What the executed swap did, read from its receipt only (Transfer, Swap and Sync logs). */
  function executed(receipt: RawReceipt, p: TestPool, side: SwapSide) {
    const [tokenIn, tokenOut] = side === "sellBase" ? [p.base, p.quote] : [p.quote, p.base];
    const lower = (a: string) => a.toLowerCase();
    let paid = 0n;
    let received = 0n;
    let sync: bigint[] | undefined;
    let swap: ReturnType<typeof decodeSwapLog>;
    for (const log of receipt.logs) {
      if (log.topics[0] === TRANSFER) {
        const t = transferIface.parseLog(log)!.args;
        const from = lower(t.from as string);
        const to = lower(t.to as string);
        if (lower(log.address) === lower(tokenIn) && from === lower(trader) && to === lower(p.pool)) paid += t.value;
        if (lower(log.address) === lower(tokenOut) && from === lower(p.pool) && to === lower(trader)) {
          received += t.value;
        }
      } else if (log.topics[0] === SYNC && lower(log.address) === lower(p.pool)) {
        sync = poolIface.parseLog(log)!.args.toArray() as bigint[];
      } else {
        swap ??= decodeSwapLog(toLogLike(log));
      }
    }
    return { paid, received, sync, swap };
  }

  it(`${RUNS} random states and swaps agree to the wei (SDK, pool view, execution)`, async function () {
    this.timeout(0);
    const stats: Stats = {
      runs: 0,
      ok: {},
      errors: {},
      crossings: 0,
      surge: 0,
      maxFeeHit: 0,
      protocolFee: 0,
      startRegion: {},
      preTradeFailures: 0,
      queued: 0,
      applied: 0,
    };
    const mismatches: string[] = [];
    const bump = (r: Record<string, number>, key: string) => (r[key] = (r[key] ?? 0) + 1);
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(caseArb(pools.length), async (c) => {
        const p = pools[c.pool];
        await drive(c, p, stats);
        const state = await getPoolState(p.pool, ethers.provider);
        const { side, exactIn } = c.swap;
        const amount = exactIn
          ? valueAmount(state, side, c.swap.permille, c.swap.dust)
          : outAmount(state, side, c.swap.permille, c.swap.dust);
        const kind = `${exactIn ? "exactIn" : "exactOut"}/${side}`;
        const fail = (what: string) => mismatches.push(`${kind} ${what}\n  case ${json(c)}\n  amount ${amount}`);
        stats.runs++;
        bump(stats.startRegion, Region[state.math.region]);

        // 1. the SDK's pure quote
        const { outcome: sdk, raw: sdkQuote } = sdkOutcome(() =>
          (exactIn ? quoteExactIn : quoteExactOut)(state, side, amount),
        );
        if (state.pendingK !== null) stats.queued++;
        // 2. the pool's view
        const fn = exactIn ? "quoteExactIn" : "quoteExactOut";
        const call = await rpc.call(p.pool, poolIface.encodeFunctionData(fn, [sideToSolidity(side), amount]));
        const view: Outcome = call.ok
          ? { ok: true, quote: fromSolQuote(poolIface.decodeFunctionResult(fn, call.data)[0]) }
          : { ok: false, error: call.error.errorName };
        if (json(sdk) !== json(view)) fail(`SDK vs view:\n  sdk  ${json(sdk)}\n  view ${json(view)}`);
        // 3. the swap, through the router
        const data = exactIn ? swapInData(p, side, amount) : swapOutData(p, side, amount);
        const tx = await rpc.tx(trader, router, data);
        if (!view.ok) {
          bump(stats.errors, `${view.error} (${kind})`);
          if (tx.ok) fail(`view reverted with ${view.error} but the swap succeeded`);
          else if (tx.error.errorName !== view.error) fail(`view: ${view.error}, swap: ${tx.error.errorName}`);
          return;
        }
        const q = view.quote;
        if (q.amountOut === 0n) {
          bump(stats.errors, `ZeroOutput (${kind})`);
          if (tx.ok || tx.error.errorName !== "InsufficientOutput") fail(`zero output swap did not revert`);
          return;
        }
        if (!tx.ok) {
          fail(`quoted ${json(q)} but the swap reverted with ${tx.error.errorName}`);
          return;
        }
        bump(stats.ok, kind);
        const ex = executed(tx.receipt, p, side);
        const got = {
          paid: ex.paid,
          received: ex.received,
          swap: ex.swap && [
            ex.swap.amountIn,
            ex.swap.amountOut,
            ex.swap.feePips,
            ex.swap.feeAmount,
            ex.swap.imbalanceAfter,
            ex.swap.midPriceAfter,
          ],
          sync: ex.sync,
        };
        const want = {
          paid: q.amountIn,
          received: q.amountOut,
          swap: [q.amountIn, q.amountOut, q.feePips, q.feeAmount, q.imbalanceAfter, q.midPriceAfter],
          sync: [q.baseReserveAfter, q.quoteReserveAfter, q.baseTargetAfter, q.quoteTargetAfter, BigInt(q.regionAfter)],
        };
        if (json(got) !== json(want)) fail(`execution:\n  got  ${json(got)}\n  want ${json(want)}`);
        // the k in force and the queue after the swap: the chain's state vs the SDK quote's
        if (state.pendingK !== null && sdkQuote !== undefined) {
          const after = await getPoolState(p.pool, ethers.provider);
          const chainK = { k: after.params.k, pendingK: after.pendingK };
          const sdkK = { k: sdkQuote.kAfter, pendingK: sdkQuote.pendingKAfter };
          if (json(chainK) !== json(sdkK)) fail(`k after:\n  chain ${json(chainK)}\n  sdk   ${json(sdkK)}`);
          if (after.pendingK === null) stats.applied++;
        }
        if (!exactIn && q.amountOut < amount) fail(`exact-out paid ${q.amountOut} < ${amount}`);
        // coverage
        const before = state.math.region;
        if (before !== Region.ONE && q.regionAfter !== Region.ONE && q.regionAfter !== before) stats.crossings++;
        if (q.feePips > state.params.baseFee) stats.surge++;
        if (q.feePips === state.params.maxFee && q.feePips > state.params.baseFee) stats.maxFeeHit++;
        if (q.protocolFee > 0n) stats.protocolFee++;
      }),
      { numRuns: RUNS, seed: SEED },
    );

    const seconds = (Date.now() - started) / 1000;
    console.log(
      `      differential: ${stats.runs} runs in ${seconds.toFixed(1)} s (${((seconds * 1000) / stats.runs).toFixed(1)} ms/run), ` +
        `${mismatches.length} mismatches\n` +
        `      successful swaps ${json(stats.ok)}\n      reverts (all three agreeing) ${json(stats.errors)}\n` +
        `      start regions ${json(stats.startRegion)}, crossings ${stats.crossings}, surge fees ${stats.surge}, ` +
        `max fee hit ${stats.maxFeeHit}, protocol fee taken ${stats.protocolFee}, pre-trades too large ${stats.preTradeFailures}\n` +
        `      with a queued k ${stats.queued}, of which the swap applied it ${stats.applied}`,
    );
    expect(mismatches.slice(0, 5), `${mismatches.length} mismatches`).to.deep.equal([]);
    if (RUNS >= 2000) {
      // The generator must actually reach the interesting regions.
      for (const k of ["exactIn/sellBase", "exactIn/sellQuote", "exactOut/sellBase", "exactOut/sellQuote"]) {
        expect(stats.ok[k] ?? 0, k).to.be.greaterThan(RUNS / 20);
      }
      expect(stats.crossings).to.be.greaterThan(RUNS / 100);
      expect(stats.surge).to.be.greaterThan(RUNS / 20);
      expect(stats.protocolFee).to.be.greaterThan(RUNS / 50);
      expect(stats.queued).to.be.greaterThan(RUNS / 10);
      expect(stats.applied).to.be.greaterThan(RUNS / 100);
      expect(Object.keys(stats.errors).some((e) => e.startsWith("InsufficientLiquidity"))).to.equal(true);
    }
  });
});
