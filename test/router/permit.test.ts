import { expect } from "chai";
import { ethers } from "hardhat";
import { Signature, TypedDataEncoder } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { getPoolState, getPoolStates } from "../../sdk/state";
import { quoteExactIn, quoteExactOut, quoteRoute } from "../../sdk/quote";
import { buildSwapExactIn, buildSwapExactOut, buildSwapFromQuote, deadlineFromNow, signPermit } from "../../sdk/tx";
import type { TxRequest } from "../../sdk/tx";
import { InvalidPathError, SkewContractError, UnknownPoolError } from "../../sdk/errors";
import { E18, E6, expectRouterEmpty, expectSkewError, loadWorld } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

async function send(signer: HardhatEthersSigner, tx: TxRequest) {
  return (await signer.sendTransaction(tx)).wait();
}

async function routerEmpty(w: World) {
  await expectRouterEmpty(w.router, [w.weth, w.usdc, w.wbtc], [w.a.ethPool, w.a.btcPool]);
}

describe("router swaps with EIP-2612 permits", function () {
  it("signPermit signs the token's EIP-712 permit digest for the signer's current nonce", async function () {
    const w = await loadWorld();
    const deadline = 2n ** 40n;
    const permit = await signPermit(w.alice, w.a.weth, w.router, 123n, deadline);
    // recompute the digest from the token's own DOMAIN_SEPARATOR, independently of the SDK
    const structHash = TypedDataEncoder.hashStruct(
      "Permit",
      {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      { owner: w.alice.address, spender: w.router, value: 123n, nonce: 0n, deadline },
    );
    const digest = ethers.keccak256(ethers.concat(["0x1901", await w.weth.DOMAIN_SEPARATOR(), structHash]));
    const sig = Signature.from({ v: permit.v, r: permit.r, s: permit.s });
    expect(ethers.recoverAddress(digest, sig)).to.equal(w.alice.address);
    // and the token accepts it
    await w.weth.permit(w.alice.address, w.router, 123n, deadline, permit.v, permit.r, permit.s);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(123n);
    expect(await w.weth.nonces(w.alice.address)).to.equal(1n);
  });

  it("exact-in with a permit needs no approval and uses the whole allowance it grants", async function () {
    const w = await loadWorld();
    const quote = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", 5n * E18);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const permit = await signPermit(w.alice, w.a.weth, w.router, quote.amountIn, deadline);
    const built = buildSwapFromQuote({
      router: w.router,
      quote,
      slippageBps: 0,
      recipient: w.alice.address,
      deadline,
      permit,
    });
    const before = await w.usdc.balanceOf(w.alice.address);
    await send(w.alice, built.tx);
    expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(quote.amountOut);
    expect(await w.weth.allowance(w.alice.address, w.router)).to.equal(0n);
    expect(await w.weth.nonces(w.alice.address)).to.equal(1n);
    await routerEmpty(w);
  });

  it("exact-out with a permit for the maximum leaves the unused slippage as allowance", async function () {
    const w = await loadWorld();
    const quote = quoteExactOut(await getPoolState(w.a.ethPool, ethers.provider), "sellQuote", 2n * E18);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const draft = buildSwapFromQuote({
      router: w.router,
      quote,
      slippageBps: 100,
      recipient: w.alice.address,
      deadline,
    });
    const permit = await signPermit(w.alice, w.a.usdc, w.router, draft.maxAmountIn, deadline);
    const built = buildSwapFromQuote({
      router: w.router,
      quote,
      slippageBps: 100,
      recipient: w.alice.address,
      deadline,
      permit,
    });
    const before = await w.usdc.balanceOf(w.alice.address);
    await send(w.alice, built.tx);
    expect(before - (await w.usdc.balanceOf(w.alice.address))).to.equal(quote.amountIn);
    expect(await w.usdc.allowance(w.alice.address, w.router)).to.equal(draft.maxAmountIn - quote.amountIn);
    await routerEmpty(w);
  });

  it("multi-hop with a permit on the first hop's input token", async function () {
    const w = await loadWorld();
    const hops = [
      { pool: w.a.ethPool, side: "sellBase" as const },
      { pool: w.a.btcPool, side: "sellQuote" as const },
    ];
    const quote = quoteRoute(await getPoolStates([w.a.ethPool, w.a.btcPool], ethers.provider), hops, 3n * E18);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const permit = await signPermit(w.alice, w.a.weth, w.router, quote.amountIn, deadline);
    const before = await w.wbtc.balanceOf(w.alice.address);
    await send(
      w.alice,
      buildSwapFromQuote({ router: w.router, quote, slippageBps: 0, recipient: w.alice.address, deadline, permit }).tx,
    );
    expect((await w.wbtc.balanceOf(w.alice.address)) - before).to.equal(quote.amountOut);
    await routerEmpty(w);
  });

  it("a permit front-run by someone else does not block the swap (the allowance is already there)", async function () {
    const w = await loadWorld();
    const quote = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", E18);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const permit = await signPermit(w.alice, w.a.weth, w.router, quote.amountIn, deadline);
    // carol sees the permit in the mempool and submits it first
    await w.weth
      .connect(w.carol)
      .permit(w.alice.address, w.router, permit.value, deadline, permit.v, permit.r, permit.s);
    const before = await w.usdc.balanceOf(w.alice.address);
    await send(
      w.alice,
      buildSwapFromQuote({ router: w.router, quote, slippageBps: 0, recipient: w.alice.address, deadline, permit }).tx,
    );
    expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(quote.amountOut);
  });

  it("a permit signed by someone else grants nothing: the transfer fails with the token's allowance error", async function () {
    const w = await loadWorld();
    const quote = quoteExactIn(await getPoolState(w.a.ethPool, ethers.provider), "sellBase", E18);
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const forged = await signPermit(w.carol, w.a.weth, w.router, quote.amountIn, deadline); // carol's, not alice's
    const built = buildSwapFromQuote({
      router: w.router,
      quote,
      slippageBps: 0,
      recipient: w.alice.address,
      deadline,
      permit: forged,
    });
    const err = await expectSkewError(send(w.alice, built.tx), SkewContractError);
    expect(err.errorName).to.equal("ERC20InsufficientAllowance");
    expect(err.message).to.contain("ERC20InsufficientAllowance");
  });

  it("with a permit, an empty route is still InvalidPath(0) and an unknown first pool UnknownPool", async function () {
    const w = await loadWorld();
    const deadline = await deadlineFromNow(ethers.provider, 600);
    const permit = await signPermit(w.alice, w.a.weth, w.router, E18, deadline);
    const common = { router: w.router, recipient: w.alice.address, deadline, permit };
    const emptyIn = buildSwapExactIn({ ...common, path: [], amountIn: E18, minAmountOut: 0n });
    expect((await expectSkewError(send(w.alice, emptyIn), InvalidPathError)).hop).to.equal(0);
    const emptyOut = buildSwapExactOut({ ...common, path: [], amountOut: E6, maxAmountIn: E18 });
    expect((await expectSkewError(send(w.alice, emptyOut), InvalidPathError)).hop).to.equal(0);
    const unknown = buildSwapExactIn({
      ...common,
      path: [{ pool: w.a.weth, side: "sellBase" }],
      amountIn: E18,
      minAmountOut: 0n,
    });
    expect((await expectSkewError(send(w.alice, unknown), UnknownPoolError)).pool).to.equal(w.a.weth);
    expect(await w.weth.nonces(w.alice.address)).to.equal(0n); // the permit was never used
  });
});
