/**
 * Transaction builders for the Skew router (swaps, deposits, withdrawals, each optionally with
 * an EIP-2612 permit), slippage and deadline helpers, ERC-20 approvals and permit signatures.
 * Builders are pure: they return `{ to, data, value }` for any signer to send.
 */
import { Contract, getAddress, Signature } from "ethers";
import type { ContractTransactionReceipt, Provider, Signer, TypedDataDomain } from "ethers";
import { ISkewPool__factory } from "../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import { SkewRouter__factory } from "../typechain-types/factories/contracts/SkewRouter__factory";
import { toSkewError } from "./errors";
import type { SwapSide } from "./math";
import type { RouteHop, RouteQuote, SkewQuote } from "./quote";

/** A transaction ready to send. */
export interface TxRequest {
  to: string;
  data: string;
  value: bigint;
}

/** An EIP-2612 permit signature (the router's `PermitSig`). */
export interface PermitSignature {
  /** Allowance granted. */
  value: bigint;
  /** Last timestamp at which the permit is valid. */
  deadline: bigint;
  v: number;
  r: string;
  s: string;
}

/** 100 % in basis points. */
export const BPS = 10_000n;

/** The Solidity `Side` of an SDK side. */
export function sideToSolidity(side: SwapSide): 0 | 1 {
  return side === "sellBase" ? 0 : 1;
}

/** The SDK side of a Solidity `Side`. */
export function sideFromSolidity(side: bigint | number): SwapSide {
  return Number(side) === 0 ? "sellBase" : "sellQuote";
}

function checkBps(bps: bigint): bigint {
  if (bps < 0n || bps > BPS) throw new RangeError(`slippage must be 0..10000 basis points, got ${bps}`);
  return bps;
}

/** The smallest acceptable output: `amount * (1 - bps / 10000)`, rounded down. */
export function minOutWithSlippage(amount: bigint, slippageBps: bigint | number): bigint {
  return (amount * (BPS - checkBps(BigInt(slippageBps)))) / BPS;
}

/** The largest acceptable input: `amount * (1 + bps / 10000)`, rounded up. */
export function maxInWithSlippage(amount: bigint, slippageBps: bigint | number): bigint {
  const n = amount * (BPS + checkBps(BigInt(slippageBps)));
  return (n + BPS - 1n) / BPS;
}

/**
 * A deadline `seconds` after now: after the later of the latest block's timestamp and the local
 * clock. The next block's timestamp is at least both on a live chain, and a development chain can
 * sit in the past (a reverted snapshot) or in the future (time travel) of the local clock.
 */
export async function deadlineFromNow(provider: Provider, seconds: number | bigint): Promise<bigint> {
  const block = await provider.getBlock("latest");
  if (block === null) throw new Error("no latest block");
  const chain = BigInt(block.timestamp);
  const wall = BigInt(Math.floor(Date.now() / 1000));
  return (chain > wall ? chain : wall) + BigInt(seconds);
}

const routerInterface = SkewRouter__factory.createInterface();

function encodePath(path: readonly RouteHop[]): { pool: string; side: 0 | 1 }[] {
  return path.map((h) => ({ pool: getAddress(h.pool), side: sideToSolidity(h.side) }));
}

function tx(to: string, data: string, value = 0n): TxRequest {
  return { to: getAddress(to), data, value };
}

/** Signed update data for one pull oracle of a route, and the fee it takes (the router's `PriceUpdate`). */
export interface RouterPriceUpdate {
  oracle: string;
  data: readonly string[];
  /** Wei, the oracle's `getUpdateFee(data)`; the transaction's `value` is the sum. */
  fee: bigint;
}

/** The router's `PriceUpdate[]` and the value to send, or undefined when there is no update. */
function encodeUpdates(updates: readonly RouterPriceUpdate[] | undefined, permit: PermitSignature | undefined) {
  if (updates === undefined || updates.length === 0) return undefined;
  if (permit !== undefined) throw new RangeError("a swap with price updates takes no permit: approve the router");
  return {
    updates: updates.map((u) => ({ oracle: getAddress(u.oracle), data: [...u.data] })),
    value: updates.reduce((sum, u) => sum + u.fee, 0n),
  };
}

