/**
 * Typed errors of the Skew SDK, and `decodeSkewError`, which turns a contract revert (from a
 * call, a gas estimate or a transaction) into one of them.
 *
 * Every class extends {@link SkewError}; catch the family you care about, e.g.
 * `if (e instanceof SlippageError)`, `if (e instanceof OracleError)`. The same classes are thrown
 * by the SDK's pure quotes (`sdk/quote.ts`) for the same conditions, so an off-chain quote fails
 * the way the pool would.
 */
import { ErrorDescription, Interface, isError, isHexString } from "ethers";
import type { Result } from "ethers";
import type { OracleGuardStatus } from "./state";
import { ISkewFactory__factory } from "../typechain-types/factories/contracts/interfaces/ISkewFactory__factory";
import { SkewStateLens__factory } from "../typechain-types/factories/contracts/lens/SkewStateLens__factory";
import { PythOracle__factory } from "../typechain-types/factories/contracts/oracle/PythOracle__factory";
import { IOracleGuard__factory } from "../typechain-types/factories/contracts/oracle/IOracleGuard__factory";
import { AdminLogic__factory } from "../typechain-types/factories/contracts/pool/AdminLogic__factory";
import { LiquidityLogic__factory } from "../typechain-types/factories/contracts/pool/LiquidityLogic__factory";
import { SwapLogic__factory } from "../typechain-types/factories/contracts/pool/SwapLogic__factory";
import { SkewFactory__factory } from "../typechain-types/factories/contracts/SkewFactory__factory";
import { SkewPool__factory } from "../typechain-types/factories/contracts/SkewPool__factory";
import { SkewRouter__factory } from "../typechain-types/factories/contracts/SkewRouter__factory";

/** Where an error came from and what it carried. */
export interface SkewErrorInfo {
  /** The Solidity error's name (`"StaleOracle"`), or the SDK condition's name for off-chain checks. */
  errorName?: string;
  /** The raw revert data, when the error came from a revert. */
  data?: string;
  /** The underlying error (the provider's exception, or the math library's). */
  cause?: unknown;
}

/** Base class of every error the SDK throws on purpose. */
export class SkewError extends Error {
  /** The Solidity error's name (or the off-chain condition's name). */
  readonly errorName: string;
  /** The raw revert data, when there was a revert. */
  readonly data: string | undefined;

  constructor(message: string, info: SkewErrorInfo = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = new.target.name;
    this.errorName = info.errorName ?? new.target.name.replace(/Error$/, "");
    this.data = info.data;
  }
}

/** A revert the SDK knows by name but has no dedicated class for, or one it cannot decode at all. */
export class SkewContractError extends SkewError {
  /** The decoded arguments (empty when the data could not be decoded). */
  readonly args: readonly unknown[];

  constructor(message: string, args: readonly unknown[] = [], info: SkewErrorInfo = {}) {
    super(message, info);
    this.args = args;
  }
}

// ------------------------------------------------------------------------------- not a revert

/**
 * The provider or the signer failed, not a contract: the node is unreachable, a nonce was
 * rejected, the account lacks gas money, the user refused to sign, a transaction was dropped.
 * `code` is ethers' error code (`"NETWORK_ERROR"`, `"NONCE_EXPIRED"`, `"INSUFFICIENT_FUNDS"`,
 * `"ACTION_REJECTED"`, ...) when there is one; `cause` is the original error.
 */
export class SkewProviderError extends SkewError {
  /** ethers' error code, e.g. "NONCE_EXPIRED"; "UNKNOWN_ERROR" when the error had none. */
  readonly code: string;

  constructor(message: string, code: string, info: SkewErrorInfo = {}) {
    super(message, info);
    this.code = code;
  }

  /** Wraps any error that is not a contract revert. */
  static from(err: unknown): SkewProviderError {
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    return new SkewProviderError(message.split("\n")[0].slice(0, 300), code, { cause: err });
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "UNKNOWN_ERROR";
}

/**
 * The address holds no Skew pool: no code, or code that does not answer the pool's `getState()`
 * (`errorName` "NotAPool"), or the state lens could not read it (`StateReadFailed(index, pool)`).
 */
export class NotAPoolError extends SkewContractError {
  constructor(
    readonly address: string,
    args: readonly unknown[] = [address],
    info: SkewErrorInfo = {},
  ) {
    super(`${address} is not a Skew pool`, args, { errorName: "NotAPool", ...info });
  }
}

/** The router may not move enough of a token and the client was told not to approve (`approval: "none"`). */
export class AllowanceError extends SkewError {
  constructor(
    readonly token: string,
    readonly allowance: bigint,
    readonly needed: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`allowance of ${token} is ${allowance}, ${needed} needed, and approvals are off`, info);
  }
}

