import { expect } from "chai";
import { ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { JsonRpcProvider, Wallet } from "ethers";
import type { JsonRpcSigner } from "ethers";
import type { DeploymentRecord } from "../../sdk/deployments";
import { getPoolStates } from "../../sdk/state";
import { MockAggregator__factory, SkewPool__factory } from "../../typechain-types";
import type { PoolConfigStruct } from "../../typechain-types/contracts/SkewFactory";
import { deploy, loadDeployConfig } from "../../scripts/lib/deploy";
import { createPoolFleet } from "../../scripts/lib/fleet";
import type { FleetPoolRecord } from "../../scripts/lib/fleet";
import { freePort, startLocalNode } from "../../scripts/lib/localNode";
import type { LocalNode } from "../../scripts/lib/localNode";
import { providerFor } from "../../scripts/lib/network";
import { TEST_POLICY_JSON } from "../keeper/runnerHelpers";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "keeper", "dist", "skew-keeper.js");
/** Hardhat's account #1: the local deployment's keeper and the binary's localhost default key. */
const KEEPER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FLEET_SIZE = 50;
/** Hardhat's account #0 (public development key): the deployer and the factory's owner. */
const HARDHAT_ACCOUNT_0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

type LogLine = Record<string, unknown> & { event?: string };

/** Parses the keeper's JSON log lines (other output is ignored). */
function parseLines(text: string): LogLine[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as LogLine);
}