/** Arguments of an exact-input router swap. */
export interface SwapExactInArgs {
  router: string;
  path: readonly RouteHop[];
  amountIn: bigint;
  minAmountOut: bigint;
  recipient: string;
  deadline: bigint;
  /** A permit for the router on the input token (uses `swapExactInWithPermit`). */
  permit?: PermitSignature;
  /** Pull-oracle updates to land first (uses `swapExactInWithPriceUpdate`, sending their fees as value). */
  priceUpdates?: readonly RouterPriceUpdate[];
}

/** Arguments of an exact-output router swap. */
export interface SwapExactOutArgs {
  router: string;
  path: readonly RouteHop[];
  amountOut: bigint;
  maxAmountIn: bigint;
  recipient: string;
  deadline: bigint;
  /** A permit for the router on the input token (uses `swapExactOutWithPermit`). */
  permit?: PermitSignature;
  /** Pull-oracle updates to land first (uses `swapExactOutWithPriceUpdate`, sending their fees as value). */
  priceUpdates?: readonly RouterPriceUpdate[];
}

/** `router.swapExactIn` (or `swapExactInWithPermit`) with explicit limits. */
export function buildSwapExactIn(a: SwapExactInArgs): TxRequest {
  const [path, recipient] = [encodePath(a.path), getAddress(a.recipient)];
  const pulled = encodeUpdates(a.priceUpdates, a.permit);
  if (pulled !== undefined) {
    const data = routerInterface.encodeFunctionData("swapExactInWithPriceUpdate", [
      path,
      a.amountIn,
      a.minAmountOut,
      recipient,
      a.deadline,
      pulled.updates,
    ]);
    return tx(a.router, data, pulled.value);
  }
  const data =
    a.permit === undefined
      ? routerInterface.encodeFunctionData("swapExactIn", [path, a.amountIn, a.minAmountOut, recipient, a.deadline])
      : routerInterface.encodeFunctionData("swapExactInWithPermit", [
          path,
          a.amountIn,
          a.minAmountOut,
          recipient,
          a.deadline,
          a.permit,
        ]);
  return tx(a.router, data);
}

/** `router.swapExactOut` (or `swapExactOutWithPermit`) with explicit limits. */
export function buildSwapExactOut(a: SwapExactOutArgs): TxRequest {
  const [path, recipient] = [encodePath(a.path), getAddress(a.recipient)];
  const pulled = encodeUpdates(a.priceUpdates, a.permit);
  if (pulled !== undefined) {
    const data = routerInterface.encodeFunctionData("swapExactOutWithPriceUpdate", [
      path,
      a.amountOut,
      a.maxAmountIn,
      recipient,
      a.deadline,
      pulled.updates,
    ]);
    return tx(a.router, data, pulled.value);
  }
  const data =
    a.permit === undefined
      ? routerInterface.encodeFunctionData("swapExactOut", [path, a.amountOut, a.maxAmountIn, recipient, a.deadline])
      : routerInterface.encodeFunctionData("swapExactOutWithPermit", [
          path,
          a.amountOut,
          a.maxAmountIn,
          recipient,
          a.deadline,
          a.permit,
        ]);
  return tx(a.router, data);
}

/** One pull-oracle update of a quote (see `OracleUpdate` in `pullOracle.ts`). */
interface PulledUpdate {
  oracle: string;
  update: { data: readonly string[] };
  fee: bigint;
}

