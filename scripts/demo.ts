/**
 * `npm run demo`: the Skew story on a local chain, beside a constant-product pool.
 *
 * Starts `hardhat node`, deploys with the regular deploy code and config, adds liquidity from
 * three LPs through the SDK (one with permits), then plays a seeded market with the market
 * driver (`scripts/lib/market.ts`): feeds on a random walk, noise traders, the arbitrageur and
 * the keeper. In the middle, a one-sided seller dumps WETH in bursts while the price slides:
 * the pool's inventory goes long WETH past `tau` and the surge fee charges the seller. A
 * constant-product pool with the same reserves and base fee meets the same orders and its own
 * arbitrageur (`scripts/lib/demoBaseline.ts`). At the end an LP withdraws.
 *
 * Prints progress and a side-by-side summary; writes the chart (`out/demo/demo.svg`) and the
 * data (`out/demo/demo.json`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { formatUnits, parseUnits } from "ethers";
import type { JsonRpcProvider, Signer } from "ethers";
import { SkewClient } from "../sdk/client";
import { getPoolState } from "../sdk/state";
import { MockPermitERC20__factory, SkewPool__factory } from "../typechain-types";
import { CpBaseline } from "./lib/demoBaseline";
import { emptyTally } from "./lib/demoBaseline";
import { intArg, numArg } from "./lib/demoArgs";
import { demoChart, summaryText } from "./lib/demoReport";
import type { DemoPoint, DemoSummary, FeePoint } from "./lib/demoReport";
import { demoPullSwap } from "./lib/demoPull";
import { deploy, loadDeployConfig } from "./lib/deploy";
import { startLocalNode } from "./lib/localNode";
import { DEFAULT_MARKET, formatMid, MarketDriver } from "./lib/market";
import type { MarketOrder } from "./lib/market";
import { providerFor } from "./lib/network";

const POOL = "WETH/USDC";
const TOKENS = { baseDecimals: 18, quoteDecimals: 6 };
const ARB = { gasUsd: 2, maxTradesPerBlock: 1, sizeTol: 1e-5 };
/** The sell-off: its share of the session, orders per step, and the price's slide per step. */
const SELLOFF = { start: 0.46, end: 0.52, orders: 4, slide: -0.003 };

export interface DemoOptions {
  steps: number;
  seed: number;
  sigma: number;
  keeperEvery: number;
  selloffUsd: number;
  cpFee: number;
  out: string;
}

/** The demo's command line; bad values are refused with a clear message. */
export function demoCommand(): Command {
  return new Command()
    .name("demo")
    .description("Run a seeded Skew market session on a local Hardhat node, beside a constant-product pool")
    .option("--steps <n>", "market steps of five minutes (20 to 5000)", intArg(20, 5000), 144)
    .option("--seed <n>", "random seed", intArg(0), 7)
    .option("--sigma <x>", "annualised volatility of ETH (0 to 5)", numArg(0, 5), 0.8)
    .option("--keeper-every <n>", "run the keeper every n steps", intArg(1, 1000), 3)
    .option("--selloff-usd <x>", "one-sided selling per sell-off step, USD", numArg(0, 1e9), 1_500_000)
    .option(
      "--cp-fee <pips>",
      "the constant-product pool's fee, pips (3000 = Uniswap V2's 0.30 %)",
      intArg(0, 100_000),
      3000,
    )
    .option("--out <dir>", "output folder", "out/demo");
}

