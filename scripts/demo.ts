/**
 * `npm run demo`: the whole Skew story on a local chain.
 *
 * Starts `hardhat node` as a child process, deploys with the regular deploy code and config
 * (`scripts/config/localhost.json`), adds liquidity from three LPs through the SDK, then plays a
 * seeded market session: the ETH/USD feed follows a random walk (deviation + heartbeat, like
 * Chainlink), noise traders and an arbitrageur swap through the SDK client and router, and the
 * keeper runs its loop. At the end an LP withdraws. Prints progress and a summary, and writes a
 * chart (price vs pool mid, inventory, fee and k over time) and a JSON log under `out/demo/`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { formatUnits, JsonRpcProvider, MaxUint256, parseUnits, Signer } from "ethers";
import { KeeperRunner } from "../keeper/runner";
import { silentLogger } from "../keeper/log";
import { SkewClient } from "../sdk/client";
import { getPoolState } from "../sdk/state";
import { midPrice, imbalance, PoolMath, SwapSide } from "../sdk/math";
import { MockAggregator__factory, MockPermitERC20__factory, SkewPool__factory } from "../typechain-types";
import { Rng } from "../sim/prng";
import { bestArbitrage, inputFor } from "../sim/agents";
import { SkewVenue } from "../sim/skew";
import { lineChart, PALETTE } from "../sim/charts";
import { deploy, loadDeployConfig } from "./lib/deploy";
import { startLocalNode } from "./lib/localNode";
import { providerFor } from "./lib/network";

const STEP_SECONDS = 300; // five minutes of market time per step
const YEAR = 365 * 24 * 3600;
const FEED_DEVIATION = 0.005;
const FEED_HEARTBEAT = 3600;
/** WETH/USDC decimals, as the simulator's agents want them. */
const TOKENS = { baseDecimals: 18, quoteDecimals: 6 };
/** The arbitrageur: one swap a step, worth doing above $2 of gas. */
const ARB = { gasUsd: 2, maxTradesPerBlock: 1, sizeTol: 1e-5 };

interface Options {
  steps: number;
  seed: number;
  sigma: number;
  out: string;
  keeperEvery: number;
}

interface StepRecord {
  step: number;
  hours: number;
  truePrice: number;
  feedPrice: number;
  poolMid: number;
  imbalancePct: number;
  baseReserve: number;
  feePips: number;
  k: number;
}

const num = (x: bigint, decimals: number) => Number(formatUnits(x, decimals));

