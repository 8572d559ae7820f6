/**
 * The SDK and router tests' world: WETH (18 dec), USDC (6) and WBTC (8), all with EIP-2612 permit;
 * ETH/USD and BTC/USD feeds (8 dec); pools WETH/USDC and WBTC/USDC seeded by bob, so that routes
 * chain WETH -> USDC -> WBTC; alice holds tokens and has approved nothing.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockAggregator, MockPermitERC20, SkewPool } from "../../typechain-types";
import { decodeSkewError, SkewError } from "../../sdk/errors";
import { createSeededPool, deployCore, deployFeed, deployToken } from "./sdkEnv";
import { loadLive } from "./liveFixture";
import type { Core } from "./sdkEnv";

export const E18 = 10n ** 18n;
export const E8 = 10n ** 8n;
export const E6 = 10n ** 6n;

export interface World {
  admin: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  core: Core;
  router: string;
  weth: MockPermitERC20;
  usdc: MockPermitERC20;
  wbtc: MockPermitERC20;
  ethFeed: MockAggregator;
  btcFeed: MockAggregator;
  ethPool: SkewPool;
  btcPool: SkewPool;
  /** Addresses: tokens and pools. */
  a: { weth: string; usdc: string; wbtc: string; ethPool: string; btcPool: string };
}

/** The world, restored from its snapshot as a live chain looks (`loadLive`). */
export async function loadWorld(): Promise<World> {
  return loadLive(world);
}

/** Deploys the world (through `loadWorld`). */
export async function world(): Promise<World> {
  const [admin, alice, bob, carol] = await ethers.getSigners();
  const core = await deployCore(admin);
  const weth = await deployToken(admin, "WETH", 18);
  const usdc = await deployToken(admin, "USDC", 6);
  const wbtc = await deployToken(admin, "WBTC", 8);
  const ethFeed = await deployFeed(admin, 8, 3000n * E8);
  const btcFeed = await deployFeed(admin, 8, 60_000n * E8);
  const params = { k: E18 / 2n, baseFee: 500n, maxFee: 10_000n, tau: E18 / 10n };
  const ethPool = await createSeededPool(
    core,
    admin,
    { base: await weth.getAddress(), quote: await usdc.getAddress(), feed: await ethFeed.getAddress(), params },
    { baseAmount: 1000n * E18, quoteAmount: 3_000_000n * E6, to: bob.address },
  );
  const btcPool = await createSeededPool(
    core,
    admin,
    { base: await wbtc.getAddress(), quote: await usdc.getAddress(), feed: await btcFeed.getAddress(), params },
    { baseAmount: 50n * E8, quoteAmount: 3_000_000n * E6, to: bob.address },
  );
  for (const [token, amount] of [
    [weth, 10_000n * E18],
    [usdc, 100_000_000n * E6],
    [wbtc, 1_000n * E8],
  ] as const) {
    await token.mint(alice.address, amount);
    await token.mint(carol.address, amount);
  }
  return {
    admin,
    alice,
    bob,
    carol,
    core,
    router: core.routerAddress,
    weth,
    usdc,
    wbtc,
    ethFeed,
    btcFeed,
    ethPool,
    btcPool,
    a: {
      weth: await weth.getAddress(),
      usdc: await usdc.getAddress(),
      wbtc: await wbtc.getAddress(),
      ethPool: await ethPool.getAddress(),
      btcPool: await btcPool.getAddress(),
    },
  };
}

/** A token-like contract with balances and allowances. */
interface Balances {
  balanceOf(owner: string): Promise<bigint>;
  allowance(owner: string, spender: string): Promise<bigint>;
  getAddress(): Promise<string>;
}

/** Asserts the router holds none of `tokens` and has no allowance left on any of `spenders`. */
export async function expectRouterEmpty(router: string, tokens: Balances[], spenders: string[] = []): Promise<void> {
  for (const token of tokens) {
    const name = await token.getAddress();
    expect(await token.balanceOf(router), `router balance of ${name}`).to.equal(0n);
    for (const spender of spenders) {
      expect(await token.allowance(router, spender), `router allowance of ${name} to ${spender}`).to.equal(0n);
    }
  }
}

/** Approves the router for everything alice may trade. */
export async function approveAll(w: World, who: HardhatEthersSigner = w.alice): Promise<void> {
  for (const token of [w.weth, w.usdc, w.wbtc]) await token.connect(who).approve(w.router, MaxUint256);
}

/** Awaits `action`, which must revert; returns its decoded SDK error, checked to be a `cls`. */
export async function expectSkewError<T extends SkewError>(
  action: Promise<unknown> | (() => unknown),
  cls: abstract new (...args: never[]) => T,
): Promise<T> {
  let caught: unknown;
  try {
    await (typeof action === "function" ? action() : action);
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) expect.fail(`expected a ${cls.name}, but nothing was thrown`);
  const decoded = decodeSkewError(caught);
  expect(decoded, `not a Skew error: ${String(caught)}`).to.not.equal(undefined);
  expect(decoded, `${decoded?.name}: ${decoded?.message}`).to.be.instanceOf(cls);
  return decoded as T;
}