/** A permit was asked for (`approval: "permit"`) but the token does not implement EIP-2612. */
export class PermitUnsupportedError extends SkewError {
  constructor(
    readonly token: string,
    info: SkewErrorInfo = {},
  ) {
    super(`${token} does not support EIP-2612 permits`, info);
  }
}

/** A call was given an argument the SDK cannot use (a signer without a provider, a bad option). */
export class InvalidArgumentError extends SkewError {}

// ------------------------------------------------------------------------------- slippage

/** A slippage limit was hit: the trade or deposit would execute at a worse price than allowed. */
export class SlippageError extends SkewError {}

/** The output is below the caller's minimum (`InsufficientOutput`, from the router or a pool). */
export class InsufficientOutputError extends SlippageError {
  constructor(
    readonly amountOut: bigint,
    readonly minAmountOut: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`slippage: output ${amountOut} is below the minimum ${minAmountOut}`, info);
  }
}

/** An exact-output route needs more input than the caller's maximum (`ExcessiveInput`). */
export class ExcessiveInputError extends SlippageError {
  constructor(
    readonly amountIn: bigint,
    readonly maxAmountIn: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`slippage: input ${amountIn} exceeds the maximum ${maxAmountIn}`, info);
  }
}

/** A deposit would mint fewer shares than the caller's minimum (`InsufficientShares`). */
export class InsufficientSharesError extends SlippageError {
  constructor(
    readonly shares: bigint,
    readonly minShares: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`slippage: deposit mints ${shares} shares, below the minimum ${minShares}`, info);
  }
}

// ------------------------------------------------------------------------------- deadline

/** The call's deadline passed before it was mined (`Expired`). */
export class DeadlineExpiredError extends SkewError {
  constructor(
    readonly deadline: bigint,
    readonly timestamp: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`deadline ${deadline} has passed (block timestamp ${timestamp})`, info);
  }
}

// ------------------------------------------------------------------------------- oracle

/** The pool's price feed cannot be used right now: swaps and quotes stop (withdrawals still work). */
export class OracleError extends SkewError {}

/** The feed's latest round is older than the pool's max age (`StaleOracle`). */
export class StaleOracleError extends OracleError {
  constructor(
    readonly updatedAt: bigint,
    readonly maxAge: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`stale oracle: the feed was last updated at ${updatedAt}, more than ${maxAge} s ago`, info);
  }
}

/** The feed's latest round is incomplete or the feed cannot be read (`IncompleteOracleRound`). */
export class IncompleteOracleRoundError extends OracleError {
  constructor(
    readonly roundId: bigint,
    readonly answeredInRound: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`incomplete oracle round ${roundId} (answered in round ${answeredInRound})`, info);
  }
}

/** The feed answered zero or a negative price (`InvalidOraclePrice`). */
export class InvalidOraclePriceError extends OracleError {
  constructor(
    readonly answer: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`invalid oracle price: the feed answered ${answer}`, info);
  }
}

/** The feed dates its latest round after the current block (`OracleUpdateInFuture`). */
export class OracleUpdateInFutureError extends OracleError {
  constructor(
    readonly updatedAt: bigint,
    readonly timestamp: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`oracle round dated ${updatedAt}, after the block timestamp ${timestamp}`, info);
  }
}

/** A pull oracle's newest price has a confidence interval wider than its bound (`PriceTooUncertain`). */
export class PriceTooUncertainError extends OracleError {
  constructor(
    readonly conf: bigint,
    readonly price: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`price too uncertain: confidence ${conf} on a price of ${price}`, info);
  }
}

/**
 * The Skew oracle's circuit breaker holds the latest answer back (`CircuitBreakerTripped`): it moved more
 * than the admin's bound from the answer before it (or has no usable answer before it, e.g. the first
 * round of a new feed phase). Swaps resume when the guardian clears it or at `clearsAt`.
 */
