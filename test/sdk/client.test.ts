import { expect } from "chai";
import { ethers, network } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { BrowserProvider, MaxUint256, NonceManager, Wallet } from "ethers";
import type { Eip1193Provider, Signer } from "ethers";
import { SkewClient } from "../../sdk/client";
import {
  AllowanceError,
  DeadlineExpiredError,
  InsufficientOutputError,
  InvalidArgumentError,
  NotAPoolError,
  PausedError,
  PermitUnsupportedError,
  SkewProviderError,
  SlippageError,
  StaleOracleError,
} from "../../sdk/errors";
import { sideToSolidity } from "../../sdk/tx";
import { MockERC20__factory } from "../../typechain-types/factories/contracts/test/MockERC20__factory";
import { approveAll, E18, E6, E8, expectRouterEmpty, expectSkewError, loadWorld, world } from "../helpers/sdkFixture";
import { loadLive } from "../helpers/liveFixture";
import { createSeededPool } from "../helpers/sdkEnv";
import type { World } from "../helpers/sdkFixture";

const client = (w: World, signer = w.alice) => new SkewClient({ signer, router: w.router, slippageBps: 50 });

async function routerEmpty(w: World) {
  await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc, w.ethPool, w.btcPool], [w.a.ethPool, w.a.btcPool]);
}

