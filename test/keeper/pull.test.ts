/** The keeper on a pull-oracle (Pyth) pool: the prices it sees are the ones the swaps brought. */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { DEFAULT_CHAIN_READER_OPTIONS, FeedRounds, readPoolStates } from "../../keeper/chain";
import { DEFAULT_POLICY_CONFIG } from "../../keeper/config";
import { decidePool } from "../../keeper/runner";
import { E8, PULL_MAX_AGE, UPDATE_FEE, ethUpdate, now, loadPythWorld } from "../helpers/pythWorld";

describe("keeper: pull-oracle pools", function () {
  it("builds the price history from the prices the swaps bring, one latestRoundData per read, no getRoundData", async function () {
    const w = await loadPythWorld();
    const rounds = new FeedRounds(w.a.oracle, ethers.provider, DEFAULT_CHAIN_READER_OPTIONS, true);
    const seen: number[] = [];
    for (const usd of [3000n, 3010n, 2990n, 3020n]) {
      await w.oracle.updatePrice([ethUpdate(usd, (await now()) + 1n)], { value: UPDATE_FEE });
      const r = await rounds.read(Number(await now()), Number(await now()) + 1);
      seen.push(r.calls);
      expect(r.rounds.at(-1)!.answer).to.equal(usd * E8);
    }
    expect(seen).to.deep.equal([1, 1, 1, 1]);
    const latest = (await w.oracle.latestPrice()).publishTime;
    const r = await rounds.read(Number(await now()), Number(latest));
    expect(r.rounds.map((x) => x.answer)).to.deep.equal(
      [3000n, 3000n, 3010n, 2990n, 3020n].slice(1).map((x) => x * E8),
    );
  });

  it("between swaps (price past the pool's max age) the pull pool still counts as priced; a push pool does not", async function () {
    const w = await loadPythWorld();
    await w.btcFeed.setAnswer(60_000n * E8);
    await time.increase(PULL_MAX_AGE * 3n);
    const [pull, push] = await readPoolStates(ethers.provider, [w.a.pullPool, w.a.pushPool]);
    expect(pull.oracleKind).to.equal("pull");
    expect(pull.oracleOk).to.equal(true);
    expect(push.oracleKind).to.equal("push");
    // The push feed is fresh (max age of a year in this world): ok too; the pull pool's own reading is stale.
    expect((await w.pullPool.getState()).oracleOk).to.equal(false);
    const rounds = { rounds: [{ answer: 3000n * E8, updatedAt: pull.oracleUpdatedAt }], calls: 1, latestRoundId: 1n };
    const d = decidePool(pull, rounds, [], DEFAULT_POLICY_CONFIG, false);
    expect(d.kind === "skip" ? d.reason : "send").to.not.equal("oracle-unavailable");
  });

  it("a pull pool whose breaker holds the price back is skipped (circuit-breaker)", async function () {
    const w = await loadPythWorld();
    await w.oracle.setMaxMove(10_000n);
    await w.oracle.updatePrice([ethUpdate(3300n, (await now()) + 1n)], { value: UPDATE_FEE }); // +10 %: trips
    const [pull] = await readPoolStates(ethers.provider, [w.a.pullPool]);
    expect(pull.oracleOk).to.equal(false);
    expect(decidePool(pull, undefined, [], DEFAULT_POLICY_CONFIG, false)).to.deep.equal({
      kind: "skip",
      reason: "circuit-breaker",
    });
  });
});
