import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Transaction } from "ethers";
import type { BrowserProvider } from "ethers";
import { FleetChainReader, readPoolStates } from "../../keeper/chain";
import { KeeperMetrics, startMetricsServer } from "../../keeper/metrics";
import { backoffDelay, KeeperRunner, KeeperStartupError } from "../../keeper/runner";
import type { PoolTickResult, RunnerOptions, TickResult } from "../../keeper/runner";
import type { Decision } from "../../keeper/types";
import { runCli } from "../../keeper/cli";
import type { CliDeps } from "../../keeper/cli";
import { WAD } from "../pool/fixtures";
import {
  aliceSwaps,
  calmHistory,
  CALM_MOVE,
  CALM_PARAMS,
  FakeClock,
  FlakyEip1193,
  hardhatWallet,
  HOUR,
  keeperPoolFixture,
  keeperUpdates,
  MemoryLog,
  plainProvider,
  TEST_POLICY,
  TEST_POLICY_JSON,
  volatileWalk,
  writeRounds,
} from "./runnerHelpers";
import type { KeeperCtx } from "./runnerHelpers";

/**
 * The keeper runner and CLI on the in-process Hardhat network, driven as a library with a plain-ethers
 * provider (through a recording, failure-injecting EIP-1193 wrapper), local-signing wallets, a fake
 * clock and an in-memory log. The pool starts at the default policy's calm equilibrium (CALM_PARAMS);
 * its min interval is one hour and the steps are k 0.1, baseFee 1,000, maxFee 10,000, tau 0.1.
 */