async function main(): Promise<void> {
  const opts = new Command()
    .name("demo")
    .description("Run a seeded Skew market session on a local Hardhat node")
    .option("--steps <n>", "market steps of five minutes", (v) => parseInt(v, 10), 240)
    .option("--seed <n>", "random seed", (v) => parseInt(v, 10), 7)
    .option("--sigma <x>", "annualised volatility of ETH", parseFloat, 1.0)
    .option("--keeper-every <n>", "run the keeper every n steps", (v) => parseInt(v, 10), 12)
    .option("--out <dir>", "output folder", "out/demo")
    .parse()
    .opts<Options>();
  const t0 = Date.now();
  console.log("Skew demo: starting a local Hardhat node…");
  const node = await startLocalNode();
  const stop = async () => {
    await node.stop();
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    await run(opts, node.url);
  } finally {
    await stop();
    console.log(`node stopped (pid ${node.pid}); demo took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

async function run(opts: Options, url: string): Promise<void> {
  const provider = providerFor(url);
  const signers = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.getSigner(i)));
  const [deployer, keeperSigner, lp1, lp2, lp3, ...rest] = signers;
  const traders = rest.slice(0, 4);
  const arb = rest[4];

  // 1. Deploy with the same code and config as `npm run deploy -- --network localhost`.
  console.log("\n1. Deploy");
  const record = await deploy({
    signer: deployer,
    network: "localhost",
    config: loadDeployConfig("localhost"),
    log: (l) => console.log(`   ${l}`),
  });
  const outDir = path.resolve(opts.out);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "deployment.json"), JSON.stringify(record, null, 2));
  const pool = record.pools["WETH/USDC"].address;
  const router = record.contracts.SkewRouter.address;
  const aggregator = MockAggregator__factory.connect(record.contracts["ETH/USD aggregator"].address, deployer);
  const weth = MockPermitERC20__factory.connect(record.contracts.WETH.address, deployer);
  const usdc = MockPermitERC20__factory.connect(record.contracts.USDC.address, deployer);

  // Fund everyone and approve the router once.
  for (const s of [lp1, lp2, lp3, ...traders, arb]) {
    const who = await s.getAddress();
    await (await weth.mint(who, parseUnits("10000", 18))).wait();
    await (await usdc.mint(who, parseUnits("20000000", 6))).wait();
    await (await weth.connect(s).approve(router, MaxUint256)).wait();
    await (await usdc.connect(s).approve(router, MaxUint256)).wait();
  }
  const client = (s: Signer) => new SkewClient({ signer: s, router, slippageBps: 100 });

  // 2. Liquidity from three LPs (the second signs permits instead of approvals).
  console.log("\n2. Liquidity");
  const lpStart: { shares: bigint; base: bigint; quote: bigint }[] = [];
  for (const [i, s] of [lp1, lp2, lp3].entries()) {
    const base = parseUnits(String(100 * (i + 1)), 18);
    const quote = parseUnits(String(200_000 * (i + 1)), 6);
    const r = await client(s).deposit(pool, base, quote, { permit: i === 1 });
    lpStart.push({ shares: r.event.shares, base: r.event.baseIn, quote: r.event.quoteIn });
    console.log(
      `   LP${i + 1} deposited ${num(r.event.baseIn, 18)} WETH + ${num(r.event.quoteIn, 6)} USDC -> ${num(r.event.shares, 18).toFixed(2)} shares${i === 1 ? " (EIP-2612 permits)" : ""}`,
    );
  }

  // 3. The market session.
  console.log(`\n3. Market session: ${opts.steps} steps of 5 min, sigma ${opts.sigma}, seed ${opts.seed}`);
  const rng = new Rng(opts.seed, "demo");
  const keeper = new KeeperRunner({
    provider,
    signer: keeperSigner,
    pools: [pool],
    logger: silentLogger(),
    intervalMs: 0,
  });
  const records: StepRecord[] = [];
  let truePrice = 2000;
  let feedPrice = 2000;
  let lastFeedTime = (await provider.getBlock("latest"))!.timestamp;
  let trades = 0;
  let arbTrades = 0;
  let volumeUsd = 0;
  let feesUsd = 0;
  let keeperUpdates = 0;
  let lastFee = 0;
  const stepSigma = opts.sigma * Math.sqrt(STEP_SECONDS / YEAR);

  for (let step = 1; step <= opts.steps; step++) {
    await mine(provider, STEP_SECONDS);
    const now = (await provider.getBlock("latest"))!.timestamp;
    truePrice *= Math.exp(stepSigma * rng.normal() - 0.5 * stepSigma * stepSigma);
    if (Math.abs(truePrice / feedPrice - 1) >= FEED_DEVIATION || now - lastFeedTime >= FEED_HEARTBEAT) {
      feedPrice = truePrice;
      lastFeedTime = now;
      await (await aggregator.setAnswer(parseUnits(truePrice.toFixed(8), 8))).wait();
    }

    // Noise traders: a few orders, log-normal sizes around $5k, either side.
    const orders = rng.uniform() < 0.7 ? 1 + rng.int(2) : 0;
    for (let o = 0; o < orders; o++) {
      const side: SwapSide = rng.uniform() < 0.5 ? "sellBase" : "sellQuote";
      const usd = Math.min(200_000, rng.logNormal(Math.log(5000), 1));
      const amount = inputFor(TOKENS, side, usd, truePrice);
      try {
        const r = await client(traders[rng.int(traders.length)]).swapExactIn({ pool, side }, amount);
        const sw = r.swaps[0];
        trades++;
        volumeUsd += usd;
        lastFee = Number(sw.feePips);
        feesUsd += feeUsd(side, sw.feeAmount, truePrice);
      } catch (e) {
        console.log(`   step ${step}: a noise order failed: ${(e as Error).message.slice(0, 120)}`);
      }
    }

    // The arbitrageur: the simulator's optimal arbitrage, quoted on the pool's on-chain state.
    const state = await getPoolState(pool, provider);
    const best = state.oracle.ok
      ? bestArbitrage(new SkewVenue(state.math), truePrice, TOKENS, ARB, poolValueUsd(state.math, truePrice))
      : null;
    if (best) {
      try {
        const r = await client(arb).swapExactIn({ pool, side: best.fill.side }, best.fill.amountIn, {
          slippageBps: 10,
        });
        const sw = r.swaps[0];
        arbTrades++;
        volumeUsd += best.trade.valueIn;
        lastFee = Number(sw.feePips);
        feesUsd += feeUsd(best.fill.side, sw.feeAmount, truePrice);
      } catch (e) {
        console.log(`   step ${step}: the arbitrage failed: ${(e as Error).message.slice(0, 120)}`);
      }
    }

    // The keeper's loop, every hour of market time.
    if (step % opts.keeperEvery === 0) {
      const t = await keeper.tick();
      if (t.pools[0].status === "updated") keeperUpdates++;
    }

    const s = await getPoolState(pool, provider);
    records.push({
      step,
      hours: (step * STEP_SECONDS) / 3600,
      truePrice,
      feedPrice,
      poolMid: num(midPrice(s.math), 18),
      imbalancePct: num(imbalance(s.math), 18) * 100,
      baseReserve: num(s.math.baseReserve, 18),
      feePips: lastFee,
      k: num(s.math.k, 18),
    });
    if (step % 20 === 0 || step === opts.steps) {
      const r = records[records.length - 1];
      console.log(
        `   step ${String(step).padStart(4)}/${opts.steps}  ETH ${r.truePrice.toFixed(2)}  feed ${r.feedPrice.toFixed(2)}  ` +
          `mid ${r.poolMid.toFixed(2)}  imbalance ${r.imbalancePct.toFixed(2)} %  k ${r.k.toFixed(2)}  trades ${trades}+${arbTrades} arb  keeper updates ${keeperUpdates}`,
      );
    }
  }

  // 4. LP1 withdraws everything; compare with holding the deposit.
  console.log("\n4. Withdrawal");
  const lp1Shares = await SkewPool__factory.connect(pool, provider).balanceOf(await lp1.getAddress());
  const w = await client(lp1).withdraw(pool, lp1Shares);
  const outValue = num(w.event.quoteOut, 6) + num(w.event.baseOut, 18) * truePrice;
  const holdValue = num(lpStart[0].quote, 6) + num(lpStart[0].base, 18) * truePrice;
  console.log(
    `   LP1 withdrew ${num(w.event.baseOut, 18).toFixed(4)} WETH + ${num(w.event.quoteOut, 6).toFixed(2)} USDC ` +
      `= $${outValue.toFixed(2)} vs $${holdValue.toFixed(2)} holding (${(((outValue - holdValue) / holdValue) * 1e4).toFixed(1)} bp)`,
  );

  // 5. Summary and chart.
  const baseSeries = records.map((r) => r.baseReserve);
  const summary = {
    steps: opts.steps,
    marketHours: (opts.steps * STEP_SECONDS) / 3600,
    noiseTrades: trades,
    arbitrageTrades: arbTrades,
    volumeUsd: Math.round(volumeUsd),
    feesToLpsUsd: Number(feesUsd.toFixed(2)),
    lp1VsHoldingBp: Number((((outValue - holdValue) / holdValue) * 1e4).toFixed(2)),
    keeperUpdates,
    ethMove: `${records[0]?.truePrice.toFixed(2)} -> ${truePrice.toFixed(2)}`,
    inventoryWethMinMax: [Math.min(...baseSeries), Math.max(...baseSeries)].map((x) => Number(x.toFixed(3))),
    maxImbalancePct: Number(Math.max(...records.map((r) => r.imbalancePct)).toFixed(3)),
  };
  console.log("\n5. Summary");
  for (const [k, v] of Object.entries(summary)) console.log(`   ${k.padEnd(22)} ${JSON.stringify(v)}`);

  const xs = records.map((r) => r.hours);
  const svg = lineChart({
    title: `Skew demo: WETH/USDC pool, seed ${opts.seed}, sigma ${opts.sigma}`,
    xLabel: "market time (hours)",
    panels: [
      {
        yLabel: "USDC per WETH",
        lines: [
          { name: "true price", xs, ys: records.map((r) => r.truePrice), color: PALETTE[7] },
          { name: "feed", xs, ys: records.map((r) => r.feedPrice), color: PALETTE[1], dash: "4 3" },
          { name: "pool mid", xs, ys: records.map((r) => r.poolMid), color: PALETTE[0] },
        ],
      },
      {
        yLabel: "imbalance %",
        lines: [{ name: "imbalance", xs, ys: records.map((r) => r.imbalancePct), color: PALETTE[2] }],
        refY: 0,
      },
      {
        yLabel: "last fee (bp)",
        lines: [{ name: "fee", xs, ys: records.map((r) => r.feePips / 100), color: PALETTE[4] }],
      },
      { yLabel: "k", lines: [{ name: "k", xs, ys: records.map((r) => r.k), color: PALETTE[3] }] },
    ],
  });
  const chart = path.join(outDir, "demo.svg");
  writeFileSync(chart, svg);
  writeFileSync(path.join(outDir, "demo.json"), JSON.stringify({ summary, steps: records }, null, 2));
  console.log(`\nchart: ${path.relative(process.cwd(), chart)}`);
  console.log(`data:  ${path.relative(process.cwd(), path.join(outDir, "demo.json"))}`);
  provider.destroy();
}

/** Advances the node's clock and mines a block. */
async function mine(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

/** Value at the true price of a fee kept in a swap's output token (quote for sellBase). */
function feeUsd(side: SwapSide, raw: bigint, truePrice: number): number {
  return side === "sellBase" ? num(raw, TOKENS.quoteDecimals) : num(raw, TOKENS.baseDecimals) * truePrice;
}

/** The pool's reserves valued at the true price. */
function poolValueUsd(p: PoolMath, truePrice: number): number {
  return num(p.quoteReserve, TOKENS.quoteDecimals) + num(p.baseReserve, TOKENS.baseDecimals) * truePrice;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
