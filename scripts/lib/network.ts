/**
 * Network names to JSON-RPC providers and signers for the command-line scripts (deploy, keeper,
 * demo). `localhost` is the Hardhat node at 127.0.0.1:8545; any other network needs RPC_URL in
 * the environment. Keys only ever come from the environment, never from committed files.
 */
import { FetchRequest, JsonRpcProvider, Network, Signer, Wallet } from "ethers";
import type { JsonRpcPayload, JsonRpcResult } from "ethers";

export const LOCALHOST_RPC = "http://127.0.0.1:8545";

/**
 * Chain ids of the network names the scripts know. A script given one of these names refuses an RPC
 * that answers for another chain, deployment record or not. Other names are free-form (RPC_URL).
 */
export const KNOWN_CHAIN_IDS: Readonly<Record<string, readonly number[]>> = Object.freeze({
  localhost: [31337, 1337],
  hardhat: [31337],
  mainnet: [1],
  sepolia: [11155111],
  holesky: [17000],
  optimism: [10],
  arbitrum: [42161],
  base: [8453],
  polygon: [137],
});

/**
 * Throws when `network` is a known name (see {@link KNOWN_CHAIN_IDS}) whose chain id is not `chainId`:
 * the RPC_URL points at another chain than the one named.
 */
export function checkNetworkChainId(network: string, chainId: number): void {
  const expected = KNOWN_CHAIN_IDS[network];
  if (expected !== undefined && !expected.includes(chainId)) {
    throw new Error(
      `--network ${network} expects chain id ${expected.join(" or ")}, but the RPC answers for chain ${chainId}`,
    );
  }
}

/** A JSON-RPC provider that counts the requests it sends (`calls`), for per-tick figures. */
export class CountingJsonRpcProvider extends JsonRpcProvider {
  /** Requests sent so far (one per JSON-RPC payload). */
  calls = 0;

  override _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    this.calls += Array.isArray(payload) ? payload.length : 1;
    return super._send(payload);
  }
}

/** The RPC URL of a network: RPC_URL when set; for localhost the local node by default. */
export function rpcUrl(network: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = env.RPC_URL?.trim();
  if (url) return url;
  if (network === "localhost") return LOCALHOST_RPC;
  if (network === "hardhat") {
    throw new Error('the in-process "hardhat" network has no RPC: run `npx hardhat node` and use --network localhost');
  }
  throw new Error(`RPC_URL is not set: it is required for --network ${network} (only localhost has a default)`);
}

/**
 * A JSON-RPC provider for `url` on a fixed network: it asks the chain id once (10 s timeout) and fails
 * with a clear error if the node does not answer, instead of ethers' endless "failed to detect network"
 * retries. Requests time out after 30 s and are not batched (some hosted RPCs reject batches); the
 * provider counts them.
 */
export async function connectJsonRpc(url: string): Promise<CountingJsonRpcProvider> {
  const probe = new FetchRequest(url);
  probe.timeout = 10_000;
  probe.body = { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] };
  let chainId: bigint;
  try {
    const response = await probe.send();
    response.assertOk();
    const body = response.bodyJson as { result?: unknown };
    if (typeof body.result !== "string") throw new Error(`unexpected answer ${JSON.stringify(body)}`);
    chainId = BigInt(body.result);
  } catch (err) {
    throw new Error(`cannot reach the RPC at ${url}: ${(err as Error).message}`);
  }
  const request = new FetchRequest(url);
  request.timeout = 30_000;
  const network = Network.from(chainId);
  return new CountingJsonRpcProvider(request, network, { staticNetwork: network, batchMaxCount: 1 });
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
