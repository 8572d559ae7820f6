/**
 * `skew-keeper` (and `npm run keeper`): runs the retuning keeper (./runner) for a fleet of pools with
 * one process and one key.
 *
 *   skew-keeper --network localhost                                   # every pool in the record
 *   skew-keeper --network localhost --pool WETH/USDC --pool WBTC/USDC --once --dry-run
 *   RPC_URL=https://… KEEPER_PRIVATE_KEY=0x… skew-keeper --network sepolia --pools-file pools.json
 *
 * Pools: repeated `--pool` (a name from the deployment record or an address; comma-separated lists
 * work too), and/or `--pools-file` (JSON: an array, or `{ "pools": [...] }`, of names, addresses or
 * `{ "name", "address" }`); with neither, every pool of the deployment record.
 *
 * Network and RPC: `localhost` uses http://127.0.0.1:8545 unless `RPC_URL` is set; any other network
 * needs `RPC_URL`. The network name selects the deployment record `deployments/<network>.json` (in the
 * working directory, or `--deployments-dir`), used to resolve pool names, to check the chain id, and
 * to check that every pool is registered in the record's factory. A known network name (localhost,
 * mainnet, sepolia, ...) is also checked against the RPC's chain id when there is no record.
 *
 * Key: `KEEPER_PRIVATE_KEY`. On `localhost` only, it defaults to Hardhat's well-known development
 * account #1 (0x70997970C51812dc3A010C7d01b50e0d17dc79C8, from the public mnemonic "test test … junk"):
 * the account the local deployment makes keeper. That key is public; never use it on a real network.
 *
 * Exit codes: 0 after `--once` or after SIGINT/SIGTERM (the current tick finishes first; a second
 * signal exits at once with 130); 1 when the keeper refuses to start (bad options, unknown pool, no
 * KEEPER_ROLE, wrong chain, unreachable RPC), or when a `--once` tick fails or one of its updates
 * reverts (a pending one exits 0: the next run adopts it).
 *
 * Plain ethers and the typechain factories only: no Hardhat at run time. `npm run build:keeper`
 * bundles this file into `keeper/dist/skew-keeper.js` (see keeper/build.mjs).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { getAddress, isAddress, parseUnits, Wallet } from "ethers";
import type { Provider } from "ethers";
import { loadDeployment, resolvePool, UnknownPoolNameError } from "../sdk/deployments";
import type { DeploymentRecord } from "../sdk/deployments";
import {
  checkNetworkChainId,
  connectJsonRpc as connectJsonRpcShared,
  LOCALHOST_RPC,
  rpcUrl,
} from "../scripts/lib/network";
import { PolicyConfigError, parsePolicyConfig } from "./config";
import type { PolicyConfig } from "./config";
import { createLogger, isLogLevel, LOG_LEVELS } from "./log";
import type { Logger, LogLevel } from "./log";
import { healthCheck, KeeperMetrics, parseListen, startMetricsServer } from "./metrics";
import type { MetricsServer } from "./metrics";
import { KeeperRunner, KeeperStartupError, logTick } from "./runner";
import type { FleetPool } from "./runner";

/** Hardhat's development account #1 (public key material; `localhost` only). */
export const HARDHAT_ACCOUNT_1_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/** The default local node. */
export const LOCALHOST_RPC_URL = LOCALHOST_RPC;

/** Parsed command-line options. */
export interface CliOptions {
  network: string;
  pool: string[];
  poolsFile?: string;
  once: boolean;
  dryRun: boolean;
  interval: number;
  config?: string;
  metricsListen?: string;
  metricsPort?: number;
  healthMaxAge?: number;
  gasPriceCap?: bigint;
  txTimeout: number;
  bumpAfter: number;
  bumpPercent: number;
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

function atLeast(name: string, min: number) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < min) throw new InvalidArgumentError(`${name} must be a number >= ${min}`);
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

/** Repeated `--pool` values, comma-separated lists split. */
function collectPools(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
  ];
}

