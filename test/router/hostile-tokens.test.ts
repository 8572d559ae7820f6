import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { getPoolState, getPoolStates } from "../../sdk/state";
import { quoteExactIn, quoteRoute } from "../../sdk/quote";
import { buildDeposit, buildSwapExactIn, buildSwapExactOut, sideToSolidity } from "../../sdk/tx";
import type { TxRequest } from "../../sdk/tx";
import { parseDeposits, parseSwaps } from "../../sdk/events";
import { InsufficientOutputError, ReentrancyError } from "../../sdk/errors";
import { ISkewPool__factory } from "../../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import { SkewRouter__factory } from "../../typechain-types/factories/contracts/SkewRouter__factory";
import { createSeededPool, deployFeed } from "../helpers/sdkEnv";
import { approveAll, E18, E6, E8, expectRouterEmpty, expectSkewError, world } from "../helpers/sdkFixture";

const FEE_BPS = 100n; // the fee-on-transfer token keeps 1 %
const fee = (x: bigint) => (x * FEE_BPS) / 10_000n;

async function send(signer: HardhatEthersSigner, tx: TxRequest) {
  const receipt = await (await signer.sendTransaction(tx)).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

/** The world plus a FOT/USDC pool (FOT: 18 decimals, 1 % transfer fee) seeded by bob. */
async function fotWorld() {
  const w = await world();
  const fot = await ethers.deployContract("MockFeeOnTransferERC20", ["Fee Token", "FOT", 18, FEE_BPS]);
  const feed = await deployFeed(w.admin, 8, 10n * E8);
  const fotAddress = await fot.getAddress();
  const pool = await createSeededPool(
    w.core,
    w.admin,
    { base: fotAddress, quote: w.a.usdc, feed: await feed.getAddress() },
    { baseAmount: 100_000n * E18, quoteAmount: 1_000_000n * E6, to: w.bob.address },
  );
  const poolAddress = await pool.getAddress();
  await fot.mint(w.alice.address, 100_000n * E18);
  await approveAll(w);
  await fot.connect(w.alice).approve(w.router, MaxUint256);
  return { ...w, fot, fotAddress, fotPool: pool, fotPoolAddress: poolAddress };
}

/** The world plus a RE/USDC pool whose base token calls back into a target on its next transfer. */
async function reentrantWorld() {
  const w = await world();
  const re = await ethers.deployContract("MockReentrantERC20", ["Reentrant", "RE"]);
  const feed = await deployFeed(w.admin, 8, 10n * E8);
  const reAddress = await re.getAddress();
  const pool = await createSeededPool(
    w.core,
    w.admin,
    { base: reAddress, quote: w.a.usdc, feed: await feed.getAddress() },
    { baseAmount: 100_000n * E18, quoteAmount: 1_000_000n * E6, to: w.bob.address },
  );
  const poolAddress = await pool.getAddress();
  await re.mint(w.alice.address, 100_000n * E18);
  await approveAll(w);
  await re.connect(w.alice).approve(w.router, MaxUint256);
  return { ...w, re, reAddress, rePool: pool, rePoolAddress: poolAddress };
}

describe("router with hostile tokens", function () {
  describe("fee-on-transfer input (balance-delta accounting)", function () {
    it("exact-in: the pool swaps what arrived, and pays its quote for that amount", async function () {
      const w = await loadFixture(fotWorld);
      const amountIn = 1_000n * E18;
      const arrived = amountIn - fee(amountIn);
      const view = await w.fotPool.quoteExactIn(sideToSolidity("sellBase"), arrived);
      const sdk = quoteExactIn(await getPoolState(w.fotPoolAddress, ethers.provider), "sellBase", arrived);
      expect(sdk.amountOut).to.equal(view.amountOut);
      const before = await w.usdc.balanceOf(w.alice.address);
      const receipt = await send(
        w.alice,
        buildSwapExactIn({
          router: w.router,
          path: [{ pool: w.fotPoolAddress, side: "sellBase" }],
          amountIn,
          minAmountOut: view.amountOut,
          recipient: w.alice.address,
          deadline: MaxUint256,
        }),
      );
      const [swap] = parseSwaps(receipt.logs);
      expect([swap.amountIn, swap.amountOut]).to.deep.equal([arrived, view.amountOut]);
      expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(view.amountOut);
      await expectRouterEmpty(w.router, [w.fot, w.usdc]);
    });

    it("exact-in with the fee token as output: the recipient gets the pool's output less the token's fee", async function () {
      const w = await loadFixture(fotWorld);
      const view = await w.fotPool.quoteExactIn(sideToSolidity("sellQuote"), 5_000n * E6);
      const before = await w.fot.balanceOf(w.carol.address);
      await send(
        w.alice,
        buildSwapExactIn({
          router: w.router,
          path: [{ pool: w.fotPoolAddress, side: "sellQuote" }],
          amountIn: 5_000n * E6,
          minAmountOut: view.amountOut,
          recipient: w.carol.address,
          deadline: MaxUint256,
        }),
      );
      expect((await w.fot.balanceOf(w.carol.address)) - before).to.equal(view.amountOut - fee(view.amountOut));
      await expectRouterEmpty(w.router, [w.fot, w.usdc]);
    });

    it("multi-hop FOT -> USDC -> WBTC: the route quote on the arrived amount is what comes out", async function () {
      const w = await loadFixture(fotWorld);
      const amountIn = 2_000n * E18;
      const hops = [
        { pool: w.fotPoolAddress, side: "sellBase" as const },
        { pool: w.a.btcPool, side: "sellQuote" as const },
      ];
      const quote = quoteRoute(
        await getPoolStates([w.fotPoolAddress, w.a.btcPool], ethers.provider),
        hops,
        amountIn - fee(amountIn),
      );
      const before = await w.wbtc.balanceOf(w.alice.address);
      await send(
        w.alice,
        buildSwapExactIn({
          router: w.router,
          path: hops,
          amountIn,
          minAmountOut: quote.amountOut,
          recipient: w.alice.address,
          deadline: MaxUint256,
        }),
      );
      expect((await w.wbtc.balanceOf(w.alice.address)) - before).to.equal(quote.amountOut);
      await expectRouterEmpty(w.router, [w.fot, w.usdc, w.wbtc]);
    });

    it("exact-out with a fee-on-transfer input falls short and reverts with InsufficientOutput (use exact-in)", async function () {
      const w = await loadFixture(fotWorld);
      const tx = buildSwapExactOut({
        router: w.router,
        path: [{ pool: w.fotPoolAddress, side: "sellBase" }],
        amountOut: 1_000n * E6,
        maxAmountIn: MaxUint256,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });
      const err = await expectSkewError(send(w.alice, tx), InsufficientOutputError);
      expect(err.amountOut < err.minAmountOut).to.equal(true);
      expect(err.minAmountOut).to.equal(1_000n * E6);
    });

    it("deposit through the router: shares from what arrived, leftovers returned, router empty", async function () {
      const w = await loadFixture(fotWorld);
      const supply = await w.fotPool.totalSupply();
      const receipt = await send(
        w.alice,
        buildDeposit({
          router: w.router,
          pool: w.fotPoolAddress,
          baseMax: 1_000n * E18,
          quoteMax: 5_000n * E6,
          baseMin: 0n,
          quoteMin: 0n,
          minShares: 0n,
          to: w.alice.address,
          deadline: MaxUint256,
        }),
      );
      const [event] = parseDeposits(receipt.logs);
      const s = await w.fotPool.getState();
      // the pool minted from what reached it (rounded down), never more
      const rbBefore = s.baseReserve - event.baseIn;
      const rqBefore = s.quoteReserve - event.quoteIn;
      const byBase = (event.baseIn * supply) / rbBefore;
      const byQuote = (event.quoteIn * supply) / rqBefore;
      expect(event.shares).to.equal(byBase < byQuote ? byBase : byQuote);
      expect(await w.fotPool.balanceOf(w.alice.address)).to.equal(event.shares);
      await expectRouterEmpty(w.router, [w.fot, w.usdc, w.fotPool], [w.fotPoolAddress]);
    });
  });

  describe("reentrancy", function () {
    const routerIface = SkewRouter__factory.createInterface();
    const poolIface = ISkewPool__factory.createInterface();

    async function expectBlocked(w: Awaited<ReturnType<typeof reentrantWorld>>, tx: TxRequest) {
      const state = async () => ({ ...(await getPoolState(w.rePoolAddress, ethers.provider)), blockTimestamp: 0n });
      const before = await state();
      const balances = [await w.re.balanceOf(w.alice.address), await w.usdc.balanceOf(w.alice.address)];
      await expectSkewError(send(w.alice, tx), ReentrancyError);
      expect(await state()).to.deep.equal(before);
      expect([await w.re.balanceOf(w.alice.address), await w.usdc.balanceOf(w.alice.address)]).to.deep.equal(balances);
      await expectRouterEmpty(w.router, [w.re, w.usdc, w.rePool], [w.rePoolAddress]);
    }

    const sellRe = (w: Awaited<ReturnType<typeof reentrantWorld>>, amountIn: bigint) =>
      buildSwapExactIn({
        router: w.router,
        path: [{ pool: w.rePoolAddress, side: "sellBase" }],
        amountIn,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });

    it("a token that re-enters the router's swap during the input transfer is rejected", async function () {
      const w = await loadFixture(reentrantWorld);
      const nested = sellRe(w, E18);
      await w.re.arm(w.router, nested.data);
      await expectBlocked(w, sellRe(w, 10n * E18));
    });

    it("a token that re-enters the pool's swap during the payout is rejected", async function () {
      const w = await loadFixture(reentrantWorld);
      const nested = poolIface.encodeFunctionData("swap", [0, 0n, w.carol.address, MaxUint256]);
      await w.re.arm(w.rePoolAddress, nested);
      const buyRe = buildSwapExactIn({
        router: w.router,
        path: [{ pool: w.rePoolAddress, side: "sellQuote" }],
        amountIn: 100n * E6,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });
      await expectBlocked(w, buyRe);
    });

    it("a token that re-enters the router's deposit during a deposit is rejected", async function () {
      const w = await loadFixture(reentrantWorld);
      const deposit = buildDeposit({
        router: w.router,
        pool: w.rePoolAddress,
        baseMax: 10n * E18,
        quoteMax: 100n * E6,
        baseMin: 0n,
        quoteMin: 0n,
        minShares: 0n,
        to: w.alice.address,
        deadline: MaxUint256,
      });
      const nested = routerIface.encodeFunctionData("swapExactOut", [
        [{ pool: w.rePoolAddress, side: 0 }],
        E6,
        MaxUint256,
        w.alice.address,
        MaxUint256,
      ]);
      await w.re.arm(w.router, nested);
      await expectBlocked(w, deposit);
      // armed with a harmless call instead, the same deposit goes through
      await w.re.arm(w.a.usdc, w.usdc.interface.encodeFunctionData("totalSupply"));
      await send(w.alice, deposit);
      expect(await w.re.armed()).to.equal(false);
      await expectRouterEmpty(w.router, [w.re, w.usdc, w.rePool], [w.rePoolAddress]);
    });
  });
});
