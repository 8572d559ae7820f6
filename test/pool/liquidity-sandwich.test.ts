import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { depositLimits, depositLossBoundWad, quoteDeposit } from "../../sdk/liquidity";
import type { DepositLimits } from "../../sdk/liquidity";
import { getPoolState } from "../../sdk/state";
import type { SkewPool } from "../../typechain-types";
import {
  baseFixture,
  createSeededPool,
  deadline,
  DEFAULT_BOUNDS,
  expectRevertNoChange,
  MAX_UINT,
  poolConfig,
  PRICE,
  Side,
  WAD,
} from "./fixtures";
import type { PoolCtx } from "./fixtures";

/**
 * Issue 11, point 3: a deposit sandwich. The attacker pushes the pool off equilibrium, a large deposit
 * lands at the pushed ratio, the attacker unwinds. Measured on the pool of `scripts/config/localhost.json`
 * (1,000 WETH + 2M USDC, k 0.2, fees 500 / 5,000 pips, tau 0.1).
 */
const E6 = 10n ** 6n;
const SEED_WETH = 1_000n * WAD;
const SEED_USDC = 2_000_000n * E6;
const ISSUE_PARAMS = { k: WAD / 5n, baseFee: 500n, maxFee: 5_000n, tau: WAD / 10n };
const BOUNDS = { ...DEFAULT_BOUNDS, maxFeeMin: 500n };
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

interface Ctx extends PoolCtx {
  victim: HardhatEthersSigner;
}

async function issuePoolFixture(): Promise<Ctx> {
  const b = await baseFixture();
  const cfg = await poolConfig(b, { params: ISSUE_PARAMS, bounds: BOUNDS });
  const pool = await createSeededPool(b, cfg, SEED_WETH, SEED_USDC, b.alice.address, 0n);
  const victim = b.other;
  for (const user of [b.bob, victim]) {
    await b.weth.mint(user.address, 100_000n * WAD);
    await b.usdc.mint(user.address, 200_000_000n * E6);
    await b.weth.connect(user).approve(await pool.getAddress(), MAX_UINT);
    await b.usdc.connect(user).approve(await pool.getAddress(), MAX_UINT);
  }
  return { ...b, pool, cfg, victim };
}

/** Value at the oracle price (2,000 USDC per WETH), in raw USDC. */
const usdcValue = (weth: bigint, usdc: bigint): bigint => (weth * PRICE) / 10n ** 8n / 10n ** 12n + usdc;

async function holdings(ctx: Ctx, who: string): Promise<bigint> {
  return usdcValue(await ctx.weth.balanceOf(who), await ctx.usdc.balanceOf(who));
}

/** Swaps `amount` of the side's input from `from`; returns the output received. */
async function swap(ctx: Ctx, from: HardhatEthersSigner, side: number, amount: bigint): Promise<bigint> {
  const [tin, tout] = side === Side.SellBase ? [ctx.weth, ctx.usdc] : [ctx.usdc, ctx.weth];
  const before = await tout.balanceOf(from.address);
  await tin.connect(from).transfer(await ctx.pool.getAddress(), amount);
  await ctx.pool.connect(from).swap(side, 1n, from.address, await deadline());
  return (await tout.balanceOf(from.address)) - before;
}

/** The victim's position (shares) valued at the oracle price, in raw USDC. */
async function positionValue(pool: SkewPool, who: string): Promise<bigint> {
  const s = await pool.getState();
  const shares = await pool.balanceOf(who);
  return usdcValue((s.baseReserve * shares) / s.totalSupply, (s.quoteReserve * shares) / s.totalSupply);
}

/** A deposit signed with the SDK's limits, shares to the depositor. */
function depositWithin(pool: SkewPool, who: HardhatEthersSigner, l: DepositLimits, deadline: bigint) {
  return pool.connect(who).deposit(l.baseMax, l.quoteMax, l.baseMin, l.quoteMin, l.minShares, who.address, deadline);
}

