import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import {
  buildApprove,
  buildDeposit,
  buildPoolWithdraw,
  buildSwapExactIn,
  buildSwapExactOut,
  deadlineFromNow,
  ensureAllowance,
  maxInWithSlippage,
  minOutWithSlippage,
} from "../../sdk/tx";
import { SkewRouter__factory } from "../../typechain-types/factories/contracts/SkewRouter__factory";
import { ISkewPool__factory } from "../../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import { E18, loadWorld } from "../helpers/sdkFixture";

const ROUTER = "0x1111111111111111111111111111111111111111";
const POOL = "0x2222222222222222222222222222222222222222";
const ME = "0x3333333333333333333333333333333333333333";
const permit = { value: 5n, deadline: 6n, v: 27, r: "0x" + "ab".repeat(32), s: "0x" + "cd".repeat(32) };

describe("SDK transaction builders", function () {
  it("slippage: minimum rounds down, maximum rounds up, bounds are checked", function () {
    expect(minOutWithSlippage(10_001n, 30)).to.equal(9_970n); // 9970.997
    expect(maxInWithSlippage(10_001n, 30)).to.equal(10_032n); // 10031.003
    expect(minOutWithSlippage(10_000n, 0)).to.equal(10_000n);
    expect(maxInWithSlippage(10_000n, 0)).to.equal(10_000n);
    expect(maxInWithSlippage(1n, 1)).to.equal(2n); // 1.0001 rounds up
    expect(minOutWithSlippage(123n, 10_000)).to.equal(0n);
    expect(() => minOutWithSlippage(1n, -1)).to.throw(RangeError);
    expect(() => maxInWithSlippage(1n, 10_001n)).to.throw(RangeError);
  });

  it("swaps encode the router's functions with the right arguments", function () {
    const iface = SkewRouter__factory.createInterface();
    const path = [
      { pool: POOL, side: "sellBase" as const },
      { pool: ROUTER, side: "sellQuote" as const },
    ];
    const a = buildSwapExactIn({ router: ROUTER, path, amountIn: 7n, minAmountOut: 3n, recipient: ME, deadline: 9n });
    expect([a.to, a.value]).to.deep.equal([ROUTER, 0n]);
    const da = iface.decodeFunctionData("swapExactIn", a.data);
    expect(da.toArray().map(String)).to.deep.equal([`${POOL},0,${ROUTER},1`, "7", "3", ME, "9"]);
    const b = buildSwapExactOut({
      router: ROUTER,
      path,
      amountOut: 7n,
      maxAmountIn: 8n,
      recipient: ME,
      deadline: 9n,
      permit,
    });
    const db = iface.decodeFunctionData("swapExactOutWithPermit", b.data);
    expect([db[1], db[2], db[5].value, db[5].v]).to.deep.equal([7n, 8n, 5n, 27n]);
  });

  it("deposits and withdrawals encode the router's and the pool's functions", function () {
    const iface = SkewRouter__factory.createInterface();
    const d = buildDeposit({
      router: ROUTER,
      pool: POOL,
      baseMax: 1n,
      quoteMax: 2n,
      baseMin: 9n,
      quoteMin: 10n,
      minShares: 3n,
      to: ME,
      deadline: 4n,
    });
    expect(iface.decodeFunctionData("deposit", d.data)[0].toArray()).to.deep.equal([POOL, 1n, 2n, 9n, 10n, 3n, ME, 4n]);
    const dp = buildDeposit({
      router: ROUTER,
      pool: POOL,
      baseMax: 1n,
      quoteMax: 2n,
      baseMin: 0n,
      quoteMin: 0n,
      minShares: 3n,
      to: ME,
      deadline: 4n,
      permits: { base: permit, quote: { ...permit, value: 99n } },
    });
    const args = iface.decodeFunctionData("depositWithPermit", dp.data);
    expect([args[0].pool, args[1].value, args[2].value]).to.deep.equal([POOL, 5n, 99n]);
    const w = buildPoolWithdraw({ pool: POOL, shares: 5n, minBase: 6n, minQuote: 7n, to: ME, deadline: 8n });
    expect(w.to).to.equal(POOL);
    const pool = ISkewPool__factory.createInterface();
    expect(pool.decodeFunctionData("withdraw", w.data).toArray()).to.deep.equal([5n, 6n, 7n, ME, 8n]);
  });

  it("ensureAllowance approves only when the allowance is short; deadlines use chain time", async function () {
    const w = await loadWorld();
    const first = await ensureAllowance(w.alice, w.a.weth, w.router, E18);
    expect(first?.status).to.equal(1);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(E18);
    expect(await ensureAllowance(w.alice, w.a.weth, w.router, E18)).to.equal(null);
    await (await w.alice.sendTransaction(buildApprove(w.a.weth, w.router, MaxUint256))).wait();
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(MaxUint256);
    // A chain ahead of the local clock (time travel): the deadline counts from chain time.
    await time.increase(10_000_000);
    const latest = await time.latest();
    expect(await deadlineFromNow(ethers.provider, 600)).to.equal(BigInt(latest) + 600n);
  });

  it("counts a deadline from the local clock when the chain lags it (a reverted snapshot)", async function () {
    const latest = BigInt(await time.latest());
    const before = BigInt(Math.floor(Date.now() / 1000));
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const after = BigInt(Math.floor(Date.now() / 1000));
    const max = (a: bigint, b: bigint) => (a > b ? a : b);
    expect(deadline >= max(latest, before) + 600n && deadline <= max(latest, after) + 600n).to.equal(true);
  });
});
