import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { EthRejecter, MockPermitERC20 } from "../../typechain-types";
import { getPoolState, getPoolStates } from "../../sdk/state";
import { buildSwapExactIn, buildSwapFromQuote, sideToSolidity } from "../../sdk/tx";
import type { TxRequest } from "../../sdk/tx";
import { MockPythPriceSource } from "../../sdk/priceSourceMockPyth";
import {
  applyPriceUpdate,
  fetchOracleUpdates,
  getPullOracles,
  quoteExactInWithUpdate,
  quoteRouteExactOutWithUpdate,
  quoteRouteWithUpdate,
} from "../../sdk/pullOracle";
import type { OracleUpdate } from "../../sdk/pullOracle";
import { CircuitBreakerError, PriceTooUncertainError, StaleOracleError } from "../../sdk/errors";
import { SkewClient } from "../../sdk/client";
import { poolErrors } from "../pool/fixtures";
import { expectRouterEmpty, expectSkewError } from "../helpers/sdkFixture";
import {
  COOL_DOWN,
  E18,
  E8,
  ETH_ID,
  EXPO,
  PULL_MAX_AGE,
  UPDATE_FEE,
  ethUpdate,
  now,
  loadPythWorld,
} from "../helpers/pythWorld";
import type { PythWorld } from "../helpers/pythWorld";

const SELL_BASE = sideToSolidity("sellBase");

/** A price source publishing ETH at `usd` dollars (0.1 % confidence) at the chain's latest timestamp. */
function sourceAt(usd: bigint, conf?: bigint): MockPythPriceSource {
  const price = usd * E8;
  return new MockPythPriceSource({ provider: ethers.provider }).setPrice(ETH_ID, {
    price,
    conf: conf ?? price / 1000n,
    expo: EXPO,
  });
}

/** The SDK's updates for the pull oracles of `pools` from `source`. */
async function updatesFor(w: PythWorld, pools: string[], source: MockPythPriceSource) {
  const states = await getPoolStates(pools, ethers.provider);
  const oracles = await getPullOracles(states, ethers.provider);
  const updates = await fetchOracleUpdates(oracles.values(), source, ethers.provider);
  return { states, oracles, updates };
}

async function deadline(): Promise<bigint> {
  return (await now()) + 600n;
}

async function send(w: PythWorld, t: TxRequest) {
  return (await w.alice.sendTransaction(t)).wait();
}

/** Sends the swap `quote` describes (no slippage) from alice and checks she receives exactly its output. */
async function swapReceivesQuote(
  w: PythWorld,
  quote: Parameters<typeof buildSwapFromQuote>[0]["quote"],
  tokenOut: MockPermitERC20,
) {
  const built = buildSwapFromQuote({
    router: w.router,
    quote,
    slippageBps: 0,
    recipient: w.alice.address,
    deadline: await deadline(),
  });
  const before = await tokenOut.balanceOf(w.alice.address);
  await send(w, built.tx);
  expect((await tokenOut.balanceOf(w.alice.address)) - before).to.equal(quote.amountOut);
  return built;
}

async function routerHoldsNothing(w: PythWorld) {
  await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc], [w.a.pullPool, w.a.pushPool]);
  expect(await ethers.provider.getBalance(w.router)).to.equal(0n);
}

