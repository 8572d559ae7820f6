/**
 * The push-vs-pull part of `npm run bench:gas`: two fresh WETH/USDC pools with the same parameters and
 * seed, one on a Chainlink-shaped push feed and one on a `PythOracle` over Pyth's `MockPyth`, traded
 * through the router with the same swaps, next to the same swaps on a Uniswap V2 pair.
 */
import { ethers } from "hardhat";
import type { Contract, ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { MockPermitERC20__factory, SkewFactory__factory, SkewRouter__factory } from "../../typechain-types";
import type { MockPyth, PythOracle } from "../../typechain-types";
import { encodeMockPythUpdate } from "../../sdk/priceSourceMockPyth";

const WAD = 10n ** 18n;
const USDC = 10n ** 6n;
const E8 = 10n ** 8n;
const ETH_ID = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";

/** A measured row of the gas table. */
export interface GasRow {
  operation: string;
  skew: number;
  uniswap?: number;
  note?: string;
}

/** Gas used by a transaction, once mined. */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction dropped");
  return Number(receipt.gasUsed);
}

/**
 * Measures, on fresh pools: a router swap on the push pool; on the pull pool a router swap that carries
 * the update (update fee paid, oracle updated, swap), and a router swap when the price is already fresh
 * (updated earlier in the block by someone else); and Uniswap V2's transfer + swap for the same trade.
 */