export class CircuitBreakerError extends OracleError {
  constructor(
    /** The latest answer (feed units). */
    readonly answer: bigint,
    /** The answer it was measured from (0 when none could be read). */
    readonly referenceAnswer: bigint,
    /** When the cool-down clears it (unix seconds). */
    readonly clearsAt: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(
      `circuit breaker tripped: answer ${answer} moved too far from ${referenceAnswer}; clears at ${clearsAt} or when the guardian clears it`,
      { errorName: "CircuitBreakerTripped", ...info },
    );
  }
}

/** The oracle's latest answer is outside the admin's bounds (`AnswerOutOfBounds`); only the admin can change that. */
export class AnswerOutOfBoundsError extends OracleError {
  constructor(
    readonly answer: bigint,
    /** The admin's bounds (null when the error comes from a snapshot's status, which does not carry them). */
    readonly minAnswer: bigint | null,
    readonly maxAnswer: bigint | null,
    info: SkewErrorInfo = {},
  ) {
    const bounds = minAnswer === null ? "its bounds" : `its bounds [${minAnswer}, ${maxAnswer}]`;
    super(`oracle answer ${answer} outside ${bounds}`, info);
  }
}

/** The L2 sequencer is down, or its uptime feed cannot be read (`SequencerDown`). */
export class SequencerDownError extends OracleError {
  constructor(info: SkewErrorInfo = {}) {
    super("the L2 sequencer is down: swaps stop until it is back and its grace period has passed", info);
  }
}

/** The L2 sequencer is back up but its grace period has not passed (`SequencerGracePeriod`). */
export class SequencerGracePeriodError extends OracleError {
  constructor(
    /** When the grace period ends (unix seconds). */
    readonly endsAt: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`the L2 sequencer came back recently: swaps resume at ${endsAt}`, info);
  }
}

/** The Skew oracle could not read its price source (`OracleSourceUnavailable`). */
export class OracleSourceUnavailableError extends OracleError {
  constructor(info: SkewErrorInfo = {}) {
    super("the oracle's price source cannot be read", info);
  }
}

/**
 * The typed error a Skew oracle's `latestRoundData` reverts with for `status`, or undefined when it
 * answers (usable, or an invalid round it passes through for the pool's own checks).
 */
export function oracleStatusError(status: OracleGuardStatus): OracleError | undefined {
  switch (status.reason) {
    case "circuitBreakerTripped":
      return new CircuitBreakerError(status.answer, status.referenceAnswer, status.clearsAt);
    case "answerOutOfBounds":
      return new AnswerOutOfBoundsError(status.answer, null, null);
    case "sequencerDown":
      return new SequencerDownError();
    case "sequencerGracePeriod":
      return new SequencerGracePeriodError(status.clearsAt);
    case "sourceUnavailable":
      return new OracleSourceUnavailableError();
    default:
      return undefined;
  }
}

// ------------------------------------------------------------------------------- pool state

/** The pool is paused by its guardian: swaps and deposits stop, withdrawals work (`EnforcedPause`). */
export class PausedError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("the pool is paused: swaps and deposits are stopped (withdrawals still work)", info);
  }
}

/** The swap would drain a reserve or leave the curve, or the pool is empty (`InsufficientLiquidity`). */
export class InsufficientLiquidityError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("insufficient liquidity: the swap would drain a reserve or leave the curve", info);
  }
}

/** A zero amount where a positive one is needed, or nothing arrived at the pool (`ZeroAmount`). */
export class ZeroAmountError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("amount must be positive (or nothing arrived at the pool)", info);
  }
}

/** No input yields the requested exact output (`ExactOutUnreachable`). */
export class ExactOutUnreachableError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("no input found that yields the requested output", info);
  }
}

/** A deposit would mint no shares (`ZeroShares`). */
export class ZeroSharesError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("the deposit would mint no shares", info);
  }
}

/** An intermediate result exceeds 256 bits (Solidity panic 0x11 / `MathOverflowError`). */
export class MathOverflowError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("arithmetic overflow: the amounts are too large for the pool", info);
  }
}

// ------------------------------------------------------------------------------- routing

/** The address is not a pool of the router's factory (`UnknownPool`), or its state was not loaded. */
export class UnknownPoolError extends SkewError {
  constructor(
    readonly pool: string,
    info: SkewErrorInfo = {},
  ) {
    super(`unknown pool ${pool}`, info);
  }
}