describe("router: swaps that carry a pull-oracle price update", function () {
  it("exact-in: pays the update fee, refunds the excess ETH, and pays exactly the SDK's quote for that update", async function () {
    const w = await loadPythWorld();
    await time.increase(PULL_MAX_AGE * 5n); // the stored price is stale: only the update can price the swap
    const { states, oracles, updates } = await updatesFor(w, [w.a.pullPool], sourceAt(3150n));
    expect(updates.map((u) => u.fee)).to.deep.equal([UPDATE_FEE]);
    const quote = quoteExactInWithUpdate(states[0], oracles, updates, "sellBase", 7n * E18);
    const [used] = quote.pulled.prices;
    expect(used.answer).to.equal(3150n * E8);
    expect(used.fromUpdate).to.equal(true);
    expect(used.validUntil).to.equal(used.publishTime + PULL_MAX_AGE);
    expect(quote.pulled.validUntil).to.equal(used.validUntil);

    const built = buildSwapFromQuote({
      router: w.router,
      quote,
      slippageBps: 0,
      recipient: w.alice.address,
      deadline: await deadline(),
    });
    expect(built.tx.value).to.equal(UPDATE_FEE);
    const extra = 12_345n;
    const tx = { ...built.tx, value: built.tx.value + extra };
    const usdcBefore = await w.usdc.balanceOf(w.alice.address);
    const pythBefore = await ethers.provider.getBalance(w.a.pyth);
    const ethBefore = await ethers.provider.getBalance(w.alice.address);
    const receipt = await send(w, tx);
    const gas = receipt!.gasUsed * receipt!.gasPrice;
    expect(await w.usdc.balanceOf(w.alice.address)).to.equal(usdcBefore + quote.amountOut);
    expect(await ethers.provider.getBalance(w.a.pyth)).to.equal(pythBefore + UPDATE_FEE);
    expect(await ethers.provider.getBalance(w.alice.address)).to.equal(ethBefore - gas - UPDATE_FEE);
    expect((await w.oracle.latestRoundData()).answer).to.equal(3150n * E8);
    await routerHoldsNothing(w);
  });

  it("exact-out through a pull pool then a push pool: input equal to the SDK's route quote", async function () {
    const w = await loadPythWorld();
    await time.increase(PULL_MAX_AGE * 2n);
    const pools = [w.a.pullPool, w.a.pushPool];
    const { states, oracles, updates } = await updatesFor(w, pools, sourceAt(2900n));
    const hops = [
      { pool: w.a.pullPool, side: "sellBase" as const },
      { pool: w.a.pushPool, side: "sellQuote" as const },
    ];
    const wanted = 2n * E8; // 2 WBTC
    const quote = quoteRouteExactOutWithUpdate(states, oracles, updates, hops, wanted);
    expect(quote.pulled.prices.map((p) => p.answer)).to.deep.equal([2900n * E8]); // the push pool uses none
    const built = buildSwapFromQuote({
      router: w.router,
      quote,
      slippageBps: 0,
      recipient: w.carol.address,
      deadline: await deadline(),
    });
    const wethBefore = await w.weth.balanceOf(w.alice.address);
    const wbtcBefore = await w.wbtc.balanceOf(w.carol.address);
    await send(w, built.tx);
    expect(wethBefore - (await w.weth.balanceOf(w.alice.address))).to.equal(quote.amountIn);
    expect((await w.wbtc.balanceOf(w.carol.address)) - wbtcBefore).to.equal(quote.amountOut);
    await routerHoldsNothing(w);
  });

  it("exact-in route push -> pull: the update applies to the hop that needs it", async function () {
    const w = await loadPythWorld();
    const { states, oracles, updates } = await updatesFor(w, [w.a.pushPool, w.a.pullPool], sourceAt(3400n));
    const hops = [
      { pool: w.a.pushPool, side: "sellBase" as const },
      { pool: w.a.pullPool, side: "sellQuote" as const },
    ];
    const quote = quoteRouteWithUpdate(states, oracles, updates, hops, E8 / 10n);
    await swapReceivesQuote(w, quote, w.weth);
  });

  it("a swap with an already-fresh price needs no update (the plain router call)", async function () {
    const w = await loadPythWorld();
    const state = await getPoolState(w.a.pullPool, ethers.provider);
    const oracles = await getPullOracles([state], ethers.provider);
    const q = quoteExactInWithUpdate(state, oracles, [], "sellBase", E18);
    expect(q.pulled.prices[0].fromUpdate).to.equal(false);
    expect(q.pulled.updates).to.deep.equal([]);
    const built = await swapReceivesQuote(w, q, w.usdc);
    expect(built.tx.value).to.equal(0n);
  });

  describe("refusals leave every balance as it was", function () {
    /** Runs `action`, expecting `check` on its revert, and checks that no token or ETH balance moved but gas. */
    async function expectNothingMoves(
      w: PythWorld,
      action: () => Promise<ContractTransactionResponse>,
      check: (p: Promise<ContractTransactionResponse>) => Promise<void>,
    ) {
      const tokens = [w.weth, w.usdc, w.wbtc];
      const before = await Promise.all(tokens.map((t) => t.balanceOf(w.alice.address)));
      const pyth = await ethers.provider.getBalance(w.a.pyth);
      const price = await w.oracle.latestPrice();
      await check(action());
      expect(await Promise.all(tokens.map((t) => t.balanceOf(w.alice.address)))).to.deep.equal(before);
      expect(await ethers.provider.getBalance(w.a.pyth)).to.equal(pyth);
      expect((await w.oracle.latestPrice()).publishTime).to.equal(price.publishTime);
      await routerHoldsNothing(w);
    }

    async function swapWith(w: PythWorld, updates: { oracle: string; data: string[] }[], value: bigint) {
      const path = [{ pool: w.a.pullPool, side: SELL_BASE }];
      return w.core.router
        .connect(w.alice)
        .swapExactInWithPriceUpdate(path, E18, 0n, w.alice.address, await deadline(), updates, { value });
    }

    it("insufficient fee: InsufficientUpdateFee(sent, fee)", async function () {
      const w = await loadPythWorld();
      const data = [ethUpdate(3100n, await now())];
      await expectNothingMoves(
        w,
        () => swapWith(w, [{ oracle: w.a.oracle, data }], UPDATE_FEE - 1n),
        (p) =>
          expect(p)
            .to.be.revertedWithCustomError(w.core.router, "InsufficientUpdateFee")
            .withArgs(UPDATE_FEE - 1n, UPDATE_FEE),
      );
    });

    it("wrong price id: the oracle's PriceIdNotInUpdate", async function () {
      const w = await loadPythWorld();
      const data = [ethUpdate(3100n, await now(), undefined, "0x" + "11".repeat(32))];
      await expectNothingMoves(
        w,
        () => swapWith(w, [{ oracle: w.a.oracle, data }], UPDATE_FEE),
        (p) => expect(p).to.be.revertedWithCustomError(w.oracle, "PriceIdNotInUpdate").withArgs(ETH_ID),
      );
    });

    it("an oracle that no pool of the route uses: OracleNotOnPath", async function () {
      const w = await loadPythWorld();
      const data = [ethUpdate(3100n, await now())];
      await expectNothingMoves(
        w,
        () => swapWith(w, [{ oracle: w.a.pyth, data }], UPDATE_FEE),
        (p) => expect(p).to.be.revertedWithCustomError(w.core.router, "OracleNotOnPath").withArgs(w.a.pyth),
      );
    });

    it("an update older than the pool's max age: the pool's StaleOracle", async function () {
      const w = await loadPythWorld();
      await time.increase(PULL_MAX_AGE * 3n);
      const errors = await poolErrors();
      const old = (await now()) - PULL_MAX_AGE - 5n;
      // Newer than the stored price (so the oracle would store it) but too old for the pool.
      const data = [ethUpdate(3100n, old)];
      await expectNothingMoves(
        w,
        () => swapWith(w, [{ oracle: w.a.oracle, data }], UPDATE_FEE),
        (p) => expect(p).to.be.revertedWithCustomError(errors, "StaleOracle"),
      );
    });

    it("a refund the caller cannot take: RefundFailed", async function () {
      const w = await loadPythWorld();
      const rejecter = (await ethers.deployContract("EthRejecter")) as unknown as EthRejecter;
      const me = await rejecter.getAddress();
      await w.weth.mint(me, E18);
      await rejecter.forward(w.a.weth, w.weth.interface.encodeFunctionData("approve", [w.router, E18]));
      const path = [{ pool: w.a.pullPool, side: SELL_BASE }];
      const call = w.core.router.interface.encodeFunctionData("swapExactInWithPriceUpdate", [
        path,
        E18,
        0n,
        me,
        await deadline(),
        [{ oracle: w.a.oracle, data: [ethUpdate(3100n, await now())] }],
      ]);
      await expect(rejecter.forward(w.router, call, { value: UPDATE_FEE + 1n }))
        .to.be.revertedWithCustomError(w.core.router, "RefundFailed")
        .withArgs(me, 1n);
      expect(await w.weth.balanceOf(me)).to.equal(E18);
      await expect(rejecter.forward(w.router, call, { value: UPDATE_FEE })).to.changeTokenBalance(w.weth, me, -E18);
    });
  });

  describe("SDK: the price a quote uses", function () {
    it("keeps the stored price when the update is older, as the oracle does", async function () {
      const w = await loadPythWorld();
      const t = await now();
      await w.oracle.updatePrice([ethUpdate(3300n, t + 1n)], { value: UPDATE_FEE });
      const state = await getPoolState(w.a.pullPool, ethers.provider);
      const [oracle] = (await getPullOracles([state], ethers.provider)).values();
      const older = new MockPythPriceSource({ publishTime: () => t - 3n }).setPrice(ETH_ID, {
        price: 2000n * E8,
        conf: 1n,
        expo: EXPO,
      });
      const applied = applyPriceUpdate(state, oracle, await older.latestUpdate([ETH_ID]));
      expect(applied.used.fromUpdate).to.equal(false);
      expect(applied.used.answer).to.equal(3300n * E8);
      const q = quoteExactInWithUpdate(state, new Map([[oracle.address.toLowerCase(), oracle]]), [], "sellBase", E18);
      expect(q.amountOut).to.equal((await w.pullPool.quoteExactIn(SELL_BASE, E18)).amountOut);
    });

    it("refuses an update past the confidence bound with PriceTooUncertainError, like the oracle", async function () {
      const w = await loadPythWorld();
      const { states, oracles, updates } = await updatesFor(w, [w.a.pullPool], sourceAt(3000n, (3000n * E8) / 50n)); // 2 %
      expect(() => quoteExactInWithUpdate(states[0], oracles, updates, "sellBase", E18)).to.throw(
        PriceTooUncertainError,
      );
      const u: OracleUpdate = updates[0];
      await w.oracle.updatePrice(u.update.data, { value: u.fee });
      await expect(w.pullPool.quoteExactIn(SELL_BASE, E18)).to.be.revertedWithCustomError(
        w.oracle,
        "PriceTooUncertain",
      );
    });

    it("MockPyth update data is byte for byte MockPyth's own createPriceFeedUpdateData", async function () {
      const w = await loadPythWorld();
      const t = await now();
      const ours = ethUpdate(3210n, t, 77n);
      const theirs = await w.pyth.createPriceFeedUpdateData(ETH_ID, 3210n * E8, 77n, EXPO, 3210n * E8, 77n, t, 0n);
      expect(ours).to.equal(theirs);
    });
  });

  describe("SDK: the breaker, as the oracle applies it to the update", function () {
    /** The world with a 5 % breaker on the pull pool's oracle. */
    async function tight() {
      const w = await loadPythWorld();
      await w.oracle.setMaxMove(50_000n);
      return w;
    }

    it("an update beyond the bound: the quote throws CircuitBreakerError, and so does the swap", async function () {
      const w = await tight();
      const { states, oracles, updates } = await updatesFor(w, [w.a.pullPool], sourceAt(3300n)); // +10 %
      let thrown: unknown;
      try {
        quoteExactInWithUpdate(states[0], oracles, updates, "sellBase", E18);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.be.instanceOf(CircuitBreakerError);
      expect((thrown as CircuitBreakerError).referenceAnswer).to.equal(3000n * E8);
      const built = buildSwapExactIn({
        router: w.router,
        path: [{ pool: w.a.pullPool, side: "sellBase" }],
        amountIn: E18,
        minAmountOut: 0n,
        recipient: w.alice.address,
        deadline: await deadline(),
        priceUpdates: updates.map((u) => ({ oracle: u.oracle, data: u.update.data, fee: u.fee })),
      });
      await expect(w.alice.sendTransaction(built)).to.be.revertedWithCustomError(w.oracle, "CircuitBreakerTripped");
    });

    it("after the jump's cool-down, an update near it quotes and swaps to the wei", async function () {
      const w = await tight();
      const t = await now();
      await w.oracle.updatePrice([ethUpdate(3300n, t + 1n)], { value: UPDATE_FEE }); // the jump
      await w.oracle.updatePrice([ethUpdate(3310n, t + 2n)], { value: UPDATE_FEE }); // records it
      await time.increaseTo(t + 1n + COOL_DOWN);
      const { states, oracles, updates } = await updatesFor(w, [w.a.pullPool], sourceAt(3320n));
      const quote = quoteExactInWithUpdate(states[0], oracles, updates, "sellBase", 3n * E18);
      await swapReceivesQuote(w, quote, w.usdc);
    });

    it("an update within the bound of the reference: the quote equals the swap to the wei", async function () {
      const w = await tight();
      const { states, oracles, updates } = await updatesFor(w, [w.a.pullPool], sourceAt(3090n));
      const quote = quoteExactInWithUpdate(states[0], oracles, updates, "sellBase", 5n * E18);
      await swapReceivesQuote(w, quote, w.usdc);
    });
  });

  describe("SkewClient with a price source", function () {
    it("quotes and swaps a pull pool with a fresh update (approval, fee as value), equal to the wei", async function () {
      const w = await loadPythWorld();
      await time.increase(PULL_MAX_AGE * 4n); // stale without the update
      const client = new SkewClient({ signer: w.carol, router: w.router, priceSource: sourceAt(3050n) });
      const target = { pool: w.a.pullPool, side: "sellBase" as const };
      const quote = await client.quoteExactIn(target, 2n * E18);
      expect(quote.pulled?.prices[0].answer).to.equal(3050n * E8);
      const result = await client.swapExactIn(target, 2n * E18, { slippageBps: 0 });
      expect(result.quote.pulled?.prices[0].fromUpdate).to.equal(true);
      expect(result.built.tx.value).to.equal(UPDATE_FEE);
      expect(result.amountOut).to.equal(result.quote.amountOut);
      expect((await w.oracle.latestRoundData()).answer).to.equal(3050n * E8);
    });

    it("without a price source a stale pull pool fails with StaleOracleError", async function () {
      const w = await loadPythWorld();
      await time.increase(PULL_MAX_AGE * 4n);
      const client = new SkewClient({ signer: w.carol, router: w.router });
      await expectSkewError(client.quoteExactIn({ pool: w.a.pullPool, side: "sellBase" }, E18), StaleOracleError);
    });
  });
});