describe("keeper runner", function () {
  this.timeout(60_000); // a hung wait (a missing timeout) fails instead of stalling the suite
  let ctx: KeeperCtx;
  let eip: FlakyEip1193;
  let provider: BrowserProvider;
  const providers: BrowserProvider[] = [];

  /** A fresh plain-ethers provider over its own recording wrapper. */
  function newProvider(): { eip: FlakyEip1193; provider: BrowserProvider } {
    const e = new FlakyEip1193();
    const p = plainProvider(e);
    providers.push(p);
    return { eip: e, provider: p };
  }

  /** A runner for the fixture's pool with the keeper's key (account #1) unless overridden. */
  function makeRunner(overrides: Partial<RunnerOptions> = {}, p: BrowserProvider = provider): KeeperRunner {
    return new KeeperRunner({
      provider: p,
      signer: hardhatWallet(1, p),
      pools: [ctx.poolAddress],
      intervalMs: 1_000,
      txTimeoutMs: 5_000,
      confirmPollMs: 20,
      policy: TEST_POLICY,
      ...overrides,
    });
  }

  /** The pool's parameters now. */
  async function onChainParams(): Promise<{ k: bigint; baseFee: bigint; maxFee: bigint; tau: bigint }> {
    const s = await ctx.pool.getState();
    return { k: s.params.k, baseFee: s.params.baseFee, maxFee: s.params.maxFee, tau: s.params.tau };
  }

  /** Nonce of the keeper's account (mined transactions). */
  async function keeperNonce(): Promise<number> {
    return ethers.provider.getTransactionCount(ctx.keeper.address, "latest");
  }

  /** One tick of a single-pool runner: that pool's result. */
  async function tickOne(runner: KeeperRunner): Promise<PoolTickResult> {
    const fleet = await runner.tick();
    expect(fleet.pools).to.have.length(1);
    return fleet.pools[0];
  }

  /** The policy's decision behind a result, if any. */
  function decisionOf(r: TickResult): Decision | undefined {
    return "decision" in r ? r.decision : undefined;
  }

  function expectStatus(r: TickResult, status: TickResult["status"], reason?: string): void {
    expect(
      r.status,
      JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    ).to.equal(status);
    if (reason !== undefined) expect(r.status === "skipped" ? r.reason : undefined).to.equal(reason);
  }

  beforeEach(async function () {
    ctx = await loadFixture(keeperPoolFixture);
    ({ eip, provider } = newProvider());
  });

  afterEach(async function () {
    await network.provider.send("evm_setAutomine", [true]);
    for (const p of providers.splice(0)) p.destroy();
  });

  it("uses Hardhat's account #1 as the fixture's keeper (the CLI's localhost default)", async function () {
    expect(hardhatWallet(1, provider).address).to.equal(ctx.keeper.address);
  });

  describe("deciding and updating", function () {
    it("stays put in a calm market and raises k when the feed turns volatile", async function () {
      await calmHistory(ctx);
      const log = new MemoryLog();
      const runner = makeRunner({ logger: log.logger() });
      const nonce0 = await keeperNonce();

      const calm = await tickOne(runner);
      expectStatus(calm, "skipped", "within-band");
      expect(await onChainParams()).to.deep.equal(CALM_PARAMS);
      const calmSigma = decisionOf(calm)?.metrics.sigma ?? 0;
      expect(calmSigma).to.be.greaterThan(0.05).and.lessThan(0.2);

      await volatileWalk(ctx);
      const wild = await tickOne(runner);
      expectStatus(wild, "updated");
      if (wild.status !== "updated") return;
      expect(wild.decision.metrics.sigma).to.be.greaterThan(5 * calmSigma);
      const after = await onChainParams();
      expect(after).to.deep.equal(wild.decision.next);
      // k rises by one full step (its target saturates), the base fee by one step toward its target.
      expect(after.k).to.equal(CALM_PARAMS.k + WAD / 10n);
      expect(after.baseFee).to.equal(CALM_PARAMS.baseFee + 1_000n);
      expect(after.maxFee).to.be.greaterThan(CALM_PARAMS.maxFee);
      expect(await keeperNonce()).to.equal(nonce0 + 1);
      expect(await keeperUpdates(ctx)).to.equal(1);

      // One JSON decision line per tick, with inputs, measurements, decision and outcome.
      const lines = log.events("decision");
      expect(lines).to.have.length(2);
      const last = lines[1] as {
        inputs: { rounds: { count: number }; current: Record<string, string>; bounds: unknown };
        metrics: { sigma: number };
        decision: { send: boolean; next: Record<string, string> };
        outcome: { status: string; txHash: string };
      };
      expect(last.inputs.rounds.count).to.be.greaterThan(40);
      expect(last.inputs.current.k).to.equal(CALM_PARAMS.k.toString()); // bigints as strings
      expect(last.inputs.bounds).to.be.an("object");
      expect(last.metrics.sigma).to.equal(wild.decision.metrics.sigma);
      expect(last.decision.send).to.equal(true);
      expect(last.decision.next.k).to.equal(after.k.toString());
      expect(last.outcome.status).to.equal("updated");
      expect(last.outcome.txHash).to.equal(wild.txHash);
      expect(log.events("tx-sent")).to.have.length(1);
    });

    it("skips inside the hysteresis band: small feed moves send nothing", async function () {
      await calmHistory(ctx);
      const runner = makeRunner();
      const nonce0 = await keeperNonce();
      for (let i = 0; i < 3; i++) {
        await writeRounds(ctx, 2, 600, CALM_MOVE / 2);
        expectStatus(await tickOne(runner), "skipped", "within-band");
      }
      expect(await keeperNonce()).to.equal(nonce0);
      expect(await onChainParams()).to.deep.equal(CALM_PARAMS);
      expect(await runner.metrics.value("skew_keeper_decisions_total", { reason: "within-band" })).to.equal(3);
    });

    it("reads one-sided swap flow: tau falls and the max fee rises", async function () {
      await calmHistory(ctx);
      const runner = makeRunner();
      expectStatus(await tickOne(runner), "skipped", "within-band");
      for (let i = 0; i < 4; i++) await aliceSwaps(ctx, true, WAD); // sell 1 WETH, four times
      await writeRounds(ctx, 1, 60, CALM_MOVE); // keep the feed fresh
      const r = await tickOne(runner);
      expectStatus(r, "updated");
      if (r.status !== "updated") return;
      expect(r.decision.metrics.flow).to.equal(1);
      const after = await onChainParams();
      expect(after.tau).to.be.lessThan(CALM_PARAMS.tau);
      expect(after.maxFee).to.be.greaterThan(CALM_PARAMS.maxFee);
      // The pool is away from equilibrium, so the new k is queued (issue 10); fees and tau apply at once.
      const s = await ctx.pool.getState();
      expect(s.kPending ? s.pendingK : after.k).to.be.greaterThan(CALM_PARAMS.k);
    });

    it("respects the pool's min interval, then updates again once it has passed", async function () {
      await calmHistory(ctx);
      const runner = makeRunner();
      await volatileWalk(ctx);
      const first = await tickOne(runner);
      expectStatus(first, "updated");
      const nonce1 = await keeperNonce();
      const lastUpdate = Number((await ctx.pool.getState()).lastParamsUpdate);

      await volatileWalk(ctx, 3, 300); // 15 minutes later, still volatile
      const early = await tickOne(runner);
      expectStatus(early, "skipped", "too-soon");
      expect(decisionOf(early)?.next.k).to.be.greaterThan((await onChainParams()).k); // it does want to move
      expect(await keeperNonce()).to.equal(nonce1);

      await time.increase(HOUR);
      await volatileWalk(ctx, 1, 60);
      const later = await tickOne(runner);
      expectStatus(later, "updated");
      const s = await ctx.pool.getState();
      expect(Number(s.lastParamsUpdate)).to.be.at.least(lastUpdate + HOUR);
      expect(s.params.k).to.equal(CALM_PARAMS.k + 2n * (WAD / 10n));
      expect(await keeperUpdates(ctx)).to.equal(2);
    });

    it("skips while the oracle is unusable", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      await time.increase(2 * HOUR); // older than the pool's max age (1 h)
      const runner = makeRunner();
      expectStatus(await tickOne(runner), "skipped", "oracle-unavailable");
      expect(await keeperUpdates(ctx)).to.equal(0);
    });

    it("dry run decides but sends nothing", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      const log = new MemoryLog();
      const runner = makeRunner({ dryRun: true, logger: log.logger() });
      const nonce0 = await keeperNonce();
      const r = await tickOne(runner);
      expectStatus(r, "skipped", "dry-run");
      expect(decisionOf(r)?.send).to.equal(true);
      expect(eip.callsOf("eth_sendRawTransaction")).to.have.length(0);
      expect(await keeperNonce()).to.equal(nonce0);
      expect(await onChainParams()).to.deep.equal(CALM_PARAMS);
      expect((log.events("decision")[0] as { dryRun: boolean }).dryRun).to.equal(true);
      expect(r.status === "skipped" ? r.detail?.simulation : undefined).to.equal("ok"); // it would pass
      expect(await runner.metrics.value("skew_keeper_decisions_total", { reason: "dry-run" })).to.equal(1);
    });

    it("skips when the gas price is above the cap", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      const runner = makeRunner({ gasPriceCap: 1n });
      const r = await tickOne(runner);
      expectStatus(r, "skipped", "gas-price-cap");
      expect(eip.callsOf("eth_sendRawTransaction")).to.have.length(0);
      // Under a generous cap it sends, with maxFeePerGas capped.
      const cap = 10n ** 12n;
      const ok = await tickOne(makeRunner({ gasPriceCap: cap }));
      expectStatus(ok, "updated");
      if (ok.status !== "updated") return;
      const tx = await ethers.provider.getTransaction(ok.txHash);
      expect(tx?.maxFeePerGas ?? 0n).to.be.at.most(cap);
    });

    it("simulates before sending: a call that would revert is not sent", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      const role = await ctx.pool.KEEPER_ROLE();
      const runner = makeRunner({
        // The admin revokes the keeper between the decision and the send.
        beforeApply: async () => {
          await ctx.pool.connect(ctx.admin).revokeRole(role, ctx.keeper.address);
        },
      });
      const nonce0 = await keeperNonce();
      const r = await tickOne(runner);
      expectStatus(r, "skipped", "simulation-reverted");
      expect(r.status === "skipped" ? String(r.detail?.revert) : "").to.match(/^AccessControlUnauthorizedAccount/);
      expect(await keeperNonce()).to.equal(nonce0);
    });
  });

  describe("never applying a decision twice", function () {
    it("drops a decision when the chain moved between the read and the send", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      await ctx.pool.connect(ctx.admin).setMinInterval(0); // only the runner's re-read can stop a repeat
      const runner = makeRunner({
        // Another instance applies the very same decision first.
        beforeApply: async (decisions) => {
          const d = decisions.get(ctx.poolAddress);
          if (d === undefined) throw new Error("no decision for the pool");
          await ctx.pool
            .connect(ctx.keeper)
            .setParams(d.next.k, d.next.baseFee, d.next.maxFee, d.next.tau, 5n * 10n ** 16n);
        },
      });
      const r = await tickOne(runner);
      expectStatus(r, "skipped", "stale-decision");
      expect(r.status === "skipped" ? r.detail?.alreadyApplied : undefined).to.equal(true);
      expect(await keeperUpdates(ctx)).to.equal(1);
    });

    it("does not resend a k the pool has queued until equilibrium", async function () {
      await calmHistory(ctx);
      await aliceSwaps(ctx, true, 10n ** 18n); // the pool leaves equilibrium: a new k will be queued
      await volatileWalk(ctx);
      await ctx.pool.connect(ctx.admin).setMinInterval(0); // only the queue can stop a repeat
      const runner = makeRunner();
      const first = await tickOne(runner);
      expectStatus(first, "updated");
      const state = await ctx.pool.getState();
      expect(state.kPending).to.equal(true);
      expect(state.params.k).to.equal(CALM_PARAMS.k); // still the old k in force
      // Freeze the fees and tau (zero steps): the only change the policy still wants is the queued k.
      const kStep = (await ctx.pool.getState()).steps.k;
      await ctx.pool.connect(ctx.admin).setSteps({ k: kStep, baseFee: 0n, maxFee: 0n, tau: 0n });
      const again = await tickOne(runner);
      expectStatus(again, "skipped", "k-queued");
      expect(decisionOf(again)?.next.k).to.equal(state.pendingK);
      expect(await keeperUpdates(ctx)).to.equal(1);
      expect(await runner.metrics.value("skew_keeper_k_change_queued", {})).to.equal(1);
    });

    it("a restart while the update is pending does not send it again", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      await ctx.pool.connect(ctx.admin).setMinInterval(0); // the pool would accept a duplicate
      const fromBlock = await ethers.provider.getBlockNumber();
      await network.provider.send("evm_setAutomine", [false]);

      // Instance A sends and "crashes" before the confirmation (its wait times out).
      const a = makeRunner({ txTimeoutMs: 300 });
      const sent = await tickOne(a);
      expectStatus(sent, "tx-pending");
      expect(await a.metrics.value("skew_keeper_transactions_total", { outcome: "timeout" })).to.equal(1);

      // Instance B starts from scratch (new provider, wallet, caches) while A's transaction is pending.
      const b = newProvider();
      const runnerB = makeRunner({}, b.provider);
      const waiting = await tickOne(runnerB);
      expectStatus(waiting, "skipped", "pending-tx");
      expect(b.eip.callsOf("eth_sendRawTransaction")).to.have.length(0);

      // A's transaction lands; B re-reads and sees it applied.
      await network.provider.send("evm_mine", []);
      await network.provider.send("evm_setAutomine", [true]);
      expect(await keeperUpdates(ctx, fromBlock)).to.equal(1);
      if (sent.status !== "tx-pending") return;
      expect(await onChainParams()).to.deep.equal(sent.decision.next);
      // B's next decision starts from the applied parameters (one more step), never repeats A's.
      const afterRestart = await tickOne(runnerB);
      expect(decisionOf(afterRestart)?.next.k).to.be.greaterThan(sent.decision.next.k);
    });

    it("a crash after sending (confirmation lost) is followed by a fresh read, not a resend", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      const a = makeRunner();
      // The receipt never comes back: the tick fails after the broadcast, like a crashed process.
      const origRequest = eip.request.bind(eip);
      eip.request = async (req) => {
        if (req.method === "eth_getTransactionReceipt")
          throw Object.assign(new Error("socket hang up"), { code: -32603 });
        return origRequest(req);
      };
      let crashed = false;
      try {
        await tickOne(a);
      } catch {
        crashed = true;
      }
      expect(crashed).to.equal(true);
      expect(await keeperUpdates(ctx)).to.equal(1); // the transaction itself went through

      const b = newProvider();
      const r = await tickOne(makeRunner({}, b.provider));
      expectStatus(r, "skipped", "too-soon");
      expect(b.eip.callsOf("eth_sendRawTransaction")).to.have.length(0);
      expect(await keeperUpdates(ctx)).to.equal(1);
    });
  });

  describe("dropped and replaced transactions", function () {
    /** Resolves with the runner's signed update once it reached the node (automine off). */
    async function sentUpdate(e: FlakyEip1193): Promise<Transaction> {
      for (let i = 0; i < 500; i++) {
        const raw = e.callsOf("eth_sendRawTransaction")[0];
        if (raw !== undefined) return Transaction.from(raw.params[0] as string);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("the runner sent nothing");
    }

    /** Sends a replacement of `tx` (same nonce, double fees) from the keeper's account. */
    async function replace(tx: Transaction, call: { to: string; data: string }): Promise<void> {
      await ctx.keeper.sendTransaction({
        ...call,
        nonce: tx.nonce,
        gasLimit: tx.gasLimit,
        maxFeePerGas: (tx.maxFeePerGas ?? 0n) * 2n,
        maxPriorityFeePerGas: (tx.maxPriorityFeePerGas ?? 0n) * 2n,
      });
    }

    /**
     * Mines a block every 20 ms until `p` settles, like a live chain (a single mined block can land
     * before ethers starts polling for blocks, and a real chain never stops producing them).
     */
    async function mineUntil<T>(p: Promise<T>): Promise<T> {
      let done = false;
      const settled = p.finally(() => (done = true));
      while (!done) {
        await network.provider.send("evm_mine", []);
        await Promise.race([settled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 20))]);
      }
      return settled;
    }

    beforeEach(async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      await network.provider.send("evm_setAutomine", [false]);
    });

    it("a transaction cancelled outside the keeper is reported, and the next tick re-reads and sends afresh", async function () {
      const runner = makeRunner({ txTimeoutMs: 20_000 });
      const pending = tickOne(runner);
      const tx = await sentUpdate(eip);
      await replace(tx, { to: ctx.keeper.address, data: "0x" }); // a wallet's "cancel"
      const r = await mineUntil(pending);
      expectStatus(r, "tx-failed");
      expect(r.status === "tx-failed" ? r.detail.outcome : undefined).to.equal("replaced-externally");
      expect(await keeperUpdates(ctx)).to.equal(0);
      expect(await runner.metrics.value("skew_keeper_errors_total", { kind: "tx" })).to.equal(1);

      await network.provider.send("evm_setAutomine", [true]);
      expectStatus(await tickOne(runner), "updated");
      expect(await keeperUpdates(ctx)).to.equal(1);
    });

    it("a transaction repriced outside the keeper (same call) lands once and is never sent again", async function () {
      const runner = makeRunner({ txTimeoutMs: 20_000 });
      const pending = tickOne(runner);
      const tx = await sentUpdate(eip);
      await replace(tx, { to: ctx.poolAddress, data: tx.data });
      const r = await mineUntil(pending);
      expectStatus(r, "tx-failed"); // the keeper's own hashes were not mined
      if (r.status !== "tx-failed") return;
      expect(await onChainParams()).to.deep.equal(r.decision.next); // but the same call was
      expect(await keeperUpdates(ctx)).to.equal(1);
      await network.provider.send("evm_setAutomine", [true]);
      expectStatus(await tickOne(runner), "skipped", "too-soon");
      expect(eip.callsOf("eth_sendRawTransaction")).to.have.length(1);
    });

    it("a dropped update is re-broadcast at the same nonce with bumped fees, and lands once", async function () {
      const runner = makeRunner({ txTimeoutMs: 300, bumpAfterMs: 0 });
      const pending = tickOne(runner);
      const tx = await sentUpdate(eip);
      expect(await network.provider.send("hardhat_dropTransaction", [tx.hash])).to.equal(true);
      expectStatus(await pending, "tx-pending");
      expect(await runner.metrics.value("skew_keeper_pending_transactions")).to.equal(1);
      await network.provider.send("evm_setAutomine", [true]);
      const fleet = await runner.tick();
      expect(fleet.replacements).to.have.length(1);
      // The replacement was mined before the decision was re-checked: the decision is dropped as stale.
      const r = fleet.pools[0];
      expectStatus(r, "skipped", "stale-decision");
      expect(r.status === "skipped" ? r.detail?.alreadyApplied : undefined).to.equal(true);
      expect(await keeperUpdates(ctx)).to.equal(1);
      const raws = eip.callsOf("eth_sendRawTransaction").map((c) => Transaction.from(c.params[0] as string));
      expect(raws).to.have.length(2);
      expect(raws[1].nonce).to.equal(raws[0].nonce);
      expect(raws[1].data).to.equal(raws[0].data);
      expect(raws[1].maxFeePerGas ?? 0n).to.be.at.least(((raws[0].maxFeePerGas ?? 0n) * 1125n) / 1000n);
      expect(await runner.metrics.value("skew_keeper_replacements_total")).to.equal(1);
      expect(await runner.metrics.value("skew_keeper_updates_total")).to.equal(1);
      expect(await runner.metrics.value("skew_keeper_pending_transactions")).to.equal(0);
    });

    it("a stuck update is replaced after the wait with ever higher fees, never above the cap", async function () {
      const fee = await ethers.provider.getFeeData();
      const cap = ((fee.maxFeePerGas ?? 0n) * 125n) / 100n; // one bump of 12.5 %, then one to the cap (+11 %)
      const clock = new FakeClock();
      const runner = makeRunner({ txTimeoutMs: 1, bumpAfterMs: 60_000, gasPriceCap: cap, clock });
      expectStatus(await tickOne(runner), "tx-pending");
      expect((await runner.tick()).replacements).to.have.length(0); // not waited long enough
      const fees: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        await clock.sleep(60_000);
        const done = (await runner.tick()).replacements;
        expect(done).to.have.length(1);
        fees.push(done[0].fees.maxFeePerGas);
      }
      expect(fees[0]).to.be.greaterThan(fee.maxFeePerGas ?? 0n);
      expect(fees[1]).to.equal(cap);
      expect(fees[2]).to.equal(cap); // at the cap: the same transaction is broadcast again
      const raws = eip.callsOf("eth_sendRawTransaction").map((c) => Transaction.from(c.params[0] as string));
      expect(new Set(raws.map((t) => t.nonce)).size).to.equal(1);
      for (const t of raws) expect(t.maxFeePerGas ?? 0n).to.be.at.most(cap);
      await network.provider.send("evm_mine", []);
      await network.provider.send("evm_setAutomine", [true]);
      const after = await tickOne(runner);
      expect(after.status).to.not.equal("tx-pending");
      expect(await keeperUpdates(ctx)).to.equal(1);
      expect(await runner.metrics.value("skew_keeper_updates_total")).to.equal(1);
      expect(await runner.metrics.value("skew_keeper_replacements_total")).to.equal(2);
    });
  });

  describe("resilience", function () {
    it("recovers from RPC failures with bounded exponential backoff and keeps running", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      const log = new MemoryLog();
      let runner: KeeperRunner | undefined = undefined;
      // Four failed ticks, then a good one: stop after its sleep.
      const clock = new FakeClock((sleeps) => {
        if (sleeps.length >= 5) runner?.stop();
      });
      runner = makeRunner({
        clock,
        random: () => 1, // the most jitter: delays at (1 - 0.5) of the nominal
        backoff: { initialMs: 100, maxMs: 300, factor: 2, jitter: 0.5 },
        logger: log.logger(),
      });
      eip.failNext(4);
      await runner.run();
      expect(eip.injected).to.equal(4);
      expect(clock.sleeps.slice(0, 4)).to.deep.equal([50, 100, 150, 150]); // 100, 200, 300 (cap), 300
      expect(clock.sleeps[4]).to.equal(1_000); // back to the interval after a good tick
      expect(await runner.metrics.value("skew_keeper_errors_total", { kind: "rpc" })).to.equal(4);
      expect(await runner.metrics.value("skew_keeper_ticks_total", { outcome: "error" })).to.equal(4);
      expect(await runner.metrics.value("skew_keeper_consecutive_failures")).to.equal(0);
      expect(await runner.metrics.value("skew_keeper_updates_total")).to.equal(1);
      expect(await keeperUpdates(ctx)).to.equal(1);
      expect(log.events("tick-failed")).to.have.length(4);
      expect(runner.isRunning).to.equal(false);
    });

    it("survives failures in the middle of a tick (log queries) without losing swaps", async function () {
      await calmHistory(ctx);
      const reader = new FleetChainReader(provider, [ctx.poolAddress], { logChunkBlocks: 3 });
      const start = await ethers.provider.getBlockNumber();
      for (let i = 0; i < 5; i++) await aliceSwaps(ctx, i % 2 === 0, WAD / 10n);
      const headBlock = await ethers.provider.getBlock("latest");
      const head = { number: headBlock?.number ?? 0, hash: headBlock?.hash ?? "" };
      const snaps = await readPoolStates(provider, [ctx.poolAddress], head.number);
      // First scan (3-block chunks from 5,000 blocks back): the second eth_getLogs fails.
      eip.failNext(1, ["eth_getLogs"], 1);
      let failed = false;
      try {
        await reader.readSwaps(head, snaps);
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      const read = await reader.readSwaps(head, snaps);
      const again = await reader.readSwaps(head, snaps);
      expect(read.swaps.get(ctx.poolAddress)).to.have.length(5);
      expect(again.swaps.get(ctx.poolAddress)).to.have.length(5);
      expect(again.logCalls).to.equal(0); // nothing new to scan
      const ranges = eip.callsOf("eth_getLogs").map((c) => {
        const f = c.params[0] as { fromBlock: string; toBlock: string };
        return Number(f.toBlock) - Number(f.fromBlock) + 1;
      });
      expect(Math.max(...ranges)).to.be.at.most(3);
      expect(read.toBlock).to.equal(head.number);
      expect(start).to.be.lessThan(head.number);
    });

    it("walks the feed back within its per-tick budget and then reads only new rounds", async function () {
      await calmHistory(ctx); // 48 rounds + the constructor's
      const reader = new FleetChainReader(provider, [ctx.poolAddress], { maxRoundCallsPerTick: 10 });
      const feed = await ctx.feed.getAddress();
      const now = await time.latest();
      const first = await reader.readRounds(feed, now);
      expect(first.calls).to.equal(10);
      expect(first.rounds).to.have.length(10);
      const second = await reader.readRounds(feed, now);
      expect(second.rounds).to.have.length(19); // backfilled 9 more
      for (let i = 0; i < 5; i++) await reader.readRounds(feed, now);
      const full = await reader.readRounds(feed, now);
      expect(full.calls).to.equal(1); // nothing left to fetch: only the latest round
      expect(full.rounds.length).to.be.within(48, 49);
      const times = full.rounds.map((r) => r.updatedAt);
      expect([...times].sort((x, y) => x - y)).to.deep.equal(times);

      await writeRounds(ctx, 3, 60, CALM_MOVE);
      const next = await reader.readRounds(feed, await time.latest());
      expect(next.calls).to.equal(3); // the latest plus the two in between
      expect(next.rounds.at(-1)?.updatedAt).to.equal(Number((await ctx.feed.latestRoundData())[3]));
    });

    it("backoff delays grow, are jittered and never exceed the cap", function () {
      const o = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5 };
      expect(backoffDelay(1, o, () => 0)).to.equal(1_000);
      expect(backoffDelay(2, o, () => 0)).to.equal(2_000);
      expect(backoffDelay(3, o, () => 0.5)).to.equal(3_000);
      for (let n = 1; n < 200; n++) {
        expect(backoffDelay(n, o, Math.random)).to.be.within(0, 60_000);
      }
      expect(backoffDelay(50, o, () => 0)).to.equal(60_000);
    });
  });

  describe("refusing to start", function () {
    it("refuses a key without KEEPER_ROLE", async function () {
      const runner = makeRunner({ signer: hardhatWallet(4, provider) });
      const err = await runner.preflight().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(KeeperStartupError);
      expect((err as KeeperStartupError).code).to.equal("MISSING_KEEPER_ROLE");
      expect((err as Error).message).to.contain(hardhatWallet(4, provider).address);
    });

    it("refuses an address without code, a non-pool, a pool outside the factory and the wrong chain", async function () {
      const codes: string[] = [];
      const attempt = async (pool: string, o: { factory?: string; chainId?: number } = {}): Promise<void> => {
        const err = await makeRunner({ pools: [pool] })
          .preflight(o)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        codes.push(err instanceof KeeperStartupError ? err.code : String(err));
      };
      await attempt(ctx.other.address);
      await attempt(await ctx.weth.getAddress());
      const otherFactory = await (
        await ethers.getContractFactory("SkewFactory", { libraries: ctx.libraries })
      ).deploy(ctx.admin.address);
      await attempt(ctx.poolAddress, { factory: await otherFactory.getAddress() });
      await attempt(ctx.poolAddress, { chainId: 1 });
      expect(codes).to.deep.equal(["NO_CODE", "NOT_A_SKEW_POOL", "NOT_IN_FACTORY", "WRONG_CHAIN"]);
      const ok = await makeRunner().preflight({ factory: await ctx.factory.getAddress(), chainId: 31337 });
      expect(ok.keeper).to.equal(ctx.keeper.address);
    });
  });

  describe("metrics", function () {
    it("counts updates, skips by reason and errors, records the last update and serves them on 127.0.0.1", async function () {
      await calmHistory(ctx);
      const metrics = new KeeperMetrics();
      const runner = makeRunner({ metrics });
      await tickOne(runner); // within band
      await volatileWalk(ctx);
      await tickOne(runner); // update
      await volatileWalk(ctx, 2, 60);
      await tickOne(runner); // too soon
      expect(await metrics.value("skew_keeper_updates_total")).to.equal(1);
      expect(await metrics.value("skew_keeper_decisions_total", { reason: "within-band" })).to.equal(1);
      expect(await metrics.value("skew_keeper_decisions_total", { reason: "too-soon" })).to.equal(1);
      expect(await metrics.value("skew_keeper_transactions_total", { outcome: "sent" })).to.equal(1);
      expect(await metrics.value("skew_keeper_transactions_total", { outcome: "confirmed" })).to.equal(1);
      const lastUpdate = Number((await ctx.pool.getState()).lastParamsUpdate);
      expect(await metrics.value("skew_keeper_last_update_timestamp_seconds")).to.equal(lastUpdate);
      expect(await metrics.value("skew_keeper_pool_param", { param: "k" })).to.be.closeTo(0.15, 1e-12);
      expect(await metrics.value("skew_keeper_sigma")).to.be.greaterThan(0.5);

      const server = await startMetricsServer(metrics.registry, 0);
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
        expect(res.status).to.equal(200);
        const body = await res.text();
        expect(body).to.contain("skew_keeper_updates_total{pool=");
        expect(body).to.match(/skew_keeper_decisions_total\{[^}]*reason="too-soon"[^}]*\} 1\n/);
        expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).to.equal(404);
      } finally {
        await server.close();
      }
    });
  });

  describe("CLI", function () {
    /** A deployment record for the fixture's pool, in a temporary folder. */
    async function recordDir(networkName: string): Promise<string> {
      const dir = mkdtempSync(path.join(tmpdir(), "skew-keeper-"));
      const entry = (address: string, contract: string): Record<string, unknown> => ({
        address,
        contract,
        txHash: ethers.ZeroHash,
        block: 0,
        args: [],
      });
      const record = {
        network: networkName,
        chainId: 31337,
        commit: "test",
        compiler: { version: "0.8.30", optimizer: { enabled: true, runs: 10000 }, evmVersion: "cancun" },
        deployer: ctx.admin.address,
        contracts: { SkewFactory: entry(await ctx.factory.getAddress(), "SkewFactory") },
        pools: {
          "WETH/USDC": {
            ...entry(ctx.poolAddress, "SkewPool"),
            base: await ctx.weth.getAddress(),
            quote: await ctx.usdc.getAddress(),
            feed: await ctx.feed.getAddress(),
          },
        },
        updatedAt: new Date(0).toISOString(),
      };
      writeFileSync(path.join(dir, `${networkName}.json`), JSON.stringify(record));
      writeFileSync(path.join(dir, "policy.json"), JSON.stringify(TEST_POLICY_JSON));
      return dir;
    }

    /** CLI surroundings on the in-process chain; the signal handler is captured. */
    function deps(env: Record<string, string>, log: MemoryLog): CliDeps & { stderrLines: string[]; fire?: () => void } {
      const d: CliDeps & { stderrLines: string[]; fire?: () => void } = {
        env,
        stderrLines: [],
        stderr: (line) => d.stderrLines.push(line),
        connect: async () => newProvider().provider,
        logger: log.logger(),
        onSignal: (handler) => {
          d.fire = () => handler("SIGINT");
          return () => (d.fire = undefined);
        },
      };
      return d;
    }

    it("runs one tick by pool name with the localhost default key", async function () {
      await calmHistory(ctx);
      await volatileWalk(ctx);
      const dir = await recordDir("localhost");
      const log = new MemoryLog();
      const code = await runCli(
        [
          "--network",
          "localhost",
          "--pool",
          "WETH/USDC",
          "--once",
          "--deployments-dir",
          dir,
          "--config",
          path.join(dir, "policy.json"),
        ],
        deps({}, log),
      );
      expect(code).to.equal(0);
      expect(log.events("default-key")).to.have.length(1);
      const decision = log.events("decision")[0] as { outcome: { status: string } };
      expect(decision.outcome.status).to.equal("updated");
      expect(await keeperUpdates(ctx)).to.equal(1);
    });

    it("loops until SIGINT, finishes the tick and exits 0", async function () {
      await calmHistory(ctx);
      const dir = await recordDir("devnet");
      const log = new MemoryLog();
      const d = deps({ RPC_URL: "http://unused", KEEPER_PRIVATE_KEY: hardhatWallet(1, provider).privateKey }, log);
      const origWrite = log.write.bind(log);
      log.write = (line: string) => {
        origWrite(line);
        if (line.includes('"event":"decision"')) d.fire?.(); // signal right after the first tick
      };
      const started = Date.now();
      const code = await runCli(
        [
          "--network",
          "devnet",
          "--pool",
          ctx.poolAddress,
          "--interval",
          "30",
          "--deployments-dir",
          dir,
          "--config",
          path.join(dir, "policy.json"),
        ],
        d,
      );
      expect(code).to.equal(0);
      expect(Date.now() - started).to.be.lessThan(20_000); // woke from the 30 s sleep
      expect(log.events("decision")).to.have.length(1);
      expect(log.events("stop")).to.have.length(1);
    });

    it("refuses to start with a clear message", async function () {
      const dir = await recordDir("devnet");
      const log = new MemoryLog();
      const noRole = hardhatWallet(4, provider).privateKey;
      const cases: [string[], Record<string, string>, RegExp][] = [
        [["--network", "devnet", "--pool", "WETH/USDC"], {}, /RPC_URL is not set/],
        [["--network", "devnet", "--pool", "WETH/USDC"], { RPC_URL: "http://x" }, /KEEPER_PRIVATE_KEY is not set/],
        [
          ["--network", "devnet", "--pool", "NOPE/USD"],
          { RPC_URL: "http://x", KEEPER_PRIVATE_KEY: noRole },
          /unknown pool "NOPE\/USD"/,
        ],
        [
          ["--network", "devnet", "--pool", "WETH/USDC"],
          { RPC_URL: "http://x", KEEPER_PRIVATE_KEY: noRole },
          /lacks KEEPER_ROLE/,
        ],
        [
          ["--network", "devnet", "--pool", "WETH/USDC"],
          { RPC_URL: "http://x", KEEPER_PRIVATE_KEY: "0x1234" },
          /KEEPER_PRIVATE_KEY is not a valid/,
        ],
        [
          ["--network", "devnet", "--deployments-dir", mkdtempSync(path.join(tmpdir(), "skew-empty-"))],
          { RPC_URL: "http://x", KEEPER_PRIVATE_KEY: noRole },
          /no pools: give --pool/,
        ],
        [["--network", "devnet", "--pool", "x", "--interval", "-1"], {}, /--interval must be a positive number/],
      ];
      for (const [args, env, message] of cases) {
        const d = deps(env, log);
        const code = await runCli(["--once", "--deployments-dir", dir, ...args], d);
        expect(code, args.join(" ")).to.equal(1);
        expect(d.stderrLines.join("\n"), args.join(" ")).to.match(message);
      }
      const badConfig = path.join(dir, "bad-policy.json");
      writeFileSync(badConfig, JSON.stringify({ gamma: -1 }));
      const d = deps({ RPC_URL: "http://x", KEEPER_PRIVATE_KEY: noRole }, log);
      const args = [
        "--network",
        "devnet",
        "--pool",
        "WETH/USDC",
        "--once",
        "--config",
        badConfig,
        "--deployments-dir",
        dir,
      ];
      expect(await runCli(args, d)).to.equal(1);
      expect(d.stderrLines.join("\n")).to.match(/gamma/);
    });
  });
});
