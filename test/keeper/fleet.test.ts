import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Transaction } from "ethers";
import type { BrowserProvider } from "ethers";
import { resolveFleet, runCli } from "../../keeper/cli";
import type { CliDeps } from "../../keeper/cli";
import { healthCheck, KeeperMetrics, startMetricsServer } from "../../keeper/metrics";
import { KeeperRunner, KeeperStartupError } from "../../keeper/runner";
import type { RunnerOptions } from "../../keeper/runner";
import type { DeploymentRecord } from "../../sdk/deployments";
import { checkNetworkChainId } from "../../scripts/lib/network";
import { poolConfig, WAD } from "../pool/fixtures";
import {
  aliceSwaps,
  calmHistory,
  CALM_PARAMS,
  FakeClock,
  FlakyEip1193,
  hardhatWallet,
  keeperPoolFixture,
  MemoryLog,
  plainProvider,
  TEST_POLICY,
  volatileWalk,
} from "./runnerHelpers";
import type { KeeperCtx } from "./runnerHelpers";

interface FleetCtx extends KeeperCtx {
  /** The fixture's pool first, then two more on other base tokens (same feed and quote). */
  fleet: string[];
}

/** The runner's pool and two more pools at the calm equilibrium, all with account #1 as keeper. */
async function fleetFixture(): Promise<FleetCtx> {
  const ctx = await keeperPoolFixture();
  const fleet = [ctx.poolAddress];
  for (let i = 0; i < 2; i++) {
    const token = await ethers.deployContract("MockERC20", [`Base ${i}`, `B${i}`, 18]);
    const cfg = await poolConfig(ctx, { base: await token.getAddress(), params: CALM_PARAMS });
    fleet.push(await ctx.factory.createPool.staticCall(cfg));
    await ctx.factory.createPool(cfg);
  }
  return { ...ctx, fleet };
}

