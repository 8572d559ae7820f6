/**
 * `npm run bench:gas`: gas of Skew next to Uniswap V2 on the same tokens, in the same run.
 *
 * Deploys Skew with the regular deploy code (Chainlink-shaped feed: proxy in front of an
 * aggregator) and `UniswapV2Factory`/`UniswapV2Pair` from the `@uniswap/v2-core` package's own
 * build artifacts, seeds both with the same liquidity, and measures whole transactions the way
 * Uniswap measures its swap: the input is transferred to the pair first, then `swap` is a
 * transaction of its own. Prints one table and writes `bench/out/gas.json`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ethers } from "hardhat";
import type { Contract, ContractTransactionResponse } from "ethers";
import UniswapV2Factory from "@uniswap/v2-core/build/UniswapV2Factory.json";
import UniswapV2Pair from "@uniswap/v2-core/build/UniswapV2Pair.json";
import { MockPermitERC20__factory, SkewFactory__factory, SkewPool__factory } from "../typechain-types";
import type { MockPermitERC20, SkewPool } from "../typechain-types";
import { deploy, DeployConfig } from "./lib/deploy";

const WAD = 10n ** 18n;
const USDC = 10n ** 6n;

/** One pool at 2000 USDC/WETH, k = 0.5, base fee 30 bp (as Uniswap), surge to 1 % past 10 %. */
const CONFIG: DeployConfig = {
  tokens: {
    WETH: { mock: { name: "Wrapped Ether", decimals: 18 } },
    USDC: { mock: { name: "USD Coin", decimals: 6 } },
  },
  feeds: { "ETH/USD": { mock: { decimals: 8, answer: "2000" } } },
  roles: { admin: "deployer", keeper: "deployer", guardian: "deployer", adminDelay: 86400 },
  pools: [
    {
      name: "WETH/USDC",
      base: "WETH",
      quote: "USDC",
      feed: "ETH/USD",
      params: { k: "0.5", baseFee: 3000, maxFee: 10000, tau: "0.1" },
      bounds: {
        kMin: "0",
        kMax: "1",
        tauMin: "0",
        tauMax: "0.9",
        baseFeeMin: 0,
        baseFeeMax: 100000,
        maxFeeMin: 0,
        maxFeeMax: 500000,
      },
      steps: { k: "0.1", tau: "0.1", baseFee: 1000, maxFee: 10000 },
      minInterval: 0,
      oracleMaxAge: 86400 * 365,
      protocolShare: 0,
    },
  ],
};

const SEED_BASE = 1000n * WAD;
const SEED_QUOTE = 2_000_000n * USDC;

interface Row {
  operation: string;
  skew: number;
  uniswap?: number;
  note?: string;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction dropped");
  return Number(receipt.gasUsed);
}

