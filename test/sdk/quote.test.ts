import { expect } from "chai";
import { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import { getPoolState } from "../../sdk/state";
import { applySwap, oracleProblem, quoteExactIn, quoteExactOut } from "../../sdk/quote";
import { quoteWithdraw } from "../../sdk/liquidity";
import { sideToSolidity } from "../../sdk/tx";
import { parseSwaps } from "../../sdk/events";
import type { SwapSide } from "../../sdk/math";
import {
  IncompleteOracleRoundError,
  InsufficientLiquidityError,
  InvalidOraclePriceError,
  OracleError,
  OracleUpdateInFutureError,
  PausedError,
  SkewError,
  StaleOracleError,
  ZeroAmountError,
} from "../../sdk/errors";
import { createPool, deployFeed } from "../helpers/sdkEnv";
import { approveAll, E18, E6, E8, expectSkewError, loadWorld } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

type ErrorClass<T extends SkewError> = abstract new (...args: never[]) => T;

/**
 * The SDK quote on a fresh snapshot and the pool's own quote view both fail, with the same typed
 * error class (the view's revert decoded).
 */
async function expectBothFail<T extends SkewError>(
  w: World,
  cls: ErrorClass<T>,
  side: SwapSide = "sellBase",
  amount = E18,
  pool = w.ethPool,
) {
  const address = await pool.getAddress();
  const state = await getPoolState(address, ethers.provider);
  const sdkIn = await expectSkewError(() => quoteExactIn(state, side, amount), cls);
  const sdkOut = await expectSkewError(() => quoteExactOut(state, side, amount), cls);
  const viewIn = await expectSkewError(pool.quoteExactIn(sideToSolidity(side), amount), cls);
  const viewOut = await expectSkewError(pool.quoteExactOut(sideToSolidity(side), amount), cls);
  for (const e of [sdkIn, sdkOut, viewIn]) expect(e.errorName).to.equal(viewOut.errorName);
  return { sdk: sdkIn, view: viewIn, state };
}

describe("SDK quotes: the pool's checks before the math", function () {
  it("a paused pool: PausedError from the SDK and from the pool's view; withdrawals still quote", async function () {
    const w = await loadWorld();
    await w.ethPool.connect(w.admin).pause();
    const { state, view } = await expectBothFail(w, PausedError);
    expect(view.errorName).to.equal("EnforcedPause");
    expect(view.message).to.match(/paused/);
    expect(quoteWithdraw(state, 10n ** 18n).baseOut > 0n).to.equal(true);
  });

  it("a stale feed: StaleOracleError with the round's time and the max age, on both sides", async function () {
    const w = await loadWorld();
    await w.ethPool.connect(w.admin).setOracleMaxAge(3600);
    await time.increase(3601);
    const { sdk, view } = await expectBothFail(w, StaleOracleError);
    const round = await w.ethFeed.latestRoundData();
    for (const e of [sdk, view]) {
      expect(e).to.be.instanceOf(OracleError);
      expect([e.updatedAt, e.maxAge]).to.deep.equal([round[3], 3600n]);
    }
    expect(sdk.message).to.equal(`stale oracle: the feed was last updated at ${round[3]}, more than 3600 s ago`);
  });

  it("a non-positive answer: InvalidOraclePriceError", async function () {
    const w = await loadWorld();
    await w.ethFeed.setAnswer(0);
    await expectBothFail(w, InvalidOraclePriceError);
    await w.ethFeed.setAnswer(-5n);
    const { view } = await expectBothFail(w, InvalidOraclePriceError);
    expect(view.answer).to.equal(-5n);
  });

  it("a round dated in the future: OracleUpdateInFutureError", async function () {
    const w = await loadWorld();
    await mine(1); // a reverted snapshot sits in the past of the next block: bring "latest" to now
    const now = BigInt(await time.latest());
    await w.ethFeed.setRound(7, 3000n * E8, now, now + 1000n, 7);
    const { view } = await expectBothFail(w, OracleUpdateInFutureError);
    expect(view.updatedAt).to.equal(now + 1000n);
  });

  it("an incomplete round (answered in an earlier round, or never updated): IncompleteOracleRoundError", async function () {
    const w = await loadWorld();
    const now = BigInt(await time.latest());
    await w.ethFeed.setRound(9, 3000n * E8, now, now, 8);
    const { view } = await expectBothFail(w, IncompleteOracleRoundError);
    expect([view.roundId, view.answeredInRound]).to.deep.equal([9n, 8n]);
    await w.ethFeed.setRound(10, 3000n * E8, now, 0n, 10);
    await expectBothFail(w, IncompleteOracleRoundError);
  });

  it("a feed that reverts: the snapshot still loads and the SDK refuses to quote with an OracleError", async function () {
    const w = await loadWorld();
    await w.ethFeed.setBroken(true);
    const state = await getPoolState(w.a.ethPool, ethers.provider);
    expect(state.oracle.ok).to.equal(false);
    expect(() => quoteExactIn(state, "sellBase", E18)).to.throw(OracleError);
    await expect(w.ethPool.quoteExactIn(0, E18)).to.be.reverted;
  });

  it("a zero amount: ZeroAmountError; an empty pool: InsufficientLiquidityError", async function () {
    const w = await loadWorld();
    await expectBothFail(w, ZeroAmountError, "sellQuote", 0n);
    const feed = await deployFeed(w.admin, 8, E8);
    const empty = await createPool(w.core, w.admin, { base: w.a.wbtc, quote: w.a.weth, feed: await feed.getAddress() });
    await expectBothFail(w, InsufficientLiquidityError, "sellBase", E8, empty);
  });

  it("a swap larger than the curve allows: InsufficientLiquidityError on both sides", async function () {
    const w = await loadWorld();
    // exact-out of the whole quote reserve can never be paid
    const state = await getPoolState(w.a.ethPool, ethers.provider);
    expect(() => quoteExactOut(state, "sellBase", 3_000_000n * E6)).to.throw(InsufficientLiquidityError);
    await expectSkewError(w.ethPool.quoteExactOut(0, 3_000_000n * E6), InsufficientLiquidityError);
    // k = 0 is a constant price: selling 1,001 WETH at 3000 would need more USDC than the pool has
    await w.ethPool.connect(w.admin).setParams(0, 500, 10_000, E18 / 10n, E18 / 20n);
    const flat = await getPoolState(w.a.ethPool, ethers.provider);
    expect(() => quoteExactIn(flat, "sellBase", 1001n * E18)).to.throw(InsufficientLiquidityError);
    await expectSkewError(w.ethPool.quoteExactIn(0, 1001n * E18), InsufficientLiquidityError);
    expect(quoteExactIn(flat, "sellBase", 999n * E18).amountOut > 0n).to.equal(true);
  });

  it("the freshness check can be made at a later timestamp (the expected execution time)", async function () {
    const w = await loadWorld();
    await w.ethFeed.setAnswer(3000n * E8); // a fresh round, whenever the fixture was taken
    await w.ethPool.connect(w.admin).setOracleMaxAge(600);
    const state = await getPoolState(w.a.ethPool, ethers.provider);
    expect(oracleProblem(state)).to.equal(undefined);
    const later = state.oracle.updatedAt + 601n;
    expect(() => quoteExactIn(state, "sellBase", E18, { timestamp: later })).to.throw(StaleOracleError);
    expect(quoteExactIn(state, "sellBase", E18, { timestamp: later - 1n }).amountOut > 0n).to.equal(true);
    // and it matches the pool once the chain gets there
    await time.increaseTo(later);
    await expectBothFail(w, StaleOracleError);
  });

  it("applySwap chains quotes: two quotes in a row equal two executed swaps", async function () {
    const w = await loadWorld();
    await approveAll(w);
    await w.ethPool.connect(w.admin).setProtocolShare(200_000);
    let state = await getPoolState(w.a.ethPool, ethers.provider);
    const first = quoteExactIn(state, "sellBase", 300n * E18); // deep into region B, surge fee
    state = applySwap(state, first);
    const second = quoteExactIn(state, "sellQuote", 2_000_000n * E6); // crosses back into region A
    expect(first.feePips > 500n).to.equal(true);
    expect([first.regionAfter, second.regionAfter]).to.deep.equal([2, 1]);
    const router = w.core.router.connect(w.alice);
    const r1 = await (
      await router.swapExactIn([{ pool: w.a.ethPool, side: 0 }], 300n * E18, 0n, w.alice.address, MaxUint256)
    ).wait();
    const r2 = await (
      await router.swapExactIn([{ pool: w.a.ethPool, side: 1 }], 2_000_000n * E6, 0n, w.alice.address, MaxUint256)
    ).wait();
    const [s1] = parseSwaps(r1!.logs);
    const [s2] = parseSwaps(r2!.logs);
    expect([s1.amountOut, s1.feePips, s2.amountOut, s2.feePips]).to.deep.equal([
      first.amountOut,
      first.feePips,
      second.amountOut,
      second.feePips,
    ]);
    const after = await getPoolState(w.a.ethPool, ethers.provider);
    expect({ ...after.math, price: null }).to.deep.equal({
      ...state.math,
      ...applySwap(state, second).math,
      price: null,
    });
    expect(after.protocolFees).to.deep.equal(applySwap(state, second).protocolFees);
    expect(after.protocolFees.base > 0n && after.protocolFees.quote > 0n).to.equal(true);
  });
});