/** An empty route, or hop `hop` does not take the previous hop's output or repeats its pool (`InvalidPath`). */
export class InvalidPathError extends SkewError {
  constructor(
    readonly hop: number,
    info: SkewErrorInfo = {},
  ) {
    super(
      hop === 0
        ? "invalid path: empty route"
        : `invalid path: hop ${hop} does not take hop ${hop - 1}'s output, or trades the same pool`,
      info,
    );
  }
}

/** The recipient is the zero address, a pool or one of its tokens (`InvalidRecipient`). */
export class InvalidRecipientError extends SkewError {
  constructor(
    readonly recipient: string,
    info: SkewErrorInfo = {},
  ) {
    super(`invalid recipient ${recipient}`, info);
  }
}

/** A nested call into the router or a pool during a call (`ReentrancyGuardReentrantCall`). */
export class ReentrancyError extends SkewError {
  constructor(info: SkewErrorInfo = {}) {
    super("reentrant call rejected", info);
  }
}

// ------------------------------------------------------------------------------- parameters

/** The keeper's parameter indices, as in `ISkewPool.Param`. */
export const PARAM_NAMES = ["k", "baseFee", "maxFee", "tau"] as const;
/** A keeper parameter's name. */
export type ParamName = (typeof PARAM_NAMES)[number];

function paramName(index: unknown): ParamName {
  return PARAM_NAMES[Number(index)] ?? "k";
}

/** A keeper or admin configuration call was rejected. */
export class ParamError extends SkewError {}

/** A keeper parameter lies outside the admin's bounds (`ParamOutOfBounds`). */
export class ParamOutOfBoundsError extends ParamError {
  constructor(
    readonly param: ParamName,
    readonly value: bigint,
    readonly min: bigint,
    readonly max: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`${param} = ${value} lies outside the bounds [${min}, ${max}]`, info);
  }
}

/** A keeper parameter would move by more than the admin's step (`ParamStepTooLarge`). */
export class ParamStepTooLargeError extends ParamError {
  constructor(
    readonly param: ParamName,
    readonly current: bigint,
    readonly requested: bigint,
    readonly maxStep: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`${param}: ${current} -> ${requested} moves by more than the max step ${maxStep}`, info);
  }
}

/** The keeper updated too recently (`ParamsUpdateTooSoon`). */
export class ParamsUpdateTooSoonError extends ParamError {
  constructor(
    readonly nextUpdateAt: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(`parameters updated too recently: next update allowed at ${nextUpdateAt}`, info);
  }
}

// ------------------------------------------------------------------------------- decoding

/** A decoded revert turned into a typed error. */
type Maker = (args: Result, info: SkewErrorInfo) => SkewError;

const big = (x: unknown): bigint => BigInt(x as bigint);

const MAKERS: Record<string, Maker> = {
  InsufficientOutput: (a, i) => new InsufficientOutputError(big(a[0]), big(a[1]), i),
  ExcessiveInput: (a, i) => new ExcessiveInputError(big(a[0]), big(a[1]), i),
  InsufficientShares: (a, i) => new InsufficientSharesError(big(a[0]), big(a[1]), i),
  Expired: (a, i) => new DeadlineExpiredError(big(a[0]), big(a[1]), i),
  StaleOracle: (a, i) => new StaleOracleError(big(a[0]), big(a[1]), i),
  IncompleteOracleRound: (a, i) => new IncompleteOracleRoundError(big(a[0]), big(a[1]), i),
  InvalidOraclePrice: (a, i) => new InvalidOraclePriceError(big(a[0]), i),
  OracleUpdateInFuture: (a, i) => new OracleUpdateInFutureError(big(a[0]), big(a[1]), i),
  PriceTooUncertain: (a, i) => new PriceTooUncertainError(big(a[0]), big(a[1]), i),
  CircuitBreakerTripped: (a, i) => new CircuitBreakerError(big(a[0]), big(a[1]), big(a[2]), i),
  AnswerOutOfBounds: (a, i) => new AnswerOutOfBoundsError(big(a[0]), big(a[1]), big(a[2]), i),
  SequencerDown: (_a, i) => new SequencerDownError(i),
  SequencerGracePeriod: (a, i) => new SequencerGracePeriodError(big(a[0]), i),
  OracleSourceUnavailable: (_a, i) => new OracleSourceUnavailableError(i),
  EnforcedPause: (_a, i) => new PausedError(i),
  InsufficientLiquidity: (_a, i) => new InsufficientLiquidityError(i),
  ZeroAmount: (_a, i) => new ZeroAmountError(i),
  ExactOutUnreachable: (_a, i) => new ExactOutUnreachableError(i),
  ZeroShares: (_a, i) => new ZeroSharesError(i),
  DepositBelowMinimum: (a, i) => new DepositBelowMinimumError(big(a[0]), big(a[1]), big(a[2]), big(a[3]), i),
  OutsideSupportedDomain: (a, i) => new OutsideSupportedDomainError(big(a[0]), big(a[1]), i),
  UnknownPool: (a, i) => new UnknownPoolError(String(a[0]), i),
  InvalidPath: (a, i) => new InvalidPathError(Number(a[0]), i),
  InvalidRecipient: (a, i) => new InvalidRecipientError(String(a[0]), i),
  ReentrancyGuardReentrantCall: (_a, i) => new ReentrancyError(i),
  ParamOutOfBounds: (a, i) => new ParamOutOfBoundsError(paramName(a[0]), big(a[1]), big(a[2]), big(a[3]), i),
  ParamStepTooLarge: (a, i) => new ParamStepTooLargeError(paramName(a[0]), big(a[1]), big(a[2]), big(a[3]), i),
  ParamsUpdateTooSoon: (a, i) => new ParamsUpdateTooSoonError(big(a[0]), i),
  StateReadFailed: (a, i) => new NotAPoolError(String(a[1]), [big(a[0]), String(a[1])], i),
};

