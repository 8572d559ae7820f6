import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  baseFixture,
  createSeededPool,
  deadline,
  Param,
  poolConfig,
  PRICE,
  sendInput,
  Side,
  SURGE_WIDTH,
  WAD,
  type PoolCtx,
} from "./fixtures";

/**
 * Issue 11 on chain: the surge fee integrated along the path (splitting a trade into 100 swaps saves
 * at most 2 % of its fee; the issue measured 65 % and 44 % before) and the fee floor that makes a
 * front-run of a feed round unprofitable (the issue measured 2,949 USDC on a 0.5 % round), at the
 * shipped WETH/USDC configuration of scripts/config/localhost.json: 1,000 WETH + 2M USDC, k 0.2,
 * fees 500 / 30,000 pips, tau 0.1, ramp width 5 %, floor 10,000 pips (the breaker's bound B = 1 %).
 * Also the admin's and keeper's new settings: setFeeFloor, setSurgeWidthLimits, setParams' width.
 */
const USDC = 10n ** 6n;
const SHIPPED = { k: WAD / 5n, baseFee: 500n, maxFee: 30_000n, tau: WAD / 10n };
const SHIPPED_FLOOR = 10_000n;

/** The shipped pool, seeded with 1,000 WETH and 2M USDC; alice and bob funded. */
async function shippedFixture(): Promise<PoolCtx> {
  const b = await baseFixture();
  const cfg = await poolConfig(b, { params: SHIPPED, minInterval: 0n });
  const pool = await createSeededPool(b, cfg, 1000n * WAD, 2_000_000n * USDC, b.admin.address, 0n);
  await pool.connect(b.admin).setFeeFloor(SHIPPED_FLOOR);
  for (const user of [b.alice, b.bob]) {
    await b.weth.mint(user.address, 1_000_000n * WAD);
    await b.usdc.mint(user.address, 2_000_000_000n * USDC);
  }
  return { ...b, pool, cfg };
}

/** Swaps `amount` of the side's input (exact in) and returns the output and the fee the Swap event booked. */
async function swap(ctx: PoolCtx, who: HardhatEthersSigner, side: number, amount: bigint) {
  await sendInput(ctx, who, side, amount);
  const receipt = await (await ctx.pool.connect(who).swap(side, 0n, who.address, await deadline())).wait();
  for (const log of receipt!.logs) {
    const parsed = ctx.pool.interface.parseLog(log);
    if (parsed?.name === "Swap") return { out: parsed.args.amountOut as bigint, fee: parsed.args.feeAmount as bigint };
  }
  throw new Error("no Swap event");
}

/** The fee of `total` swapped on `side` in `parts` equal swaps (the last takes the remainder). */
async function feeInParts(ctx: PoolCtx, side: number, total: bigint, parts: number) {
  let fee = 0n;
  let out = 0n;
  const each = total / BigInt(parts);
  for (let i = 0; i < parts; i++) {
    const r = await swap(ctx, ctx.alice, side, i === parts - 1 ? total - each * BigInt(parts - 1) : each);
    fee += r.fee;
    out += r.out;
  }
  return { fee, out };
}

/** A feed round that moves the price by `pips` (signed) of the seed price. */
async function moveFeed(ctx: PoolCtx, pips: bigint): Promise<void> {
  await ctx.aggregator.setAnswer((PRICE * (1_000_000n + pips)) / 1_000_000n);
}

/**
 * Front-runs a round of `pips`: before it, buy WETH with `usdc` (price up) or sell the WETH that `usdc`
 * buys at the seed price (price down); after it, unwind all of it. The gain in USDC at the new price.
 */
async function frontRun(ctx: PoolCtx, usdc: bigint, pips: bigint): Promise<bigint> {
  const newPrice = (PRICE * (1_000_000n + pips)) / 1_000_000n; // 8 decimals
  if (pips > 0n) {
    const bought = await swap(ctx, ctx.bob, Side.SellQuote, usdc);
    await moveFeed(ctx, pips);
    const back = await swap(ctx, ctx.bob, Side.SellBase, bought.out);
    return back.out - usdc;
  }
  const weth = (usdc * WAD * 10n ** 8n) / (PRICE * USDC);
  const sold = await swap(ctx, ctx.bob, Side.SellBase, weth);
  await moveFeed(ctx, pips);
  const back = await swap(ctx, ctx.bob, Side.SellQuote, sold.out);
  // WETH gained or lost, valued in USDC at the new price.
  return ((back.out - weth) * newPrice * USDC) / (WAD * 10n ** 8n);
}

