/**
 * `@skew/abi`: the Skew contracts' ABIs (every Skew custom error included in each) and deployment
 * records, generated at build time from the Hardhat artifacts. The ABIs are `as const`, so viem
 * and abitype infer argument and return types; the same ABIs ship as plain JSON under
 * `@skew/abi/json/<Contract>.json` and the records under `@skew/abi/deployments/<network>.json`.
 */
import * as generated from "./generated";

export {
  AggregatorV3InterfaceAbi,
  SkewErrorsAbi,
  SkewFactoryAbi,
  SkewPoolAbi,
  SkewRouterAbi,
  SkewStateLensAbi,
  SkewStateLensBytecode,
} from "./generated";

/** One contract of a deployment record (see the SDK's `DeploymentRecord` for every field). */
export interface RecordedContract {
  address: string;
  /** The contract's name in the artifacts, e.g. "SkewRouter", "SkewPool". */
  contract: string;
  txHash: string;
  block: number;
  codeHash: string;
}

/** A deployment record as written by the deploy script: contracts and pools by name. */
export interface DeploymentRecord {
  network: string;
  chainId: number;
  commit: string;
  contracts: Record<string, RecordedContract>;
  pools: Record<string, RecordedContract & { base: string; quote: string; feed: string }>;
}

/** The deployment records present when the package was built, by network name. */
export const deployments = generated.deploymentRecords as Record<string, DeploymentRecord>;

/** The shipped ABIs by contract name. */
export const abis = {
  SkewPool: generated.SkewPoolAbi,
  SkewFactory: generated.SkewFactoryAbi,
  SkewRouter: generated.SkewRouterAbi,
  SkewStateLens: generated.SkewStateLensAbi,
  AggregatorV3Interface: generated.AggregatorV3InterfaceAbi,
  SkewErrors: generated.SkewErrorsAbi,
} as const;
