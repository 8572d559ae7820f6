import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { JsonRpcProvider, MaxUint256, parseUnits } from "ethers";
import type { DeploymentRecord } from "../../sdk/deployments";
import { SkewClient } from "../../sdk/client";
import { getPoolState } from "../../sdk/state";
import { MockPermitERC20__factory, SkewPool__factory } from "../../typechain-types";
import { LocalNode, startLocalNode } from "../../scripts/lib/localNode";
import { providerFor } from "../../scripts/lib/network";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const TS_NODE = path.join(ROOT, "node_modules", ".bin", "ts-node");

/** Runs one of the repository's CLI scripts as its own process against the test node. */
async function cli(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return run(TS_NODE, ["--transpile-only", path.join(ROOT, "scripts", script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
}

/**
 * End to end on a real `hardhat node` process: the deploy script and the keeper as separate
 * processes, then SDK swaps, deposits and withdrawals over JSON-RPC.
 */
describe("end to end on a local node", function () {
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let dir: string;
  let record: DeploymentRecord;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    node = await startLocalNode();
    provider = providerFor(node.url);
    dir = mkdtempSync(path.join(tmpdir(), "skew-e2e-"));
    env = { RPC_URL: node.url };
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    // The node's process is gone: its PID no longer answers.
    expect(() => process.kill(node.pid, 0)).to.throw();
  });

  it("deploys through the deploy script and records every contract with its transaction", async function () {
    const { stdout } = await cli("deploy.ts", ["--network", "localhost", "--deployments-dir", dir], env);
    expect(stdout).to.match(/wrote /);
    record = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8")) as DeploymentRecord;
    expect(record.chainId).to.equal(31337);
    expect(record.commit).to.match(/^[0-9a-f]{40}(-dirty)?$|^unknown$/);
    expect(record.compiler.version).to.match(/^0\.8\.30/);
    const entries = [...Object.values(record.contracts), ...Object.values(record.pools)];
    expect(entries.length).to.be.greaterThan(8);
    for (const c of entries) {
      expect(await provider.getCode(c.address), c.contract).to.not.equal("0x");
      const receipt = await provider.getTransactionReceipt(c.txHash);
      expect(receipt?.blockNumber, c.contract).to.equal(c.block);
      expect(receipt?.status).to.equal(1);
    }
    const state = await getPoolState(record.pools["WETH/USDC"].address, provider);
    expect(state.totalSupply > 0n, "seeded").to.equal(true);
  });

  it("changes nothing when the deploy script runs again", async function () {
    const block = await provider.getBlockNumber();
    await cli("deploy.ts", ["--network", "localhost", "--deployments-dir", dir], env);
    const again = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8")) as DeploymentRecord;
    expect(await provider.getBlockNumber()).to.equal(block);
    expect(again.contracts).to.deep.equal(record.contracts);
    expect(again.pools).to.deep.equal(record.pools);
  });

  it("runs the keeper once as a process, by pool name", async function () {
    const { stdout } = await cli(
      "keeper.ts",
      ["--network", "localhost", "--pool", "WETH/USDC", "--once", "--deployments-dir", dir],
      env,
    );
    const lines = stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length, "JSON log lines").to.be.greaterThan(0);
  });

  it("swaps, deposits and withdraws through the SDK over JSON-RPC", async function () {
    const pool = record.pools["WETH/USDC"].address;
    const router = record.contracts.SkewRouter.address;
    const user = await provider.getSigner(5);
    const me = await user.getAddress();
    const weth = MockPermitERC20__factory.connect(record.contracts.WETH.address, user);
    const usdc = MockPermitERC20__factory.connect(record.contracts.USDC.address, user);
    await (await weth.mint(me, parseUnits("100", 18))).wait();
    await (await usdc.mint(me, parseUnits("300000", 6))).wait();
    await (await weth.approve(router, MaxUint256)).wait();
    await (await usdc.approve(router, MaxUint256)).wait();
    const client = new SkewClient({ signer: user, router });

    const w0 = await weth.balanceOf(me);
    const u0 = await usdc.balanceOf(me);
    const quote = await client.quoteExactIn({ pool, side: "sellBase" }, parseUnits("1", 18));
    const swap = await client.swapExactIn({ pool, side: "sellBase" }, parseUnits("1", 18));
    expect(swap.amountOut).to.equal(quote.amountOut); // nothing moved in between: to the wei
    expect(await weth.balanceOf(me)).to.equal(w0 - parseUnits("1", 18));
    expect(await usdc.balanceOf(me)).to.equal(u0 + swap.amountOut);

    const dep = await client.deposit(pool, parseUnits("10", 18), parseUnits("30000", 6));
    const shares = await SkewPool__factory.connect(pool, provider).balanceOf(me);
    expect(shares).to.equal(dep.event.shares);
    expect(shares > 0n).to.equal(true);

    const w1 = await weth.balanceOf(me);
    const u1 = await usdc.balanceOf(me);
    await (await SkewPool__factory.connect(pool, user).approve(router, MaxUint256)).wait();
    const wd = await client.withdraw(pool, shares, { permit: true });
    expect(await SkewPool__factory.connect(pool, provider).balanceOf(me)).to.equal(0n);
    expect(await weth.balanceOf(me)).to.equal(w1 + wd.event.baseOut);
    expect(await usdc.balanceOf(me)).to.equal(u1 + wd.event.quoteOut);
    // A round trip through deposit and withdrawal returns no more than went in.
    expect(wd.event.baseOut <= dep.event.baseIn && wd.event.quoteOut <= dep.event.quoteIn).to.equal(true);
    // The router holds nothing afterwards.
    for (const t of [weth, usdc]) expect(await t.balanceOf(router)).to.equal(0n);
  });
});
