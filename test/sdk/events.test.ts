import { expect } from "chai";
import { ethers, network } from "hardhat";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
import { BrowserProvider, MaxUint256 } from "ethers";
import type { Provider } from "ethers";
import { onSwap, parseSwaps } from "../../sdk/events";
import type { SwapEvent } from "../../sdk/events";
import { approveAll, E18, E6, loadWorld } from "../helpers/sdkFixture";
import type { World } from "../helpers/sdkFixture";

/** Waits until `done()`, mining a block now and then (as a live chain would), or fails after `ms`. */
async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) throw new Error("timed out waiting for events");
    await new Promise((r) => setTimeout(r, 50));
    await mine(1);
  }
}

async function swapBoth(w: World) {
  const router = w.core.router.connect(w.alice);
  const r1 = await (
    await router.swapExactIn([{ pool: w.a.ethPool, side: 0 }], 2n * E18, 0n, w.carol.address, MaxUint256)
  ).wait();
  const r2 = await (
    await router.swapExactIn([{ pool: w.a.btcPool, side: 1 }], 9_000n * E6, 0n, w.alice.address, MaxUint256)
  ).wait();
  const r3 = await (
    await router.swapExactIn([{ pool: w.a.ethPool, side: 1 }], 1_000n * E6, 0n, w.alice.address, MaxUint256)
  ).wait();
  return [r1!, r2!, r3!];
}

describe("SDK events", function () {
  const providers: [string, () => Provider][] = [
    ["Hardhat's provider", () => ethers.provider],
    [
      "a polling JSON-RPC provider",
      () => {
        const p = new BrowserProvider(network.provider);
        p.pollingInterval = 20;
        return p;
      },
    ],
  ];

  for (const [label, makeProvider] of providers) {
    it(`onSwap delivers one pool's decoded swaps until unsubscribed (${label})`, async function () {
      const w = await loadWorld();
      await approveAll(w);
      const provider = makeProvider();
      const seen: SwapEvent[] = [];
      const unsubscribe = await onSwap(w.a.ethPool, provider, (e) => seen.push(e));
      const [r1, , r3] = await swapBoth(w);
      await until(() => seen.length >= 2);
      expect(seen.map((e) => e.transactionHash)).to.deep.equal([r1.hash, r3.hash]); // not the WBTC pool's swap
      const [a, b] = seen;
      expect(a.pool).to.equal(w.a.ethPool);
      expect([a.side, a.sender, a.recipient, a.amountIn]).to.deep.equal([
        "sellBase",
        w.router,
        w.carol.address,
        2n * E18,
      ]);
      expect([b.side, b.recipient, b.amountIn]).to.deep.equal(["sellQuote", w.alice.address, 1_000n * E6]);
      // the event's output is what carol received
      expect(a.amountOut).to.equal((await w.usdc.balanceOf(w.carol.address)) - 100_000_000n * E6);
      expect(a.blockNumber).to.equal(r1.blockNumber);
      await unsubscribe();
      await swapBoth(w);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.length).to.equal(2);
    });
  }

  it("onSwap with fromBlock replays earlier swaps first, in chain order", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const from = (await ethers.provider.getBlockNumber()) + 1;
    const receipts = await swapBoth(w);
    const seen: SwapEvent[] = [];
    const unsubscribe = await onSwap(w.a.ethPool, ethers.provider, (e) => seen.push(e), { fromBlock: from });
    await until(() => seen.length >= 2);
    await unsubscribe();
    expect(seen.map((e) => e.transactionHash)).to.deep.equal([receipts[0].hash, receipts[2].hash]);
  });

  it("parseSwaps reads every hop of a multi-hop receipt in order", async function () {
    const w = await loadWorld();
    await approveAll(w);
    const router = w.core.router.connect(w.alice);
    const path = [
      { pool: w.a.ethPool, side: 0 },
      { pool: w.a.btcPool, side: 1 },
    ];
    const receipt = await (await router.swapExactIn(path, E18, 0n, w.alice.address, MaxUint256)).wait();
    const swaps = parseSwaps(receipt!.logs);
    expect(swaps.map((s) => [s.pool, s.side])).to.deep.equal([
      [w.a.ethPool, "sellBase"],
      [w.a.btcPool, "sellQuote"],
    ]);
    expect(swaps[1].amountIn).to.equal(swaps[0].amountOut); // the first pool paid the second
    expect(swaps[0].recipient).to.equal(w.a.btcPool);
    expect(swaps[1].feePips).to.equal(500n);
  });
});
