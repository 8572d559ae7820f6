/**
 * The web app in a real browser (Debian's chromium through playwright-core) against a real
 * `hardhat node`: deployed with the regular deploy code, moved by the market driver, and traded
 * through the app with an injected EIP-1193 wallet. Screenshots of every page go to out/app/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { formatUnits, JsonRpcProvider, parseUnits } from "ethers";
import type { Page } from "playwright-core";
import { buildApp } from "../../app/build";
import { serveStatic } from "../../app/serve";
import type { StaticServer } from "../../app/serve";
import { getPoolState, getPoolStates, imbalance, Region } from "../../sdk";
import type { DeploymentRecord } from "../../sdk/deployments";
import { deploy, loadDeployConfig } from "../../scripts/lib/deploy";
import { startLocalNode } from "../../scripts/lib/localNode";
import type { LocalNode } from "../../scripts/lib/localNode";
import { DEFAULT_MARKET, MarketDriver } from "../../scripts/lib/market";
import { providerFor } from "../../scripts/lib/network";
import { MockPermitERC20__factory, SkewPool__factory } from "../../typechain-types";
import { injectWallet, launchBrowser } from "./browser";

const OUT = path.resolve(__dirname, "..", "..", "out", "app");

/** The number in a text such as "1,234.5 USDC" or "long WETH 3.2 % of target value". */
function numberIn(text: string): number {
  const m = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
  if (m === null) throw new Error(`no number in "${text}"`);
  return Number(m[0]);
}

