import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { KeeperRunner } from "../../keeper/runner";
import type { PoolTickResult } from "../../keeper/runner";
import { PRICE } from "../pool/fixtures";
import { FlakyEip1193, hardhatWallet, plainProvider, TEST_POLICY } from "../keeper/runnerHelpers";
import { guardedPoolFixture, MAX_MOVE, movedBy } from "./fixtures";

describe("keeper: a tripped circuit breaker is its own skip reason", function () {
  this.timeout(60_000);

  it("skips a pool whose oracle's breaker tripped as circuit-breaker, sends nothing, and resumes once cleared", async function () {
    const ctx = await loadFixture(guardedPoolFixture);
    const provider = plainProvider(new FlakyEip1193());
    try {
      const runner = new KeeperRunner({
        provider,
        signer: hardhatWallet(1, provider), // the fixture's keeper
        pools: [await ctx.pool.getAddress()],
        intervalMs: 1_000,
        txTimeoutMs: 5_000,
        confirmPollMs: 20,
        policy: TEST_POLICY,
      });
      const tick = async (): Promise<PoolTickResult> => (await runner.tick()).pools[0];
      const reason = (r: PoolTickResult) => (r.status === "skipped" ? r.reason : r.status);

      const before = await tick();
      expect(reason(before)).to.not.equal("circuit-breaker");

      await ctx.aggregator.setAnswer(movedBy(PRICE, 3n * MAX_MOVE));
      const nonce = await provider.getTransactionCount(ctx.keeper.address);
      const tripped = await tick();
      expect(reason(tripped)).to.equal("circuit-breaker");
      expect(await provider.getTransactionCount(ctx.keeper.address)).to.equal(nonce);

      const [roundId] = await ctx.feed.latestRoundData();
      await ctx.oracle.connect(ctx.guardian).clearBreaker(roundId);
      const cleared = await tick();
      expect(reason(cleared)).to.not.equal("circuit-breaker");
      expect(reason(cleared)).to.not.equal("oracle-unavailable");
    } finally {
      provider.destroy();
    }
  });
});
