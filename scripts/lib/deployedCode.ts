/**
 * Reading back deployed code for the deployment record. ethers' providers answer a repeated
 * request from a short-lived cache, so `getCode(address)` asked right after a "no code here"
 * answer for the same address (a contract redeployed to the same address on a restarted local
 * node) can return that stale "0x". The deploy script therefore reads code at the block that
 * mined the deployment (a request of its own), waits for it to appear, and never records, or
 * reuses, an address whose code is empty.
 */
import { keccak256 } from "ethers";
import type { BlockTag, Provider } from "ethers";

/** keccak256 of empty code: what `keccak256(getCode(address))` gives where nothing is deployed. */
export const EMPTY_CODE_HASH = keccak256("0x");

/** How long to wait for a just-mined contract's code to be served, and how often to ask. */
const ATTEMPTS = 20;
const INTERVAL_MS = 250;

/** The deployment's code could not be read back from the chain. */
export class MissingCodeError extends Error {
  constructor(name: string, address: string, block: number) {
    super(`${name}: no code at ${address} at block ${block} after its deployment was mined; nothing recorded`);
    this.name = "MissingCodeError";
  }
}

/**
 * The hash of the code deployed at `address` by a transaction mined in `block`: read at that
 * block, asked again (up to ~5 s) while the node answers with empty code, and a
 * {@link MissingCodeError} if it never has any.
 */
export async function deployedCodeHash(
  provider: Provider,
  name: string,
  address: string,
  block: number,
): Promise<string> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const code = await provider.getCode(address, block);
    if (code !== "0x") return keccak256(code);
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  throw new MissingCodeError(name, address, block);
}

/**
 * Whether a recorded contract may be reused: its recorded code hash is not that of empty code
 * and the code now at its address is non-empty and hashes to it.
 */
export async function recordedCodeIsLive(
  provider: Provider,
  entry: { address: string; codeHash: string },
  blockTag: BlockTag = "latest",
): Promise<boolean> {
  if (entry.codeHash === EMPTY_CODE_HASH) return false;
  const code = await provider.getCode(entry.address, blockTag);
  return code !== "0x" && keccak256(code) === entry.codeHash;
}