/** A long-running `skew-keeper` process whose log lines are collected. */
class KeeperProcess {
  readonly lines: LogLine[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private buffer = "";
  stderr = "";

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    this.child.stdout?.on("data", (d: Buffer) => {
      this.buffer += d.toString();
      const parts = this.buffer.split("\n");
      this.buffer = parts.pop() ?? "";
      this.lines.push(...parseLines(parts.join("\n")));
    });
    this.child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  events(event: string): LogLine[] {
    return this.lines.filter((l) => l.event === event);
  }

  /** Resolves once `predicate` holds, polling every 50 ms; fails after `timeoutMs`. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (this.child.exitCode !== null) throw new Error(`the keeper exited while waiting for ${what}: ${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; last lines: ${JSON.stringify(this.lines.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM; resolves to the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}

/**
 * The packaged keeper (`keeper/dist/skew-keeper.js`, plain node, no ts-node) against a real
 * `hardhat node` process: a fleet of 50 pools served by one process and one key, a stuck transaction
 * replaced with bumped fees, and the node killed mid-loop then restarted with a fresh chain.
 */
/**
 * The record's pools on push feeds: a pull pool (a PythOracle feed) is as fresh as the swaps that bring its
 * price and has no round history, so "every pool updated in one tick" is about push pools.
 */
function pushPools(record: DeploymentRecord) {
  const pull = new Set(
    Object.values(record.contracts)
      .filter((c) => c.contract === "PythOracle")
      .map((c) => c.address.toLowerCase()),
  );
  return Object.entries(record.pools).filter(([, p]) => !pull.has(p.feed.toLowerCase()));
}

describe("skew-keeper binary on a local node (fleet)", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let deployer: JsonRpcSigner;
  let dir: string;
  let record: DeploymentRecord;
  let fleet: FleetPoolRecord[];
  let env: NodeJS.ProcessEnv;
  const figures: Record<string, unknown>[] = [];

  /** The localhost config's oracle cool-down (seconds). */
  const BREAKER_COOL_DOWN = loadDeployConfig("localhost").oracle?.coolDown ?? 0;

  /** The aggregators behind the record's feeds. */
  function aggregators(): string[] {
    return Object.entries(record.contracts)
      .filter(([name]) => name.endsWith(" aggregator"))
      .map(([, c]) => c.address);
  }

  /**
   * Six volatile rounds (+-3 %) 10 minutes apart on every feed: the policy then wants a higher k. Each
   * round trips the pools' oracles' circuit breaker (1 %), so the market then waits out its cool-down.
   */
  async function volatileMarket(): Promise<void> {
    for (let i = 0; i < 6; i++) {
      await provider.send("evm_increaseTime", [600]);
      for (const address of aggregators()) {
        const agg = MockAggregator__factory.connect(address, deployer);
        const [, answer] = await agg.latestRoundData();
        const next = (answer * (i % 2 === 0 ? 103n : 97n)) / 100n;
        await (await agg.setAnswer(next)).wait();
      }
    }
    await provider.send("evm_increaseTime", [BREAKER_COOL_DOWN]);
    await provider.send("evm_mine", []);
  }

  /** Writes the deployment record and a pools file of `pools`; returns the pools file. */
  function poolsFile(pools: { name: string; address: string }[], name: string): string {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ pools: pools.map((p) => ({ name: p.name, address: p.address })) }));
    return file;
  }

  /** Common options: the test's records, its policy, quick confirmation polling. */
  function baseArgs(): string[] {
    return ["--network", "localhost", "--deployments-dir", dir, "--config", path.join(dir, "policy.json")];
  }

  /** Runs the binary once; resolves to its exit code, log lines and wall time. */
  async function once(args: string[]): Promise<{ code: number; lines: LogLine[]; ms: number; stderr: string }> {
    const t0 = Date.now();
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...baseArgs(), "--once", ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        timeout: 300_000,
        maxBuffer: 64 * 2 ** 20,
      });
      return { code: 0, lines: parseLines(stdout), ms: Date.now() - t0, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, lines: parseLines(e.stdout ?? ""), ms: Date.now() - t0, stderr: e.stderr ?? "" };
    }
  }

  async function keeperNonce(): Promise<number> {
    return provider.getTransactionCount(KEEPER, "latest");
  }

  async function paramsUpdated(pool: string, fromBlock: number): Promise<number> {
    const p = SkewPool__factory.connect(pool, provider);
    return (await p.queryFilter(p.filters.ParamsUpdated(KEEPER), fromBlock)).length;
  }

  before(async function () {
    // The binary: built from the sources (esbuild), run with plain node.
    await run(process.execPath, [path.join(ROOT, "keeper", "build.js")], { cwd: ROOT, timeout: 120_000 });
    expect(existsSync(BIN)).to.equal(true);
    node = await startLocalNode();
    provider = providerFor(node.url);
    deployer = await provider.getSigner(0);
    dir = mkdtempSync(path.join(tmpdir(), "skew-keeper-fleet-"));
    env = { RPC_URL: node.url };
    writeFileSync(path.join(dir, "policy.json"), JSON.stringify(TEST_POLICY_JSON));
    record = await deploy({ signer: deployer, network: "localhost", config: loadDeployConfig("localhost") });
    writeFileSync(path.join(dir, "localhost.json"), JSON.stringify(record));
    const template = record.pools["WETH/USDC"].args[0] as PoolConfigStruct;
    const t0 = Date.now();
    const extra = await createPoolFleet({
      signer: new Wallet(HARDHAT_ACCOUNT_0_KEY, provider), // the deployer, signing locally
      factory: record.contracts.SkewFactory.address,
      template,
      count: FLEET_SIZE - pushPools(record).length,
    });
    figures.push({ what: `create ${extra.length} pools (createPoolFleet)`, ms: Date.now() - t0 });
    fleet = [...pushPools(record).map(([name, p]) => ({ name, address: p.address, base: p.base })), ...extra];
    expect(fleet).to.have.length(FLEET_SIZE);
  });

  after(async function () {
    await provider?.send("evm_setAutomine", [true]).catch(() => undefined);
    provider?.destroy();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const f of figures) console.log(`      ${JSON.stringify(f)}`);
  });

  it("starts as plain node (no ts-node): help, cold start", async function () {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const { stdout } = await run(process.execPath, [BIN, "--help"], { cwd: tmpdir() });
      times.push(Date.now() - t0);
      expect(stdout).to.contain("--pools-file");
    }
    figures.push({ what: "cold start (--help), ms", runs: times });
  });

  it("serves 1, 10 and 50 pools from one process and one key, every pool updated in one tick", async function () {
    for (const n of [1, 10, FLEET_SIZE]) {
      const pools = fleet.slice(0, n);
      await provider.send("evm_increaseTime", [700]); // past every pool's min interval (600 s)
      await volatileMarket();
      const fromBlock = await provider.getBlockNumber();
      const nonce0 = await keeperNonce();
      const r = await once(["--pools-file", poolsFile(pools, `pools-${n}`), "--tx-timeout", "120"]);
      expect(r.code, r.stderr).to.equal(0);
      const decisions = r.lines.filter((l) => l.event === "decision");
      expect(decisions).to.have.length(n);
      for (const d of decisions)
        expect((d.outcome as { status: string }).status, JSON.stringify(d)).to.equal("updated");
      // One transaction per pool, consecutive nonces, none reused.
      const sent = r.lines.filter((l) => l.event === "tx-sent").map((l) => Number(l.nonce));
      expect(sent).to.have.length(n);
      expect(new Set(sent).size).to.equal(n);
      expect(await keeperNonce()).to.equal(nonce0 + n);
      for (const p of pools) expect(await paramsUpdated(p.address, fromBlock + 1), p.name).to.equal(1);
      const tick = r.lines.find((l) => l.event === "tick") as LogLine & {
        durationMs: number;
        rpcCalls: number;
        rssMiB: number;
      };
      expect(tick.rpcCalls).to.be.greaterThan(0);
      figures.push({ what: `first tick, ${n} pool(s), all updated`, ...pick(tick), processMs: r.ms });
    }
    // The on-chain update time is what the state says (the keeper's metric reads the same field).
    const states = await getPoolStates(
      fleet.map((p) => p.address),
      provider,
    );
    for (const s of states) expect(s.lastParamsUpdate > 0n).to.equal(true);
  });

  it("steady state: a quiet 50-pool tick costs a handful of RPC calls", async function () {
    const keeper = new KeeperProcess(
      [...baseArgs(), "--pools-file", poolsFile(fleet, "pools-all"), "--interval", "0.5"],
      env,
    );
    try {
      await keeper.waitFor("four ticks", () => keeper.events("tick").length >= 4);
    } finally {
      expect(await keeper.stop()).to.equal(0);
    }
    const ticks = keeper.events("tick") as (LogLine & { durationMs: number; rpcCalls: number; rssMiB: number })[];
    const last = ticks[ticks.length - 1];
    // Head block, cursor check, the lens, logs, the nonce, the balance: independent of the pool count.
    expect(last.rpcCalls).to.be.at.most(8);
    expect((last.statuses as Record<string, number>)["skipped"]).to.equal(FLEET_SIZE);
    figures.push({ what: `quiet tick, ${FLEET_SIZE} pools`, ...pick(last) });
  });

  it("replaces a stuck update with bumped fees (automine off, then the node drops it), never reusing a nonce", async function () {
    const pools = fleet.slice(0, 2);
    await provider.send("evm_increaseTime", [700]);
    await volatileMarket();
    const fromBlock = await provider.getBlockNumber();
    const nonce0 = await keeperNonce();
    await provider.send("evm_setAutomine", [false]);
    const port = await freePort();
    const keeper = new KeeperProcess(
      [
        ...baseArgs(),
        "--pools-file",
        poolsFile(pools, "pools-stuck"),
        "--interval",
        "0.5",
        "--tx-timeout",
        "0.5",
        "--bump-after",
        "1",
        "--metrics-listen",
        `127.0.0.1:${port}`,
      ],
      env,
    );
    try {
      await keeper.waitFor("two updates sent", () => keeper.events("tx-sent").length >= 2);
      await keeper.waitFor("replacements", () => keeper.events("tx-replaced").length >= 2);
      // The node drops the newest version of the first update: the next bump revives it.
      const first = keeper.events("tx-replaced")[0] as { txHash: string; nonce: number };
      const dropped = await provider.send("hardhat_dropTransaction", [first.txHash]);
      const before = keeper.events("tx-replaced").length;
      await keeper.waitFor("another replacement", () => keeper.events("tx-replaced").length > before);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).to.match(/skew_keeper_pending_transactions\{pool="[^"]+",address="[^"]+"\} 1/);
      expect(metrics).to.match(/skew_keeper_replacements_total\{pool="[^"]+",address="[^"]+"\} [1-9]/);
      await provider.send("evm_setAutomine", [true]);
      await provider.send("evm_mine", []);
      await keeper.waitFor("both confirmed", () => keeper.events("tx-confirmed").length >= 2);
      figures.push({ what: "stuck update", dropped, replacements: keeper.events("tx-replaced").length });
    } finally {
      await provider.send("evm_setAutomine", [true]);
      expect(await keeper.stop()).to.equal(0);
    }
    // Each pool updated once; the key used exactly two nonces (replacements share theirs).
    for (const p of pools) expect(await paramsUpdated(p.address, fromBlock + 1), p.name).to.equal(1);
    expect(await keeperNonce()).to.equal(nonce0 + 2);
    const nonces = keeper.events("tx-replaced").map((l) => Number(l.nonce));
    expect(new Set(nonces)).to.deep.equal(new Set([nonce0, nonce0 + 1]));
  });

  it("survives the node being killed mid-loop, and a chain reset and redeploy: unhealthy, then resets its cursors and acts again", async function () {
    const pools = pushPools(record).map(([name, p]) => ({ name, address: p.address }));
    const port = await freePort();
    const metricsUrl = `http://127.0.0.1:${port}`;
    const keeper = new KeeperProcess(
      [...baseArgs(), "--interval", "0.5", "--metrics-listen", `127.0.0.1:${port}`, "--health-max-age", "2"],
      env,
    );
    const health = async (): Promise<number> => (await fetch(`${metricsUrl}/healthz`)).status;
    try {
      await keeper.waitFor("a good tick", () => keeper.events("tick").length >= 1);
      expect(await health()).to.equal(200);
      // Every metric the alert rules use is in the binary's live /metrics.
      const body = await (await fetch(`${metricsUrl}/metrics`)).text();
      const rules = readFileSync(path.join(ROOT, "keeper", "alerts", "skew-keeper.rules.yml"), "utf8");
      for (const name of new Set(rules.match(/skew_keeper_\w+/g))) expect(body, name).to.contain(`${name}`);

      const headBefore = await provider.getBlockNumber();
      await node.stop(); // killed mid-loop
      await keeper.waitFor("failed ticks", () => keeper.events("tick-failed").length >= 2);
      await new Promise((r) => setTimeout(r, 2_500)); // past --health-max-age without a good tick
      expect(await health()).to.equal(503);

      // A fresh chain on the same port, redeployed by the same script: same addresses, lower head.
      node = await startLocalNode({ port: node.port });
      provider.destroy();
      provider = providerFor(node.url);
      deployer = await provider.getSigner(0);
      record = await deploy({ signer: deployer, network: "localhost", config: loadDeployConfig("localhost") });
      expect(pushPools(record).map(([, p]) => p.address)).to.deep.equal(pools.map((p) => p.address));
      expect(await provider.getBlockNumber()).to.be.lessThan(headBefore);
      await keeper.waitFor("the cursor reset", () => keeper.events("cursor-reset").length >= 1);
      await keeper.waitFor("healthy again", () => keeper.events("tick").length >= 3);
      expect(await health()).to.equal(200);
      const resets = await (await fetch(`${metricsUrl}/metrics`)).text();
      expect(resets).to.match(/skew_keeper_cursor_resets_total\{reason="behind-head"\} 1/);

      // It acts on the new chain.
      const fromBlock = await provider.getBlockNumber();
      await volatileMarket();
      await keeper.waitFor(
        "updates on the new chain",
        () => keeper.events("tx-confirmed").filter((l) => Number(l.block) > fromBlock).length >= pools.length,
      );
    } finally {
      expect(await keeper.stop()).to.equal(0);
    }
    for (const p of pools) expect(await paramsUpdated(p.address, 0), p.name).to.equal(1);
    expect(keeper.events("fatal")).to.have.length(0);
  });
});

/** The figures of a tick line. */
function pick(t: { durationMs: number; rpcCalls: number; rssMiB: number }): Record<string, number> {
  return { tickMs: t.durationMs, rpcCalls: t.rpcCalls, rssMiB: t.rssMiB };
}
