/**
 * Many pools, cheaply, for keeper tests and benchmarks on local chains: N pools through the factory,
 * each on a fresh mock base token, all sharing one quote token and one feed (a pool is keyed by
 * base, quote and feed), configured like a template pool. Two transactions per pool (the token and
 * `createPool`), sent back to back with explicit nonces, gas and fees, and awaited together; no
 * liquidity. A local-signing wallet is fastest (a node-held key makes ethers poll for each send).
 */
import { getAddress } from "ethers";
import type { Signer } from "ethers";
import type { PoolConfigStruct } from "../../typechain-types/contracts/SkewFactory";
import { MockERC20__factory } from "../../typechain-types/factories/contracts/test/MockERC20__factory";
import { SkewFactory__factory } from "../../typechain-types/factories/contracts/SkewFactory__factory";

/** Options of {@link createPoolFleet}. */
export interface PoolFleetOptions {
  /** The factory's owner (only it may create pools); also deploys the tokens. */
  signer: Signer;
  factory: string;
  /** Configuration of every pool; `base` is replaced by each pool's own token. */
  template: PoolConfigStruct;
  count: number;
  /** Pool names are `${prefix}${i}` (default "FLEET-"). */
  prefix?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** A pool of the fleet. */
export interface FleetPoolRecord {
  name: string;
  address: string;
  base: string;
}

/** Creates `count` pools like `template` (see the module doc); resolves once all are mined. */
export async function createPoolFleet(o: PoolFleetOptions): Promise<FleetPoolRecord[]> {
  const log = o.log ?? (() => undefined);
  const prefix = o.prefix ?? "FLEET-";
  const factory = SkewFactory__factory.connect(o.factory, o.signer);
  const provider = o.signer.provider;
  if (provider === null) throw new Error("createPoolFleet: the signer needs a provider");
  let nonce = await provider.getTransactionCount(await o.signer.getAddress(), "pending");
  // Fixed gas and fees: no estimate per transaction (a pool's creation costs about 5.5M gas).
  const fee = await provider.getFeeData();
  const fees =
    fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null
      ? { maxFeePerGas: fee.maxFeePerGas * 2n, maxPriorityFeePerGas: fee.maxPriorityFeePerGas }
      : { gasPrice: (fee.gasPrice ?? 0n) * 2n };
  const tokenFactory = new MockERC20__factory(o.signer);
  const tokens = [];
  for (let i = 0; i < o.count; i++) {
    const overrides = { nonce: nonce++, gasLimit: 2_000_000n, ...fees };
    tokens.push(await tokenFactory.deploy(`Fleet token ${i}`, `${prefix}${i}`, 18, overrides));
  }
  const bases = await Promise.all(
    tokens.map(async (t) => getAddress(await (await t.waitForDeployment()).getAddress())),
  );
  log(`deployed ${bases.length} base tokens`);
  const sent = [];
  for (const base of bases) {
    sent.push(await factory.createPool({ ...o.template, base }, { nonce: nonce++, gasLimit: 12_000_000n, ...fees }));
  }
  for (const tx of sent) {
    const receipt = await tx.wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`createPool ${tx.hash} failed`);
  }
  const quote = await Promise.resolve(o.template.quote);
  const feed = await Promise.resolve(o.template.feed);
  const pools = await Promise.all(
    bases.map(async (base, i) => ({
      name: `${prefix}${i}`,
      address: getAddress(await factory.getPool(base, String(quote), String(feed))),
      base,
    })),
  );
  log(`created ${pools.length} pools`);
  return pools;
}