function listenAddress(v: string): string {
  try {
    parseListen(v);
    return v;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** The command-line definition. */
export function buildCommand(): Command {
  return new Command("skew-keeper")
    .description("Retunes Skew pools' k, fees and tau from their markets, inside the admins' bounds.")
    .requiredOption("--network <name>", "network: localhost, or any name with RPC_URL set")
    .option(
      "--pool <name|address>",
      "a pool (name in deployments/<network>.json, or address); repeat or comma-separate for more",
      collectPools,
      [],
    )
    .option("--pools-file <file>", "JSON file listing the pools (names, addresses or {name, address})")
    .option("--once", "run one tick and exit", false)
    .option("--dry-run", "decide and log, never send a transaction", false)
    .option("--interval <seconds>", "seconds between ticks", positiveNumber("--interval"), 60)
    .option("--config <file>", "JSON file of policy overrides (see keeper/config.ts)")
    .option("--metrics-listen <host:port>", "serve /metrics and /healthz there (e.g. 127.0.0.1:9464)", listenAddress)
    .option("--metrics-port <n>", "shorthand for --metrics-listen 127.0.0.1:<n>", integerIn("--metrics-port", 0, 65535))
    .option(
      "--health-max-age <seconds>",
      "/healthz turns 503 when no tick succeeded for this long (default: 3 intervals + the tx timeout)",
      positiveNumber("--health-max-age"),
    )
    .option("--gas-price-cap <gwei>", "do not send while the gas price is above this; replacements stay under it", gwei)
    .option(
      "--tx-timeout <seconds>",
      "how long a tick waits for its updates to be mined",
      positiveNumber("--tx-timeout"),
      30,
    )
    .option(
      "--bump-after <seconds>",
      "replace a pending update with bumped fees after this long",
      atLeast("--bump-after", 0),
      120,
    )
    .option("--bump-percent <p>", "fee increase per replacement, percent (>= 10)", atLeast("--bump-percent", 10), 12.5)
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info"))
    .option("--deployments-dir <dir>", "folder of the deployment records", path.resolve("deployments"))
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

/** Reads a JSON file, its failure as a CLI error. */
function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
}

/** Reads and validates the policy overrides file. */
export function loadPolicyFile(file: string | undefined): PolicyConfig {
  if (file === undefined) return parsePolicyConfig(undefined);
  const json = readJson(file, "policy config");
  try {
    return parsePolicyConfig(json);
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The entries of a pools file: names, addresses or `{ name, address }`. */
export function parsePoolsFile(json: unknown, file: string): (string | FleetPool)[] {
  const list = Array.isArray(json) ? json : (json as { pools?: unknown } | null)?.pools;
  if (!Array.isArray(list)) throw new CliError(`${file}: expected an array of pools or { "pools": [...] }`);
  return list.map((entry, i) => {
    if (typeof entry === "string") return entry;
    const e = entry as { name?: unknown; address?: unknown } | null;
    if (e !== null && typeof e === "object" && typeof e.address === "string" && isAddress(e.address)) {
      return { name: typeof e.name === "string" ? e.name : getAddress(e.address), address: getAddress(e.address) };
    }
    throw new CliError(`${file}: pools[${i}] must be a name, an address or { "name", "address" }`);
  });
}

/**
 * The fleet: `--pool` values and the pools file, or every pool of the record when neither is given.
 * Names resolve through the record; addresses get their record name when they have one. Duplicates
 * (the same address twice) are dropped.
 */
export function resolveFleet(
  options: Pick<CliOptions, "pool" | "poolsFile" | "network">,
  record: DeploymentRecord | undefined,
): FleetPool[] {
  const entries: (string | FleetPool)[] = [...options.pool];
  if (options.poolsFile !== undefined) {
    entries.push(...parsePoolsFile(readJson(options.poolsFile, "pools file"), options.poolsFile));
  }
  if (entries.length === 0) {
    const names = Object.keys(record?.pools ?? {});
    if (names.length === 0) {
      throw new CliError(
        `no pools: give --pool or --pools-file (deployments/${options.network}.json lists none or is missing)`,
      );
    }
    entries.push(...names);
  }
  const nameOf = new Map(Object.entries(record?.pools ?? {}).map(([name, p]) => [getAddress(p.address), name]));
  const fleet = new Map<string, FleetPool>();
  for (const entry of entries) {
    const pool =
      typeof entry === "string"
        ? { name: "", address: resolvePool(entry, record, options.network) }
        : { name: entry.name, address: entry.address };
    pool.name = pool.name || (nameOf.get(pool.address) ?? pool.address);
    if (!fleet.has(pool.address)) fleet.set(pool.address, pool);
  }
  return [...fleet.values()];
}

/** The factory the pools must be registered in, from the deployment record (if it has one). */
export function factoryFromRecord(record: DeploymentRecord | undefined): string | undefined {
  if (record === undefined) return undefined;
  const entry =
    record.contracts.SkewFactory ?? Object.values(record.contracts).find((c) => c.contract === "SkewFactory");
  return entry?.address;
}

/** The shared connector, its failure as a CLI error. */
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
  if (o.metricsListen !== undefined && o.metricsPort !== undefined) {
    throw new CliError("give --metrics-listen or --metrics-port, not both");
  }
  return { ...o, logLevel: o.logLevel };
}

/** The provider's request counter, when it has one (the CLI's default provider does). */
function callCounter(provider: Provider): (() => number) | undefined {
  const counted = provider as Provider & { calls?: unknown };
  return typeof counted.calls === "number" ? () => counted.calls as number : undefined;
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
    deps.stderr(`skew-keeper: ${(err as Error).message}`);
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
    const pools = resolveFleet(options, record);
    let signer: Wallet;
    try {
      signer = new Wallet(key);
    } catch {
      throw new CliError("KEEPER_PRIVATE_KEY is not a valid private key (32 bytes, hex)");
    }
    provider = await deps.connect(url);
    signer = signer.connect(provider);
    const chainId = Number((await provider.getNetwork()).chainId);
    try {
      checkNetworkChainId(options.network, chainId);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    if (isDefault) {
      logger.warn({ event: "default-key", keeper: signer.address }, "using Hardhat's public development key #1");
    }
    const metrics = new KeeperMetrics();
    const runner = new KeeperRunner({
      provider,
      signer,
      pools,
      policy,
      dryRun: options.dryRun,
      intervalMs: options.interval * 1000,
      gasPriceCap: options.gasPriceCap,
      txTimeoutMs: options.txTimeout * 1000,
      bumpAfterMs: options.bumpAfter * 1000,
      bumpPercent: options.bumpPercent,
      rpcCalls: callCounter(provider),
      logger,
      metrics,
    });
    await runner.preflight({ factory: factoryFromRecord(record), chainId: record?.chainId });
    const listen =
      options.metricsListen !== undefined
        ? parseListen(options.metricsListen)
        : options.metricsPort !== undefined
          ? { host: "127.0.0.1", port: options.metricsPort }
          : undefined;
    if (listen !== undefined) {
      const maxAgeMs = (options.healthMaxAge ?? 3 * options.interval + options.txTimeout) * 1000;
      server = await startMetricsServer(metrics.registry, listen.port, listen.host, healthCheck(metrics, maxAgeMs));
      logger.info(
        {
          event: "metrics",
          url: `http://${server.host}:${server.port}/metrics`,
          healthz: `http://${server.host}:${server.port}/healthz`,
        },
        "metrics endpoint up",
      );
    }
    if (options.once) {
      try {
        const result = await runner.tick();
        logTick(logger, result);
        const failed = result.pools.filter((r) => r.status === "tx-failed" || r.status === "error");
        for (const f of failed) deps.stderr(`skew-keeper: ${f.name}: ${f.status}`);
        return failed.length > 0 ? 1 : 0;
      } catch (err) {
        logger.error({ event: "tick-failed", err }, "tick failed");
        deps.stderr(`skew-keeper: tick failed: ${(err as Error).message}`);
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
      deps.stderr(`skew-keeper: refusing to start: ${err.message}`);
      return 1;
    }
    logger.error({ event: "fatal", err }, "keeper failed to start");
    deps.stderr(`skew-keeper: failed to start: ${(err as Error).message}`);
    return 1;
  } finally {
    await server?.close();
    provider?.destroy();
  }
}

/** Runs the CLI as the process (the binary's and `npm run keeper`'s entry). */
export function main(): void {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`skew-keeper: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