/** Every error the pool, its logic libraries, the router, the factory, the lens and a Skew oracle can revert with. */
function buildErrorInterface(): Interface {
  const abis = [
    SkewPool__factory.abi,
    SwapLogic__factory.abi,
    LiquidityLogic__factory.abi,
    AdminLogic__factory.abi,
    SkewRouter__factory.abi,
    SkewFactory__factory.abi,
    ISkewFactory__factory.abi,
    SkewStateLens__factory.abi,
    PythOracle__factory.abi,
    IOracleGuard__factory.abi,
  ];
  const seen = new Map<string, string>();
  for (const abi of abis) {
    for (const fragment of new Interface(abi).fragments) {
      if (fragment.type !== "error") continue;
      const signature = fragment.format("full");
      const key = fragment.format("sighash");
      if (!seen.has(key)) seen.set(key, signature);
    }
  }
  return new Interface([...seen.values()]);
}

let errorInterface: Interface | undefined;

/** The combined error ABI of the Skew contracts (pool, logic libraries, router, factory, lens). */
export function skewErrorInterface(): Interface {
  errorInterface ??= buildErrorInterface();
  return errorInterface;
}

/** Panic codes (Solidity `Panic(uint256)`) and what they mean. */
const PANICS: Record<string, string> = {
  "1": "assertion failed",
  "17": "arithmetic overflow or underflow",
  "18": "division by zero",
  "33": "invalid enum value",
  "50": "array index out of bounds",
  "65": "out of memory",
};

/**
 * Finds revert data in an error thrown by ethers, Hardhat or a JSON-RPC provider: the first
 * hex `data` field (at least a 4-byte selector) found in the error, its `error`, `info`, `cause`
 * or `revert` members, breadth first. Returns undefined when there is none.
 */
export function findRevertData(err: unknown): string | undefined {
  const queue: unknown[] = [err];
  const visited = new Set<unknown>();
  while (queue.length > 0) {
    const cur = queue.shift();
    if (cur === null || typeof cur !== "object" || visited.has(cur)) continue;
    visited.add(cur);
    const rec = cur as Record<string, unknown>;
    const data = rec.data;
    if (typeof data === "string" && isHexString(data) && data.length >= 10) return data;
    if (data !== null && typeof data === "object") queue.push(data);
    for (const key of ["error", "info", "cause", "payload"]) queue.push(rec[key]);
  }
  return undefined;
}

