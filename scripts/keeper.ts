/**
 * `npm run keeper`: runs the retuning keeper (keeper/runner.ts) against one pool.
 *
 *   npm run keeper -- --network localhost --pool WETH/USDC --once --dry-run
 *   RPC_URL=https://… KEEPER_PRIVATE_KEY=0x… npm run keeper -- --network sepolia --pool 0xPool --interval 120
 *
 * Network and RPC: `localhost` uses http://127.0.0.1:8545 unless `RPC_URL` is set; any other network
 * needs `RPC_URL`. The network name also selects the deployment record `deployments/<network>.json`,
 * used to resolve pool names, to check the chain id, and to check that the pool is registered in the
 * record's factory.
 *
 * Key: `KEEPER_PRIVATE_KEY`. On `localhost` only, it defaults to Hardhat's well-known development
 * account #1 (0x70997970C51812dc3A010C7d01b50e0d17dc79C8, key 0x59c6…690d from the public mnemonic
 * "test test … junk"): the account the local deployment makes keeper. That key is public; never use it
 * on a real network.
 *
 * Exit codes: 0 after `--once` or after SIGINT/SIGTERM (the current tick finishes first; a second
 * signal exits at once with 130); 1 when the keeper refuses to start (bad options, unknown pool, no
 * KEEPER_ROLE, unreachable RPC), or when a `--once` tick fails or its update transaction reverts or is
 * replaced (an unconfirmed one exits 0: the next run waits for it).
 *
 * Plain ethers and the typechain factories only: no Hardhat at run time (run `npm run compile` once to
 * generate `typechain-types/`).
 */
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { parseUnits, Wallet } from "ethers";
import type { Provider } from "ethers";
import { PolicyConfigError, parsePolicyConfig } from "../keeper/config";
import type { PolicyConfig } from "../keeper/config";
import { createLogger, isLogLevel, LOG_LEVELS } from "../keeper/log";
import type { Logger, LogLevel } from "../keeper/log";
import { KeeperMetrics, startMetricsServer } from "../keeper/metrics";
import type { MetricsServer } from "../keeper/metrics";
import { KeeperRunner, KeeperStartupError } from "../keeper/runner";
import { DEPLOYMENTS_DIR, loadDeployment, resolvePool, UnknownPoolNameError } from "../sdk/deployments";
import type { DeploymentRecord } from "../sdk/deployments";
import { connectJsonRpc as connectJsonRpcShared, LOCALHOST_RPC, rpcUrl } from "./lib/network";

/** Hardhat's development account #1 (public key material; `localhost` only). */
export const HARDHAT_ACCOUNT_1_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/** The default local node. */
export const LOCALHOST_RPC_URL = LOCALHOST_RPC;

/** Parsed command-line options. */
export interface CliOptions {
  network: string;
  pool: string;
  once: boolean;
  dryRun: boolean;
  interval: number;
  config?: string;
  metricsPort?: number;
  gasPriceCap?: bigint;
  txTimeout: number;
  confirmations: number;
  logLevel: LogLevel;
  deploymentsDir: string;
}

/** What the CLI needs from its surroundings; tests replace parts of it. */
export interface CliDeps {
  env: Record<string, string | undefined>;
  /** Human-readable errors (default: process.stderr). */
  stderr: (line: string) => void;
  /** Builds the provider for an RPC URL (default: {@link connectJsonRpc}). */
  connect: (url: string) => Promise<Provider>;
  /** The logger (default: JSON lines on stdout at the chosen level). */
  logger?: Logger;
  /** Registers a handler for SIGINT/SIGTERM; returns its remover (default: process signals). */
  onSignal: (handler: (signal: string) => void) => () => void;
}

/** A usage or configuration problem: exit 1 with the message. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

function positiveNumber(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return x;
  };
}

function integerIn(name: string, min: number, max: number) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min || x > max) {
      throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
    }
    return x;
  };
}

function gwei(v: string): bigint {
  try {
    const wei = parseUnits(v, "gwei");
    if (wei <= 0n) throw new Error("not positive");
    return wei;
  } catch {
    throw new InvalidArgumentError("the gas price cap must be a positive number of gwei (e.g. 30 or 0.5)");
  }
}

/** The command-line definition. */
export function buildCommand(): Command {
  return new Command("keeper")
    .description("Retunes a Skew pool's k, fees and tau from its market, inside the admin's bounds.")
    .requiredOption("--network <name>", "network: localhost, or any name with RPC_URL set")
    .requiredOption("--pool <name|address>", "pool name in deployments/<network>.json, or its address")
    .option("--once", "run one tick and exit", false)
    .option("--dry-run", "decide and log, never send a transaction", false)
    .option("--interval <seconds>", "seconds between ticks", positiveNumber("--interval"), 60)
    .option("--config <file>", "JSON file of policy overrides (see keeper/config.ts)")
    .option(
      "--metrics-port <n>",
      "serve Prometheus metrics on 127.0.0.1:<n>/metrics",
      integerIn("--metrics-port", 0, 65535),
    )
    .option("--gas-price-cap <gwei>", "do not send while the gas price is above this many gwei", gwei)
    .option("--tx-timeout <seconds>", "wait this long for an update to confirm", positiveNumber("--tx-timeout"), 180)
    .option("--confirmations <n>", "confirmations to wait for", integerIn("--confirmations", 1, 100), 1)
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info"))
    .option("--deployments-dir <dir>", "folder of the deployment records", DEPLOYMENTS_DIR)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) });
}

