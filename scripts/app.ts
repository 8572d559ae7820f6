/**
 * `npm run app`: the web app on a local chain. Starts `hardhat node`, deploys with the regular
 * deploy code (`scripts/config/localhost.json`, record written to `deployments/localhost.json`),
 * builds the app, serves it as static files with the node's URL in its `config.json`, and runs
 * the market driver in the background so prices move, trades happen and the keeper acts.
 * Ctrl-C stops everything.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { buildApp } from "../app/build";
import { serveStatic } from "../app/serve";
import { deploymentPath } from "../sdk/deployments";
import { intArg } from "./lib/demoArgs";
import { deploy, loadDeployConfig } from "./lib/deploy";
import { startLocalNode } from "./lib/localNode";
import { DEFAULT_MARKET, describeStep, MarketDriver } from "./lib/market";
import { providerFor } from "./lib/network";

interface Options {
  port: number;
  appPort: number;
  interval: number;
  seed: number;
  market: boolean;
  quiet: boolean;
}

async function main(): Promise<void> {
  const o = new Command()
    .name("app")
    .description("Run the Skew web app against a fresh local node with a live market")
    .option("--port <n>", "JSON-RPC port of the node (0: any free port)", intArg(0, 65535), 8545)
    .option("--app-port <n>", "port of the web app (0: any free port)", intArg(0, 65535), 5173)
    .option("--interval <ms>", "wall-clock pause between market steps", intArg(100, 3_600_000), 3000)
    .option("--seed <n>", "market seed", intArg(0), DEFAULT_MARKET.seed)
    .option("--no-market", "no market driver (a still chain)")
    .option("--quiet", "print only the URL and errors", false)
    .parse()
    .opts<Options>();

  console.log("1/4 starting hardhat node…");
  const node = await startLocalNode({ port: o.port === 0 ? undefined : o.port });
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await server?.close();
    await node.stop();
    process.exit(code);
  };
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));
  try {
    const provider = providerFor(node.url);
    console.log(`2/4 deploying to ${node.url}…`);
    const record = await deploy({
      signer: await provider.getSigner(0),
      network: "localhost",
      config: loadDeployConfig("localhost"),
      log: o.quiet ? undefined : (l) => console.log(`    ${l}`),
    });
    const file = deploymentPath("localhost");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
    console.log("3/4 building the app (vite build)…");
    const dist = await buildApp();
    server = await serveStatic(
      dist,
      {
        "/config.json": () => ({ rpc: node.url, deployment: "./deployments/localhost.json" }),
        "/deployments/localhost.json": () => record,
      },
      o.appPort,
    );
    console.log(
      `4/4 serving the app\n\n    Skew app: ${server.url}\n    JSON-RPC: ${node.url} (chain 31337; import a Hardhat test account into your wallet to trade)\n`,
    );
    if (!o.market) return;
    const signers = await Promise.all([0, 1, 5, 6, 7, 8, 9].map((i) => provider.getSigner(i)));
    const [funder, keeper, ...rest] = signers;
    const market = await MarketDriver.create(
      provider,
      record,
      { funder, traders: rest.slice(0, 4), arbitrageur: rest[4], keeper },
      { ...DEFAULT_MARKET, seed: o.seed },
    );
    console.log("market driver running (Ctrl-C stops everything)");
    while (!stopping) {
      const r = await market.step();
      if (!o.quiet) console.log(describeStep(r));
      await new Promise((res) => setTimeout(res, o.interval));
    }
  } catch (e) {
    console.error(`app: ${(e as Error).message}`);
    await stop(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