/** The typed error of revert data, or undefined when the data is not a revert. */
export function decodeRevertData(data: string, cause?: unknown): SkewError | undefined {
  if (!isHexString(data) || data.length < 10) return undefined;
  const info: SkewErrorInfo = { data, cause };
  const selector = data.slice(0, 10).toLowerCase();
  if (selector === "0x4e487b71" || selector === "0x08c379a0") {
    return decodeBuiltin(selector, data, info);
  }
  let parsed: ErrorDescription | null = null;
  try {
    parsed = skewErrorInterface().parseError(data);
  } catch {
    parsed = null;
  }
  if (parsed === null) {
    return new SkewContractError(`contract reverted with unknown error ${selector}`, [], {
      ...info,
      errorName: "Unknown",
    });
  }
  const make = MAKERS[parsed.name];
  if (make !== undefined) return make(parsed.args, { ...info, errorName: parsed.name });
  return new SkewContractError(
    `contract reverted: ${parsed.name}(${parsed.args.map(String).join(", ")})`,
    parsed.args.toArray(),
    { ...info, errorName: parsed.name },
  );
}

/** Decodes `Panic(uint256)` and `Error(string)`. */
function decodeBuiltin(selector: string, data: string, info: SkewErrorInfo): SkewError | undefined {
  const iface = new Interface(["error Panic(uint256 code)", "error Error(string message)"]);
  let parsed: ErrorDescription | null;
  try {
    parsed = iface.parseError(data);
  } catch {
    return undefined;
  }
  if (parsed === null) return undefined;
  if (selector === "0x4e487b71") {
    const code = big(parsed.args[0]);
    if (code === 17n) return new MathOverflowError({ ...info, errorName: "Panic" });
    const what = PANICS[code.toString()] ?? "panic";
    return new SkewContractError(`contract panicked: ${what} (0x${code.toString(16)})`, [code], {
      ...info,
      errorName: "Panic",
    });
  }
  const message = String(parsed.args[0]);
  return new SkewContractError(`contract reverted: ${message}`, [message], { ...info, errorName: "Error" });
}

/**
 * Turns a revert caught from a Skew contract call, gas estimate or transaction into a typed
 * {@link SkewError}: a dedicated class for the errors users act on (slippage, deadline, oracle,
 * pause, liquidity, routing, parameters), {@link SkewContractError} for any other revert. Returns
 * the error itself when it already is a SkewError, and undefined when it carries no revert data
 * (a network failure, a rejected signature, ...).
 */
export function decodeSkewError(err: unknown): SkewError | undefined {
  if (err instanceof SkewError) return err;
  const data = findRevertData(err);
  return data === undefined ? undefined : decodeRevertData(data, err);
}

/**
 * Any error as a {@link SkewError}: `decodeSkewError(err)` for a revert, else a
 * {@link SkewProviderError} wrapping it. For `catch (e) { throw toSkewError(e); }`.
 */
export function toSkewError(err: unknown): SkewError {
  return decodeSkewError(err) ?? SkewProviderError.from(err);
}

/**
 * The error of a failed read from `address` as a pool: a Skew revert decodes as usual; empty
 * return data (no contract there) or a revert without data (a contract without `getState()`)
 * is a {@link NotAPoolError}; anything else (network, ...) a {@link SkewProviderError}.
 */
export function poolReadError(err: unknown, address: string): SkewError {
  const decoded = decodeSkewError(err);
  if (decoded !== undefined) return decoded;
  if (isError(err, "BAD_DATA") || isError(err, "CALL_EXCEPTION"))
    return new NotAPoolError(address, [address], { cause: err });
  return SkewProviderError.from(err);
}

// ------------------------------------------------------------------------------- liquidity and domain

/**
 * A deposit would take less of a token than the caller's minimum (`DepositBelowMinimum`): the pool's
 * ratio moved past the band the caller signed for, e.g. a sandwich pushed it off equilibrium.
 */
export class DepositBelowMinimumError extends SlippageError {
  constructor(
    readonly baseIn: bigint,
    readonly quoteIn: bigint,
    readonly baseMin: bigint,
    readonly quoteMin: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(
      `slippage: the deposit would take ${baseIn} base and ${quoteIn} quote, below the minimum ${baseMin} / ${quoteMin}`,
      info,
    );
  }
}

/**
 * A swap or deposit would leave a scaled (18-decimal) reserve or target at or above 2^120, outside the
 * domain the pool's math supports (`OutsideSupportedDomain`).
 */
export class OutsideSupportedDomainError extends SkewError {
  constructor(
    readonly baseReserve: bigint,
    readonly quoteReserve: bigint,
    info: SkewErrorInfo = {},
  ) {
    super(
      `outside the supported domain: a scaled reserve or target would reach 2^120 (reserves ${baseReserve} / ${quoteReserve})`,
      info,
    );
  }
}
