import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getPoolState } from "../../sdk/state";
import { applySwap, quoteExactIn as sdkQuoteExactIn } from "../../sdk/quote";
import { PoolMath, quoteExactIn, SwapSide } from "../../sdk/math";
import { applyQuote } from "../helpers/arbitraries";
import { equilibriumValue, poolValue, requestK, valueOf } from "../helpers/retune";
import {
  baseFixture,
  createSeededPool,
  DEFAULT_BOUNDS,
  DEFAULT_PARAMS,
  DEFAULT_STEPS,
  deadline,
  expectRevertNoChange,
  MIN_INTERVAL,
  Param,
  PoolCtx,
  poolConfig,
  Region,
  seededPoolFixture,
  Side,
  WAD,
  SURGE_WIDTH,
} from "./fixtures";

/**
 * Issue 10 on chain: a change of k takes effect only at equilibrium (queued otherwise, applied by the
 * swap that reaches or crosses it, its second leg priced with the new k), through every path that
 * changes k; and the chain does exactly what the SDK model of test/math/retune.test.ts does.
 */
const USDC = 10n ** 6n;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

type Params = { k: bigint; baseFee: bigint; maxFee: bigint; tau: bigint };

function setParams(ctx: PoolCtx, p: Params) {
  return ctx.pool.connect(ctx.keeper).setParams(p.k, p.baseFee, p.maxFee, p.tau, SURGE_WIDTH);
}

/** The pool's state as the SDK's math model. */
async function model(ctx: PoolCtx): Promise<PoolMath> {
  return (await getPoolState(await ctx.pool.getAddress(), ethers.provider)).math;
}

/** Bob swaps `amountIn` exact-in; returns what he received. */
async function swap(ctx: PoolCtx, side: SwapSide, amountIn: bigint): Promise<bigint> {
  const [tokenIn, tokenOut] = side === "sellBase" ? [ctx.weth, ctx.usdc] : [ctx.usdc, ctx.weth];
  await tokenIn.connect(ctx.bob).transfer(await ctx.pool.getAddress(), amountIn);
  const before = await tokenOut.balanceOf(ctx.bob.address);
  await ctx.pool
    .connect(ctx.bob)
    .swap(side === "sellBase" ? Side.SellBase : Side.SellQuote, 0n, ctx.bob.address, await deadline());
  return (await tokenOut.balanceOf(ctx.bob.address)) - before;
}

/** Swaps on chain and in the model, and checks that both paid and stored the same to the wei. */
async function swapBoth(ctx: PoolCtx, m: PoolMath, side: SwapSide, amountIn: bigint): Promise<PoolMath> {
  const q = quoteExactIn(m, side, amountIn);
  expect(await swap(ctx, side, amountIn)).to.equal(q.amountOut);
  const next = applyQuote(m, q);
  expect(await model(ctx)).to.deep.equal(next);
  return next;
}

async function afterInterval(): Promise<void> {
  await time.increase(MIN_INTERVAL);
}

