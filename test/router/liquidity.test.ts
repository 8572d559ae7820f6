import { expect } from "chai";
import { ethers } from "hardhat";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { getPoolState } from "../../sdk/state";
import { depositLimits, quoteDeposit, quoteWithdraw } from "../../sdk/liquidity";
import { buildDeposit, buildPoolWithdraw, buildWithdrawWithPermit, deadlineFromNow, signPermit } from "../../sdk/tx";
import type { TxRequest } from "../../sdk/tx";
import { parseDeposits, parseWithdraws } from "../../sdk/events";
import {
  DeadlineExpiredError,
  DepositBelowMinimumError,
  InvalidRecipientError,
  InsufficientOutputError,
  InsufficientSharesError,
  PausedError,
  SlippageError,
  UnknownPoolError,
} from "../../sdk/errors";
import { proportionalDeposit } from "../pool/fixtures";
import { createPool, deployFeed } from "../helpers/sdkEnv";
import { approveAll, E18, E6, E8, expectRouterEmpty, expectSkewError, loadWorld } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

async function send(signer: HardhatEthersSigner, tx: TxRequest) {
  const receipt = await (await signer.sendTransaction(tx)).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

async function routerEmpty(w: World) {
  await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc, w.ethPool, w.btcPool], [w.a.ethPool, w.a.btcPool]);
}

