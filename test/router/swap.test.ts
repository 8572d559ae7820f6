import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { getPoolState, getPoolStates } from "../../sdk/state";
import { quoteExactIn, quoteExactOut, quoteRoute, quoteRouteExactOut } from "../../sdk/quote";
import type { RouteHop } from "../../sdk/quote";
import {
  buildSwapExactIn,
  buildSwapExactOut,
  buildSwapFromQuote,
  deadlineFromNow,
  signPermit,
  sideToSolidity,
} from "../../sdk/tx";
import type { TxRequest } from "../../sdk/tx";
import {
  DeadlineExpiredError,
  ExcessiveInputError,
  InsufficientOutputError,
  InvalidPathError,
  InvalidRecipientError,
  SkewContractError,
  SlippageError,
  UnknownPoolError,
  ZeroAmountError,
} from "../../sdk/errors";
import type { SwapSide } from "../../sdk/math";
import { createPool, createSeededPool, deployCore, deployFeed } from "../helpers/sdkEnv";
import { approveAll, E18, E6, E8, expectRouterEmpty, expectSkewError, loadWorld } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

/** Sends a built transaction from `signer` and waits for it. */
async function send(signer: HardhatEthersSigner, tx: TxRequest) {
  return (await signer.sendTransaction(tx)).wait();
}

/** The pool's own exact-in / exact-out quote views (independent of the SDK). */
async function viewIn(w: World, pool: string, side: SwapSide, amount: bigint) {
  const p = pool === w.a.ethPool ? w.ethPool : w.btcPool;
  return p.quoteExactIn(sideToSolidity(side), amount);
}
async function viewOut(w: World, pool: string, side: SwapSide, amount: bigint) {
  const p = pool === w.a.ethPool ? w.ethPool : w.btcPool;
  return p.quoteExactOut(sideToSolidity(side), amount);
}

async function routerEmpty(w: World) {
  await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc, w.ethPool, w.btcPool], [w.a.ethPool, w.a.btcPool]);
}

