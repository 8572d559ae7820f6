import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { HDNodeWallet, parseUnits } from "ethers";
import type { JsonRpcProvider } from "ethers";
import type { DeploymentRecord } from "../../sdk/deployments";
import { MockPermitERC20__factory, SkewPool__factory } from "../../typechain-types";
import { deploy, loadDeployConfig } from "../../scripts/lib/deploy";
import { startLocalNode } from "../../scripts/lib/localNode";
import type { LocalNode } from "../../scripts/lib/localNode";
import { providerFor } from "../../scripts/lib/network";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's local accounts

/** What `npm pack --json` reports of one package. */
interface Packed {
  name: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** The version of a dependency installed in this repository (so the temp install hits npm's cache). */
function installedVersion(name: string): string {
  const file = path.join(ROOT, "node_modules", name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/**
 * The same program in CommonJS and in ESM: load the record, resolve the pool by name, load state,
 * quote, swap, deposit and withdraw through `SkewClient`, and one typed error (a router is not a
 * pool). Prints one JSON line.
 */
function sdkProgram(format: "cjs" | "esm"): string {
  const header =
    format === "cjs"
      ? `const sdk = require("@skew/sdk");\nconst abi = require("@skew/abi");\nconst ethers = require("ethers");\n`
      : `import * as sdk from "@skew/sdk";\nimport * as abi from "@skew/abi";\nimport * as ethers from "ethers";\n`;
  return `${header}
async function main() {
  const provider = new ethers.JsonRpcProvider(process.env.RPC_URL);
  const signer =
    process.env.SIGNER === "wallet"
      ? new ethers.Wallet(process.env.PRIVATE_KEY, provider)
      : await provider.getSigner(process.env.ADDRESS);
  const record = sdk.loadDeployment("localhost"); // ./deployments/localhost.json
  const pool = sdk.resolvePool("WETH/USDC", record, "localhost");
  const router = record.contracts.SkewRouter.address;
  const state = await sdk.getPoolState(pool, provider);
  const [batched] = await sdk.getPoolStates([pool], provider); // the deployless lens, one eth_call
  const quote = sdk.quoteExactIn(state, "sellBase", 10n ** 18n);
  const client = new sdk.SkewClient({ signer, router, approval: process.env.APPROVAL });
  const swap = await client.swapExactIn({ pool, side: "sellBase" }, 10n ** 18n);
  const dep = await client.deposit(pool, 10n ** 18n, 3000n * 10n ** 6n);
  const wd = await client.withdraw(pool, dep.event.shares);
  let notAPool = "nothing thrown";
  try {
    await sdk.getPoolState(router, provider);
  } catch (e) {
    notAPool = e instanceof sdk.NotAPoolError && e instanceof sdk.SkewError ? e.name : String(e);
  }
  const out = {
    me: await signer.getAddress(),
    sameState: batched.math.baseReserve === state.math.baseReserve && batched.totalSupply === state.totalSupply,
    quoted: quote.amountOut,
    swapped: swap.amountOut,
    shares: dep.event.shares,
    withdrawn: [wd.event.baseOut, wd.event.quoteOut],
    notAPool,
    poolAbiEntries: abi.SkewPoolAbi.length,
  };
  console.log(JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  provider.destroy();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
`;
}

/** A viem client that knows Skew only through @skew/abi: state, quote, swap, deposit, withdraw, decoded errors. */
const VIEM_PROGRAM = `
import { readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, erc20Abi, http, maxUint256, parseEventLogs, zeroAddress, ContractFunctionRevertedError } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { SkewPoolAbi, SkewRouterAbi } from "@skew/abi";

const record = JSON.parse(readFileSync("deployments/localhost.json", "utf8"));
const url = process.env.RPC_URL;
const account = privateKeyToAccount(process.env.PRIVATE_KEY);
const chain = { ...hardhat, rpcUrls: { default: { http: [url] } } };
const pub = createPublicClient({ chain, transport: http(url) });
const wallet = createWalletClient({ account, chain, transport: http(url) });
const pool = record.pools["WETH/USDC"].address;
const router = record.contracts.SkewRouter.address;

async function send(address, abi, functionName, args) {
  const { request } = await pub.simulateContract({ account, address, abi, functionName, args });
  const receipt = await pub.waitForTransactionReceipt({ hash: await wallet.writeContract(request) });
  return receipt.logs;
}
async function revertName(functionName, args) {
  try {
    await pub.simulateContract({ account, address: router, abi: SkewRouterAbi, functionName, args });
    return "no revert";
  } catch (e) {
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
    return reverted?.data?.errorName ?? "undecoded";
  }
}

const state = await pub.readContract({ address: pool, abi: SkewPoolAbi, functionName: "getState" });
const quote = await pub.readContract({ address: pool, abi: SkewPoolAbi, functionName: "quoteExactIn", args: [0, 10n ** 18n] });
for (const token of [state.base, state.quote]) await send(token, erc20Abi, "approve", [router, maxUint256]);
const deadline = (await pub.getBlock()).timestamp + 600n;
const swapLogs = await send(router, SkewRouterAbi, "swapExactIn", [[{ pool, side: 0 }], 10n ** 18n, 0n, account.address, deadline]);
const [swap] = parseEventLogs({ abi: SkewPoolAbi, logs: swapLogs, eventName: "Swap" });
const depositArgs = { pool, baseMax: 10n ** 18n, quoteMax: 3000n * 10n ** 6n, baseMin: 0n, quoteMin: 0n, minShares: 0n, to: account.address, deadline };
const depLogs = await send(router, SkewRouterAbi, "deposit", [depositArgs]);
const [dep] = parseEventLogs({ abi: SkewPoolAbi, logs: depLogs, eventName: "Deposit" });
const wdLogs = await send(pool, SkewPoolAbi, "withdraw", [dep.args.shares, 0n, 0n, account.address, deadline]);
const [wd] = parseEventLogs({ abi: SkewPoolAbi, logs: wdLogs, eventName: "Withdraw" });
const out = {
  me: account.address,
  quoted: quote.amountOut,
  swapped: swap.args.amountOut,
  shares: dep.args.shares,
  withdrawn: [wd.args.baseOut, wd.args.quoteOut],
  unknownPool: await revertName("swapExactIn", [[{ pool: zeroAddress, side: 0 }], 1n, 0n, account.address, deadline]),
  poolError: await revertName("deposit", [{ ...depositArgs, minShares: maxUint256 }]),
};
console.log(JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
`;

/** Type-checks a TypeScript consumer of both packages with node16 resolution (ESM file). */
const TYPES_PROGRAM = `
import { getPoolState, quoteExactIn, SkewClient, type PoolSnapshot } from "@skew/sdk";
import { ISkewPool__factory } from "@skew/sdk/contracts";
import { SkewPoolAbi, deployments } from "@skew/abi";
import { JsonRpcProvider } from "ethers";

const provider = new JsonRpcProvider("http://127.0.0.1:1");
const state: Promise<PoolSnapshot> = getPoolState("0x0000000000000000000000000000000000000001", provider);
void state.then((s) => quoteExactIn(s, "sellBase", 1n).amountOut satisfies bigint);
void SkewClient;
void ISkewPool__factory.connect("0x0000000000000000000000000000000000000001", provider).getState;
const first = SkewPoolAbi[0];
void first;
void Object.keys(deployments);
`;

/**
 * The packages as a user gets them: `npm pack` of @skew/abi and @skew/sdk, installed with ethers
 * and viem from the registry into an empty project outside the repository, then programs in that
 * project (CommonJS with a Wallet, ESM with a JSON-RPC signer, viem with only the ABIs) against
 * one local node with one deployment.
 */
describe("packed packages installed in an empty project", function () {
  let project: string;
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let record: DeploymentRecord;
  const packed: Record<string, Packed> = {};

  before(async function () {
    project = mkdtempSync(path.join(tmpdir(), "skew-consumer-"));
    const { stdout } = await run(
      "npm",
      ["pack", "-w", "abi", "-w", "sdk", "-w", "keeper", "--json", "--pack-destination", project],
      {
        cwd: ROOT,
      },
    );
    for (const p of JSON.parse(stdout) as Packed[]) packed[p.name] = p;
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }) + "\n");
    const deps = [
      ...Object.values(packed).map((p) => `./${p.filename}`),
      `ethers@${installedVersion("ethers")}`,
      `viem@${installedVersion("viem")}`,
      `typescript@${installedVersion("typescript")}`,
      `@types/node@${installedVersion("@types/node")}`,
    ];
    const t0 = Date.now();
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...deps], { cwd: project });
    console.log(`      npm install of the packed packages, ethers, viem: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    node = await startLocalNode();
    provider = providerFor(node.url);
    record = await deploy({
      signer: await provider.getSigner(0),
      network: "localhost",
      config: loadDeployConfig("localhost"),
    });
    mkdirSync(path.join(project, "deployments"));
    writeFileSync(path.join(project, "deployments", "localhost.json"), JSON.stringify(record, null, 2));
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  /** Account `index` of the node, funded with WETH and USDC. */
  async function account(index: number) {
    const wallet = HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
    const minter = await provider.getSigner(0);
    await (
      await MockPermitERC20__factory.connect(record.contracts.WETH.address, minter).mint(
        wallet.address,
        parseUnits("10", 18),
      )
    ).wait();
    await (
      await MockPermitERC20__factory.connect(record.contracts.USDC.address, minter).mint(
        wallet.address,
        parseUnits("30000", 6),
      )
    ).wait();
    return wallet;
  }

  async function runProgram(file: string, source: string, env: Record<string, string>) {
    writeFileSync(path.join(project, file), source);
    const { stdout } = await run("node", [file], {
      cwd: project,
      env: { ...process.env, RPC_URL: node.url, ...env },
      timeout: 120_000,
    });
    return JSON.parse(stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
  }

  /** Checks a program's swap, deposit and withdrawal against the chain. */
  async function expectRoundTrip(out: Record<string, unknown>) {
    if ("sameState" in out) expect(out.sameState, "getPoolStates equals getPoolState").to.equal(true);
    expect(out.swapped, "swap paid the quote (nothing moved in between)").to.equal(out.quoted);
    expect(BigInt(out.shares as string) > 0n, "deposit minted shares").to.equal(true);
    const [baseOut, quoteOut] = (out.withdrawn as string[]).map(BigInt);
    expect(baseOut > 0n && quoteOut > 0n, "withdrawal paid both tokens").to.equal(true);
    const pool = SkewPool__factory.connect(record.pools["WETH/USDC"].address, provider);
    expect(await pool.balanceOf(out.me as string), "no shares left").to.equal(0n);
  }

  it("ship built ESM, CommonJS and declarations, not sources", function () {
    for (const name of ["@skew/sdk", "@skew/abi"]) {
      const files = packed[name].files.map((f) => f.path);
      for (const f of ["dist/index.js", "dist/index.mjs", "dist/index.d.ts", "dist/index.d.mts", "package.json"]) {
        expect(files, `${name} ships ${f}`).to.include(f);
      }
      expect(
        files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".d.mts")),
        name,
      ).to.deep.equal([]);
      console.log(
        `      ${name}: ${(packed[name].size / 1024).toFixed(0)} KiB packed, ` +
          `${(packed[name].unpackedSize / 1024).toFixed(0)} KiB installed, ${files.length} files`,
      );
    }
    expect(packed["@skew/abi"].files.map((f) => f.path)).to.include.members([
      "dist/json/SkewPool.json",
      "dist/json/SkewRouter.json",
      "dist/json/SkewFactory.json",
      "dist/json/SkewErrors.json",
    ]);
  });

  /**
   * Runs the SDK program as account `index` and checks its round trip and how many transactions
   * it sent (each with its own nonce: a reused one fails the program).
   */
  async function sdkRoundTrip(format: "cjs" | "esm", index: number, signer: "wallet" | "json-rpc", approval: string) {
    const wallet = await account(index);
    const before = await provider.getTransactionCount(wallet.address);
    const file = format === "cjs" ? "program.cjs" : "program.mjs";
    const env = { SIGNER: signer, PRIVATE_KEY: wallet.privateKey, ADDRESS: wallet.address, APPROVAL: approval };
    const out = await runProgram(file, sdkProgram(format), env);
    expect(out.me).to.equal(wallet.address);
    await expectRoundTrip(out);
    expect(out.notAPool).to.equal("NotAPoolError");
    expect(out.poolAbiEntries as number).to.be.greaterThan(50);
    return (await provider.getTransactionCount(wallet.address)) - before;
  }

  it("CommonJS with a plain Wallet and exact approvals: state, quote, swap, deposit, withdraw", async function () {
    // approve + swap, approve + approve + deposit, withdraw
    expect(await sdkRoundTrip("cjs", 7, "wallet", "exact")).to.equal(6);
  });

  it("ESM with a JSON-RPC signer and permits: state, quote, swap, deposit, withdraw", async function () {
    expect(await sdkRoundTrip("esm", 8, "json-rpc", "auto")).to.equal(3); // permits: no approval transactions
  });

  it("viem with only @skew/abi: state, quote, swap, deposit, withdraw, pool errors decoded by the router's ABI", async function () {
    const wallet = await account(9);
    const out = await runProgram("viem.mjs", VIEM_PROGRAM, { PRIVATE_KEY: wallet.privateKey });
    expect(out.me).to.equal(wallet.address);
    await expectRoundTrip(out);
    expect(out.unknownPool).to.equal("UnknownPool"); // the router's own error
    // raised inside the pool (not an error the router's Solidity declares), decoded with the router's ABI
    expect(out.poolError).to.equal("InsufficientShares");
  });

  it("the skew-keeper binary runs from its installed package: one dry-run tick over the record's pools", async function () {
    const files = packed["@skew/keeper"].files.map((f) => f.path);
    expect(files).to.include("dist/skew-keeper.js");
    expect(
      files.some((f) => f.endsWith(".ts")),
      "no TypeScript sources shipped",
    ).to.equal(false);
    const bin = path.join(project, "node_modules", ".bin", "skew-keeper");
    const t0 = Date.now();
    const { stdout } = await run(bin, ["--network", "localhost", "--once", "--dry-run"], {
      cwd: project,
      env: { ...process.env, RPC_URL: node.url },
      timeout: 120_000,
    });
    console.log(
      `      skew-keeper --once --dry-run from the installed package: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const lines = stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const tick = lines.find((l) => l.event === "tick");
    expect(tick, "a tick summary line").to.not.equal(undefined);
    expect(tick?.pools).to.equal(Object.keys(record.pools).length);
  });

  it("TypeScript finds the declarations with node16 resolution", async function () {
    writeFileSync(path.join(project, "check.mts"), TYPES_PROGRAM);
    const tsc = path.join(project, "node_modules", ".bin", "tsc");
    const flags = ["--noEmit", "--strict", "--module", "node16", "--moduleResolution", "node16", "--target", "es2022"];
    await run(tsc, [...flags, "--skipLibCheck", "check.mts"], { cwd: project });
  });
});