describe("deposit sandwich (issue 11, point 3)", function () {
  it("reproduces the issue without minima, and the quote's minima refuse it with DepositBelowMinimum, moving nothing", async function () {
    const ctx = await loadFixture(issuePoolFixture);
    const { pool, bob, victim } = ctx;
    const poolAddress = await pool.getAddress();
    // The victim quotes 1,000 WETH at the pool's ratio (2M USDC) and signs the SDK's limits at 0.5 %.
    const quote = quoteDeposit(await getPoolState(poolAddress, ethers.provider), SEED_WETH, 4_000_000n * E6);
    expect([quote.baseIn, quote.quoteIn]).to.deep.equal([SEED_WETH, SEED_USDC]);
    const limits = depositLimits(quote, 50);
    const id = await ethers.provider.send("evm_snapshot", []);

    // Today's call: loose maxima and only minShares. The attacker buys WETH for 1.5M USDC first.
    const attackerStart = await holdings(ctx, bob.address);
    const victimStart = await holdings(ctx, victim.address);
    const wethBought = await swap(ctx, bob, Side.SellQuote, 1_500_000n * E6);
    const usdcBefore = await ctx.usdc.balanceOf(victim.address);
    await pool
      .connect(victim)
      .deposit(SEED_WETH, 4_000_000n * E6, 0n, 0n, limits.minShares, victim.address, await deadline());
    const usdcPaid = usdcBefore - (await ctx.usdc.balanceOf(victim.address));
    await swap(ctx, bob, Side.SellBase, wethBought);
    const attackerGain = (await holdings(ctx, bob.address)) - attackerStart;
    const victimLoss =
      victimStart - (await holdings(ctx, victim.address)) - (await positionValue(pool, victim.address));
    console.log(
      `      without minima: the victim paid ${usdcPaid / E6} USDC for 1,000 WETH (quoted 2,000,000), ` +
        `lost ${victimLoss / E6} USDC at the oracle price; the attacker gained ${attackerGain / E6} USDC`,
    );
    expect(usdcPaid).to.be.gt((SEED_USDC * 15n) / 10n); // far more than the 2M quoted
    expect(attackerGain).to.be.gt(0n);
    expect(victimLoss).to.be.gte(attackerGain);
    await ethers.provider.send("evm_revert", [id]);

    // The same sandwich against the quote's limits: the pushed ratio takes less WETH than the minimum.
    await swap(ctx, bob, Side.SellQuote, 1_500_000n * E6);
    const d = await deadline();
    const s = await pool.getState();
    const needBase = (limits.quoteMax * s.baseReserve + s.quoteReserve - 1n) / s.quoteReserve;
    expect(needBase).to.be.lt(limits.baseMin);
    await expectRevertNoChange(ctx, () => depositWithin(pool, victim, limits, d), "DepositBelowMinimum");
    expect(await ctx.usdc.balanceOf(victim.address)).to.equal(usdcBefore);
  });

  it("takes a deposit at the quoted ratio, and one whose ratio moved within the slippage", async function () {
    const ctx = await loadFixture(issuePoolFixture);
    const { pool, bob, victim } = ctx;
    const limits = depositLimits(
      quoteDeposit(await getPoolState(await pool.getAddress(), ethers.provider), 10n * WAD, 20_000n * E6),
      50,
    );
    await swap(ctx, bob, Side.SellQuote, 5_000n * E6); // moves the ratio ~0.5 bp
    const args = [limits.baseMin, limits.quoteMin, limits.minShares, victim.address, await deadline()] as const;
    await expect(pool.connect(victim).deposit(limits.baseMax, limits.quoteMax, ...args)).to.emit(pool, "Deposit");
  });

  it(`property (${Math.max(20, Math.floor(RUNS / 25))} on-chain runs): against the SDK's limits, any push either makes the deposit revert or costs the victim at most the bound its slippage implies, and the attacker no more than the victim loses`, async function () {
    const ctx = await loadFixture(issuePoolFixture);
    const { pool, bob, victim } = ctx;
    const poolAddress = await pool.getAddress();
    let reverted = 0;
    let ahead = 0;
    let maxLossBp = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(Side.SellBase, Side.SellQuote),
        fc.integer({ min: 1, max: 400 }), // push, permille of the output side's value
        fc.integer({ min: 10, max: 2000 }), // deposit, permille of the pool
        fc.integer({ min: 5, max: 200 }), // slippage, bps
        async (side, pushPermille, sizePermille, bps) => {
          const id = await ethers.provider.send("evm_snapshot", []);
          try {
            const state = await getPoolState(poolAddress, ethers.provider);
            const want = BigInt(sizePermille);
            const quote = quoteDeposit(state, (SEED_WETH * want) / 1000n, (SEED_USDC * want) / 1000n);
            const limits = depositLimits(quote, bps);
            const attackerStart = await holdings(ctx, bob.address);
            const victimStart = await holdings(ctx, victim.address);
            const push =
              side === Side.SellQuote
                ? (SEED_USDC * BigInt(pushPermille)) / 1000n
                : (SEED_WETH * BigInt(pushPermille)) / 1000n;
            const got = await swap(ctx, bob, side, push);
            try {
              await depositWithin(pool, victim, limits, await deadline());
            } catch (e) {
              expect(String(e)).to.match(/DepositBelowMinimum|InsufficientShares/);
              reverted++;
              return;
            }
            const paid = victimStart - (await holdings(ctx, victim.address));
            await swap(ctx, bob, side === Side.SellBase ? Side.SellQuote : Side.SellBase, got);
            const gain = (await holdings(ctx, bob.address)) - attackerStart;
            const loss = paid - (await positionValue(pool, victim.address));
            const bound = (paid * depositLossBoundWad(ISSUE_PARAMS.k, bps)) / WAD + 2n; // + rounding, raw USDC
            maxLossBp = Math.max(maxLossBp, Number((loss * 10_000_000n) / paid) / 1000);
            expect(loss).to.be.lte(bound);
            if (gain > 0n) ahead++;
            expect(gain).to.be.lte((loss > 0n ? loss : 0n) + 2n);
          } finally {
            await ethers.provider.send("evm_revert", [id]);
          }
        },
      ),
      { numRuns: Math.max(20, Math.floor(RUNS / 25)) },
    );
    console.log(
      `      ${reverted} pushes refused; worst accepted loss ${maxLossBp} bp of the deposit; attacker ahead in ${ahead}`,
    );
  });
});
