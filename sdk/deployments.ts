/**
 * Deployment records: `deployments/<network>.json`, written by `scripts/deploy.ts` and read by
 * the keeper, the demo and integrators to find contracts by name. Records of public networks also
 * ship in `@skew/abi` (`deployments["<network>"]`), which `resolvePool` takes as well.
 */
// Namespace imports, read only when a record is loaded: bundling the SDK for a browser (where
// there is no file system) leaves these unused rather than failing on missing named exports.
import * as fs from "node:fs";
import * as path from "node:path";
import { getAddress, isAddress } from "ethers";
import { SkewError } from "./errors";

/** One deployed contract: where it is and how it got there. */
export interface DeployedContract {
  address: string;
  /** Contract name in the artifacts (e.g. "SkewFactory", "MockERC20"). */
  contract: string;
  txHash: string;
  block: number;
  /** Constructor (or factory call) arguments, JSON-safe (bigints as decimal strings). */
  args: unknown[];
  /** keccak256 of the runtime code found at `address` right after deployment. */
  codeHash: string;
  /** keccak256 of the creation code it was deployed from (detects changed sources). */
  artifactHash: string;
}

/** A pool created through the factory. */
export interface DeployedPool extends DeployedContract {
  base: string;
  quote: string;
  /** The oracle the pool prices from: a Skew oracle (`ChainlinkOracle`) or, without one, the feed itself. */
  feed: string;
  /** The Chainlink feed behind a Skew oracle (absent when the pool reads the feed directly). */
  source?: string;
}

/** Everything the deploy script did on one network. */
export interface DeploymentRecord {
  network: string;
  chainId: number;
  /** Git commit of the code that was deployed. */
  commit: string;
  compiler: { version: string; optimizer: { enabled: boolean; runs: number }; evmVersion: string };
  deployer: string;
  /** Core and mock contracts by name ("SkewFactory", "SkewRouter", "WETH", "ETH/USD feed", ...). */
  contracts: Record<string, DeployedContract>;
  /** Pools by name ("WETH/USDC", ...). */
  pools: Record<string, DeployedPool>;
  updatedAt: string;
}

/**
 * The default folder of deployment records: `SKEW_DEPLOYMENTS_DIR` when set, else `deployments/`
 * in the working directory (the repository root for `npm run` scripts; your project's folder when
 * the SDK is installed as a package). Read once, when the SDK is loaded.
 */
export const DEPLOYMENTS_DIR: string =
  typeof process === "undefined" ? "deployments" : path.resolve(process.env.SKEW_DEPLOYMENTS_DIR ?? "deployments");

/** Path of a network's record. */
export function deploymentPath(network: string, dir = DEPLOYMENTS_DIR): string {
  return path.join(dir, `${network}.json`);
}

/** Reads a network's record from `dir` (default {@link DEPLOYMENTS_DIR}), or undefined when there is none. */
export function loadDeployment(network: string, dir = DEPLOYMENTS_DIR): DeploymentRecord | undefined {
  const file = deploymentPath(network, dir);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentRecord;
}

/** Unknown pool: neither a name in the record nor an address. */
export class UnknownPoolNameError extends SkewError {
  constructor(pool: string, network: string, known: string[]) {
    super(`unknown pool "${pool}" on ${network}: known pools are ${known.length ? known.join(", ") : "none"}`);
  }
}

/** Resolves a pool given by name (as in the record) or by address to its checksummed address. */
export function resolvePool(nameOrAddress: string, record: DeploymentRecord | undefined, network: string): string {
  if (isAddress(nameOrAddress)) return getAddress(nameOrAddress);
  const pool = record?.pools[nameOrAddress];
  if (pool === undefined) throw new UnknownPoolNameError(nameOrAddress, network, Object.keys(record?.pools ?? {}));
  return getAddress(pool.address);
}