export async function benchPushVsPull(
  deployer: HardhatEthersSigner,
  addresses: { factory: string; router: string; weth: string; usdc: string },
  uni: { pair: Contract; wethIs0: boolean },
): Promise<GasRow[]> {
  const me = deployer.address;
  const factory = SkewFactory__factory.connect(addresses.factory, deployer);
  const router = SkewRouter__factory.connect(addresses.router, deployer);
  const weth = MockPermitERC20__factory.connect(addresses.weth, deployer);
  const usdc = MockPermitERC20__factory.connect(addresses.usdc, deployer);
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const update = async (usd: bigint) => {
    const price = usd * E8;
    const t = (await now()) + 1n;
    return encodeMockPythUpdate({ priceId: ETH_ID, price, conf: price / 2000n, expo: -8, publishTime: t });
  };

  const feed = await ethers.deployContract("MockAggregator", [8, 2000n * E8]);
  const pyth = (await ethers.deployContract("MockPyth", [60, 1])) as unknown as MockPyth;
  const guard = {
    maxMovePips: 50_000n,
    coolDown: 900n,
    minAnswer: 1n,
    maxAnswer: 10n ** 20n,
    sequencerFeed: ethers.ZeroAddress,
    sequencerGracePeriod: 0n,
  };
  const pythFeed = {
    pyth: await pyth.getAddress(),
    priceId: ETH_ID,
    decimals: 8,
    maxConfidencePips: 10_000n,
    description: "ETH / USD (Pyth)",
  };
  const oracle = (await ethers.deployContract("PythOracle", [pythFeed, guard, me, 0n, me])) as unknown as PythOracle;
  await (await oracle.updatePrice([await update(2000n)], { value: 1n })).wait();
  await (await oracle.clearBreaker((await oracle.latestPrice()).publishTime)).wait();

  const config = (feedAddress: string, maxAge: bigint) => ({
    base: addresses.weth,
    quote: addresses.usdc,
    feed: feedAddress,
    params: { k: WAD / 2n, baseFee: 3000n, maxFee: 10_000n, tau: WAD / 10n },
    bounds: {
      kMin: 0n,
      kMax: WAD,
      tauMin: 0n,
      tauMax: (WAD * 9n) / 10n,
      baseFeeMin: 0n,
      baseFeeMax: 100_000n,
      maxFeeMin: 0n,
      maxFeeMax: 500_000n,
    },
    steps: { k: WAD / 10n, tau: WAD / 10n, baseFee: 1000n, maxFee: 10_000n },
    minInterval: 0n,
    oracleMaxAge: maxAge,
    protocolShare: 0n,
    admin: me,
    adminDelay: 86_400n,
    keeper: me,
    guardian: me,
  });
  const seed = {
    baseAmount: 1000n * WAD,
    quoteAmount: 2_000_000n * USDC,
    maxPriceDeviation: 1000n,
    minShares: 0n,
    to: me,
  };
  const pools: string[] = [];
  for (const cfg of [config(await feed.getAddress(), 86_400n * 365n), config(await oracle.getAddress(), 60n)]) {
    await (await weth.approve(addresses.factory, seed.baseAmount)).wait();
    await (await usdc.approve(addresses.factory, seed.quoteAmount)).wait();
    const [pool] = await factory.createPoolAndSeed.staticCall(cfg, seed);
    await (await factory.createPoolAndSeed(cfg, seed)).wait();
    pools.push(pool);
  }
  const [pushPool, pullPool] = pools;
  await (await weth.approve(addresses.router, ethers.MaxUint256)).wait();
  await (await usdc.approve(addresses.router, ethers.MaxUint256)).wait();
  const deadline = (await now()) + 10n ** 6n;

  async function uniSwap(sellWeth: boolean, amount: bigint): Promise<number> {
    const pair = uni.pair;
    const pairAddr = await pair.getAddress();
    const [r0, r1] = (await pair.getFunction("getReserves")()) as [bigint, bigint, bigint];
    const [rIn, rOut] = sellWeth === uni.wethIs0 ? [r0, r1] : [r1, r0];
    const withFee = amount * 997n;
    const out = (withFee * rOut) / (rIn * 1000n + withFee);
    const transfer = await gasOf((sellWeth ? weth : usdc).transfer(pairAddr, amount));
    const zeroOut = sellWeth === uni.wethIs0 ? 0n : out;
    const oneOut = sellWeth === uni.wethIs0 ? out : 0n;
    return transfer + (await gasOf(pair.getFunction("swap")(zeroOut, oneOut, me, "0x")));
  }

  const rows: GasRow[] = [];
  const trades = [
    { label: "sell 1 WETH", side: 0, amount: WAD },
    { label: "sell 2,000 USDC", side: 1, amount: 2_000n * USDC },
  ] as const;
  for (const t of trades) {
    const uniGas = await uniSwap(t.side === 0, t.amount);
    const push = await gasOf(router.swapExactIn([{ pool: pushPool, side: t.side }], t.amount, 0n, me, deadline));
    const updates = [{ oracle: await oracle.getAddress(), data: [await update(2000n)] }];
    const pulled = await gasOf(
      router.swapExactInWithPriceUpdate([{ pool: pullPool, side: t.side }], t.amount, 0n, me, deadline, updates, {
        value: 1n,
      }),
    );
    await (await oracle.updatePrice([await update(2000n)], { value: 1n })).wait(); // someone else's update
    const fresh = await gasOf(router.swapExactIn([{ pool: pullPool, side: t.side }], t.amount, 0n, me, deadline));
    const uniNote = "Uniswap = transfer + swap";
    rows.push({ operation: `router ${t.label}, push feed`, skew: push, uniswap: uniGas, note: uniNote });
    rows.push({
      operation: `router ${t.label}, pull: update + swap`,
      skew: pulled,
      uniswap: uniGas,
      note: "MockPyth (no signature checks: real Pyth adds its verification)",
    });
    rows.push({
      operation: `router ${t.label}, pull: price already fresh`,
      skew: fresh,
      uniswap: uniGas,
      note: uniNote,
    });
  }
  // Exact-out through the router on the push pool: the pool's quoteExactOut runs inside the transaction.
  const buys = [
    { label: "buy 1 WETH (exact-out)", side: 1, amountOut: WAD },
    { label: "buy 2,000 USDC (exact-out)", side: 0, amountOut: 2_000n * USDC },
  ] as const;
  for (const b of buys) {
    const hop = [{ pool: pushPool, side: b.side }];
    const [amountIn] = await router.swapExactOut.staticCall(hop, b.amountOut, ethers.MaxUint256, me, deadline);
    const uniGas = await uniSwap(b.side === 0, amountIn);
    const skew = await gasOf(router.swapExactOut(hop, b.amountOut, ethers.MaxUint256, me, deadline));
    rows.push({ operation: `router ${b.label}, push feed`, skew, uniswap: uniGas, note: "Uniswap = transfer + swap" });
  }
  return rows;
}
