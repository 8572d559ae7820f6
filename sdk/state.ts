/**
 * Loading pool state: one pool with one `eth_call` (`pool.getState()`), many pools with one
 * `eth_call` through the deployless `SkewStateLens` (its creation code runs in the call and
 * hands back every pool's state; nothing is deployed).
 */
import { AbiCoder, getAddress } from "ethers";
import type { BlockTag, ErrorDescription, Provider } from "ethers";
import type { PoolStateStructOutput } from "../typechain-types/contracts/interfaces/ISkewPool";
import { ISkewPool__factory } from "../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import { SkewStateLens__factory } from "../typechain-types/factories/contracts/lens/SkewStateLens__factory";
import { decodeRevertData, findRevertData, poolReadError, SkewContractError, toSkewError } from "./errors";
import { PoolMath, Price, Region } from "./math";

/** The four parameters the keeper tunes (`k` and `tau` WAD, fees in pips). */
export interface KeeperParams {
  k: bigint;
  baseFee: bigint;
  maxFee: bigint;
  tau: bigint;
}

/** The admin's inclusive bounds on the keeper parameters. */
export interface ParamBounds {
  kMin: bigint;
  kMax: bigint;
  tauMin: bigint;
  tauMax: bigint;
  baseFeeMin: bigint;
  baseFeeMax: bigint;
  maxFeeMin: bigint;
  maxFeeMax: bigint;
}

/** The largest change of each parameter per keeper update. */
export interface ParamSteps {
  k: bigint;
  tau: bigint;
  baseFee: bigint;
  maxFee: bigint;
}

/** The feed's latest round as the pool sees it. */
export interface OracleReading {
  /** Whether swaps can use the round now (complete, positive, not in the future, fresh). */
  ok: boolean;
  /** The reference price (scaled quote per scaled base) = num / den; num is 0 for a non-positive answer. */
  price: Price;
  /** When the round was last updated (0 if the feed could not be read). */
  updatedAt: bigint;
  /** The pool's largest accepted round age, seconds. */
  maxAge: bigint;
}

/** Everything the SDK knows about one pool at one block, from a single `getState()` call. */
export interface PoolSnapshot {
  /** The pool's address (checksummed). */
  address: string;
  /** The base token (priced by the feed). */
  base: string;
  /** The quote token (the feed's unit). */
  quote: string;
  /** The reference price feed. */
  feed: string;
  baseDecimals: number;
  quoteDecimals: number;
  feedDecimals: number;
  /** The state the pricing math takes (reserves, targets, region, scales, price, parameters). */
  math: PoolMath;
  /** The keeper parameters (also in `math`); `params.k` is the skew strength in force. */
  params: KeeperParams;
  /**
   * The queued skew strength (WAD), or null when none: a change of `k` made while the pool was away
   * from equilibrium, applied when a swap reaches or crosses it (also in `math.pendingK`).
   */
  pendingK: bigint | null;
  /** The protocol's share of every fee, pips of the fee. */
  protocolShare: bigint;
  /** Protocol fees accrued and not yet collected, raw; held by the pool outside the reserves. */
  protocolFees: { base: bigint; quote: bigint };
  oracle: OracleReading;
  /** Whether the guardian paused swaps and deposits. */
  paused: boolean;
  /** LP share supply (including the locked minimum). */
  totalSupply: bigint;
  bounds: ParamBounds;
  steps: ParamSteps;
  /** Minimum seconds between keeper updates. */
  minInterval: bigint;
  /** Timestamp of the keeper's last update (0 before the first). */
  lastParamsUpdate: bigint;
  /** Timestamp of the block the state was read at. */
  blockTimestamp: bigint;
  /** The least rate away-from-target volume pays, pips (admin; DESIGN.md §2; also in `math`). */
  feeFloor: bigint;
  /** The surge ramp's width, WAD (keeper, inside `surgeWidthLimits`; also in `math`). */
  surgeWidth: bigint;
  /** The admin's limits on the keeper's surge ramp width, WAD. */
  surgeWidthLimits: { min: bigint; max: bigint; maxStep: bigint };
}

/** Options of the state loaders. */
export interface LoadOptions {
  /** The block to read at (default: latest). */
  blockTag?: BlockTag;
}