describe("web app in a real browser", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let record: DeploymentRecord;
  let server: StaticServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let user: string;

  const pool = (name: string) => record.pools[name].address;
  const token = (name: string) => MockPermitERC20__factory.connect(record.contracts[name].address, provider);
  /** A fresh load of a page (new state, wallet not connected). */
  const open = async (hash: string) => {
    await page.goto("about:blank");
    await page.goto(`${server.url}#${hash}`);
    await page.locator("section h1").waitFor();
  };
  const connect = async () => {
    await page.getByTestId("connect").click();
    await page.getByTestId("account").waitFor();
  };
  /** The exact amount an `Amount` shows rounded. */
  const exact = async (testId: string) => (await page.getByTestId(testId).getAttribute("data-exact")) ?? "";
  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });

  before(async function () {
    mkdirSync(OUT, { recursive: true });
    const [n, dist] = await Promise.all([startLocalNode(), buildApp(path.join(OUT, "dist"))]);
    node = n;
    provider = providerFor(node.url);
    const signers = await Promise.all([0, 1, 2, 5, 6, 7, 8, 9].map((i) => provider.getSigner(i)));
    const [deployer, keeper, userSigner, ...rest] = signers;
    record = await deploy({ signer: deployer, network: "localhost", config: loadDeployConfig("localhost") });
    user = await userSigner.getAddress();
    for (const t of ["WETH", "USDC", "WBTC"]) {
      const c = token(t).connect(deployer);
      await (await c.mint(user, parseUnits("1000000", await c.decimals()))).wait();
    }
    // A short market session, so the pages and the history have something to show.
    const market = await MarketDriver.create(
      provider,
      record,
      { funder: deployer, traders: rest.slice(0, 4), arbitrageur: rest[4], keeper },
      { ...DEFAULT_MARKET, seed: 3, keeperEvery: 3, flowUsd: 60_000 },
    );
    for (let i = 0; i < 12; i++) await market.step();
    server = await serveStatic(dist, {
      "/config.json": () => ({ rpc: node.url, deployment: "./deployments/localhost.json" }),
      "/deployments/localhost.json": () => record,
    });
    browser = await launchBrowser();
    await injectWallet(browser.context, node.url, user);
    page = await browser.context.newPage();
    page.on("pageerror", (e) => console.log(`      page error: ${e.message}`));
  });

  after(async function () {
    await browser?.close();
    await server?.close();
    await node?.stop();
  });

  it("the pools page shows the chain's state", async function () {
    await open("pools");
    const states = await getPoolStates(
      Object.values(record.pools).map((p) => p.address),
      provider,
    );
    for (const [i, name] of Object.keys(record.pools).entries()) {
      const s = states[i];
      const card = page.getByTestId(`pool-${name}`);
      await card.waitFor();
      const oracle = Number(s.oracle.price.num) / Number(s.oracle.price.den);
      expect(numberIn(await card.getByTestId("oracle-price").innerText())).to.be.closeTo(oracle, oracle * 1e-4);
      expect(numberIn(await card.getByTestId("k").innerText())).to.be.closeTo(
        Number(formatUnits(s.params.k, 18)),
        1e-4,
      );
      const base = Number(formatUnits(s.math.baseReserve, s.baseDecimals));
      expect(numberIn(await card.getByTestId("reserves").innerText())).to.be.closeTo(base, base * 1e-3);
      const size = Number(formatUnits(imbalance(s.math), 18)) * 100;
      const label = await card.getByTestId("inventory-label").innerText();
      if (s.math.region === Region.ONE) expect(label).to.equal("on target");
      else {
        expect(label).to.contain(s.math.region === Region.B ? "long" : "short");
        expect(numberIn(label.replace(/^.*?(\d)/, "$1"))).to.be.closeTo(size, 0.006);
      }
      const pull = s.oracle.status?.kind === "pull";
      expect(await card.getByTestId("oracle-kind").innerText()).to.contain(pull ? "pull (Pyth)" : "push");
      // A pull pool's price is as fresh as the last swap's update: between market steps it may be past its max age.
      const badges = pull ? ["oracle ok", "swaps bring a price update"] : ["oracle ok"];
      expect(badges).to.include(await card.getByTestId("oracle-badge").innerText());
    }
    await shot("pools");
  });

  it("a swap through the UI executes and receives exactly the quote shown", async function () {
    await open("swap");
    await connect();
    await page.getByTestId("amount").fill("1.5");
    const quoted = await exact("quote-out");
    const minOut = await exact("min-out");
    expect(Number(minOut)).to.be.lessThan(Number(quoted));
    const before = await token("USDC").balanceOf(user);
    await page.getByTestId("swap").click();
    await page.getByTestId("swap-result").waitFor();
    const received = await exact("result-out");
    expect(received).to.equal(quoted);
    const after = await token("USDC").balanceOf(user);
    expect(formatUnits(after - before, 6).replace(/\.0$/, "")).to.equal(quoted);
    await shot("swap");
  });

  it("quotes exact-out swaps over a two-pool route", async function () {
    await open("swap");
    await page.getByTestId("mode-exact-out").click();
    await page.getByTestId("token-out").selectOption({ label: "WBTC" });
    await page.getByTestId("amount").fill("0.01");
    expect(await page.getByTestId("route").innerText()).to.equal("2 pools");
    expect(await page.getByTestId("hop").count()).to.equal(2);
    const paid = Number(await exact("quote-in"));
    const max = Number(await exact("max-in"));
    expect(paid).to.be.greaterThan(0);
    expect(max).to.be.greaterThan(paid);
  });

  it("a deposit and a withdrawal change the shown position by the right amounts", async function () {
    await open("liquidity");
    await connect();
    const shares = (raw: bigint) => formatUnits(raw, 18).replace(/\.0$/, "");
    const shown = (v: string) =>
      page.waitForFunction(
        (x) => document.querySelector('[data-testid="position-shares"]')?.getAttribute("data-exact") === x,
        v,
      );
    await shown("0");
    await page.getByTestId("deposit-base").fill("2");
    await page.getByTestId("deposit-shares").waitFor();
    await page.getByTestId("deposit").click();
    await page.getByTestId("deposit-result").waitFor();
    const minted = parseUnits(await exact("deposit-result-shares"), 18);
    const lp = SkewPool__factory.connect(pool("WETH/USDC"), provider);
    expect(await lp.balanceOf(user)).to.equal(minted);
    await shown(shares(minted));
    // Redeemable now equals the pool's own withdrawal quote for those shares.
    const state = await getPoolState(pool("WETH/USDC"), provider);
    const redeemBase = (minted * state.math.baseReserve) / state.totalSupply;
    expect(parseUnits(await exact("position-base"), 18)).to.equal(redeemBase);
    await shot("liquidity");

    const half = minted / 2n;
    const wethBefore = await token("WETH").balanceOf(user);
    await page.getByTestId("withdraw-shares").fill(formatUnits(half, 18));
    await page.getByTestId("withdraw").click();
    await page.getByTestId("withdraw-result").waitFor();
    expect(parseUnits(await exact("withdraw-result-shares"), 18)).to.equal(half);
    await shown(shares(minted - half));
    expect(await lp.balanceOf(user)).to.equal(minted - half);
    expect(await token("WETH").balanceOf(user)).to.be.greaterThan(wethBefore);
    expect(await exact("position-shares")).to.equal(shares(minted - half));
  });

  it("the history page charts the pool's events with keeper updates marked", async function () {
    await open("history");
    const summary = await page.getByTestId("history-summary").innerText();
    expect(numberIn(summary)).to.be.greaterThan(0);
    await page.getByTestId("chart-price").locator("svg").waitFor();
    await page.getByTestId("chart-k").locator("svg").waitFor();
    await shot("history");
  });

  it("a stale feed shows its message and blocks the swap", async function () {
    const snapshot = (await provider.send("evm_snapshot", [])) as string;
    try {
      await provider.send("evm_increaseTime", [2 * 86_400]);
      await provider.send("evm_mine", []);
      await open("swap");
      await connect();
      await page.getByTestId("amount").fill("1");
      const error = page.getByTestId("quote-error");
      await error.waitFor();
      expect(await error.innerText()).to.contain("The price feed is stale");
      expect(await page.getByTestId("swap").isDisabled()).to.equal(true);
      await shot("swap-stale");
      await open("pools");
      expect(await page.getByTestId("pool-WETH/USDC").getByTestId("oracle-badge").innerText()).to.equal("oracle stale");
    } finally {
      await provider.send("evm_revert", [snapshot]);
    }
  });

  it("a pause shows its message, blocks swaps and deposits, and leaves withdrawals open", async function () {
    const snapshot = (await provider.send("evm_snapshot", [])) as string;
    try {
      const guardian = await provider.getSigner(0);
      await (await SkewPool__factory.connect(pool("WETH/USDC"), guardian).pause()).wait();
      await open("swap");
      await connect();
      await page.getByTestId("amount").fill("1");
      await page.getByTestId("quote-error").waitFor();
      expect(await page.getByTestId("quote-error").innerText()).to.contain("The pool is paused");
      expect(await page.getByTestId("swap").isDisabled()).to.equal(true);
      await open("liquidity");
      await connect();
      await page.getByTestId("deposit-error").waitFor();
      expect(await page.getByTestId("deposit-error").innerText()).to.contain("The pool is paused");
      expect(await page.getByTestId("deposit").isDisabled()).to.equal(true);
      await page.getByTestId("withdraw-quote").waitFor();
      expect(await page.getByTestId("withdraw").isDisabled()).to.equal(false);
      await open("pools");
      expect(await page.getByTestId("pool-WETH/USDC").getByTestId("paused-badge").innerText()).to.equal("paused");
    } finally {
      await provider.send("evm_revert", [snapshot]);
    }
  });

  it("works at a phone width: no page is wider than the screen", async function () {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const name of ["pools", "swap", "liquidity", "history"]) {
        await open(name);
        if (name === "history") await page.getByTestId("chart-price").locator("svg").waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${name} at 390 px`).to.be.at.most(390);
        expect(await page.getByTestId(`nav-${name}`).isVisible()).to.equal(true);
        await shot(`phone-${name}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