describe("router swaps built by the SDK", function () {
  describe("single hop", function () {
    for (const side of ["sellBase", "sellQuote"] as const) {
      it(`exact-in ${side}: pays the pool's quote; the builder's minimum is the quote less the slippage`, async function () {
        const w = await loadWorld();
        await approveAll(w);
        const amountIn = side === "sellBase" ? 25n * E18 : 80_000n * E6;
        const [tokenIn, tokenOut] = side === "sellBase" ? [w.weth, w.usdc] : [w.usdc, w.weth];
        const view = await viewIn(w, w.a.ethPool, side, amountIn);
        const quote = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), side, amountIn);
        const deadline = await deadlineFromNow(ethers.provider, 600);
        const built = buildSwapFromQuote({
          router: w.router,
          quote,
          slippageBps: 30,
          recipient: w.alice.address,
          deadline,
        });
        expect(built.minAmountOut).to.equal((view.amountOut * 9970n) / 10000n);
        expect(built.amountIn).to.equal(amountIn);

        const inBefore = await tokenIn.balanceOf(w.alice.address);
        const outBefore = await tokenOut.balanceOf(w.alice.address);
        await send(w.alice, built.tx);
        expect(inBefore - (await tokenIn.balanceOf(w.alice.address))).to.equal(amountIn);
        expect((await tokenOut.balanceOf(w.alice.address)) - outBefore).to.equal(view.amountOut);
        expect(quote.amountOut).to.equal(view.amountOut);
        await routerEmpty(w);
      });

      it(`exact-out ${side}: takes the pool's exact-out input; the maximum is the quote plus the slippage`, async function () {
        const w = await loadWorld();
        await approveAll(w);
        const amountOut = side === "sellBase" ? 50_000n * E6 : 12n * E18;
        const [tokenIn, tokenOut] = side === "sellBase" ? [w.weth, w.usdc] : [w.usdc, w.weth];
        const view = await viewOut(w, w.a.ethPool, side, amountOut);
        const quote = quoteExactOut(await getPoolState(w.a.ethPool, ethers.provider), side, amountOut);
        const deadline = await deadlineFromNow(ethers.provider, 600);
        const built = buildSwapFromQuote({
          router: w.router,
          quote,
          slippageBps: 30,
          recipient: w.carol.address,
          deadline,
        });
        expect(built.maxAmountIn).to.equal((view.amountIn * 10030n + 9999n) / 10000n);
        expect(built.minAmountOut).to.equal(amountOut);

        const inBefore = await tokenIn.balanceOf(w.alice.address);
        const outBefore = await tokenOut.balanceOf(w.carol.address);
        await send(w.alice, built.tx);
        expect(inBefore - (await tokenIn.balanceOf(w.alice.address))).to.equal(view.amountIn);
        const received = (await tokenOut.balanceOf(w.carol.address)) - outBefore;
        expect(received).to.equal(view.amountOut);
        expect(received >= amountOut).to.equal(true);
        expect([quote.amountIn, quote.amountOut]).to.deep.equal([view.amountIn, view.amountOut]);
        await routerEmpty(w);
      });
    }
  });

  describe("multi-hop WETH -> USDC -> WBTC", function () {
    const path = (w: World): RouteHop[] => [
      { pool: w.a.ethPool, side: "sellBase" },
      { pool: w.a.btcPool, side: "sellQuote" },
    ];

    it("exact-in: each pool pays the next, the output is the chained pool quotes", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const amountIn = 40n * E18;
      const usdc = (await viewIn(w, w.a.ethPool, "sellBase", amountIn)).amountOut;
      const wbtc = (await viewIn(w, w.a.btcPool, "sellQuote", usdc)).amountOut;
      const states = await getPoolStates([w.a.ethPool, w.a.btcPool], ethers.provider);
      const quote = quoteRoute(states, path(w), amountIn);
      expect(quote.hops.map((h) => h.amountOut)).to.deep.equal([usdc, wbtc]);
      expect([quote.tokenIn, quote.tokenOut]).to.deep.equal([w.a.weth, w.a.wbtc]);

      const deadline = await deadlineFromNow(ethers.provider, 600);
      const built = buildSwapFromQuote({
        router: w.router,
        quote,
        slippageBps: 0,
        recipient: w.alice.address,
        deadline,
      });
      const before = await w.wbtc.balanceOf(w.alice.address);
      const usdcBefore = await w.usdc.balanceOf(w.alice.address);
      await send(w.alice, built.tx);
      expect((await w.wbtc.balanceOf(w.alice.address)) - before).to.equal(wbtc);
      expect(await w.usdc.balanceOf(w.alice.address)).to.equal(usdcBefore); // USDC never passed through alice
      await routerEmpty(w);
    });

    it("exact-out: inputs found backwards from the last hop, at least the requested output arrives", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const amountOut = 3n * E8;
      const usdcNeeded = (await viewOut(w, w.a.btcPool, "sellQuote", amountOut)).amountIn;
      const wethIn = (await viewOut(w, w.a.ethPool, "sellBase", usdcNeeded)).amountIn;
      const usdcOut = (await viewIn(w, w.a.ethPool, "sellBase", wethIn)).amountOut;
      const wbtcOut = (await viewIn(w, w.a.btcPool, "sellQuote", usdcOut)).amountOut;

      const states = await getPoolStates([w.a.ethPool, w.a.btcPool], ethers.provider);
      const quote = quoteRouteExactOut(states, path(w), amountOut);
      expect([quote.amountIn, quote.amountOut]).to.deep.equal([wethIn, wbtcOut]);
      const deadline = await deadlineFromNow(ethers.provider, 600);
      const built = buildSwapFromQuote({
        router: w.router,
        quote,
        slippageBps: 0,
        recipient: w.alice.address,
        deadline,
      });
      expect(built.maxAmountIn).to.equal(wethIn);

      const wethBefore = await w.weth.balanceOf(w.alice.address);
      const wbtcBefore = await w.wbtc.balanceOf(w.alice.address);
      await send(w.alice, built.tx);
      expect(wethBefore - (await w.weth.balanceOf(w.alice.address))).to.equal(wethIn);
      const got = (await w.wbtc.balanceOf(w.alice.address)) - wbtcBefore;
      expect(got).to.equal(wbtcOut);
      expect(got >= amountOut).to.equal(true);
      await routerEmpty(w);
    });

    it("a cycle through the same pool twice: the second visit sees the first one's state", async function () {
      const w = await loadWorld();
      await approveAll(w);
      // a third pool, WBTC/WETH, closes the cycle WETH -> USDC -> WBTC -> WETH -> USDC
      const feed = await deployFeed(w.admin, 8, 20n * E8);
      const cross = await createSeededPool(
        w.core,
        w.admin,
        { base: w.a.wbtc, quote: w.a.weth, feed: await feed.getAddress() },
        { baseAmount: 10n * E8, quoteAmount: 200n * E18, to: w.bob.address },
      );
      const crossAddress = await cross.getAddress();
      const hops: RouteHop[] = [
        { pool: w.a.ethPool, side: "sellBase" },
        { pool: w.a.btcPool, side: "sellQuote" },
        { pool: crossAddress, side: "sellBase" },
        { pool: w.a.ethPool, side: "sellBase" },
      ];
      const states = await getPoolStates([w.a.ethPool, w.a.btcPool, crossAddress], ethers.provider);
      const quote = quoteRoute(states, hops, 100n * E18);
      // the first visit moved the pool: the same input quoted on the untouched pool pays more
      const untouched = quoteExactIn(states[0], "sellBase", quote.hops[3].amountIn);
      expect(untouched.amountOut > quote.hops[3].amountOut).to.equal(true);

      const deadline = await deadlineFromNow(ethers.provider, 600);
      const before = await w.usdc.balanceOf(w.alice.address);
      const built = buildSwapFromQuote({
        router: w.router,
        quote,
        slippageBps: 0,
        recipient: w.alice.address,
        deadline,
      });
      await send(w.alice, built.tx);
      expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(quote.amountOut);
      // the pool ends where the SDK's chained quote says
      const s = await w.ethPool.getState();
      const last = quote.hops[3];
      expect([s.baseReserve, s.quoteReserve, s.baseTarget, s.quoteTarget, s.region]).to.deep.equal([
        last.baseReserveAfter,
        last.quoteReserveAfter,
        last.baseTargetAfter,
        last.quoteTargetAfter,
        BigInt(last.regionAfter),
      ]);
      await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc]);
    });

    it("exact-out through a pool visited twice: router and SDK both refuse when the second visit pays less", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const feed = await deployFeed(w.admin, 8, 20n * E8);
      const cross = await createSeededPool(
        w.core,
        w.admin,
        { base: w.a.wbtc, quote: w.a.weth, feed: await feed.getAddress() },
        { baseAmount: 10n * E8, quoteAmount: 200n * E18, to: w.bob.address },
      );
      const crossAddress = await cross.getAddress();
      const hops: RouteHop[] = [
        { pool: w.a.ethPool, side: "sellBase" },
        { pool: w.a.btcPool, side: "sellQuote" },
        { pool: crossAddress, side: "sellBase" },
        { pool: w.a.ethPool, side: "sellBase" },
      ];
      const amountOut = 200_000n * E6;
      const states = await getPoolStates([w.a.ethPool, w.a.btcPool, crossAddress], ethers.provider);
      const sdkErr = await expectSkewError(() => quoteRouteExactOut(states, hops, amountOut), InsufficientOutputError);
      const tx = buildSwapExactOut({
        router: w.router,
        path: hops,
        amountOut,
        maxAmountIn: MaxUint256,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });
      const err = await expectSkewError(send(w.alice, tx), InsufficientOutputError);
      expect([err.amountOut, err.minAmountOut]).to.deep.equal([sdkErr.amountOut, sdkErr.minAmountOut]);
    });

    it("two consecutive hops on one pool are InvalidPath (the pool cannot pay itself)", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const hops: RouteHop[] = [
        { pool: w.a.ethPool, side: "sellBase" },
        { pool: w.a.ethPool, side: "sellQuote" },
      ];
      const tx = buildSwapExactIn({
        router: w.router,
        path: hops,
        amountIn: E18,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });
      expect((await expectSkewError(send(w.alice, tx), InvalidPathError)).hop).to.equal(1);
      const state = await getPoolState(w.a.ethPool, ethers.provider);
      expect(() => quoteRoute([state], hops, E18)).to.throw(InvalidPathError, /hop 1/);
    });
  });

  describe("protection", function () {
    it("exact-in slippage: a front-run swap makes the built minimum fail with InsufficientOutput", async function () {
      const w = await loadWorld();
      await approveAll(w);
      await approveAll(w, w.carol);
      const quote = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", 10n * E18);
      const deadline = await deadlineFromNow(ethers.provider, 600);
      const built = buildSwapFromQuote({
        router: w.router,
        quote,
        slippageBps: 20,
        recipient: w.alice.address,
        deadline,
      });
      // carol sells first and moves the price against alice
      const front = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", 100n * E18);
      await send(
        w.carol,
        buildSwapFromQuote({ router: w.router, quote: front, slippageBps: 0, recipient: w.carol.address, deadline }).tx,
      );
      const err = await expectSkewError(send(w.alice, built.tx), InsufficientOutputError);
      expect(err).to.be.instanceOf(SlippageError);
      expect(err.minAmountOut).to.equal(built.minAmountOut);
      expect(err.amountOut < built.minAmountOut).to.equal(true);
      expect(err.message).to.match(/slippage: output \d+ is below the minimum \d+/);
      await routerEmpty(w);
    });

    it("exact-out slippage: a front-run swap makes the built maximum fail with ExcessiveInput", async function () {
      const w = await loadWorld();
      await approveAll(w);
      await approveAll(w, w.carol);
      const quote = quoteExactOut(await getPoolState(w.a.ethPool, ethers.provider), "sellQuote", 5n * E18);
      const deadline = await deadlineFromNow(ethers.provider, 600);
      const built = buildSwapFromQuote({
        router: w.router,
        quote,
        slippageBps: 20,
        recipient: w.alice.address,
        deadline,
      });
      const front = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellQuote", 300_000n * E6);
      await send(
        w.carol,
        buildSwapFromQuote({ router: w.router, quote: front, slippageBps: 0, recipient: w.carol.address, deadline }).tx,
      );
      const err = await expectSkewError(send(w.alice, built.tx), ExcessiveInputError);
      expect(err).to.be.instanceOf(SlippageError);
      expect(err.maxAmountIn).to.equal(built.maxAmountIn);
      expect(err.amountIn > built.maxAmountIn).to.equal(true);
    });

    it("a slippage tolerance that covers the move lets the front-run trade through", async function () {
      const w = await loadWorld();
      await approveAll(w);
      await approveAll(w, w.carol);
      const quote = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", 10n * E18);
      const deadline = await deadlineFromNow(ethers.provider, 600);
      const built = buildSwapFromQuote({
        router: w.router,
        quote,
        slippageBps: 500,
        recipient: w.alice.address,
        deadline,
      });
      const front = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", 20n * E18);
      await send(
        w.carol,
        buildSwapFromQuote({ router: w.router, quote: front, slippageBps: 0, recipient: w.carol.address, deadline }).tx,
      );
      const before = await w.usdc.balanceOf(w.alice.address);
      await send(w.alice, built.tx);
      const got = (await w.usdc.balanceOf(w.alice.address)) - before;
      expect(got < quote.amountOut && got >= built.minAmountOut).to.equal(true);
    });

    it("deadline: a swap mined after its deadline fails with DeadlineExpired (both kinds, with permit too)", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const state = await getPoolState(w.a.ethPool, ethers.provider);
      const deadline = await deadlineFromNow(ethers.provider, 60);
      const txs = [
        buildSwapFromQuote({
          router: w.router,
          quote: quoteExactIn(state, "sellBase", E18),
          slippageBps: 50,
          recipient: w.alice.address,
          deadline,
        }).tx,
        buildSwapFromQuote({
          router: w.router,
          quote: quoteExactOut(state, "sellBase", E6),
          slippageBps: 50,
          recipient: w.alice.address,
          deadline,
        }).tx,
      ];
      await time.increase(61);
      for (const tx of txs) {
        const err = await expectSkewError(send(w.alice, tx), DeadlineExpiredError);
        expect(err.deadline).to.equal(deadline);
        expect(err.timestamp > deadline).to.equal(true);
      }
      const permit = await signPermit(w.alice, w.a.weth, w.router, E18, deadline + 1000n);
      const withPermit = buildSwapExactIn({
        router: w.router,
        path: [{ pool: w.a.ethPool, side: "sellBase" }],
        amountIn: E18,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline,
        permit,
      });
      await expectSkewError(send(w.alice, withPermit), DeadlineExpiredError);
    });

    it("zero amounts and a zero recipient are rejected", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const path: RouteHop[] = [{ pool: w.a.ethPool, side: "sellBase" }];
      const common = { router: w.router, path, deadline: MaxUint256 };
      await expectSkewError(
        send(w.alice, buildSwapExactIn({ ...common, amountIn: 0n, minAmountOut: 0n, recipient: w.alice.address })),
        ZeroAmountError,
      );
      await expectSkewError(
        send(w.alice, buildSwapExactOut({ ...common, amountOut: 0n, maxAmountIn: 1n, recipient: w.alice.address })),
        ZeroAmountError,
      );
      const err = await expectSkewError(
        send(w.alice, buildSwapExactIn({ ...common, amountIn: E18, minAmountOut: 0n, recipient: ethers.ZeroAddress })),
        InvalidRecipientError,
      );
      expect(err.recipient).to.equal(ethers.ZeroAddress);
    });
  });

  describe("routes the router refuses", function () {
    it("a pool of another factory, an EOA and a token are UnknownPool (and the SDK refuses them too)", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const other = await deployCore(w.admin);
      const foreign = await createPool(other, w.admin, {
        base: w.a.weth,
        quote: w.a.usdc,
        feed: await w.ethFeed.getAddress(),
      });
      const foreignAddress = await foreign.getAddress();
      for (const pool of [foreignAddress, w.carol.address, w.a.weth]) {
        const tx = buildSwapExactIn({
          router: w.router,
          path: [{ pool, side: "sellBase" }],
          amountIn: E18,
          minAmountOut: 0n,
          recipient: w.alice.address,
          deadline: MaxUint256,
        });
        const err = await expectSkewError(send(w.alice, tx), UnknownPoolError);
        expect(err.pool).to.equal(pool);
      }
      // a known pool after an unknown one
      const mixed = buildSwapExactOut({
        router: w.router,
        path: [
          { pool: w.a.ethPool, side: "sellBase" },
          { pool: foreignAddress, side: "sellQuote" },
        ],
        amountOut: E18,
        maxAmountIn: MaxUint256,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });
      await expectSkewError(send(w.alice, mixed), UnknownPoolError);
      const state = await getPoolState(w.a.ethPool, ethers.provider);
      expect(() => quoteRoute([state], [{ pool: foreignAddress, side: "sellBase" }], E18)).to.throw(UnknownPoolError);
      await routerEmpty(w);
    });

    it("an empty route is InvalidPath(0); a hop that does not take the previous output is InvalidPath(i)", async function () {
      const w = await loadWorld();
      await approveAll(w);
      const common = {
        router: w.router,
        amountIn: E18,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline: MaxUint256,
      };
      const empty = await expectSkewError(send(w.alice, buildSwapExactIn({ ...common, path: [] })), InvalidPathError);
      expect(empty.hop).to.equal(0);
      // WETH -> USDC, then a hop that sells WBTC
      const broken: RouteHop[] = [
        { pool: w.a.ethPool, side: "sellBase" },
        { pool: w.a.btcPool, side: "sellBase" },
      ];
      const err = await expectSkewError(send(w.alice, buildSwapExactIn({ ...common, path: broken })), InvalidPathError);
      expect(err.hop).to.equal(1);
      const three: RouteHop[] = [
        { pool: w.a.ethPool, side: "sellBase" },
        { pool: w.a.btcPool, side: "sellQuote" },
        { pool: w.a.ethPool, side: "sellBase" },
      ];
      const exactOut = buildSwapExactOut({ ...common, path: three, amountOut: E6, maxAmountIn: MaxUint256 });
      expect((await expectSkewError(send(w.alice, exactOut), InvalidPathError)).hop).to.equal(2);

      const states = await getPoolStates([w.a.ethPool, w.a.btcPool], ethers.provider);
      expect(() => quoteRoute(states, [], E18)).to.throw(InvalidPathError);
      expect(() => quoteRoute(states, broken, E18)).to.throw(InvalidPathError, /hop 1/);
      expect(() => quoteRouteExactOut(states, three, E6)).to.throw(InvalidPathError, /hop 2/);
      await routerEmpty(w);
    });

    it("without an allowance the transfer fails with the token's error, decoded as a SkewContractError", async function () {
      const w = await loadWorld();
      const tx = buildSwapExactIn({
        router: w.router,
        path: [{ pool: w.a.ethPool, side: "sellBase" }],
        amountIn: E18,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline: MaxUint256,
      });
      const err = await expectSkewError(send(w.alice, tx), SkewContractError);
      expect(err.errorName).to.equal("ERC20InsufficientAllowance");
    });
  });
});
