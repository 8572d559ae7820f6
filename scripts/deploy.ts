/**
 * `npm run deploy -- --network <name> [--reset] [--force-max-age]`: deploys the libraries, factory,
 * router, one Skew oracle per feed (with the config's `oracle` section) and the pools of
 * `scripts/config/<network>.json` (plus mocks and seed liquidity on local chains), and writes
 * `deployments/<network>.json`. Re-running reuses what the record has and the chain still
 * holds; --reset starts over.
 *
 * Environment: RPC_URL (required except for localhost), DEPLOYER_PRIVATE_KEY (required except
 * for localhost, where the node's first unlocked account signs).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { DEPLOYMENTS_DIR, deploymentPath, loadDeployment } from "../sdk/deployments";
import { deploy, loadDeployConfig } from "./lib/deploy";
import { connectJsonRpc, rpcUrl, signerFor } from "./lib/network";

async function main(): Promise<void> {
  const opts = new Command()
    .name("deploy")
    .description("Deploy Skew (factory, router, pools) and record it under deployments/")
    .option("--network <name>", "network name (config and record file name)", "localhost")
    .option("--reset", "ignore the existing record and deploy everything anew", false)
    .option("--config <file>", "deploy config (default scripts/config/<network>.json)")
    .option("--deployments-dir <dir>", "folder of the deployment records", DEPLOYMENTS_DIR)
    .option("--force-max-age", "accept a pool oracleMaxAge above its feed's heartbeat plus the margin", false)
    .parse()
    .opts<{ network: string; reset: boolean; config?: string; deploymentsDir: string; forceMaxAge: boolean }>();

  const provider = await connectJsonRpc(rpcUrl(opts.network));
  provider.pollingInterval = 500; // receipts of a deployment: check often
  const signer = await signerFor(provider, opts.network, "DEPLOYER_PRIVATE_KEY", 0);
  const config = opts.config
    ? loadDeployConfig(path.basename(opts.config, ".json"), path.dirname(path.resolve(opts.config)))
    : loadDeployConfig(opts.network);
  const record = await deploy({
    signer,
    network: opts.network,
    config,
    previous: loadDeployment(opts.network, opts.deploymentsDir),
    reset: opts.reset,
    forceMaxAge: opts.forceMaxAge,
    log: (line) => console.log(line),
  });
  const file = deploymentPath(opts.network, opts.deploymentsDir);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  provider.destroy();
}

main().catch((e: unknown) => {
  console.error(`deploy failed: ${(e instanceof Error ? e.message : String(e)).slice(0, 500)}`);
  process.exitCode = 1;
});