/** An EIP-1193 wrapper that can pretend the node switched to another chain. */
class SwitchingEip1193 extends FlakyEip1193 {
  chainId: string | undefined;
  override async request(req: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown> {
    if (req.method === "eth_chainId" && this.chainId !== undefined) return this.chainId;
    return super.request(req);
  }
}

/**
 * One keeper process serving several pools with one key (in-process Hardhat network, plain-ethers
 * provider through a recording wrapper): one lens call and one log query per tick for the fleet,
 * no pool held by another's transaction, resets on a rewound chain, and the fleet's metrics.
 */
describe("keeper fleet", function () {
  this.timeout(60_000);
  let ctx: FleetCtx;
  let eip: SwitchingEip1193;
  let provider: BrowserProvider;

  function makeRunner(overrides: Partial<RunnerOptions> = {}): KeeperRunner {
    return new KeeperRunner({
      provider,
      signer: hardhatWallet(1, provider),
      pools: ctx.fleet.map((address, i) => ({ name: `P${i}`, address })),
      intervalMs: 1_000,
      txTimeoutMs: 300,
      confirmPollMs: 20,
      policy: TEST_POLICY,
      ...overrides,
    });
  }

  /** eth_call requests without a `to`: the deployless lens. */
  function lensCalls(): number {
    return eip.callsOf("eth_call").filter((c) => (c.params[0] as { to?: string }).to === undefined).length;
  }

  beforeEach(async function () {
    ctx = await loadFixture(fleetFixture);
    eip = new SwitchingEip1193();
    provider = plainProvider(eip);
  });

  afterEach(async function () {
    await network.provider.send("evm_setAutomine", [true]);
    provider.destroy();
  });

  it("reads every pool with one lens call and one log query, and updates all of them in one tick", async function () {
    await calmHistory(ctx);
    const runner = makeRunner();
    await runner.preflight({ factory: await ctx.factory.getAddress() });
    eip.calls.length = 0;
    const calm = await runner.tick();
    expect(calm.pools.map((p) => p.status)).to.deep.equal(["skipped", "skipped", "skipped"]);
    expect(lensCalls()).to.equal(1);
    const logs = eip.callsOf("eth_getLogs");
    expect(logs).to.have.length(1);
    expect((logs[0].params[0] as { address: string[] }).address).to.have.length(3);

    await volatileWalk(ctx);
    const nonce0 = await ethers.provider.getTransactionCount(ctx.keeper.address);
    eip.calls.length = 0;
    const wild = await runner.tick();
    expect(wild.pools.map((p) => p.status)).to.deep.equal(["updated", "updated", "updated"]);
    expect(lensCalls()).to.equal(2); // the tick's read and the re-read before sending
    const nonces = eip
      .callsOf("eth_sendRawTransaction")
      .map((c) => Transaction.from(c.params[0] as string).nonce)
      .sort();
    expect(nonces).to.deep.equal([nonce0, nonce0 + 1, nonce0 + 2]);
    for (const address of ctx.fleet) {
      const pool = await ethers.getContractAt("SkewPool", address);
      expect((await pool.getState()).params.k).to.equal(CALM_PARAMS.k + WAD / 10n);
    }
    expect(await runner.metrics.value("skew_keeper_updates_total", { pool: "P2" })).to.equal(1);
  });

  it("sends for every pool while another pool's update is still pending (automine off)", async function () {
    await calmHistory(ctx);
    await volatileWalk(ctx);
    await network.provider.send("evm_setAutomine", [false]);
    const runner = makeRunner();
    const first = await runner.tick();
    // Three updates pending at once on consecutive nonces: none waited for another.
    expect(first.pools.map((p) => p.status)).to.deep.equal(["tx-pending", "tx-pending", "tx-pending"]);
    const nonces = first.pools.map((p) => (p.status === "tx-pending" ? p.nonce : -1));
    expect(new Set(nonces).size).to.equal(3);
    // While they are pending, each pool waits for its own update only.
    const second = await runner.tick();
    expect(second.pools.map((p) => (p.status === "skipped" ? p.reason : p.status))).to.deep.equal([
      "pending-tx",
      "pending-tx",
      "pending-tx",
    ]);
    expect(eip.callsOf("eth_sendRawTransaction")).to.have.length(3);
    await network.provider.send("evm_mine", []);
    await network.provider.send("evm_setAutomine", [true]);
    await runner.tick();
    for (let i = 0; i < 3; i++)
      expect(await runner.metrics.value("skew_keeper_updates_total", { pool: `P${i}` })).to.equal(1);
  });

  it("works with a node-held key too (it signs and sends in one call)", async function () {
    await calmHistory(ctx);
    await volatileWalk(ctx);
    const runner = makeRunner({ signer: ctx.keeper }); // Hardhat's signer: no local signing
    const r = await runner.tick();
    expect(r.pools.map((p) => p.status)).to.deep.equal(["updated", "updated", "updated"]);
    expect(eip.callsOf("eth_sendRawTransaction")).to.have.length(0); // sent through the node's key
    expect(await runner.metrics.value("skew_keeper_updates_total", { pool: "P1" })).to.equal(1);
  });

  it("a rewound chain (head below the cursor, or another block at the cursor) drops the cursors and stale swaps", async function () {
    await calmHistory(ctx);
    const log = new MemoryLog();
    const runner = makeRunner({ logger: log.logger() });
    await runner.tick();
    const snapshot = await network.provider.send("evm_snapshot", []);
    for (let i = 0; i < 3; i++) await aliceSwaps(ctx, true, WAD);
    await runner.tick();
    const swapsSeen = (): number =>
      (
        log
          .events("decision")
          .filter((l) => l.pool === "P0")
          .at(-1) as { inputs: { swaps: { count: number } } }
      ).inputs.swaps.count;
    expect(swapsSeen()).to.equal(3);

    // The chain goes back below the cursor: those swaps never happened.
    await network.provider.send("evm_revert", [snapshot]);
    const again = await network.provider.send("evm_snapshot", []);
    await runner.tick();
    expect(log.events("cursor-reset").map((l) => l.reason)).to.deep.equal(["behind-head"]);
    expect(swapsSeen()).to.equal(0);

    // A different chain that grew past the cursor: the hash at the cursor tells.
    for (let i = 0; i < 3; i++) await aliceSwaps(ctx, true, WAD);
    await runner.tick();
    expect(swapsSeen()).to.equal(3);
    await network.provider.send("evm_revert", [again]);
    for (let i = 0; i < 8; i++) await network.provider.send("evm_mine", []);
    await runner.tick();
    expect(log.events("cursor-reset").map((l) => l.reason)).to.deep.equal(["behind-head", "block-hash"]);
    expect(swapsSeen()).to.equal(0);
    expect(await runner.metrics.value("skew_keeper_cursor_resets_total", { reason: "block-hash" })).to.equal(1);
  });

  it("stops acting when the RPC switches to another chain id after a failure", async function () {
    await calmHistory(ctx);
    const runner = makeRunner();
    await runner.preflight();
    await runner.tick();
    eip.failNext(1);
    await runner.tick().catch(() => undefined);
    eip.chainId = "0x1";
    const err = await runner.tick().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(KeeperStartupError);
    expect((err as KeeperStartupError).code).to.equal("WRONG_CHAIN");
    expect(await runner.metrics.value("skew_keeper_cursor_resets_total", { reason: "chain-id" })).to.equal(1);
    expect(eip.callsOf("eth_sendRawTransaction")).to.have.length(0);
  });

  it("exports every pool's series from start, labelled with name and address, and /healthz follows the ticks", async function () {
    await calmHistory(ctx);
    const clock = new FakeClock();
    const metrics = new KeeperMetrics(() => clock.now());
    const runner = makeRunner({ metrics, clock });
    const health = healthCheck(metrics, 10_000, () => clock.now());
    const server = await startMetricsServer(metrics.registry, 0, "127.0.0.1", health);
    const url = `http://127.0.0.1:${server.port}`;
    try {
      const start = await (await fetch(`${url}/metrics`)).text();
      for (const [i, address] of ctx.fleet.entries()) {
        const l = `pool="P${i}",address="${address}"`;
        expect(start).to.contain(`skew_keeper_decisions_total{${l},reason="pending-tx"} 0`);
        expect(start).to.contain(`skew_keeper_replacements_total{${l}} 0`);
        expect(start).to.contain(`skew_keeper_pending_transactions{${l}} 0`);
        expect(start).to.contain(`skew_keeper_transactions_total{${l},outcome="reverted"} 0`);
      }
      expect(start).to.contain('skew_keeper_errors_total{kind="rpc"} 0');
      expect((await fetch(`${url}/healthz`)).status).to.equal(503); // no tick yet

      await runner.preflight();
      // The last ON-CHAIN update, read at start, before any tick: P0 updated by someone else.
      await ctx.pool
        .connect(ctx.keeper)
        .setParams(CALM_PARAMS.k, CALM_PARAMS.baseFee, CALM_PARAMS.maxFee, CALM_PARAMS.tau, 5n * 10n ** 16n);
      const onChain = Number((await ctx.pool.getState()).lastParamsUpdate);
      await runner.tick();
      expect(await metrics.value("skew_keeper_last_update_timestamp_seconds", { pool: "P0" })).to.equal(onChain);
      expect(await metrics.value("skew_keeper_key_balance_ether")).to.be.greaterThan(1);
      expect((await fetch(`${url}/healthz`)).status).to.equal(200);
      await clock.sleep(11_000); // no good tick for longer than the max age
      const stale = await fetch(`${url}/healthz`);
      expect(stale.status).to.equal(503);
      expect(((await stale.json()) as { status: string }).status).to.equal("stale");
      const body = await (await fetch(`${url}/metrics`)).text();
      expect(body).to.match(/skew_keeper_seconds_since_last_tick 11\n/);
      expect(body).to.contain("skew_keeper_healthy 0");
    } finally {
      await server.close();
    }
  });

  describe("choosing the pools and the network", function () {
    const record = (pools: Record<string, string>): DeploymentRecord =>
      ({
        network: "localhost",
        chainId: 31337,
        contracts: {},
        pools: Object.fromEntries(Object.entries(pools).map(([name, address]) => [name, { address }])),
      }) as unknown as DeploymentRecord;
    const A = "0x00000000000000000000000000000000000000aa";
    const B = "0x00000000000000000000000000000000000000bb";

    it("takes repeated --pool, comma lists and a pools file; names addresses from the record; drops duplicates", function () {
      const r = record({ "WETH/USDC": A, "WBTC/USDC": B });
      const dir = mkdtempSync(path.join(tmpdir(), "skew-pools-"));
      const file = path.join(dir, "pools.json");
      writeFileSync(
        file,
        JSON.stringify({ pools: [{ name: "custom", address: "0x00000000000000000000000000000000000000cc" }, A] }),
      );
      const fleet = resolveFleet({ pool: ["WETH/USDC", B], poolsFile: file, network: "localhost" }, r);
      expect(fleet.map((p) => p.name)).to.deep.equal(["WETH/USDC", "WBTC/USDC", "custom"]);
      expect(resolveFleet({ pool: [], network: "localhost" }, r).map((p) => p.name)).to.deep.equal([
        "WETH/USDC",
        "WBTC/USDC",
      ]);
      expect(() => resolveFleet({ pool: [], network: "devnet" }, undefined)).to.throw(/no pools/);
    });

    it("refuses a known network name on another chain id, with or without a deployment record", async function () {
      expect(() => checkNetworkChainId("mainnet", 31337)).to.throw(/expects chain id 1/);
      expect(() => checkNetworkChainId("localhost", 31337)).to.not.throw();
      expect(() => checkNetworkChainId("my-devnet", 31337)).to.not.throw();
      const lines: string[] = [];
      const deps: CliDeps = {
        env: { RPC_URL: "http://unused", KEEPER_PRIVATE_KEY: hardhatWallet(1, provider).privateKey },
        stderr: (l) => lines.push(l),
        connect: async () => provider,
        logger: new MemoryLog().logger(),
        onSignal: () => () => undefined,
      };
      const empty = mkdtempSync(path.join(tmpdir(), "skew-none-"));
      const code = await runCli(
        ["--network", "mainnet", "--pool", ctx.poolAddress, "--once", "--deployments-dir", empty],
        deps,
      );
      expect(code).to.equal(1);
      expect(lines.join("\n")).to.match(/--network mainnet expects chain id 1, but the RPC answers for chain 31337/);
    });
  });
});
