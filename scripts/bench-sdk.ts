/**
 * `npm run bench:sdk`: how fast the SDK quotes, and how long loading pool state takes.
 *
 * 1. Quotes per second of `quoteExactIn` / `quoteExactOut` over a fixed sample of varied pool
 *    states (decimals, price, skew, region, fees) and trade sizes, pure CPU.
 * 2. State loading against a local node: starts `hardhat node` on a free port as a child process,
 *    deploys 100 pools there, and times `getPoolState` one pool after another against one batched
 *    `getPoolStates` call, for 1, 10 and 100 pools. Kills the node (by its PID) at the end.
 *
 * Prints a table and writes it as JSON to bench/out/sdk.json. Env: BENCH_QUOTE_MS (time per
 * quote benchmark, default 2000), BENCH_REPEATS (state-loading repetitions, default 15).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { JsonRpcProvider } from "ethers";
import type { Signer } from "ethers";
import { getPoolState, getPoolStates, quoteExactIn, quoteExactOut, SkewError } from "../sdk";
import { feeFloorOf, surgeWidthOf, WAD } from "../sdk/math";
import type { PoolMath, PoolSnapshot, SwapSide } from "../sdk";
import { inputAmount, poolArb } from "../test/helpers/arbitraries";
import { createSeededPool, deployCore, deployFeed, deployToken } from "../test/helpers/sdkEnv";
import { startLocalNode } from "./lib/localNode";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "bench", "out", "sdk.json");
const QUOTE_MS = Number(process.env.BENCH_QUOTE_MS ?? 2000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const POOL_COUNTS = [1, 10, 100] as const;

// ------------------------------------------------------------------------------------ quotes

/** A loaded-state wrapper around a PoolMath, as getPoolState would return it (oracle fresh). */
function snapshotOf(math: PoolMath, i: number): PoolSnapshot {
  const zero = "0x0000000000000000000000000000000000000000";
  const params = { k: math.k, baseFee: math.baseFee, maxFee: math.maxFee, tau: math.tau };
  return {
    address: `0x${(i + 1).toString(16).padStart(40, "0")}`,
    base: zero,
    quote: zero,
    feed: zero,
    baseDecimals: 18,
    quoteDecimals: 18,
    feedDecimals: 12,
    math,
    params,
    pendingK: math.pendingK ?? null,
    protocolShare: math.protocolShare,
    protocolFees: { base: 0n, quote: 0n },
    oracle: { ok: true, price: math.price, updatedAt: 1n, maxAge: 3600n },
    paused: false,
    totalSupply: 1n,
    bounds: {
      kMin: 0n,
      kMax: 0n,
      tauMin: 0n,
      tauMax: 0n,
      baseFeeMin: 0n,
      baseFeeMax: 0n,
      maxFeeMin: 0n,
      maxFeeMax: 0n,
    },
    steps: { k: 0n, tau: 0n, baseFee: 0n, maxFee: 0n },
    minInterval: 0n,
    lastParamsUpdate: 0n,
    blockTimestamp: 1n,
    feeFloor: feeFloorOf(math),
    surgeWidth: surgeWidthOf(math),
    surgeWidthLimits: { min: 1n, max: WAD, maxStep: WAD },
  };
}

interface QuoteCase {
  state: PoolSnapshot;
  side: SwapSide;
  amountIn: bigint;
  amountOut: bigint;
}

/** 2,000 varied cases (fixed seed): states from the property tests' generator, sizes up to ~1.5x a side. */
function quoteCases(): QuoteCase[] {
  const arb = fc.record({
    pool: poolArb(),
    side: fc.constantFrom<SwapSide>("sellBase", "sellQuote"),
    permille: fc.integer({ min: 0, max: 1500 }),
    dust: fc.bigInt(1n, 10n ** 6n),
  });
  return fc.sample(arb, { numRuns: 2000, seed: 42 }).map((c, i) => {
    const state = snapshotOf(c.pool, i);
    const outReserve = c.side === "sellBase" ? c.pool.quoteReserve : c.pool.baseReserve;
    return {
      state,
      side: c.side,
      amountIn: inputAmount(c.pool, c.side, { permille: c.permille, dust: c.dust }),
      amountOut: (outReserve * BigInt(c.permille % 1000)) / 1000n + c.dust,
    };
  });
}

interface QuoteResult {
  quotesPerSecond: number;
  microsPerQuote: number;
  quotes: number;
  reverted: number;
}

