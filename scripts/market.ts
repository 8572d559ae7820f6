/**
 * `npm run market`: a live market on a local node that has a deployment record
 * (`npm run deploy -- --network localhost` first). Each step advances the chain clock, moves
 * the mock feeds (seeded random walk with jumps), sends noise trades, an optional one-sided
 * flow and the arbitrage, and runs the keeper; progress is printed every step.
 */
import { Command } from "commander";
import { DEPLOYMENTS_DIR, loadDeployment } from "../sdk/deployments";
import { choiceArg, intArg, numArg } from "./lib/demoArgs";
import { DEFAULT_MARKET, describeStep, MarketDriver } from "./lib/market";
import type { MarketConfig } from "./lib/market";
import { connectJsonRpc, rpcUrl } from "./lib/network";

interface Options {
  network: string;
  deploymentsDir: string;
  steps: number;
  interval: number;
  seed: number;
  sigma: number;
  stepSeconds: number;
  noiseUsd: number;
  flowUsd: number;
  flowSide: "sellBase" | "sellQuote";
  flowPool?: string;
  keeperEvery: number;
  arbitrage: boolean;
}

async function main(): Promise<void> {
  const o = new Command()
    .name("market")
    .description("Drive a local Skew deployment: feeds, noise trades, one-sided flow, arbitrage and the keeper")
    .option("--network <name>", "network with a deployment record (local chains only)", "localhost")
    .option("--deployments-dir <dir>", "folder of the deployment records", DEPLOYMENTS_DIR)
    .option("--steps <n>", "steps to run (0: until stopped)", intArg(0), 0)
    .option("--interval <ms>", "wall-clock pause between steps", intArg(0, 3_600_000), 2000)
    .option("--seed <n>", "random seed", intArg(0), DEFAULT_MARKET.seed)
    .option("--sigma <x>", "annualised volatility", numArg(0, 10), DEFAULT_MARKET.sigma)
    .option("--step-seconds <n>", "chain seconds per step", intArg(0, 86_400), DEFAULT_MARKET.stepSeconds)
    .option("--noise-usd <x>", "median noise order, USD", numArg(0), DEFAULT_MARKET.noiseUsd)
    .option("--flow-usd <x>", "one-sided flow per step, USD (0: none)", numArg(0), DEFAULT_MARKET.flowUsd)
    .option(
      "--flow-side <side>",
      "side of the one-sided flow",
      choiceArg(["sellBase", "sellQuote"] as const),
      DEFAULT_MARKET.flowSide,
    )
    .option("--flow-pool <name>", "pool of the one-sided flow (default: the first)")
    .option("--keeper-every <n>", "run the keeper every n steps (0: never)", intArg(0), DEFAULT_MARKET.keeperEvery)
    .option("--no-arbitrage", "no arbitrageur")
    .parse()
    .opts<Options>();
  const record = loadDeployment(o.network, o.deploymentsDir);
  if (record === undefined)
    throw new Error(`no deployment record for ${o.network}: run \`npm run deploy -- --network ${o.network}\` first`);
  const provider = await connectJsonRpc(rpcUrl(o.network));
  const signers = await Promise.all([0, 1, 5, 6, 7, 8, 9].map((i) => provider.getSigner(i)));
  const [funder, keeper, ...rest] = signers;
  const config: MarketConfig = {
    ...DEFAULT_MARKET,
    seed: o.seed,
    sigma: o.sigma,
    stepSeconds: o.stepSeconds,
    noiseUsd: o.noiseUsd,
    flowUsd: o.flowUsd,
    flowSide: o.flowSide,
    flowPool: o.flowPool,
    keeperEvery: o.keeperEvery,
    arbitrage: o.arbitrage,
  };
  console.log(`market: ${Object.keys(record.pools).join(", ")} on ${o.network}; funding traders…`);
  const market = await MarketDriver.create(
    provider,
    record,
    { funder, traders: rest.slice(0, 4), arbitrageur: rest[4], keeper },
    config,
  );
  let stop = false;
  process.once("SIGINT", () => (stop = true));
  process.once("SIGTERM", () => (stop = true));
  for (let i = 0; !stop && (o.steps === 0 || i < o.steps); i++) {
    console.log(describeStep(await market.step()));
    if (o.interval > 0) await new Promise((r) => setTimeout(r, o.interval));
  }
  provider.destroy();
}

main().catch((e: unknown) => {
  console.error(`market: ${(e as Error).message}`);
  process.exitCode = 1;
});