describe("surge fee along the path, fee floor (issue 11), on chain", function () {
  describe("splitting a trade into 100 swaps saves at most 2 % of its fee", function () {
    for (const [label, usdc] of [
      ["a 1M USDC buy", 1_000_000n * USDC],
      ["the USDC that buys ~900 WETH in one swap", 0n],
    ] as const) {
      it(label, async function () {
        let ctx = await loadFixture(shippedFixture);
        let total = usdc;
        if (total === 0n) {
          const q = await ctx.pool.quoteExactOut(Side.SellQuote, 900n * WAD);
          total = q.amountIn;
        }
        const whole = await feeInParts(ctx, Side.SellQuote, total, 1);
        ctx = await loadFixture(shippedFixture);
        const split = await feeInParts(ctx, Side.SellQuote, total, 100);
        const saving = Number(whole.fee - split.fee) / Number(whole.fee);
        console.log(
          `      ${label}: whole fee ${whole.fee} wei WETH, 100 parts ${split.fee}: saving ${(saving * 100).toFixed(4)} %;` +
            ` bought ${whole.out} vs ${split.out}`,
        );
        expect(split.fee * 100n >= whole.fee * 98n, `split ${split.fee} vs whole ${whole.fee}`).to.equal(true);
        // The parts buy about as much: the fee each leaves in the pool moves the curve a little for the next.
        expect(split.out <= (whole.out * 102n) / 100n, "the split buys about the same").to.equal(true);
      });
    }
  });

  describe("front-running a feed round does not pay at the shipped floor", function () {
    for (const pips of [5_000n, -5_000n, 10_000n, -10_000n]) {
      for (const usdc of [10_000n * USDC, 200_000n * USDC, 1_000_000n * USDC]) {
        it(`a ${Number(pips) / 1e4} % round, ${usdc / USDC} USDC`, async function () {
          const ctx = await loadFixture(shippedFixture);
          const gain = await frontRun(ctx, usdc, pips);
          console.log(`      gain ${Number(gain) / 1e6} USDC`);
          expect(gain <= 0n, `gained ${gain}`).to.equal(true);
        });
      }
    }

    it("... and without the floor the issue's 0.5 % front-run pays again (the test can fail)", async function () {
      const ctx = await loadFixture(shippedFixture);
      await ctx.pool.connect(ctx.admin).setFeeFloor(0n);
      const gain = await frontRun(ctx, 200_000n * USDC, 5_000n);
      console.log(`      without the floor: gain ${Number(gain) / 1e6} USDC`);
      expect(gain > 0n).to.equal(true);
    });
  });

  describe("settings", function () {
    it("setFeeFloor: admin only, < 100 %, announced, read by getState and by swaps", async function () {
      const ctx = await loadFixture(shippedFixture);
      await expect(ctx.pool.connect(ctx.keeper).setFeeFloor(1n)).to.be.revertedWithCustomError(
        ctx.pool,
        "AccessControlUnauthorizedAccount",
      );
      await expect(ctx.pool.connect(ctx.admin).setFeeFloor(1_000_000n))
        .to.be.revertedWithCustomError(ctx.errors, "FeeFloorTooHigh")
        .withArgs(1_000_000n);
      await expect(ctx.pool.connect(ctx.admin).setFeeFloor(20_000n))
        .to.emit(ctx.pool, "FeeFloorUpdated")
        .withArgs(20_000n);
      expect((await ctx.pool.getState()).feeFloor).to.equal(20_000n);
      // An away swap from equilibrium under tau now pays exactly the floor.
      const q = await ctx.pool.quoteExactIn(Side.SellQuote, 1_000n * USDC);
      expect(q.feePips).to.equal(20_000n);
      // A swap back toward the target pays the base fee.
      await swap(ctx, ctx.alice, Side.SellQuote, 100_000n * USDC);
      const back = await ctx.pool.quoteExactIn(Side.SellBase, WAD);
      expect(back.feePips).to.equal(SHIPPED.baseFee);
    });

    it("setSurgeWidthLimits: admin only, 0 < min <= max <= 1, clamps the width in force", async function () {
      const ctx = await loadFixture(shippedFixture);
      expect((await ctx.pool.getState()).surgeWidth).to.equal(SURGE_WIDTH);
      const limits = { min: WAD / 10n, max: WAD / 2n, maxStep: WAD / 100n };
      await expect(ctx.pool.connect(ctx.keeper).setSurgeWidthLimits(limits)).to.be.revertedWithCustomError(
        ctx.pool,
        "AccessControlUnauthorizedAccount",
      );
      for (const bad of [
        { ...limits, min: 0n },
        { ...limits, min: WAD },
        { ...limits, max: WAD + 1n },
      ]) {
        await expect(ctx.pool.connect(ctx.admin).setSurgeWidthLimits(bad))
          .to.be.revertedWithCustomError(ctx.errors, "InvalidBounds")
          .withArgs(Param.SurgeWidth);
      }
      await expect(ctx.pool.connect(ctx.admin).setSurgeWidthLimits(limits))
        .to.emit(ctx.pool, "SurgeWidthUpdated")
        .withArgs(WAD / 10n);
      const st = await ctx.pool.getState();
      expect(st.surgeWidth).to.equal(WAD / 10n);
      expect([st.surgeWidthLimits.min, st.surgeWidthLimits.max, st.surgeWidthLimits.maxStep]).to.deep.equal([
        limits.min,
        limits.max,
        limits.maxStep,
      ]);
    });

    it("setParams' width: inside the limits, at most one step, announced", async function () {
      const ctx = await loadFixture(shippedFixture);
      await ctx.pool.connect(ctx.admin).setSurgeWidthLimits({ min: WAD / 100n, max: WAD / 2n, maxStep: WAD / 50n });
      const set = (w: bigint) =>
        ctx.pool.connect(ctx.keeper).setParams(SHIPPED.k, SHIPPED.baseFee, SHIPPED.maxFee, SHIPPED.tau, w);
      await expect(set(WAD / 200n))
        .to.be.revertedWithCustomError(ctx.errors, "ParamOutOfBounds")
        .withArgs(Param.SurgeWidth, WAD / 200n, WAD / 100n, WAD / 2n);
      await expect(set(SURGE_WIDTH + WAD / 20n))
        .to.be.revertedWithCustomError(ctx.errors, "ParamStepTooLarge")
        .withArgs(Param.SurgeWidth, SURGE_WIDTH, SURGE_WIDTH + WAD / 20n, WAD / 50n);
      await expect(set(SURGE_WIDTH + WAD / 50n))
        .to.emit(ctx.pool, "SurgeWidthUpdated")
        .withArgs(SURGE_WIDTH + WAD / 50n);
      expect((await ctx.pool.getState()).surgeWidth).to.equal(SURGE_WIDTH + WAD / 50n);
      // The same width again: no event.
      await expect(set(SURGE_WIDTH + WAD / 50n)).not.to.emit(ctx.pool, "SurgeWidthUpdated");
    });
  });
});
