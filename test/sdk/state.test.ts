import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { BrowserProvider } from "ethers";
import { getPoolState, getPoolStates, lensCallRequest } from "../../sdk/state";
import { Region } from "../../sdk/math";
import { SkewContractError } from "../../sdk/errors";
import { createSeededPool, deployFeed, deployToken } from "../helpers/sdkEnv";
import { approveAll, E18, E6, E8, expectSkewError, loadWorld, world } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

/** An ethers provider over the Hardhat network that records every JSON-RPC request it makes. */
function countingProvider() {
  const methods: string[] = [];
  const eip1193 = {
    request: async (args: { method: string; params?: unknown[] | Record<string, unknown> }) => {
      methods.push(args.method);
      return network.provider.request({ method: args.method, params: args.params as unknown[] });
    },
  };
  const provider = new BrowserProvider(eip1193, 31337, { staticNetwork: true, cacheTimeout: -1 });
  return { provider, methods };
}

/**
 * The world plus 22 more pools (24 in all: more than the 18 states that would fit in creation
 * return data under EIP-170), each with its own tokens and feed.
 */
async function manyPools(): Promise<World & { pools: string[] }> {
  const w = await world();
  const pools = [w.a.ethPool, w.a.btcPool];
  for (let i = 0; i < 22; i++) {
    const base = await deployToken(w.admin, `T${i}`, [6, 8, 18][i % 3]);
    const quote = await deployToken(w.admin, `U${i}`, [18, 6, 8][i % 3]);
    const feed = await deployFeed(w.admin, 8, BigInt(i + 1) * E8);
    const pool = await createSeededPool(
      w.core,
      w.admin,
      { base: await base.getAddress(), quote: await quote.getAddress(), feed: await feed.getAddress() },
      {
        baseAmount: 1000n * 10n ** (await base.decimals()),
        quoteAmount: 1000n * 10n ** (await quote.decimals()),
        to: w.bob.address,
      },
    );
    pools.push(await pool.getAddress());
  }
  return { ...w, pools };
}

describe("SDK state loading", function () {
  it("getPoolState makes exactly one RPC request, an eth_call", async function () {
    const w = await loadWorld();
    const { provider, methods } = countingProvider();
    await getPoolState(w.a.ethPool, provider);
    expect(methods).to.deep.equal(["eth_call"]);
  });

  it("getPoolStates reads 24 pools in one eth_call without deploying anything", async function () {
    const w = await loadFixture(manyPools);
    const { provider, methods } = countingProvider();
    const nonce = await ethers.provider.getTransactionCount(w.admin.address);
    const blockBefore = await ethers.provider.getBlockNumber();
    const states = await getPoolStates(w.pools, provider);
    expect(methods).to.deep.equal(["eth_call"]);
    expect(states.map((s) => s.address)).to.deep.equal(w.pools);
    expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    expect(await ethers.provider.getTransactionCount(w.admin.address)).to.equal(nonce);
    // the lens request has no `to`: it is creation code plus arguments
    expect(lensCallRequest(w.pools)).to.not.have.property("to");
    // and each batched snapshot equals the single-pool read at the same block
    for (let i = 0; i < w.pools.length; i++) {
      expect(states[i]).to.deep.equal(await getPoolState(w.pools[i], ethers.provider));
    }
    // 14 states (with their oracle views) fit in creation return data (EIP-170); 15 come back as revert
    // data: same result
    expect(await getPoolStates(w.pools.slice(0, 14), provider)).to.deep.equal(states.slice(0, 14));
    expect(await getPoolStates(w.pools.slice(0, 15), provider)).to.deep.equal(states.slice(0, 15));
    expect(await getPoolStates([], provider)).to.deep.equal([]);
  });

  it("the snapshot matches the contracts' own getters, the tokens, and the feed", async function () {
    const w = await loadWorld();
    await approveAll(w);
    // move the pool into region A: buy base
    await w.usdc.connect(w.alice).transfer(w.a.ethPool, 600_000n * E6);
    await w.ethPool.connect(w.alice).swap(1, 0n, w.alice.address, ethers.MaxUint256);
    const s = await getPoolState(w.a.ethPool, ethers.provider);
    const raw = await w.ethPool.getState();
    const latest = await ethers.provider.getBlock("latest");
    expect(s.address).to.equal(w.a.ethPool);
    expect([s.base, s.quote, s.feed]).to.deep.equal([w.a.weth, w.a.usdc, await w.ethFeed.getAddress()]);
    expect([s.baseDecimals, s.quoteDecimals, s.feedDecimals]).to.deep.equal([18, 6, 8]);
    expect([s.math.baseScale, s.math.quoteScale]).to.deep.equal([1n, 10n ** 12n]);
    expect(s.math.price).to.deep.equal({ num: 3000n * E8, den: E8 });
    expect(s.math.region).to.equal(Region.A);
    expect([s.math.baseReserve, s.math.quoteReserve, s.math.baseTarget, s.math.quoteTarget]).to.deep.equal([
      raw.baseReserve,
      raw.quoteReserve,
      raw.baseTarget,
      raw.quoteTarget,
    ]);
    expect(s.math.baseReserve < 1000n * E18).to.equal(true);
    expect(s.params).to.deep.equal({ k: E18 / 2n, baseFee: 500n, maxFee: 10_000n, tau: E18 / 10n });
    expect([s.math.k, s.math.baseFee, s.math.maxFee, s.math.tau]).to.deep.equal([E18 / 2n, 500n, 10_000n, E18 / 10n]);
    expect(s.totalSupply).to.equal(await w.ethPool.totalSupply());
    expect(s.paused).to.equal(false);
    expect(s.oracle.ok).to.equal(true);
    const round = await w.ethFeed.latestRoundData();
    expect(s.oracle.updatedAt).to.equal(round[3]);
    expect(s.blockTimestamp).to.equal(BigInt(latest!.timestamp));
    expect(s.bounds.kMax).to.equal(E18);
    expect(s.steps.k).to.equal(E18);
    expect(s.protocolFees).to.deep.equal({ base: 0n, quote: 0n });

    await w.ethPool.connect(w.admin).pause();
    expect((await getPoolState(w.a.ethPool, ethers.provider)).paused).to.equal(true);
  });

  it("reads at a past block with blockTag", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const block = await ethers.provider.getBlockNumber();
    const then = await getPoolState(w.a.ethPool, ethers.provider);
    await w.weth.connect(w.alice).transfer(w.a.ethPool, E18);
    await w.ethPool.connect(w.alice).swap(0, 0n, w.alice.address, ethers.MaxUint256);
    await mine(3);
    await time.increase(100);
    const now = await getPoolState(w.a.ethPool, ethers.provider);
    expect(now.math.baseReserve).to.equal(then.math.baseReserve + E18);
    expect(await getPoolState(w.a.ethPool, ethers.provider, { blockTag: block })).to.deep.equal(then);
    const [past] = await getPoolStates([w.a.ethPool], ethers.provider, { blockTag: block });
    expect(past).to.deep.equal(then);
  });

  it("an address that is not a pool makes the batch fail with StateReadFailed(index, address)", async function () {
    const w = await loadWorld();
    for (const bad of [w.carol.address, w.a.weth]) {
      const err = await expectSkewError(getPoolStates([w.a.ethPool, bad], ethers.provider), SkewContractError);
      expect(err.errorName).to.equal("StateReadFailed");
      expect(err.args).to.deep.equal([1n, bad]);
    }
  });
});
