import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, setStorageAt } from "@nomicfoundation/hardhat-network-helpers";
import { ceilDiv, deadline, Region, seededPoolFixture, sendInput, Side, WAD, type PoolCtx } from "../pool/fixtures";

/**
 * The stored-target rescale on deposit and withdrawal (LiquidityLogic._rescaleTargets, DESIGN §4),
 * issue 17's untested rounding edges: outside region ONE both targets scale by newSupply / oldSupply
 * rounded up (so the long side's surplus never grows by rounding), and when the rescaled long-side
 * target reaches the scaled reserve exactly the pool is at equilibrium and becomes region ONE.
 * Each test fails if its rounding direction or comparison is flipped (scripts/mutants.ts L01-L04).
 */
const LEGS = [
  // selling quote leaves quote long (region A); selling base leaves base long (region B)
  { name: "region A", side: Side.SellQuote, amount: 20_000n * 10n ** 6n, region: Region.A, longIsBase: false },
  { name: "region B", side: Side.SellBase, amount: 10n * WAD, region: Region.B, longIsBase: true },
] as const;

async function skewed(side: number, amount: bigint): Promise<PoolCtx> {
  const ctx = await seededPoolFixture();
  await sendInput(ctx, ctx.bob, side, amount);
  await ctx.pool.connect(ctx.bob).swap(side, 1n, ctx.bob.address, await deadline());
  return ctx;
}

const packed = (lo: bigint, hi: bigint): bigint => (hi << 128n) | lo;

/** The storage slot of `PoolStorage.targets` (reserves sit in the slot before it), found by value. */
async function targetsSlot(ctx: PoolCtx): Promise<bigint> {
  const address = await ctx.pool.getAddress();
  const s = await ctx.pool.getState();
  for (let i = 1n; i < 64n; i++) {
    if (BigInt(await ethers.provider.getStorage(address, i)) !== packed(s.baseTarget, s.quoteTarget)) continue;
    const reserves = BigInt(await ethers.provider.getStorage(address, i - 1n));
    if (reserves === packed(s.baseReserve, s.quoteReserve)) return i;
  }
  throw new Error("PoolStorage.targets not found");
}

describe("target rescale on deposit and withdrawal (issue 17 rounding edges)", function () {
  for (const leg of LEGS) {
    describe(leg.name, function () {
      const fixture = () => skewed(leg.side, leg.amount);

      it("a withdrawal scales both targets rounded up", async function () {
        const ctx = await loadFixture(fixture);
        const s0 = await ctx.pool.getState();
        expect(s0.region).to.equal(leg.region);
        const shares = (await ctx.pool.balanceOf(ctx.alice.address)) / 3n;
        const S = s0.totalSupply;
        // Precondition: neither rescale is a whole number, so the rounding direction shows.
        expect((s0.baseTarget * (S - shares)) % S).to.not.equal(0n);
        expect((s0.quoteTarget * (S - shares)) % S).to.not.equal(0n);
        await ctx.pool.connect(ctx.alice).withdraw(shares, 0n, 0n, ctx.alice.address, await deadline());
        const s1 = await ctx.pool.getState();
        expect(s1.region).to.equal(leg.region);
        expect(s1.baseTarget).to.equal(ceilDiv(s0.baseTarget * (S - shares), S));
        expect(s1.quoteTarget).to.equal(ceilDiv(s0.quoteTarget * (S - shares), S));
      });

      it("a deposit scales both targets rounded up", async function () {
        const ctx = await loadFixture(fixture);
        const s0 = await ctx.pool.getState();
        await ctx.pool
          .connect(ctx.bob)
          .deposit(3n * WAD + 7n, 7_000n * 10n ** 6n + 3n, 0n, 0n, 0n, ctx.bob.address, await deadline());
        const s1 = await ctx.pool.getState();
        const [S, N] = [s0.totalSupply, s1.totalSupply];
        expect((s0.baseTarget * N) % S).to.not.equal(0n);
        expect((s0.quoteTarget * N) % S).to.not.equal(0n);
        expect(s1.region).to.equal(leg.region);
        expect(s1.baseTarget).to.equal(ceilDiv(s0.baseTarget * N, S));
        expect(s1.quoteTarget).to.equal(ceilDiv(s0.quoteTarget * N, S));
      });

      it("a rescaled long-side target equal to the scaled reserve means equilibrium: region ONE", async function () {
        const ctx = await loadFixture(fixture);
        const s0 = await ctx.pool.getState();
        const S = s0.totalSupply;
        const held = await ctx.pool.balanceOf(ctx.alice.address);
        // Withdraw S / f shares with the long reserve a multiple of f: it falls by exactly 1/f.
        let f = 2n;
        while (f < 100_000n && (S % f !== 0n || S / f > held)) f++;
        expect(f < 100_000n, "a small factor of the supply").to.equal(true);
        const shares = S / f;
        const scale = leg.longIsBase ? s0.baseScale : s0.quoteScale;
        const raw = leg.longIsBase ? s0.baseReserve : s0.quoteReserve;
        const longRaw = raw - (raw % f);
        // The long side's stored target one scaled unit below its reserve: still region A / B.
        const longTarget = longRaw * scale - 1n;
        const slot = await targetsSlot(ctx);
        const address = await ctx.pool.getAddress();
        const [b, q] = leg.longIsBase ? [longRaw, s0.quoteReserve] : [s0.baseReserve, longRaw];
        const [bt, qt] = leg.longIsBase ? [longTarget, s0.quoteTarget] : [s0.baseTarget, longTarget];
        await setStorageAt(address, slot - 1n, packed(b, q));
        await setStorageAt(address, slot, packed(bt, qt));
        expect((await ctx.pool.getState()).region).to.equal(leg.region);
        // Precondition: the rescaled target lands exactly on the scaled reserve after the withdrawal.
        const longAfter = longRaw - (shares * longRaw) / S;
        expect(ceilDiv(longTarget * (S - shares), S)).to.equal(longAfter * scale);

        await ctx.pool.connect(ctx.alice).withdraw(shares, 0n, 0n, ctx.alice.address, await deadline());
        const s1 = await ctx.pool.getState();
        expect(s1.region).to.equal(Region.ONE);
        expect([s1.baseTarget, s1.quoteTarget]).to.deep.equal([
          s1.baseReserve * s1.baseScale,
          s1.quoteReserve * s1.quoteScale,
        ]);
      });
    });
  }
});