async function main(): Promise<void> {
  const opts = demoCommand().parse().opts<DemoOptions>();
  const t0 = Date.now();
  console.log("Skew demo: starting a local Hardhat node…");
  const node = await startLocalNode();
  process.once("SIGINT", () => void node.stop().then(() => process.exit(130)));
  try {
    await run(opts, providerFor(node.url));
  } finally {
    await node.stop();
    console.log(`node stopped (pid ${node.pid}); demo took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

/** Value of a swap's fee (kept in its output token) at the true price. */
function feeValue(o: MarketOrder, price: number): number {
  const raw = o.feeAmount ?? 0n;
  return o.side === "sellBase" ? Number(formatUnits(raw, 6)) : Number(formatUnits(raw, 18)) * price;
}

/** The arbitrageur's gain on a swap at the true price. */
function swapGain(o: MarketOrder, price: number): number {
  const base = (x: bigint) => Number(formatUnits(x, 18)) * price;
  const quote = (x: bigint) => Number(formatUnits(x, 6));
  const [i, out] = [o.amountIn ?? 0n, o.amountOut ?? 0n];
  return o.side === "sellBase" ? quote(out) - base(i) : base(out) - quote(i);
}

async function run(opts: DemoOptions, provider: JsonRpcProvider): Promise<void> {
  const signers = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.getSigner(i)));
  const [deployer, keeper, lp1, lp2, lp3, ...rest] = signers;

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
  const pool = record.pools[POOL].address;
  const router = record.contracts.SkewRouter.address;
  const client = (s: Signer) => new SkewClient({ signer: s, router, slippageBps: 100 });

  console.log("\n2. Liquidity");
  const lpStart: { base: bigint; quote: bigint }[] = [];
  for (const [i, s] of [lp1, lp2, lp3].entries()) {
    const who = await s.getAddress();
    const base = parseUnits(String(100 * (i + 1)), 18);
    const quote = parseUnits(String(200_000 * (i + 1)), 6);
    await (await MockPermitERC20__factory.connect(record.contracts.WETH.address, deployer).mint(who, base)).wait();
    await (await MockPermitERC20__factory.connect(record.contracts.USDC.address, deployer).mint(who, quote)).wait();
    const r = await client(s).deposit(pool, base, quote, { permit: i === 1 });
    lpStart.push({ base: r.event.baseIn, quote: r.event.quoteIn });
    console.log(
      `   LP${i + 1} deposited ${formatUnits(r.event.baseIn, 18)} WETH + ${formatUnits(r.event.quoteIn, 6)} USDC ` +
        `-> ${Number(formatUnits(r.event.shares, 18)).toFixed(2)} shares${i === 1 ? " (EIP-2612 permits, no approvals)" : ""}`,
    );
  }

  const market = await MarketDriver.create(
    provider,
    record,
    { funder: deployer, traders: rest.slice(0, 4), arbitrageur: rest[4], keeper },
    {
      ...DEFAULT_MARKET,
      seed: opts.seed,
      sigma: opts.sigma,
      keeperEvery: opts.keeperEvery,
      feedDeviation: 0.005,
      feedHeartbeat: 3600,
    },
  );
  const start = await getPoolState(pool, provider);
  const baseFeePips = Number(start.params.baseFee);
  const cp = new CpBaseline(TOKENS, start.math.baseReserve, start.math.quoteReserve, BigInt(opts.cpFee), ARB);
  let baseFeeNow = baseFeePips; // the keeper runs after the step's swaps
  const skew = emptyTally();
  const points: DemoPoint[] = [];
  const fees: FeePoint[] = [];
  const keeperHours: number[] = [];
  const first = Math.floor(opts.steps * SELLOFF.start);
  const last = Math.floor(opts.steps * SELLOFF.end);
  const priceStart = market.truePrice(POOL);

  console.log(
    `\n3. Market: ${opts.steps} steps of 5 min, volatility ${opts.sigma}, seed ${opts.seed}; ` +
      `a one-sided seller dumps $${opts.selloffUsd.toLocaleString("en-US")} of WETH per step in steps ${first + 1}-${last}`,
  );
  for (let step = 1; step <= opts.steps; step++) {
    const selloff = step > first && step <= last && opts.selloffUsd > 0;
    const burst = selloff
      ? Array.from({ length: SELLOFF.orders }, () => ({
          pool: POOL,
          side: "sellBase" as const,
          usd: opts.selloffUsd / SELLOFF.orders,
        }))
      : [];
    const r = await market.step(burst, selloff ? { [POOL]: SELLOFF.slide } : {});
    const p = r.pools.find((x) => x.name === POOL)!;
    const hours = (step * DEFAULT_MARKET.stepSeconds) / 3600;
    for (const o of r.orders.filter((x) => x.pool === POOL)) {
      if (o.kind !== "arbitrage") cp.order(o.kind, o.side, o.usd, p.truePrice);
      if (o.error !== undefined || o.feePips === undefined) continue;
      const fee = feeValue(o, p.truePrice);
      skew.swaps++;
      skew.feesValue += fee;
      skew.maxFeePips = Math.max(skew.maxFeePips, Number(o.feePips));
      if (Number(o.feePips) > baseFeeNow) skew.surgeSwaps++;
      skew.maxSurgePips = Math.max(skew.maxSurgePips, Number(o.feePips) - baseFeeNow);
      if (o.kind === "flow") skew.flowFees += fee;
      if (o.kind === "arbitrage") {
        skew.arbitrageSwaps++;
        skew.arbitrageProfit += swapGain(o, p.truePrice);
      }
      fees.push({ hours, bp: Number(o.feePips) / 100, kind: o.kind });
    }
    const cpInventoryPeak = cp.inventory(p.truePrice);
    cp.arbitrage(p.truePrice);
    baseFeeNow = p.baseFee;
    if (p.keeperUpdated) keeperHours.push(hours);
    points.push({
      hours,
      truePrice: p.truePrice,
      feedPrice: p.feedPrice,
      skewMid: p.mid,
      cpMid: cp.mid(),
      skewInventory: p.inventory,
      skewInventoryPeak: p.inventoryBeforeArbitrage,
      cpInventory: cp.inventory(p.truePrice),
      cpInventoryPeak,
      skewBase: p.baseReserve,
      cpBase: cp.baseHeld(),
      k: p.k,
      tau: p.tau,
      baseFeeBp: p.baseFee / 100,
      maxFeeBp: p.maxFee / 100,
    });
    if (step % 12 === 0 || step === opts.steps || step === first + 1 || step === last) {
      console.log(
        `   step ${String(step).padStart(4)}/${opts.steps}${selloff ? " SELL-OFF" : "         "}  ETH ${p.truePrice.toFixed(2)}  feed ${p.feedPrice.toFixed(2)}  ` +
          `mid ${formatMid(p.mid)}  inventory ${(p.inventoryBeforeArbitrage * 100).toFixed(2)} -> ${(p.inventory * 100).toFixed(2)} % (tau ${(p.tau * 100).toFixed(1)} %)  ` +
          `fee ${(p.baseFee / 100).toFixed(1)}-${(p.maxFee / 100).toFixed(1)} bp, surge swaps ${skew.surgeSwaps}  k ${p.k.toFixed(3)}  keeper updates ${keeperHours.length}`,
      );
    }
  }

  console.log("\n4. Withdrawal");
  const price = market.truePrice(POOL);
  const lp1Shares = await SkewPool__factory.connect(pool, provider).balanceOf(await lp1.getAddress());
  const end = await getPoolState(pool, provider);
  const w = await client(lp1).withdraw(pool, lp1Shares);
  const value = (b: bigint, q: bigint) => Number(formatUnits(b, 18)) * price + Number(formatUnits(q, 6));
  const out = value(w.event.baseOut, w.event.quoteOut);
  const hold = value(lpStart[0].base, lpStart[0].quote);
  console.log(
    `   LP1 withdrew ${Number(formatUnits(w.event.baseOut, 18)).toFixed(4)} WETH + ${Number(formatUnits(w.event.quoteOut, 6)).toFixed(2)} USDC ` +
      `= $${out.toFixed(2)} vs $${hold.toFixed(2)} holding (${(((out - hold) / hold) * 1e4).toFixed(1)} bp)`,
  );

  console.log("\n   Oracles: push feeds and the pull (Pyth) pool");
  await demoPullSwap(provider, record, rest[0], (name: string) => market.truePrice(name));

  const cpResult = cp.result(price);
  const ks = points.map((x) => x.k);
  const taus = points.map((x) => x.tau);
  const summary: DemoSummary = {
    steps: opts.steps,
    hours: (opts.steps * DEFAULT_MARKET.stepSeconds) / 3600,
    seed: opts.seed,
    sigma: opts.sigma,
    priceStart,
    priceEnd: price,
    baseFeePips,
    cpFeePips: opts.cpFee,
    flowUsd: opts.selloffUsd * Math.max(0, last - first),
    keeperUpdates: keeperHours.length,
    kRange: [Math.min(...ks), Math.max(...ks)],
    tauRange: [Math.min(...taus), Math.max(...taus)],
    skew: {
      tally: skew,
      value: value(end.math.baseReserve, end.math.quoteReserve),
      hold: value(start.math.baseReserve, start.math.quoteReserve),
      maxInventory: Math.max(...points.map((x) => Math.max(Math.abs(x.skewInventory), Math.abs(x.skewInventoryPeak)))),
    },
    cp: {
      tally: cp.tally,
      ...cpResult,
      maxInventory: Math.max(...points.map((x) => Math.max(Math.abs(x.cpInventory), Math.abs(x.cpInventoryPeak)))),
    },
  };
  console.log("\n5. Summary (whole pool, before LP1's withdrawal)\n");
  console.log(summaryText(summary));

  const chart = path.join(outDir, "demo.svg");
  writeFileSync(
    chart,
    demoChart(points, fees, keeperHours, `Skew vs constant product on the same market: ${POOL}, seed ${opts.seed}`),
  );
  writeFileSync(path.join(outDir, "demo.json"), JSON.stringify({ summary, points, fees, keeperHours }, null, 2));
  console.log(`\nchart: ${path.relative(process.cwd(), chart)}`);
  console.log(`data:  ${path.relative(process.cwd(), path.join(outDir, "demo.json"))}`);
  provider.destroy();
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
