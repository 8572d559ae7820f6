/**
 * The chain as the app sees it: a read provider on the configured RPC, the deployment record,
 * token metadata, and an optional EIP-1193 wallet for writes.
 */
import { BrowserProvider, Contract, getAddress, JsonRpcProvider, Network } from "ethers";
import type { Eip1193Provider, JsonRpcSigner } from "ethers";
import type { AppConfig } from "./config";

/** The part of a deployment record (`sdk/deployments.ts` `DeploymentRecord`) the app reads. */
export interface DeploymentInfo {
  network: string;
  chainId: number;
  contracts: Record<string, { address: string; contract: string }>;
  pools: Record<string, { address: string; base: string; quote: string; feed: string; block?: number }>;
}

/** An ERC-20 token of the deployment. */
export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/** A pool of the deployment, by name, with its tokens. */
export interface PoolInfo {
  name: string;
  address: string;
  base: TokenInfo;
  quote: TokenInfo;
  feed: string;
  /** Block the pool was created in (0 if the record does not say): where event scans start. */
  fromBlock: number;
}

/** Everything loaded once at start-up. */
export interface Chain {
  config: AppConfig;
  provider: JsonRpcProvider;
  deployment: DeploymentInfo;
  router: string;
  pools: PoolInfo[];
  tokens: Map<string, TokenInfo>;
}

const ERC20_ABI = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function balanceOf(address) view returns (uint256)",
];

/** An ERC-20 contract for reads. */
export function erc20(address: string, provider: JsonRpcProvider | BrowserProvider): Contract {
  return new Contract(address, ERC20_ABI, provider);
}

/** Loads the deployment record and every pool's token metadata. */
export async function loadChain(config: AppConfig): Promise<Chain> {
  const res = await fetch(config.deployment, { cache: "no-store" });
  if (!res.ok) throw new Error(`cannot load the deployment record ${config.deployment} (HTTP ${res.status})`);
  const deployment = (await res.json()) as DeploymentInfo;
  const network = Network.from(deployment.chainId);
  const provider = new JsonRpcProvider(config.rpc, network, { staticNetwork: network, pollingInterval: 1000 });
  const router = deployment.contracts.SkewRouter?.address;
  if (router === undefined) throw new Error("the deployment record has no SkewRouter");
  const tokenAddresses = new Set<string>();
  for (const p of Object.values(deployment.pools)) {
    tokenAddresses.add(getAddress(p.base));
    tokenAddresses.add(getAddress(p.quote));
  }
  const tokens = new Map<string, TokenInfo>();
  await Promise.all(
    [...tokenAddresses].map(async (address) => {
      const c = erc20(address, provider);
      const [symbol, decimals] = await Promise.all([c.symbol() as Promise<string>, c.decimals() as Promise<bigint>]);
      tokens.set(address, { address, symbol, decimals: Number(decimals) });
    }),
  );
  const pools = Object.entries(deployment.pools).map(([name, p]) => ({
    name,
    address: getAddress(p.address),
    base: tokens.get(getAddress(p.base)) as TokenInfo,
    quote: tokens.get(getAddress(p.quote)) as TokenInfo,
    feed: getAddress(p.feed),
    fromBlock: p.block ?? 0,
  }));
  return { config, provider, deployment, router: getAddress(router), pools, tokens };
}

/** The injected EIP-1193 wallet, if any. */
export function injectedWallet(): Eip1193Provider | undefined {
  return (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
}

/** A connected wallet: its signer, account and chain. */
export interface Wallet {
  signer: JsonRpcSigner;
  account: string;
  chainId: number;
}

/** Asks the injected wallet for an account. */
export async function connectWallet(): Promise<Wallet> {
  const eip1193 = injectedWallet();
  if (eip1193 === undefined)
    throw new Error("No wallet found: install a browser wallet to trade (reading works without one).");
  const provider = new BrowserProvider(eip1193);
  await provider.send("eth_requestAccounts", []);
  const signer = await provider.getSigner();
  const chainId = Number((await provider.getNetwork()).chainId);
  return { signer, account: await signer.getAddress(), chainId };
}