/** Arguments of a swap built from a quote. */
export interface SwapFromQuoteArgs {
  router: string;
  /**
   * A single-pool quote (`quoteExactIn` / `quoteExactOut`) or a route quote; a quote priced with pull-oracle
   * updates (`quote*WithUpdate`) makes a swap that carries them.
   */
  quote: (SkewQuote | RouteQuote) & { pulled?: { updates: readonly PulledUpdate[] } };
  /** Tolerated price move, basis points: lowers the exact-in minimum, raises the exact-out maximum. */
  slippageBps: bigint | number;
  recipient: string;
  deadline: bigint;
  permit?: PermitSignature;
}

/** A built swap and the limits it carries. */
export interface BuiltSwap {
  tx: TxRequest;
  kind: "exactIn" | "exactOut";
  path: RouteHop[];
  /** Exact-in: the input; exact-out: the largest input accepted. */
  amountIn: bigint;
  maxAmountIn: bigint;
  /** Exact-in: the smallest output accepted; exact-out: the output asked for. */
  minAmountOut: bigint;
}

function pathOf(q: SkewQuote | RouteQuote): RouteHop[] {
  return "hops" in q ? q.hops.map((h) => ({ pool: h.pool, side: h.side })) : [{ pool: q.pool, side: q.side }];
}

/**
 * Builds the router swap a quote describes, with the slippage applied to the quote: exact-in
 * sends `quote.amountIn` and accepts at least `amountOut * (1 - bps)`; exact-out asks for the
 * requested output and accepts at most `amountIn * (1 + bps)`.
 */
export function buildSwapFromQuote(a: SwapFromQuoteArgs): BuiltSwap {
  const path = pathOf(a.quote);
  const priceUpdates = a.quote.pulled?.updates.map((u) => ({ oracle: u.oracle, data: u.update.data, fee: u.fee }));
  const base = { router: a.router, path, recipient: a.recipient, deadline: a.deadline, permit: a.permit, priceUpdates };
  if (a.quote.kind === "exactIn") {
    const minAmountOut = minOutWithSlippage(a.quote.amountOut, a.slippageBps);
    const amountIn = a.quote.amountIn;
    const built = buildSwapExactIn({ ...base, amountIn, minAmountOut });
    return { tx: built, kind: "exactIn", path, amountIn, maxAmountIn: amountIn, minAmountOut };
  }
  const maxAmountIn = maxInWithSlippage(a.quote.amountIn, a.slippageBps);
  const amountOut = a.quote.requested;
  const built = buildSwapExactOut({ ...base, amountOut, maxAmountIn });
  return { tx: built, kind: "exactOut", path, amountIn: a.quote.amountIn, maxAmountIn, minAmountOut: amountOut };
}

/**
 * Arguments of a router deposit. `baseMax`/`quoteMax` and `baseMin`/`quoteMin` bound the ratio the
 * pool may take the deposit at: set them from a quote with `depositLimits(quoteDeposit(...), bps)`.
 */
export interface DepositArgs {
  router: string;
  pool: string;
  baseMax: bigint;
  quoteMax: bigint;
  baseMin: bigint;
  quoteMin: bigint;
  minShares: bigint;
  to: string;
  deadline: bigint;
  /** Permits for the router on both tokens (uses `depositWithPermit`). */
  permits?: { base: PermitSignature; quote: PermitSignature };
}

/** `router.deposit` (or `depositWithPermit`): the router returns what the pool does not take. */
export function buildDeposit(a: DepositArgs): TxRequest {
  const p = {
    pool: getAddress(a.pool),
    baseMax: a.baseMax,
    quoteMax: a.quoteMax,
    baseMin: a.baseMin,
    quoteMin: a.quoteMin,
    minShares: a.minShares,
    to: getAddress(a.to),
    deadline: a.deadline,
  };
  const data =
    a.permits === undefined
      ? routerInterface.encodeFunctionData("deposit", [p])
      : routerInterface.encodeFunctionData("depositWithPermit", [p, a.permits.base, a.permits.quote]);
  return tx(a.router, data);
}

/** Arguments of a withdrawal. */
export interface WithdrawArgs {
  pool: string;
  shares: bigint;
  minBase: bigint;
  minQuote: bigint;
  to: string;
  deadline: bigint;
}