describe("SkewPool: retuning k without re-marking the pool", function () {
  it("at equilibrium a new k applies at once", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    const next = { ...DEFAULT_PARAMS, k: DEFAULT_PARAMS.k + DEFAULT_STEPS.k };
    await expect(setParams(ctx, next)).to.emit(ctx.pool, "KChangeApplied").withArgs(DEFAULT_PARAMS.k, next.k);
    const s = await ctx.pool.getState();
    expect([s.params.k, s.kPending]).to.deep.equal([next.k, false]);
  });

  it("away from equilibrium it is queued: the pool's prices do not move, fees and tau apply at once", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await swap(ctx, "sellBase", 10n * WAD); // region B
    const toward = await ctx.pool.quoteExactIn(Side.SellQuote, 1_000n * USDC);
    const deeper = await ctx.pool.quoteExactIn(Side.SellBase, WAD);
    const next = { ...DEFAULT_PARAMS, k: DEFAULT_PARAMS.k + DEFAULT_STEPS.k };
    const tx = setParams(ctx, next);
    await expect(tx).to.emit(ctx.pool, "KChangeQueued").withArgs(DEFAULT_PARAMS.k, next.k);
    await expect(tx).not.to.emit(ctx.pool, "KChangeApplied");
    await expect(tx)
      .to.emit(ctx.pool, "ParamsUpdated")
      .withArgs(ctx.keeper.address, next.k, next.baseFee, next.maxFee, next.tau);
    const s = await ctx.pool.getState();
    expect([s.region, s.params.k, s.kPending, s.pendingK]).to.deep.equal([
      BigInt(Region.B),
      DEFAULT_PARAMS.k,
      true,
      next.k,
    ]);
    // The same quotes as before the update: the queued k does not re-price the imbalanced pool.
    expect(await ctx.pool.quoteExactIn(Side.SellQuote, 1_000n * USDC)).to.deep.equal(toward);
    expect(await ctx.pool.quoteExactIn(Side.SellBase, WAD)).to.deep.equal(deeper);
    // A fee change is not queued.
    await afterInterval();
    const fees = { ...next, baseFee: next.baseFee + 1_000n };
    await setParams(ctx, fees);
    expect((await ctx.pool.getState()).params.baseFee).to.equal(fees.baseFee);
  });

  it("a newer request replaces the queued k, the k in force clears it, and steps count from the k in force", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await swap(ctx, "sellQuote", 20_000n * USDC); // region A
    const k0 = DEFAULT_PARAMS.k;
    const step = DEFAULT_STEPS.k;
    await setParams(ctx, { ...DEFAULT_PARAMS, k: k0 + step });
    await afterInterval();
    await expect(setParams(ctx, { ...DEFAULT_PARAMS, k: k0 - step }))
      .to.emit(ctx.pool, "KChangeQueued")
      .withArgs(k0, k0 - step);
    expect((await ctx.pool.getState()).pendingK).to.equal(k0 - step);
    await afterInterval();
    // Two steps from the k in force, though only one from the queued one: refused, nothing moves.
    await expectRevertNoChange(
      ctx,
      () => setParams(ctx, { ...DEFAULT_PARAMS, k: k0 - 2n * step }),
      "ParamStepTooLarge",
      [Param.K, k0, k0 - 2n * step, step],
    );
    expect((await ctx.pool.getState()).pendingK).to.equal(k0 - step);
    await expect(setParams(ctx, DEFAULT_PARAMS)).to.emit(ctx.pool, "KChangeQueued").withArgs(k0, k0);
    const s = await ctx.pool.getState();
    expect([s.params.k, s.kPending]).to.deep.equal([k0, false]);
  });

  it("a swap that stops short of equilibrium keeps the queue; one that crosses applies it, pricing its second leg with it", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await swap(ctx, "sellBase", 10n * WAD); // region B
    const newK = DEFAULT_PARAMS.k + DEFAULT_STEPS.k;
    await setParams(ctx, { ...DEFAULT_PARAMS, k: newK });
    let m = await model(ctx);
    expect(m.pendingK).to.equal(newK);
    m = await swapBoth(ctx, m, "sellQuote", 1_000n * USDC);
    expect([m.region, m.k, m.pendingK]).to.deep.equal([Region.B, DEFAULT_PARAMS.k, newK]);
    // Across equilibrium into region A.
    const amount = 60_000n * USDC;
    const q = quoteExactIn(m, "sellQuote", amount);
    const oldRule = quoteExactIn({ ...m, pendingK: undefined }, "sellQuote", amount);
    expect(q.amountOut).to.not.equal(oldRule.amountOut); // the second leg is priced with the new k
    expect(q.amountOut < oldRule.amountOut).to.equal(true); // a steeper curve pays less past equilibrium
    await ctx.usdc.connect(ctx.bob).transfer(await ctx.pool.getAddress(), amount);
    await expect(ctx.pool.connect(ctx.bob).swap(Side.SellQuote, q.amountOut, ctx.bob.address, await deadline()))
      .to.emit(ctx.pool, "KChangeApplied")
      .withArgs(DEFAULT_PARAMS.k, newK);
    const s = await ctx.pool.getState();
    expect([s.region, s.params.k, s.kPending]).to.deep.equal([BigInt(Region.A), newK, false]);
    expect(await model(ctx)).to.deep.equal(applyQuote(m, q));
  });

  it("the SDK's quotes and applySwap chain through a queued k as the pool does", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    await swap(ctx, "sellBase", 10n * WAD); // region B
    const newK = DEFAULT_PARAMS.k - DEFAULT_STEPS.k;
    await setParams(ctx, { ...DEFAULT_PARAMS, k: newK });
    const address = await ctx.pool.getAddress();
    let snap = await getPoolState(address, ethers.provider);
    expect([snap.pendingK, snap.math.pendingK, snap.params.k]).to.deep.equal([newK, newK, DEFAULT_PARAMS.k]);
    for (const [side, amount, stillQueued] of [
      ["sellQuote", 1_000n * USDC, true],
      ["sellQuote", 60_000n * USDC, false],
    ] as const) {
      const q = sdkQuoteExactIn(snap, side, amount);
      expect([q.kAfter, q.pendingKAfter]).to.deep.equal(stillQueued ? [DEFAULT_PARAMS.k, newK] : [newK, null]);
      expect(await swap(ctx, side, amount)).to.equal(q.amountOut);
      snap = applySwap(snap, q);
      const chain = await getPoolState(address, ethers.provider);
      expect(snap.math).to.deep.equal(chain.math);
      expect([snap.params, snap.pendingK]).to.deep.equal([chain.params, chain.pendingK]);
    }
  });

  describe("admin setBounds goes through the same queue", function () {
    it("clamps the k in force: queued away from equilibrium, applied at it", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      const bounds = { ...DEFAULT_BOUNDS, kMax: WAD / 5n };
      await swap(ctx, "sellBase", 10n * WAD);
      await expect(ctx.pool.connect(ctx.admin).setBounds(bounds))
        .to.emit(ctx.pool, "KChangeQueued")
        .withArgs(DEFAULT_PARAMS.k, WAD / 5n);
      const s = await ctx.pool.getState();
      expect([s.params.k, s.pendingK]).to.deep.equal([DEFAULT_PARAMS.k, WAD / 5n]);

      const fresh = await loadFixture(seededPoolFixture);
      await expect(fresh.pool.connect(fresh.admin).setBounds(bounds))
        .to.emit(fresh.pool, "KChangeApplied")
        .withArgs(DEFAULT_PARAMS.k, WAD / 5n);
      expect((await fresh.pool.getState()).params.k).to.equal(WAD / 5n);
    });

    it("clamps a queued k, and leaves it alone when it lies inside the new bounds", async function () {
      const ctx = await loadFixture(seededPoolFixture);
      await swap(ctx, "sellBase", 10n * WAD);
      const queued = DEFAULT_PARAMS.k + DEFAULT_STEPS.k;
      await setParams(ctx, { ...DEFAULT_PARAMS, k: queued });
      await expect(ctx.pool.connect(ctx.admin).setBounds({ ...DEFAULT_BOUNDS, kMax: queued - 1n }))
        .to.emit(ctx.pool, "KChangeQueued")
        .withArgs(DEFAULT_PARAMS.k, queued - 1n);
      // The k in force (0.5) is below the new kMin but the queued k is inside: nothing to clamp.
      const tx = ctx.pool.connect(ctx.admin).setBounds({ ...DEFAULT_BOUNDS, kMin: DEFAULT_PARAMS.k + 1n });
      await expect(tx).not.to.emit(ctx.pool, "KChangeQueued");
      await expect(tx).not.to.emit(ctx.pool, "ParamsUpdated");
      const s = await ctx.pool.getState();
      expect([s.params.k, s.pendingK]).to.deep.equal([DEFAULT_PARAMS.k, queued - 1n]);
    });
  });

  it("a withdrawal that rounds the pool back to equilibrium applies the queued k", async function () {
    const ctx = await loadFixture(seededPoolFixture);
    // A tiny swap: the pool is long base by about 1e12 wei (0.000001 WETH).
    await swap(ctx, "sellBase", 10n ** 12n);
    expect((await ctx.pool.getState()).region).to.equal(Region.B);
    const newK = DEFAULT_PARAMS.k - DEFAULT_STEPS.k;
    await setParams(ctx, { ...DEFAULT_PARAMS, k: newK });
    expect((await ctx.pool.getState()).pendingK).to.equal(newK);
    // Withdrawing most of the liquidity scales the targets up (rounded up) onto the reserves.
    const shares = await ctx.pool.balanceOf(ctx.alice.address);
    await expect(ctx.pool.connect(ctx.alice).withdraw(shares - 1n, 0n, 0n, ctx.alice.address, await deadline()))
      .to.emit(ctx.pool, "KChangeApplied")
      .withArgs(DEFAULT_PARAMS.k, newK);
    const s = await ctx.pool.getState();
    expect([s.region, s.params.k, s.kPending]).to.deep.equal([BigInt(Region.ONE), newK, false]);
  });

  describe("sandwiches on chain, checked against the model", function () {
    /** The WETH/USDC pool of scripts/config/localhost.json, seeded by the factory. */
    async function localhostPool(): Promise<PoolCtx> {
      const b = await baseFixture();
      const cfg = await poolConfig(b, {
        params: { k: WAD / 5n, baseFee: 500n, maxFee: 5000n, tau: WAD / 10n },
        bounds: { ...DEFAULT_BOUNDS, kMin: 0n, kMax: WAD, baseFeeMin: 100n, maxFeeMin: 500n },
        steps: { k: WAD / 10n, tau: WAD / 20n, baseFee: 1000n, maxFee: 10_000n },
        minInterval: 600n,
      });
      const pool = await createSeededPool(b, cfg, 1000n * WAD, 2_000_000n * USDC, b.alice.address, 10_000n);
      await b.weth.mint(b.bob.address, 10n ** 9n * WAD);
      await b.usdc.mint(b.bob.address, 10n ** 15n * USDC);
      return { ...b, pool, cfg };
    }

    it("the issue's attack (20 chunks around k 0.2 -> 0.3) gains nothing, and the chain equals the model", async function () {
      const ctx = await loadFixture(localhostPool);
      const start = await model(ctx);
      let m = start;
      let gain = 0n;
      for (let i = 0; i < 20; i++) {
        const before = m;
        m = await swapBoth(ctx, m, "sellQuote", 50_000n * USDC);
        gain += valueOf(start, before.baseReserve - m.baseReserve, 0n) - valueOf(start, 0n, 50_000n * USDC);
      }
      await ctx.pool.connect(ctx.keeper).setParams((WAD * 3n) / 10n, 500n, 5000n, WAD / 10n, SURGE_WIDTH);
      m = requestK(m, (WAD * 3n) / 10n);
      expect(await model(ctx)).to.deep.equal(m);
      const bought = start.baseReserve - m.baseReserve;
      for (let i = 0; i < 20; i++) {
        const before = m;
        m = await swapBoth(ctx, m, "sellBase", bought / 20n);
        gain += valueOf(start, 0n, before.quoteReserve - m.quoteReserve) - valueOf(start, bought / 20n, 0n);
      }
      expect(gain <= 0n, `attacker's gain ${gain}`).to.equal(true);
      // The pool's value at the oracle price did not fall.
      expect(poolValue(m) >= poolValue(start)).to.equal(true);
    });

    it(`random sandwiches around random allowed updates: chain = model, gain <= premium (${Math.max(10, Math.floor(RUNS / 50))} runs)`, async function () {
      const ctx = await loadFixture(localhostPool);
      const legArb = fc.record({
        side: fc.constantFrom<SwapSide>("sellBase", "sellQuote"),
        permille: fc.integer({ min: 1, max: 400 }),
        chunks: fc.integer({ min: 1, max: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(legArb, legArb, legArb, fc.integer({ min: -10, max: 10 }), async (pre, front, back, dk) => {
          const snap = await ethers.provider.send("evm_snapshot", []);
          try {
            let m = await model(ctx);
            const run = async (leg: typeof pre, book: { gain: bigint }) => {
              for (let i = 0; i < leg.chunks; i++) {
                const size =
                  ((leg.side === "sellBase" ? m.baseReserve : m.quoteReserve) * BigInt(leg.permille)) / 4000n;
                if (size === 0n) continue;
                let q;
                try {
                  q = quoteExactIn(m, leg.side, size);
                } catch {
                  continue;
                }
                if (q.amountOut === 0n) continue;
                const before = m;
                m = await swapBoth(ctx, m, leg.side, size);
                const [inB, inQ, outB, outQ] =
                  leg.side === "sellBase" ? [size, 0n, 0n, q.amountOut] : [0n, size, q.amountOut, 0n];
                book.gain += valueOf(before, outB, outQ) - valueOf(before, inB, inQ);
              }
            };
            await run(pre, { gain: 0n }); // someone else's trade: any region
            const start = m;
            const book = { gain: 0n };
            await run(front, book);
            await time.increase(600);
            const k = m.k + (BigInt(dk) * WAD) / 100n;
            const newK = k < 0n ? 0n : k > WAD ? WAD : k;
            await ctx.pool.connect(ctx.keeper).setParams(newK, 500n, 5000n, WAD / 10n, SURGE_WIDTH);
            m = requestK(m, newK);
            expect(await model(ctx)).to.deep.equal(m);
            await run(back, book);
            await run({ ...front, side: front.side === "sellBase" ? "sellQuote" : "sellBase" }, book);
            expect(book.gain <= poolValue(start) - equilibriumValue(start), `gain ${book.gain}`).to.equal(true);
          } finally {
            await ethers.provider.send("evm_revert", [snap]);
          }
        }),
        { numRuns: Math.max(10, Math.floor(RUNS / 50)) },
      );
    });
  });
});
