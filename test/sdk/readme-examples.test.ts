import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ethers } from "hardhat";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
// The built package, as a user imports it (npm workspaces link node_modules/@skew/sdk to sdk/).
import { StaleOracleError } from "@skew/sdk";
import { quoteWethUsdc, sellOneWeth } from "../../sdk/examples/quote-and-swap";
import { watchSwaps, wethToWbtc } from "../../sdk/examples/route-and-watch";
import { E18, E8, loadWorld } from "../helpers/sdkFixture";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLES = path.join(ROOT, "sdk/examples");
const README = path.join(ROOT, "README.md");
const run = promisify(execFile);

/**
 * The README's SDK examples are the files in sdk/examples; they import the SDK by its package
 * name. This type-checks them against the built package under `node16` and `bundler` module
 * resolution, runs them against a local deployment and checks what they claim. If the README
 * quotes an example (a fenced block whose first line is `// sdk/examples/<file>`), the quote must
 * match the file.
 */
describe("README SDK examples", function () {
  // node16 also checks the package's declaration files; bundler skips them (checked once is enough).
  for (const [module, resolution, libCheck] of [
    ["node16", "node16", []],
    ["esnext", "bundler", ["--skipLibCheck"]],
  ] as const) {
    it(`compile with the built @skew/sdk under ${resolution} module resolution`, async function () {
      const files = readdirSync(EXAMPLES)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(EXAMPLES, f));
      const tsc = path.join(ROOT, "node_modules", ".bin", "tsc");
      const flags = ["--noEmit", "--strict", "--target", "es2022", "--types", "node", ...libCheck];
      await run(tsc, [...flags, "--module", module, "--moduleResolution", resolution, ...files], { cwd: ROOT });
    });
  }

  it("quote-and-swap: quotes equal the pool's views, the client's swap pays what it reports", async function () {
    const w = await loadWorld();
    await mine(1); // a reverted snapshot sits in the past of the next block: bring "latest" to now
    const lines: string[] = [];
    const { sell, buy } = await quoteWethUsdc(ethers.provider, w.a.ethPool, (m) => lines.push(m));
    const viewSell = await w.ethPool.quoteExactIn(0, E18);
    const viewBuy = await w.ethPool.quoteExactOut(1, E18);
    expect([sell.amountOut, buy.amountIn]).to.deep.equal([viewSell.amountOut, viewBuy.amountIn]);
    expect(lines[0]).to.equal(`1 WETH -> ${viewSell.amountOut} USDC units, fee 500 pips`);

    const before = await w.usdc.balanceOf(w.alice.address);
    const result = await sellOneWeth(w.alice, w.router, w.a.ethPool, (m) => lines.push(m));
    expect((await w.usdc.balanceOf(w.alice.address)) - before).to.equal(result.amountOut);
    expect(result.amountOut).to.equal(viewSell.amountOut);

    // the typed error branch
    await w.ethPool.connect(w.admin).setOracleMaxAge(1);
    await mine(1, { interval: 5 });
    const failed = await sellOneWeth(w.alice, w.router, w.a.ethPool, (m) => lines.push(m)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).to.be.instanceOf(StaleOracleError);
    expect(lines[lines.length - 1]).to.match(/^oracle unavailable: stale oracle/);
  });

  it("route-and-watch: a permit route WETH -> USDC -> WBTC, seen by the swap watcher", async function () {
    const w = await loadWorld();
    await mine(1); // a reverted snapshot sits in the past of the next block: bring "latest" to now
    const seen: string[] = [];
    const stop = await watchSwaps(ethers.provider, w.a.btcPool, (m) => seen.push(m));
    const before = await w.wbtc.balanceOf(w.alice.address);
    const { quote, minAmountOut, swaps } = await wethToWbtc(w.alice, w.router, w.a.ethPool, w.a.btcPool);
    const got = (await w.wbtc.balanceOf(w.alice.address)) - before;
    expect(got).to.equal(quote.amountOut);
    expect(got >= minAmountOut).to.equal(true);
    expect(got > E8 / 10n).to.equal(true); // 5 WETH at 3000 is about 0.25 WBTC
    expect(swaps.map((s) => s.pool)).to.deep.equal([w.a.ethPool, w.a.btcPool]);
    for (let i = 0; i < 100 && seen.length === 0; i++) {
      await mine(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    await stop();
    expect(seen).to.deep.equal([
      `sellQuote: ${swaps[1].amountIn} -> ${swaps[1].amountOut}, fee ${swaps[1].feePips} pips`,
    ]);
  });

  it("the README quotes every example file verbatim", function () {
    expect(existsSync(README), "README.md").to.equal(true);
    const readme = readFileSync(README, "utf8");
    const blocks = [...readme.matchAll(/```ts\n(\/\/ sdk\/examples\/([\w.-]+)\n[\s\S]*?)```/g)];
    expect(blocks.map((b) => b[2]).sort()).to.deep.equal(
      readdirSync(EXAMPLES)
        .filter((f) => f.endsWith(".ts"))
        .sort(),
    );
    for (const [, body, file] of blocks) {
      const source = readFileSync(path.join(EXAMPLES, file), "utf8");
      expect(body.trim(), `README block for ${file}`).to.equal(source.trim());
    }
  });
});
