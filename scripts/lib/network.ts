/**
 * Network names to JSON-RPC providers and signers for the command-line scripts (deploy, keeper,
 * demo). `localhost` is the Hardhat node at 127.0.0.1:8545; any other network needs RPC_URL in
 * the environment. Keys only ever come from the environment, never from committed files.
 */
import { JsonRpcProvider, Signer, Wallet } from "ethers";

export const LOCALHOST_RPC = "http://127.0.0.1:8545";

/** The RPC URL of a network: RPC_URL when set; for localhost the local node by default. */
export function rpcUrl(network: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.RPC_URL) return env.RPC_URL;
  if (network === "localhost") return LOCALHOST_RPC;
  throw new Error(`network "${network}": set RPC_URL to its JSON-RPC endpoint`);
}

/** A provider for `url` that does not poll more than it needs to. */
export function providerFor(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 500 });
}

/**
 * The signer named by the environment variable `keyVar` (a private key); on localhost, when it
 * is unset, the node's unlocked account `localAccount` instead.
 */
export async function signerFor(
  provider: JsonRpcProvider,
  network: string,
  keyVar: string,
  localAccount: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Signer> {
  const key = env[keyVar];
  if (key) return new Wallet(key, provider);
  if (network === "localhost") return provider.getSigner(localAccount);
  throw new Error(`network "${network}": set ${keyVar} to the private key to sign with`);
}