async function main(): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const me = deployer.address;
  const record = await deploy({ signer: deployer, network: "hardhat", config: CONFIG });
  const pool: SkewPool = SkewPool__factory.connect(record.pools["WETH/USDC"].address, deployer);
  const weth: MockPermitERC20 = MockPermitERC20__factory.connect(record.contracts.WETH.address, deployer);
  const usdc: MockPermitERC20 = MockPermitERC20__factory.connect(record.contracts.USDC.address, deployer);
  await (await weth.mint(me, 10n ** 9n * WAD)).wait();
  await (await usdc.mint(me, 10n ** 15n * USDC)).wait();
  const poolAddr = await pool.getAddress();
  await (await weth.approve(poolAddr, ethers.MaxUint256)).wait();
  await (await usdc.approve(poolAddr, ethers.MaxUint256)).wait();
  const deadline = () => BigInt(Math.floor(Date.now() / 1000)) + 10n ** 6n;

  // Uniswap V2 from its published build artifacts.
  const uniFactory = (await new ethers.ContractFactory(
    UniswapV2Factory.abi,
    UniswapV2Factory.bytecode,
    deployer,
  ).deploy(me)) as unknown as Contract;
  await uniFactory.waitForDeployment();
  await (await uniFactory.getFunction("createPair")(await weth.getAddress(), await usdc.getAddress())).wait();
  const pairAddr = (await uniFactory.getFunction("getPair")(
    await weth.getAddress(),
    await usdc.getAddress(),
  )) as string;
  const pair = new ethers.Contract(pairAddr, UniswapV2Pair.abi, deployer);
  const wethIs0 = BigInt(await weth.getAddress()) < BigInt(await usdc.getAddress());

  const rows: Row[] = [];

  // Liquidity: first deposit (only the factory may make it: here `seedPool` on the pool the config left
  // empty, the oracle check included), a second deposit, a withdrawal.
  const factory = SkewFactory__factory.connect(record.contracts.SkewFactory.address, deployer);
  const factoryAddr = await factory.getAddress();
  await (await weth.approve(factoryAddr, SEED_BASE)).wait();
  await (await usdc.approve(factoryAddr, SEED_QUOTE)).wait();
  const seed = { baseAmount: SEED_BASE, quoteAmount: SEED_QUOTE, maxPriceDeviation: 1000n, minShares: 0n, to: me };
  const skewFirst = await gasOf(factory.seedPool(poolAddr, seed));
  await (await weth.transfer(pairAddr, SEED_BASE)).wait();
  await (await usdc.transfer(pairAddr, SEED_QUOTE)).wait();
  const uniFirst = await gasOf(pair.getFunction("mint")(me));
  rows.push({
    operation: "first deposit / mint",
    skew: skewFirst,
    uniswap: uniFirst,
    note: "Skew: the factory's seedPool (oracle check, pulls the seed, deposits it)",
  });

  const skewDeposit = await gasOf(pool.deposit(10n * WAD, 20_000n * USDC, 0n, me, deadline()));
  const t1 = await gasOf(weth.transfer(pairAddr, 10n * WAD));
  const t2 = await gasOf(usdc.transfer(pairAddr, 20_000n * USDC));
  const uniMint = await gasOf(pair.getFunction("mint")(me));
  rows.push({
    operation: "deposit / mint",
    skew: skewDeposit,
    uniswap: t1 + t2 + uniMint,
    note: `Skew pulls both tokens itself; Uniswap = 2 transfers + mint (${uniMint} for mint alone)`,
  });

  const shares = (await pool.balanceOf(me)) / 100n;
  const skewWithdraw = await gasOf(pool.withdraw(shares, 0n, 0n, me, deadline()));
  const lp = ((await pair.getFunction("balanceOf")(me)) as bigint) / 100n;
  const t3 = await gasOf(pair.getFunction("transfer")(pairAddr, lp));
  const uniBurn = await gasOf(pair.getFunction("burn")(me));
  rows.push({
    operation: "withdraw / burn",
    skew: skewWithdraw,
    uniswap: t3 + uniBurn,
    note: `Uniswap = LP transfer + burn (${uniBurn} for burn alone)`,
  });

  // Swaps: input transferred first, then the swap transaction.
  async function skewSwap(side: 0 | 1, amount: bigint): Promise<number> {
    await (await (side === 0 ? weth : usdc).transfer(poolAddr, amount)).wait();
    return gasOf(pool.swap(side, 0n, me, deadline()));
  }
  async function uniSwap(sellWeth: boolean, amount: bigint): Promise<number> {
    const [r0, r1] = (await pair.getFunction("getReserves")()) as [bigint, bigint, bigint];
    const [rIn, rOut] = sellWeth === wethIs0 ? [r0, r1] : [r1, r0];
    const withFee = amount * 997n;
    const out = (withFee * rOut) / (rIn * 1000n + withFee);
    await (await (sellWeth ? weth : usdc).transfer(pairAddr, amount)).wait();
    const zeroOut = sellWeth === wethIs0 ? 0n : out;
    const oneOut = sellWeth === wethIs0 ? out : 0n;
    return gasOf(pair.getFunction("swap")(zeroOut, oneOut, me, "0x"));
  }
  const region = async () => ["ONE", "A", "B"][Number((await pool.getState()).region)];

  const steps: { label: string; side: 0 | 1; amount: bigint }[] = [
    { label: "swap at equilibrium (sell WETH)", side: 0, amount: 5n * WAD },
    { label: "swap deeper into region B (sell WETH)", side: 0, amount: 5n * WAD },
    { label: "swap back toward target in B (sell USDC)", side: 1, amount: 5_000n * USDC },
    { label: "swap across equilibrium B -> A (sell USDC)", side: 1, amount: 40_000n * USDC },
    { label: "swap deeper into region A (sell USDC)", side: 1, amount: 10_000n * USDC },
    { label: "swap back toward target in A (sell WETH)", side: 0, amount: 2n * WAD },
  ];
  /** Swaps on both; notes the regions and, when a change of k was queued before the swap, its fate. */
  async function swapRow(s: { label: string; side: 0 | 1; amount: bigint }): Promise<void> {
    const before = await pool.getState();
    const skew = await skewSwap(s.side, s.amount);
    const uni = await uniSwap(s.side === 0, s.amount);
    const after = await pool.getState();
    let note = `region ${["ONE", "A", "B"][Number(before.region)]} -> ${await region()}`;
    if (before.kPending) note += `, k ${after.kPending ? "still queued" : "applied"}`;
    rows.push({ operation: s.label, skew, uniswap: uni, note });
  }
  for (const s of steps) await swapRow(s);

  // Keeper update (min interval 0 in this config).
  const p = (await pool.getState()).params;
  rows.push({
    operation: "keeper setParams",
    skew: await gasOf(pool.setParams(p.k + WAD / 100n, p.baseFee + 10n, p.maxFee + 10n, p.tau, WAD / 20n)),
    note: `region ${await region()}: the new k is queued`,
  });

  // Swaps while a change of k is queued: one that stays in region A, one that crosses and applies it.
  await swapRow({ label: "swap toward target in A, k queued (sell WETH)", side: 0, amount: 1n * WAD });
  await swapRow({ label: "swap across A -> B, applies the queued k (sell WETH)", side: 0, amount: 20n * WAD });

  // Print.
  console.log(
    "\nGas, whole transactions (Hardhat network, cancun; pool and factory via-IR 200 runs, SwapLogic via-IR 1,000, rest 10,000)\n",
  );
  console.log(`${"operation".padEnd(44)} ${"Skew".padStart(8)} ${"UniV2".padStart(8)} ${"Skew/Uni".padStart(9)}  note`);
  for (const r of rows) {
    const ratio = r.uniswap ? (r.skew / r.uniswap).toFixed(2) : "";
    console.log(
      `${r.operation.padEnd(44)} ${String(r.skew).padStart(8)} ${String(r.uniswap ?? "").padStart(8)} ${ratio.padStart(9)}  ${r.note ?? ""}`,
    );
  }
  const out = path.resolve(__dirname, "..", "bench", "out");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "gas.json"), JSON.stringify({ measuredAt: new Date().toISOString(), rows }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(out, "gas.json"))}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