/** Converts the contract's `PoolState` struct into a {@link PoolSnapshot}. */
export function toSnapshot(address: string, s: PoolStateStructOutput): PoolSnapshot {
  const params: KeeperParams = {
    k: s.params.k,
    baseFee: s.params.baseFee,
    maxFee: s.params.maxFee,
    tau: s.params.tau,
  };
  const price: Price = { num: s.price.num, den: s.price.den };
  const protocolShare = BigInt(s.protocolShare);
  const pendingK = s.kPending ? s.pendingK : null;
  return {
    address: getAddress(address),
    base: s.base,
    quote: s.quote,
    feed: s.feed,
    baseDecimals: Number(s.baseDecimals),
    quoteDecimals: Number(s.quoteDecimals),
    feedDecimals: Number(s.feedDecimals),
    math: {
      baseReserve: s.baseReserve,
      quoteReserve: s.quoteReserve,
      baseTarget: s.baseTarget,
      quoteTarget: s.quoteTarget,
      region: Number(s.region) as Region,
      baseScale: s.baseScale,
      quoteScale: s.quoteScale,
      price,
      ...params,
      ...(pendingK === null ? {} : { pendingK }),
      feeFloor: BigInt(s.feeFloor),
      surgeWidth: s.surgeWidth,
      protocolShare,
    },
    params,
    pendingK,
    protocolShare,
    protocolFees: { base: s.protocolFeesBase, quote: s.protocolFeesQuote },
    oracle: { ok: s.oracleOk, price, updatedAt: s.oracleUpdatedAt, maxAge: BigInt(s.oracleMaxAge) },
    paused: s.paused,
    totalSupply: s.totalSupply,
    bounds: {
      kMin: s.bounds.kMin,
      kMax: s.bounds.kMax,
      tauMin: s.bounds.tauMin,
      tauMax: s.bounds.tauMax,
      baseFeeMin: s.bounds.baseFeeMin,
      baseFeeMax: s.bounds.baseFeeMax,
      maxFeeMin: s.bounds.maxFeeMin,
      maxFeeMax: s.bounds.maxFeeMax,
    },
    steps: { k: s.steps.k, tau: s.steps.tau, baseFee: s.steps.baseFee, maxFee: s.steps.maxFee },
    minInterval: BigInt(s.minInterval),
    lastParamsUpdate: BigInt(s.lastParamsUpdate),
    blockTimestamp: s.blockTimestamp,
    feeFloor: BigInt(s.feeFloor),
    surgeWidth: s.surgeWidth,
    surgeWidthLimits: {
      min: s.surgeWidthLimits.min,
      max: s.surgeWidthLimits.max,
      maxStep: s.surgeWidthLimits.maxStep,
    },
  };
}

/**
 * Loads one pool's state with exactly one RPC call (`eth_call` of `getState()`).
 * @param pool The pool's address.
 * @param provider Any ethers v6 provider.
 * @param options Optional block to read at.
 */
export async function getPoolState(pool: string, provider: Provider, options: LoadOptions = {}): Promise<PoolSnapshot> {
  const contract = ISkewPool__factory.connect(pool, provider);
  try {
    const raw = await contract.getState({ blockTag: options.blockTag });
    return toSnapshot(pool, raw);
  } catch (e) {
    throw poolReadError(e, pool);
  }
}

/** The `eth_call` request that reads `pools` through the deployless lens (no `to`: creation code + args). */
export function lensCallRequest(pools: readonly string[]): { data: string } {
  const args = SkewStateLens__factory.createInterface().encodeDeploy([pools.map((p) => getAddress(p))]);
  return { data: SkewStateLens__factory.bytecode + args.slice(2) };
}

/**
 * Loads many pools' states with exactly one RPC call: an `eth_call` without a `to` address whose
 * data is the `SkewStateLens` creation code and the pool list. Its constructor reads every pool
 * and returns `abi.encode(states)`, or, for more than 17 pools (creation return data is capped at
 * 24,576 bytes by EIP-170), reverts with `PoolStates(states)`; nothing is deployed. Throws a
 * `SkewContractError` (`StateReadFailed(index, pool)`) if an address is not a pool.
 * @param pools The pools' addresses; the snapshots come back in the same order.
 * @param provider Any ethers v6 provider (large batches need one that reports revert data, as all
 *   standard ones do).
 * @param options Optional block to read at.
 */
export async function getPoolStates(
  pools: readonly string[],
  provider: Provider,
  options: LoadOptions = {},
): Promise<PoolSnapshot[]> {
  if (pools.length === 0) return [];
  const lens = SkewStateLens__factory.createInterface();
  const statesType = lens.getError("PoolStates")?.inputs ?? [];
  let states: PoolStateStructOutput[];
  try {
    const result = await provider.call({ ...lensCallRequest(pools), blockTag: options.blockTag });
    states = AbiCoder.defaultAbiCoder().decode(statesType, result)[0] as PoolStateStructOutput[];
  } catch (e) {
    const data = findRevertData(e);
    if (data === undefined) throw toSkewError(e);
    let parsed: ErrorDescription | null = null;
    try {
      parsed = lens.parseError(data);
    } catch {
      parsed = null;
    }
    if (parsed?.name !== "PoolStates") throw decodeRevertData(data, e) ?? e;
    states = parsed.args[0] as PoolStateStructOutput[];
  }
  if (states.length !== pools.length) throw new SkewContractError("state lens returned the wrong number of states");
  return pools.map((pool, i) => toSnapshot(pool, states[i]));
}