describe("SkewClient", function () {
  it("swapExactIn: approves, swaps at the pool's quote, and returns the decoded Swap", async function () {
    const w = await loadWorld();
    const view = await w.ethPool.quoteExactIn(sideToSolidity("sellBase"), 7n * E18);
    const before = await w.usdc.balanceOf(w.alice.address);
    const nonce = await ethers.provider.getTransactionCount(w.alice.address);
    const r = await client(w).swapExactIn({ pool: w.a.ethPool, side: "sellBase" }, 7n * E18, { approval: "exact" });
    expect(await ethers.provider.getTransactionCount(w.alice.address)).to.equal(nonce + 2); // approve + swap
    expect(r.receipt.status).to.equal(1);
    expect([r.amountIn, r.amountOut]).to.deep.equal([7n * E18, view.amountOut]);
    expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(view.amountOut);
    expect(r.swaps).to.have.length(1);
    expect([r.swaps[0].feePips, r.swaps[0].midPriceAfter]).to.deep.equal([view.feePips, view.midPriceAfter]);
    expect(r.built.minAmountOut).to.equal((view.amountOut * 9950n) / 10000n);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(0n); // approved exactly the input
    await routerEmpty(w);
  });

  it("swapExactOut with a permit over a route: no approval transaction, at least the requested output", async function () {
    const w = await loadWorld();
    const path = [
      { pool: w.a.ethPool, side: "sellBase" as const },
      { pool: w.a.btcPool, side: "sellQuote" as const },
    ];
    const nonce = await ethers.provider.getTransactionCount(w.alice.address);
    const before = await w.wbtc.balanceOf(w.alice.address);
    const r = await client(w).swapExactOut({ path }, E8 / 2n, { permit: true, recipient: w.alice.address });
    expect(await ethers.provider.getTransactionCount(w.alice.address)).to.equal(nonce + 1); // the swap only
    const got = (await w.wbtc.balanceOf(w.alice.address)) - before;
    expect(got).to.equal(r.amountOut);
    expect(got >= E8 / 2n).to.equal(true);
    expect(r.swaps.map((s) => s.pool)).to.deep.equal([w.a.ethPool, w.a.btcPool]);
    expect(r.quote.amountIn).to.equal(r.amountIn);
    await routerEmpty(w);
  });

  it("deposit and withdraw, with approvals and with permits", async function () {
    const w = await loadWorld();
    const c = client(w);
    const d1 = await c.deposit(w.a.ethPool, 10n * E18, 100_000n * E6);
    expect(d1.event.shares).to.equal(d1.quote.shares);
    expect(await w.ethPool.balanceOf(w.alice.address)).to.equal(d1.quote.shares);
    const d2 = await c.deposit(w.a.btcPool, E8, 100_000n * E6, { permit: true, to: w.carol.address });
    expect(await w.btcPool.balanceOf(w.carol.address)).to.equal(d2.event.shares);

    const half = d1.event.shares / 2n;
    const wd1 = await c.withdraw(w.a.ethPool, half);
    expect([wd1.event.baseOut, wd1.event.quoteOut]).to.deep.equal([wd1.quote.baseOut, wd1.quote.quoteOut]);
    const wd2 = await c.withdraw(w.a.ethPool, d1.event.shares - half, { permit: true, to: w.carol.address });
    expect(wd2.event.to).to.equal(w.carol.address);
    expect(wd2.event.sender).to.equal(w.router);
    expect(await w.ethPool.balanceOf(w.alice.address)).to.equal(0n);
    await routerEmpty(w);
  });

  it("throws typed errors: deadline, pause and oracle (the last two before sending anything)", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const c = client(w);
    const target = { pool: w.a.ethPool, side: "sellBase" as const };
    const expired = await expectSkewError(c.swapExactIn(target, E18, { deadline: 1n }), DeadlineExpiredError);
    expect(expired.deadline).to.equal(1n);
    const nonce = await ethers.provider.getTransactionCount(w.alice.address);
    await w.ethPool.connect(w.admin).pause();
    await expectSkewError(c.swapExactIn(target, E18), PausedError);
    await expectSkewError(c.deposit(w.a.ethPool, E18, E6), PausedError);
    await w.ethPool.connect(w.admin).unpause();
    await w.ethPool.connect(w.admin).setOracleMaxAge(60);
    await time.increase(61);
    await expectSkewError(c.swapExactOut(target, E6), StaleOracleError);
    expect(await ethers.provider.getTransactionCount(w.alice.address)).to.equal(nonce);
  });

  it("a swap front-run after its gas estimate reverts on chain; the client recovers the typed slippage error", async function () {
    const w = await loadWorld();
    await approveAll(w);
    await approveAll(w, w.carol);
    const c = client(w);
    await network.provider.send("evm_setAutomine", [false]);
    try {
      const pending = c.swapExactIn({ pool: w.a.ethPool, side: "sellBase" }, 10n * E18, { slippageBps: 10 });
      // wait until alice's swap sits in the mempool, then carol outbids it
      for (;;) {
        const block = (await network.provider.send("eth_getBlockByNumber", ["pending", false])) as {
          transactions: string[];
        };
        if (block.transactions.length > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await w.core.router
        .connect(w.carol)
        .swapExactIn([{ pool: w.a.ethPool, side: 0 }], 200n * E18, 0n, w.carol.address, MaxUint256, {
          maxPriorityFeePerGas: 10n ** 11n,
          maxFeePerGas: 10n ** 12n,
          gasLimit: 1_000_000n,
        });
      await mine(1);
      const err = await expectSkewError(pending, InsufficientOutputError);
      expect(err).to.be.instanceOf(SlippageError);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("by default signs a permit for a token with EIP-2612: one transaction, no allowance left", async function () {
    const w = await loadWorld();
    const nonce = await ethers.provider.getTransactionCount(w.alice.address);
    const r = await client(w).swapExactIn({ pool: w.a.ethPool, side: "sellBase" }, E18);
    expect(await ethers.provider.getTransactionCount(w.alice.address)).to.equal(nonce + 1);
    expect(r.amountIn).to.equal(E18);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(0n);
    // an allowance that covers the input needs neither a permit nor an approval
    await approveAll(w);
    const permitNonce = await w.weth.nonces(w.alice.address);
    await client(w).swapExactIn({ pool: w.a.ethPool, side: "sellBase" }, E18);
    expect(await w.weth.nonces(w.alice.address)).to.equal(permitNonce);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(MaxUint256);
  });

  it("needs a signer with a provider and a router address", function () {
    const e = () => new SkewClient({ signer: Wallet.createRandom(), router: ethers.ZeroAddress });
    expect(e).to.throw(InvalidArgumentError, /provider/);
    const bad = () => new SkewClient({ signer: Wallet.createRandom(ethers.provider), router: "0x12" });
    expect(bad).to.throw(InvalidArgumentError, /not an address/);
  });
});

/**
 * The client over a real ethers JSON-RPC provider (a `BrowserProvider` on the Hardhat network:
 * ethers' request cache included, as with any node) with each kind of signer, on a pool whose
 * tokens have no permit, so every first action needs approvals.
 */
describe("SkewClient with a Wallet, a NonceManager and a JSON-RPC signer", function () {
  async function plainWorld() {
    const w = await world();
    const base = await new MockERC20__factory(w.admin).deploy("Plain Base", "PB", 18);
    const quote = await new MockERC20__factory(w.admin).deploy("Plain Quote", "PQ", 6);
    const pool = await createSeededPool(
      w.core,
      w.admin,
      { base: await base.getAddress(), quote: await quote.getAddress(), feed: await w.ethFeed.getAddress() },
      { baseAmount: 1000n * E18, quoteAmount: 3_000_000n * E6, to: w.bob.address },
    );
    return { w, base, quote, pool, poolAddress: await pool.getAddress() };
  }

  type Kind = "Wallet" | "NonceManager" | "JsonRpcSigner";

  /** A funded signer of `kind` on a fresh BrowserProvider, holding both plain tokens. */
  async function signerOf(kind: Kind, env: Awaited<ReturnType<typeof plainWorld>>) {
    const provider = new BrowserProvider(network.provider as unknown as Eip1193Provider, undefined, {
      pollingInterval: 20,
    });
    let signer: Signer;
    if (kind === "JsonRpcSigner") signer = await provider.getSigner(env.w.carol.address);
    else {
      const wallet = Wallet.createRandom(provider);
      await (await env.w.admin.sendTransaction({ to: wallet.address, value: 10n * E18 })).wait();
      signer = kind === "Wallet" ? wallet : new NonceManager(wallet);
    }
    const me = await signer.getAddress();
    await env.base.mint(me, 100n * E18);
    await env.quote.mint(me, 1_000_000n * E6);
    return { provider, signer, me };
  }

  for (const kind of ["Wallet", "NonceManager", "JsonRpcSigner"] as const) {
    it(`${kind}: approve + action never share a nonce (deposit 3 tx, swap 2, withdraw 1)`, async function () {
      const env = await loadLive(plainWorld);
      const { provider, signer, me } = await signerOf(kind, env);
      const c = new SkewClient({ signer, router: env.w.router });
      const count = () => ethers.provider.getTransactionCount(me);
      const n0 = await count();

      const dep = await c.deposit(env.poolAddress, 10n * E18, 30_000n * E6);
      expect(await count()).to.equal(n0 + 3); // two exact approvals (no permit on these tokens), the deposit
      expect(await env.pool.balanceOf(me)).to.equal(dep.event.shares);

      const swap = await c.swapExactIn({ pool: env.poolAddress, side: "sellBase" }, E18);
      expect(await count()).to.equal(n0 + 5); // approval + swap
      expect(await env.base.allowance(me, env.w.router)).to.equal(0n); // exactly the input was approved
      expect(swap.amountIn).to.equal(E18);

      const wd = await c.withdraw(env.poolAddress, dep.event.shares);
      expect(await count()).to.equal(n0 + 6);
      expect(wd.event.shares).to.equal(dep.event.shares);
      expect(await env.pool.balanceOf(me)).to.equal(0n);
      provider.destroy();
    });
  }

  it("approval modes: unlimited approves once; none refuses before sending; permit needs EIP-2612", async function () {
    const env = await loadLive(plainWorld);
    const { provider, signer, me } = await signerOf("Wallet", env);
    const target = { pool: env.poolAddress, side: "sellBase" as const };
    const count = () => ethers.provider.getTransactionCount(me);

    const none = new SkewClient({ signer, router: env.w.router, approval: "none" });
    const n0 = await count();
    const refused = await expectSkewError(none.swapExactIn(target, E18), AllowanceError);
    expect([refused.allowance, refused.needed]).to.deep.equal([0n, E18]);
    const unsupported = await expectSkewError(
      none.swapExactIn(target, E18, { approval: "permit" }),
      PermitUnsupportedError,
    );
    expect(unsupported.token).to.equal(await env.base.getAddress());
    expect(await count()).to.equal(n0);

    const unlimited = new SkewClient({ signer, router: env.w.router, approval: "unlimited" });
    await unlimited.swapExactIn(target, E18);
    expect(await env.base.allowance(me, env.w.router)).to.equal(MaxUint256);
    await unlimited.swapExactIn(target, E18);
    expect(await count()).to.equal(n0 + 3); // approve, swap, swap
    await none.swapExactIn(target, E18); // the allowance now covers it
    expect(await count()).to.equal(n0 + 4);
    provider.destroy();
  });

  it("every failure is a SkewError: not a pool, no gas money", async function () {
    const env = await loadLive(plainWorld);
    const { provider, signer } = await signerOf("Wallet", env);
    const c = new SkewClient({ signer, router: env.w.router });
    for (const notAPool of [env.w.carol.address, await env.base.getAddress(), env.w.router]) {
      const err = await expectSkewError(c.getPoolState(notAPool), NotAPoolError);
      expect(err.address).to.equal(notAPool);
      await expectSkewError(c.swapExactIn({ pool: notAPool, side: "sellBase" }, E18), NotAPoolError);
    }
    const broke = new SkewClient({ signer: Wallet.createRandom(provider), router: env.w.router });
    const err = await expectSkewError(broke.deposit(env.poolAddress, E18, E6), SkewProviderError);
    expect(err.message).to.match(/enough funds/);
    expect(err.cause).to.not.equal(undefined);
    provider.destroy();
  });
});