/** `router.withdrawWithPermit`: the router pulls the shares with the LP-token permit and burns them. */
export function buildWithdrawWithPermit(a: WithdrawArgs & { router: string; permit: PermitSignature }): TxRequest {
  const data = routerInterface.encodeFunctionData("withdrawWithPermit", [
    getAddress(a.pool),
    a.shares,
    a.minBase,
    a.minQuote,
    getAddress(a.to),
    a.deadline,
    a.permit,
  ]);
  return tx(a.router, data);
}

/** `pool.withdraw` directly: burns the sender's own shares (no approval or permit needed). */
export function buildPoolWithdraw(a: WithdrawArgs): TxRequest {
  const data = ISkewPool__factory.createInterface().encodeFunctionData("withdraw", [
    a.shares,
    a.minBase,
    a.minQuote,
    getAddress(a.to),
    a.deadline,
  ]);
  return tx(a.pool, data);
}

const ERC20_ABI = [
  "function approve(address spender, uint256 value) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function nonces(address owner) view returns (uint256)",
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
];

/** `token.approve(spender, amount)`. */
export function buildApprove(token: string, spender: string, amount: bigint): TxRequest {
  const data = new Contract(token, ERC20_ABI).interface.encodeFunctionData("approve", [getAddress(spender), amount]);
  return tx(token, data);
}

/**
 * Approves `spender` for `amount` of `token` unless the signer's allowance already covers it;
 * returns the approval's receipt, or null when none was needed.
 */
export async function ensureAllowance(
  signer: Signer,
  token: string,
  spender: string,
  amount: bigint,
): Promise<ContractTransactionReceipt | null> {
  const erc20 = new Contract(token, ERC20_ABI, signer);
  const owner = await signer.getAddress();
  const current = (await erc20.getFunction("allowance").staticCall(owner, spender)) as bigint;
  if (current >= amount) return null;
  try {
    const sent = await signer.sendTransaction(buildApprove(token, spender, amount));
    return (await sent.wait()) as ContractTransactionReceipt | null;
  } catch (e) {
    throw toSkewError(e);
  }
}

/** The EIP-712 domain of a permit token: EIP-5267 `eip712Domain()` if present, else name / version() / "1". */
async function permitDomain(signer: Signer, token: Contract): Promise<TypedDataDomain> {
  const address = await token.getAddress();
  try {
    const d = (await token.getFunction("eip712Domain").staticCall()) as [string, string, string, bigint, string];
    return { name: d[1], version: d[2], chainId: d[3], verifyingContract: d[4] };
  } catch {
    const name = (await token.getFunction("name").staticCall()) as string;
    let version = "1";
    try {
      version = (await token.getFunction("version").staticCall()) as string;
    } catch {
      // no version(): EIP-2612 tokens default to "1"
    }
    const network = await (signer.provider as Provider).getNetwork();
    return { name, version, chainId: network.chainId, verifyingContract: address };
  }
}

/**
 * Signs an EIP-2612 permit letting `spender` move `value` of `token` from the signer until
 * `deadline`. Reads the token's domain (EIP-5267, or name/version/chainId) and the signer's nonce.
 */
export async function signPermit(
  signer: Signer,
  token: string,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<PermitSignature> {
  if (signer.provider === null) throw new Error("signPermit: the signer needs a provider");
  const erc20 = new Contract(token, ERC20_ABI, signer);
  const owner = await signer.getAddress();
  const [domain, nonce] = await Promise.all([
    permitDomain(signer, erc20),
    erc20.getFunction("nonces").staticCall(owner) as Promise<bigint>,
  ]);
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const message = { owner, spender: getAddress(spender), value, nonce, deadline };
  const sig = Signature.from(await signer.signTypedData(domain, types, message));
  return { value, deadline, v: sig.v, r: sig.r, s: sig.s };
}