/** The RPC URL for `network` (see the module doc; shared with the deploy script). */
export function rpcUrlFor(network: string, env: CliDeps["env"]): string {
  try {
    return rpcUrl(network, env);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** The keeper's private key (see the module doc). */
export function keeperKeyFor(network: string, env: CliDeps["env"]): { key: string; isDefault: boolean } {
  const key = env.KEEPER_PRIVATE_KEY?.trim();
  if (key) return { key, isDefault: false };
  if (network === "localhost") return { key: HARDHAT_ACCOUNT_1_KEY, isDefault: true };
  throw new CliError(`KEEPER_PRIVATE_KEY is not set: it is required for --network ${network}`);
}

/** Reads and validates the policy overrides file. */
export function loadPolicyFile(file: string | undefined): PolicyConfig {
  if (file === undefined) return parsePolicyConfig(undefined);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError(`cannot read the policy config ${file}: ${(err as Error).message}`);
  }
  try {
    return parsePolicyConfig(json);
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The factory the pool must be registered in, from the deployment record (if it has one). */
export function factoryFromRecord(record: DeploymentRecord | undefined): string | undefined {
  if (record === undefined) return undefined;
  const entry =
    record.contracts.SkewFactory ?? Object.values(record.contracts).find((c) => c.contract === "SkewFactory");
  return entry?.address;
}

/** {@link connectJsonRpcShared}, its failure as a CLI error. */
export async function connectJsonRpc(url: string): Promise<Provider> {
  try {
    return await connectJsonRpcShared(url);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Default surroundings: the real process. */
export function processDeps(): CliDeps {
  return {
    env: process.env,
    stderr: (line) => process.stderr.write(`${line}\n`),
    connect: connectJsonRpc,
    onSignal: (handler) => {
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
      };
    },
  };
}

/** Parses argv (without the node and script entries) into options; throws CliError on bad input. */
export function parseArgs(argv: string[]): CliOptions {
  const cmd = buildCommand();
  try {
    cmd.parse(argv, { from: "user" });
  } catch (err) {
    const e = err as { code?: string; message: string; exitCode?: number };
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version") throw err;
    throw new CliError(e.message.replace(/^error: /, ""));
  }
  const o = cmd.opts<Omit<CliOptions, "logLevel"> & { logLevel: string }>();
  if (!isLogLevel(o.logLevel)) throw new CliError(`unknown log level ${o.logLevel}`);
  return { ...o, logLevel: o.logLevel };
}

/**
 * Runs the CLI; resolves to the process exit code. Refusals (bad options, unknown pool, no role, ...)
 * print one line to stderr and resolve to 1.
 */
export async function runCli(argv: string[], deps: CliDeps = processDeps()): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return 0;
    deps.stderr(`keeper: ${(err as Error).message}`);
    return 1;
  }
  const logger = deps.logger ?? createLogger({ level: options.logLevel });
  let provider: Provider | undefined;
  let server: MetricsServer | undefined;
  try {
    const url = rpcUrlFor(options.network, deps.env);
    const { key, isDefault } = keeperKeyFor(options.network, deps.env);
    const policy = loadPolicyFile(options.config);
    const record = loadDeployment(options.network, options.deploymentsDir);
    const pool = resolvePool(options.pool, record, options.network);
    let signer: Wallet;
    try {
      signer = new Wallet(key);
    } catch {
      throw new CliError("KEEPER_PRIVATE_KEY is not a valid private key (32 bytes, hex)");
    }
    provider = await deps.connect(url);
    signer = signer.connect(provider);
    if (isDefault) {
      logger.warn({ event: "default-key", keeper: signer.address }, "using Hardhat's public development key #1");
    }
    const metrics = new KeeperMetrics({ pool });
    const runner = new KeeperRunner({
      provider,
      signer,
      pool,
      policy,
      dryRun: options.dryRun,
      intervalMs: options.interval * 1000,
      gasPriceCap: options.gasPriceCap,
      txTimeoutMs: options.txTimeout * 1000,
      confirmations: options.confirmations,
      logger,
      metrics,
    });
    await runner.preflight({ factory: factoryFromRecord(record), chainId: record?.chainId });
    if (options.metricsPort !== undefined) {
      server = await startMetricsServer(metrics.registry, options.metricsPort);
      logger.info({ event: "metrics", url: `http://127.0.0.1:${server.port}/metrics` }, "metrics endpoint up");
    }
    if (options.once) {
      try {
        const result = await runner.tick();
        if (result.status === "tx-failed") deps.stderr(`keeper: the update transaction ${result.txHash} failed`);
        return result.status === "tx-failed" ? 1 : 0;
      } catch (err) {
        logger.error({ event: "tick-failed", err }, "tick failed");
        deps.stderr(`keeper: tick failed: ${(err as Error).message}`);
        return 1;
      }
    }
    let signals = 0;
    const removeHandler = deps.onSignal((signal) => {
      signals++;
      if (signals > 1) {
        logger.warn({ event: "signal", signal }, "second signal: exiting now");
        process.exit(130);
      }
      logger.info({ event: "signal", signal }, "stopping after the current tick");
      runner.stop();
    });
    try {
      await runner.run();
    } finally {
      removeHandler();
    }
    return 0;
  } catch (err) {
    if (err instanceof CliError || err instanceof KeeperStartupError || err instanceof UnknownPoolNameError) {
      logger.error({ event: "refused", err }, err.message);
      deps.stderr(`keeper: refusing to start: ${err.message}`);
      return 1;
    }
    logger.error({ event: "fatal", err }, "keeper failed to start");
    deps.stderr(`keeper: failed to start: ${(err as Error).message}`);
    return 1;
  } finally {
    await server?.close();
    provider?.destroy();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`keeper: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