describe("router deposits and withdrawals built by the SDK", function () {
  it("deposit: takes the proportional amounts, refunds the rest, mints the quoted shares", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const state = await getPoolState(w.a.ethPool, ethers.provider);
    const [baseMax, quoteMax] = [50n * E18, 30_000n * E6]; // more WETH than the USDC matches
    const quote = quoteDeposit(state, baseMax, quoteMax);
    const { baseReserve, quoteReserve } = state.math;
    const independent = proportionalDeposit(
      { baseReserve, quoteReserve, totalSupply: state.totalSupply },
      baseMax,
      quoteMax,
    );
    expect([quote.shares, quote.baseIn, quote.quoteIn]).to.deep.equal([
      independent.shares,
      independent.needBase,
      independent.needQuote,
    ]);
    expect(quote.baseIn < baseMax).to.equal(true);

    const deadline = await deadlineFromNow(ethers.provider, 600);
    const tx = buildDeposit({
      router: w.router,
      pool: w.a.ethPool,
      baseMax,
      quoteMax,
      baseMin: 0n,
      quoteMin: 0n,
      minShares: quote.shares,
      to: w.carol.address,
      deadline,
    });
    const wethBefore = await w.weth.balanceOf(w.alice.address);
    const usdcBefore = await w.usdc.balanceOf(w.alice.address);
    const receipt = await send(w.alice, tx);
    const [event] = parseDeposits(receipt.logs);
    expect([event.shares, event.baseIn, event.quoteIn, event.to]).to.deep.equal([
      quote.shares,
      quote.baseIn,
      quote.quoteIn,
      w.carol.address,
    ]);
    expect(event.sender).to.equal(w.router); // the pool sees the router as the payer
    expect(wethBefore - (await w.weth.balanceOf(w.alice.address))).to.equal(quote.baseIn);
    expect(usdcBefore - (await w.usdc.balanceOf(w.alice.address))).to.equal(quote.quoteIn);
    expect(await w.ethPool.balanceOf(w.carol.address)).to.equal(quote.shares);
    await routerEmpty(w);
  });

  it("a first deposit into an empty pool through the router is refused: only the factory seeds a pool", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const feed = await deployFeed(w.admin, 8, 20n * E8);
    const pool = await createPool(w.core, w.admin, { base: w.a.wbtc, quote: w.a.weth, feed: await feed.getAddress() });
    const address = await pool.getAddress();
    const tx = buildDeposit({
      router: w.router,
      pool: address,
      baseMax: 2n * E8,
      quoteMax: 40n * E18,
      baseMin: 0n,
      quoteMin: 0n,
      minShares: 0n,
      to: w.alice.address,
      deadline: MaxUint256,
    });
    const before = [await w.wbtc.balanceOf(w.alice.address), await w.weth.balanceOf(w.alice.address)];
    await expect(w.alice.sendTransaction(tx))
      .to.be.revertedWithCustomError(pool, "FirstDepositNotByFactory")
      .withArgs(w.router, w.core.factoryAddress);
    expect([await w.wbtc.balanceOf(w.alice.address), await w.weth.balanceOf(w.alice.address)]).to.deep.equal(before);
    expect(await pool.totalSupply()).to.equal(0n);
  });

  it("deposit with permits for both tokens needs no approval", async function () {
    const w = await loadWorld();
    const state = await getPoolState(w.a.btcPool, ethers.provider);
    const [baseMax, quoteMax] = [E8, 60_000n * E6];
    const quote = quoteDeposit(state, baseMax, quoteMax);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const permits = {
      base: await signPermit(w.alice, w.a.wbtc, w.router, baseMax, deadline),
      quote: await signPermit(w.alice, w.a.usdc, w.router, quoteMax, deadline),
    };
    expect(await w.wbtc.allowance(w.alice.address, w.router)).to.equal(0n);
    const receipt = await send(
      w.alice,
      buildDeposit({
        router: w.router,
        pool: w.a.btcPool,
        baseMax,
        quoteMax,
        baseMin: 0n,
        quoteMin: 0n,
        minShares: quote.shares,
        to: w.alice.address,
        deadline,
        permits,
      }),
    );
    expect(parseDeposits(receipt.logs)[0].shares).to.equal(quote.shares);
    expect(await w.wbtc.nonces(w.alice.address)).to.equal(1n);
    expect(await w.usdc.nonces(w.alice.address)).to.equal(1n);
    await routerEmpty(w);
  });

  it("deposit slippage: a minimum above the quote fails with InsufficientShares; deadline and pause are typed", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const state = await getPoolState(w.a.ethPool, ethers.provider);
    const quote = quoteDeposit(state, E18, 3000n * E6);
    const args = {
      router: w.router,
      pool: w.a.ethPool,
      baseMax: E18,
      quoteMax: 3000n * E6,
      baseMin: 0n,
      quoteMin: 0n,
      to: w.alice.address,
    };
    const err = await expectSkewError(
      send(w.alice, buildDeposit({ ...args, minShares: quote.shares + 1n, deadline: MaxUint256 })),
      InsufficientSharesError,
    );
    expect(err).to.be.instanceOf(SlippageError);
    expect([err.shares, err.minShares]).to.deep.equal([quote.shares, quote.shares + 1n]);
    // The router hands the minima to the pool: above what the pool takes, DepositBelowMinimum, typed.
    const limits = depositLimits(quote, 0);
    const below = await expectSkewError(
      send(w.alice, buildDeposit({ ...args, ...limits, quoteMin: quote.quoteIn + 1n, deadline: MaxUint256 })),
      DepositBelowMinimumError,
    );
    expect(below).to.be.instanceOf(SlippageError);
    expect([below.baseIn, below.quoteIn, below.baseMin, below.quoteMin]).to.deep.equal([
      quote.baseIn,
      quote.quoteIn,
      quote.baseIn,
      quote.quoteIn + 1n,
    ]);
    await expectSkewError(send(w.alice, buildDeposit({ ...args, minShares: 0n, deadline: 1n })), DeadlineExpiredError);
    await w.ethPool.connect(w.admin).pause();
    await expectSkewError(send(w.alice, buildDeposit({ ...args, minShares: 0n, deadline: MaxUint256 })), PausedError);
    expect(() => quoteDeposit({ ...state, paused: true }, E18, E6)).to.throw(PausedError);
    await routerEmpty(w);
  });

  it("deposit into an unknown pool is UnknownPool", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const tx = buildDeposit({
      router: w.router,
      pool: w.a.weth,
      baseMax: E18,
      quoteMax: E6,
      baseMin: 0n,
      quoteMin: 0n,
      minShares: 0n,
      to: w.alice.address,
      deadline: MaxUint256,
    });
    expect((await expectSkewError(send(w.alice, tx), UnknownPoolError)).pool).to.equal(w.a.weth);
  });

  it("withdraw straight from the pool pays the quoted fraction, also while paused", async function () {
    const w = await loadWorld();
    await w.ethPool.connect(w.admin).pause();
    const shares = (await w.ethPool.balanceOf(w.bob.address)) / 3n;
    const state = await getPoolState(w.a.ethPool, ethers.provider);
    const quote = quoteWithdraw(state, shares);
    expect(quote.baseOut).to.equal((shares * state.math.baseReserve) / state.totalSupply);
    const tx = buildPoolWithdraw({
      pool: w.a.ethPool,
      shares,
      minBase: quote.baseOut,
      minQuote: quote.quoteOut,
      to: w.bob.address,
      deadline: MaxUint256,
    });
    const before = await w.usdc.balanceOf(w.bob.address);
    const receipt = await send(w.bob, tx);
    const [event] = parseWithdraws(receipt.logs);
    expect([event.shares, event.baseOut, event.quoteOut]).to.deep.equal([shares, quote.baseOut, quote.quoteOut]);
    expect((await w.usdc.balanceOf(w.bob.address)) - before).to.equal(quote.quoteOut);
  });

  it("withdraw through the router with an LP-token permit; a minimum above the quote is InsufficientOutput", async function () {
    const w = await loadWorld();
    const shares = (await w.btcPool.balanceOf(w.bob.address)) / 4n;
    const quote = quoteWithdraw(await getPoolState(w.a.btcPool, ethers.provider), shares);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const args = { router: w.router, pool: w.a.btcPool, shares, to: w.carol.address, deadline };

    const tooMuch = await signPermit(w.bob, w.a.btcPool, w.router, shares, deadline);
    const err = await expectSkewError(
      send(w.bob, buildWithdrawWithPermit({ ...args, minBase: quote.baseOut + 1n, minQuote: 0n, permit: tooMuch })),
      InsufficientOutputError,
    );
    expect([err.amountOut, err.minAmountOut]).to.deep.equal([quote.baseOut, quote.baseOut + 1n]);

    const permit = await signPermit(w.bob, w.a.btcPool, w.router, shares, deadline);
    const bobShares = await w.btcPool.balanceOf(w.bob.address);
    const receipt = await send(
      w.bob,
      buildWithdrawWithPermit({ ...args, minBase: quote.baseOut, minQuote: quote.quoteOut, permit }),
    );
    const [event] = parseWithdraws(receipt.logs);
    expect([event.baseOut, event.quoteOut, event.to]).to.deep.equal([quote.baseOut, quote.quoteOut, w.carol.address]);
    expect(await w.btcPool.balanceOf(w.bob.address)).to.equal(bobShares - shares);
    expect(await w.wbtc.balanceOf(w.carol.address)).to.equal(1_000n * E8 + quote.baseOut);
    await routerEmpty(w);
  });

  it("withdraw through the router to the zero address is InvalidRecipient and moves nothing", async function () {
    const w = await loadWorld();
    const shares = (await w.btcPool.balanceOf(w.bob.address)) / 4n;
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const permit = await signPermit(w.bob, w.a.btcPool, w.router, shares, deadline);
    const before = await w.btcPool.balanceOf(w.bob.address);
    const args = { router: w.router, pool: w.a.btcPool, shares, to: ethers.ZeroAddress, deadline };
    await expectSkewError(
      send(w.bob, buildWithdrawWithPermit({ ...args, minBase: 0n, minQuote: 0n, permit })),
      InvalidRecipientError,
    );
    expect(await w.btcPool.balanceOf(w.bob.address)).to.equal(before);
    await routerEmpty(w);
  });
});