function benchQuotes(cases: QuoteCase[], exactIn: boolean): QuoteResult {
  let quotes = 0;
  let reverted = 0;
  const run = (c: QuoteCase) => {
    try {
      if (exactIn) quoteExactIn(c.state, c.side, c.amountIn);
      else quoteExactOut(c.state, c.side, c.amountOut);
    } catch (e) {
      if (!(e instanceof SkewError)) throw e;
      reverted++;
    }
    quotes++;
  };
  for (const c of cases.slice(0, 200)) run(c); // warm-up
  [quotes, reverted] = [0, 0];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(QUOTE_MS) * 1_000_000n;
  for (let i = 0; ; i++) {
    run(cases[i % cases.length]);
    if (i % 100 === 99 && process.hrtime.bigint() > deadline) break;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    quotesPerSecond: Math.round(quotes / seconds),
    microsPerQuote: Number(((seconds * 1e6) / quotes).toFixed(2)),
    quotes,
    reverted,
  };
}

// ------------------------------------------------------------------------------- local node

/** Deploys the core and `count` seeded pools (one base/quote pair, one feed per pool). */
async function deployPools(admin: Signer, count: number): Promise<string[]> {
  const core = await deployCore(admin);
  const me = await admin.getAddress();
  const base = await deployToken(admin, "WETH", 18);
  const quote = await deployToken(admin, "USDC", 6);
  const pools: string[] = [];
  for (let i = 0; i < count; i++) {
    const feed = await deployFeed(admin, 8, (2000n + BigInt(i)) * 10n ** 8n);
    const pool = await createSeededPool(
      core,
      admin,
      { base: await base.getAddress(), quote: await quote.getAddress(), feed: await feed.getAddress() },
      { baseAmount: 10n ** 21n, quoteAmount: (2000n + BigInt(i)) * 10n ** 9n, to: me },
    );
    pools.push(await pool.getAddress());
  }
  return pools;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface LoadResult {
  pools: number;
  sequentialMs: number;
  batchedMs: number;
  speedup: number;
}

async function benchLoading(provider: JsonRpcProvider, pools: string[]): Promise<LoadResult[]> {
  const out: LoadResult[] = [];
  for (const n of POOL_COUNTS) {
    const subset = pools.slice(0, n);
    const seq: number[] = [];
    const bat: number[] = [];
    for (let r = 0; r < REPEATS + 2; r++) {
      let t = performance.now();
      const one: PoolSnapshot[] = [];
      for (const p of subset) one.push(await getPoolState(p, provider));
      const s = performance.now() - t;
      t = performance.now();
      const many = await getPoolStates(subset, provider);
      const b = performance.now() - t;
      if (many.length !== n || many[n - 1].math.baseReserve !== one[n - 1].math.baseReserve) {
        throw new Error("batched and sequential states differ");
      }
      if (r >= 2) {
        seq.push(s);
        bat.push(b);
      }
    }
    const sequentialMs = Number(median(seq).toFixed(2));
    const batchedMs = Number(median(bat).toFixed(2));
    out.push({ pools: n, sequentialMs, batchedMs, speedup: Number((sequentialMs / batchedMs).toFixed(1)) });
  }
  return out;
}

// ------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  console.log(`SDK benchmark (node ${process.version}, ${os.cpus().length} CPUs)\n`);
  const cases = quoteCases();
  const exactIn = benchQuotes(cases, true);
  const exactOut = benchQuotes(cases, false);
  console.log("quotes (pure, varied states)  | quotes/s | µs/quote | quotes timed | reverted (liquidity etc.)");
  for (const [name, r] of [
    ["quoteExactIn", exactIn],
    ["quoteExactOut", exactOut],
  ] as const) {
    console.log(
      `${name.padEnd(30)}| ${String(r.quotesPerSecond).padStart(8)} | ${String(r.microsPerQuote).padStart(8)} | ${String(r.quotes).padStart(12)} | ${r.reverted}`,
    );
  }

  console.log("\nstarting a local hardhat node ...");
  const node = await startLocalNode();
  let loading: LoadResult[];
  try {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 20;
    const admin = await provider.getSigner(0);
    const t = performance.now();
    const pools = await deployPools(admin, Math.max(...POOL_COUNTS));
    console.log(
      `deployed ${pools.length} pools in ${((performance.now() - t) / 1000).toFixed(1)} s (pid ${node.pid}, ${node.url})\n`,
    );
    loading = await benchLoading(provider, pools);
    provider.destroy();
  } finally {
    await node.stop(); // by its PID
  }
  console.log(`state loading (median of ${REPEATS}) | getPoolState × n (ms) | getPoolStates (ms) | speedup`);
  for (const r of loading) {
    console.log(
      `${`${r.pools} pool${r.pools > 1 ? "s" : ""}`.padEnd(30)}| ${String(r.sequentialMs).padStart(20)} | ${String(r.batchedMs).padStart(18)} | ${r.speedup}x`,
    );
  }

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    quotes: { exactIn, exactOut, cases: cases.length, timedMs: QUOTE_MS },
    stateLoading: { repeats: REPEATS, results: loading },
  };
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
  console.log(`\nwritten to ${path.relative(ROOT, OUT)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
