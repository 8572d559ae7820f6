/**
 * The keeper's runner loop (DESIGN §6): reads the pool and its market, asks the pure policy
 * (`./policy`) for a decision, and applies it with `setParams` when the decision says so.
 *
 * One tick:
 * 1. read the head block and the pool's whole state at it in one `getState()` call;
 * 2. read the swaps since the last tick and the feed's new rounds (bounded, see `./chain`);
 * 3. `decide(...)`; log one JSON line with the inputs, the measurements, the decision and the outcome;
 * 4. if the decision sends (and this is not a dry run): refuse while a transaction from the keeper's key
 *    is still pending; re-read the chain and drop the decision if the parameters or the last update
 *    time moved since it was read (it was computed from a state that no longer exists, or it was
 *    already applied); skip when the gas price is above the cap; simulate with `staticCall`; send;
 *    wait for the confirmation with a timeout.
 *
 * Never applying a decision twice rests on three checks that all read the chain, so they hold across
 * restarts: the pending-nonce check (a transaction sent by a previous process and not yet mined blocks
 * new sends), the re-read before sending (an update that landed moves `lastParamsUpdate`), and the
 * pool's own min interval. A transaction that timed out, was dropped or replaced is never re-sent in the
 * same tick: the next tick starts from a fresh read.
 *
 * The loop never crashes: a failed tick is counted, logged and retried after an exponential backoff with
 * jitter, capped at `backoff.maxMs`. `stop()` (wired to SIGINT/SIGTERM by the CLI) lets the current tick
 * finish and ends the loop.
 */
import { getAddress, isError } from "ethers";
import type { Provider, Signer, TransactionReceipt, TransactionResponse } from "ethers";
import { WAD } from "../sdk/math";
import type { NonPayableOverrides } from "../typechain-types/common";
import type { SkewPool } from "../typechain-types/contracts/SkewPool";
import { ISkewFactory__factory } from "../typechain-types/factories/contracts/interfaces/ISkewFactory__factory";
import { SkewPool__factory } from "../typechain-types/factories/contracts/SkewPool__factory";
import { ChainReader, isRevertWithData } from "./chain";
import type { ChainReaderOptions, PoolSnapshot, RoundsRead, SwapsRead } from "./chain";
import { parsePolicyConfig } from "./config";
import type { PolicyConfig } from "./config";
import { silentLogger } from "./log";
import type { Logger } from "./log";
import { KeeperMetrics } from "./metrics";
import type { ErrorKind, SkipReason } from "./metrics";
import { decide, PARAM_KEYS, PolicyInputError } from "./policy";
import type { Decision, PolicyInput, PoolParams } from "./types";

// ------------------------------------------------------------------ clock and backoff

/** Time as the runner sees it; tests inject a fake one. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (logs and metrics only; decisions use chain time). */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/** Exponential backoff after failed ticks. */
export interface BackoffOptions {
  /** Delay after the first failure, ms. */
  initialMs: number;
  /** Largest delay, ms (the bound). */
  maxMs: number;
  /** Growth per consecutive failure (>= 1). */
  factor: number;
  /** Fraction of the delay that is randomised away, in [0, 1]: the delay lies in [d (1 - jitter), d]. */
  jitter: number;
}

/** 1 s, doubling, at most 60 s, up to half of it randomised. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initialMs: 1_000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.5,
});

/**
 * Delay before retrying after `failures` consecutive failed ticks (>= 1):
 * `d = min(maxMs, initialMs * factor^(failures - 1))`, minus up to `jitter * d` at random, so that
 * many keepers hitting the same RPC outage do not retry in lockstep. Never above `maxMs`.
 */
export function backoffDelay(failures: number, o: Readonly<BackoffOptions>, random: () => number): number {
  const d = Math.min(o.maxMs, o.initialMs * Math.pow(o.factor, Math.max(0, failures - 1)));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(d * (1 - o.jitter * r));
}

// ------------------------------------------------------------------ errors and results

/** Why the runner refuses to start. */
export type StartupErrorCode = "NO_CODE" | "NOT_A_SKEW_POOL" | "NOT_IN_FACTORY" | "MISSING_KEEPER_ROLE" | "WRONG_CHAIN";

/** The runner refuses to start (the CLI exits non-zero with this message). */
export class KeeperStartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "KeeperStartupError";
  }
}

/** What one tick did. */
export type TickResult =
  | {
      status: "skipped";
      reason: SkipReason;
      /** The policy's decision (absent when none was taken, e.g. the oracle is down). */
      decision?: Decision;
      /** Extra context (e.g. the simulated revert, the gas price). */
      detail?: Record<string, unknown>;
    }
  /** An update transaction confirmed. */
  | { status: "updated"; decision: Decision; txHash: string; block: number }
  /** Sent, but not confirmed within the timeout: the next ticks wait for it (pending-tx). */
  | { status: "tx-unconfirmed"; decision: Decision; txHash: string }
  /** Sent, and reverted, cancelled or replaced by another transaction. */
  | { status: "tx-failed"; decision: Decision; txHash: string; detail: Record<string, unknown> };

/** Options of {@link KeeperRunner}. Only `provider`, `signer` and `pool` are required. */
export interface RunnerOptions {
  /** Reads go through it (any ethers v6 provider). */
  provider: Provider;
  /** Signs and sends updates; should be connected to `provider`'s chain. */
  signer: Signer;
  /** The pool's address. */
  pool: string;
  /** Policy coefficients (default: the policy's defaults). */
  policy?: PolicyConfig;
  /** Decide and log, never send (default false). */
  dryRun?: boolean;
  /** Pause between ticks, ms (default 60 s). */
  intervalMs?: number;
  /** Skip sending while the network's gas price is above this, wei (default: no cap). */
  gasPriceCap?: bigint;
  /** How long to wait for an update's confirmation, ms (default 180 s). */
  txTimeoutMs?: number;
  /** Confirmations to wait for (default 1). */
  confirmations?: number;
  logger?: Logger;
  metrics?: KeeperMetrics;
  clock?: Clock;
  /** Randomness for the backoff jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** Read limits (defaults derived from the policy: windows of four half-lives). */
  chain?: Partial<ChainReaderOptions>;
  /**
   * Instrumentation seam: called after a sending decision, before the pre-send checks. Tests use it to
   * change the chain between the decision and the send.
   */
  beforeApply?: (decision: Decision) => Promise<void>;
}

/** What the startup checks found. */
export interface PreflightResult {
  pool: string;
  keeper: string;
  chainId: number;
  state: PoolSnapshot;
}

/** Where the pool should be registered and on which chain (from the deployment record). */
export interface PreflightOptions {
  /** The factory that must list the pool (`isPool`), when the deployment record has one. */
  factory?: string;
  /** The chain id the deployment record was made on. */
  chainId?: number;
}

// ------------------------------------------------------------------ helpers

/** Whether two parameter sets are equal. */
export function paramsEqual(a: PoolParams, b: PoolParams): boolean {
  return PARAM_KEYS.every((key) => a[key] === b[key]);
}

/** Classifies a tick failure for the errors counter. */
export function classifyError(err: unknown): ErrorKind {
  if (err instanceof PolicyInputError) return "policy";
  // ethers errors and Node's network errors (ECONNREFUSED, ...) carry a string code.
  if (typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string") return "rpc";
  return "internal";
}

/** A revert as "Name(arg, ...)" when ethers decoded it, else its short message. */
function describeRevert(err: unknown): string {
  if (isError(err, "CALL_EXCEPTION")) {
    if (err.revert) return `${err.revert.name}(${err.revert.args.map((a: unknown) => String(a)).join(", ")})`;
    return err.shortMessage;
  }
  return err instanceof Error ? err.message : String(err);
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The policy's reason when it does not send, as a skip reason. */
function policySkipReason(decision: Decision): SkipReason {
  if (decision.reason === "update") throw new Error("a sending decision is not a skip");
  return decision.reason;
}

/** A compact summary of the rounds the policy saw (the full list is logged at debug level). */
function summarizeRounds(read: RoundsRead | undefined): Record<string, unknown> {
  if (read === undefined) return { count: 0 };
  const first = read.rounds[0];
  const last = read.rounds.at(-1);
  return { count: read.rounds.length, calls: read.calls, latestRoundId: read.latestRoundId, first, last };
}

/** A compact summary of the swaps the policy saw. */
function summarizeSwaps(read: SwapsRead): Record<string, unknown> {
  let sellBase = 0;
  let sellQuote = 0;
  for (const s of read.swaps) {
    if (s.side === "sellBase") sellBase += s.quoteValue;
    else sellQuote += s.quoteValue;
  }
  return {
    count: read.swaps.length,
    quoteValueSellBase: sellBase,
    quoteValueSellQuote: sellQuote,
    scanned: { fromBlock: read.fromBlock, toBlock: read.toBlock, logCalls: read.logCalls, caughtUp: read.caughtUp },
  };
}

// ------------------------------------------------------------------ the runner

/** The keeper loop for one pool. Create one per pool; `preflight()` before `run()` or `tick()`. */
export class KeeperRunner {
  readonly provider: Provider;
  readonly signer: Signer;
  readonly poolAddress: string;
  readonly pool: SkewPool;
  readonly chain: ChainReader;
  readonly metrics: KeeperMetrics;
  readonly logger: Logger;
  readonly policy: PolicyConfig;
  readonly dryRun: boolean;
  readonly intervalMs: number;
  readonly gasPriceCap: bigint | undefined;
  readonly txTimeoutMs: number;
  readonly confirmations: number;
  readonly backoff: Readonly<BackoffOptions>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly beforeApply: ((decision: Decision) => Promise<void>) | undefined;
  private keeper: string | undefined;
  private stopRequested = false;
  private running = false;
  private abort: AbortController | undefined;

  constructor(o: RunnerOptions) {
    this.provider = o.provider;
    this.signer = o.signer;
    this.poolAddress = getAddress(o.pool);
    this.pool = SkewPool__factory.connect(this.poolAddress, o.signer);
    this.policy = o.policy ?? parsePolicyConfig(undefined);
    this.chain = new ChainReader(SkewPool__factory.connect(this.poolAddress, o.provider), o.provider, {
      roundWindowSeconds: Math.ceil(4 * this.policy.volHalfLifeSeconds),
      swapWindowSeconds: Math.ceil(4 * this.policy.flowHalfLifeSeconds),
      ...o.chain,
    });
    this.metrics = o.metrics ?? new KeeperMetrics({ pool: this.poolAddress });
    this.logger = (o.logger ?? silentLogger()).child({ pool: this.poolAddress });
    this.dryRun = o.dryRun ?? false;
    this.intervalMs = o.intervalMs ?? 60_000;
    this.gasPriceCap = o.gasPriceCap;
    this.txTimeoutMs = o.txTimeoutMs ?? 180_000;
    this.confirmations = o.confirmations ?? 1;
    this.backoff = { ...DEFAULT_BACKOFF, ...o.backoff };
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? Math.random;
    this.beforeApply = o.beforeApply;
    if (!(this.intervalMs >= 0) || !(this.txTimeoutMs > 0) || !(this.confirmations >= 1)) {
      throw new RangeError("intervalMs must be >= 0, txTimeoutMs > 0 and confirmations >= 1");
    }
    const b = this.backoff;
    if (!(b.initialMs > 0 && b.maxMs >= b.initialMs && b.factor >= 1 && b.jitter >= 0 && b.jitter <= 1)) {
      throw new RangeError("backoff: need 0 < initialMs <= maxMs, factor >= 1 and jitter in [0, 1]");
    }
  }

  /** The keeper's address (the signer's), cached. */
  async keeperAddress(): Promise<string> {
    this.keeper ??= getAddress(await this.signer.getAddress());
    return this.keeper;
  }

  /**
   * Startup checks; throws {@link KeeperStartupError} when the runner must not start: no code at the
   * pool's address, not a Skew pool (`getState()` fails), the pool is not registered in the given
   * factory, the provider is on another chain than the deployment record, or the signer lacks
   * KEEPER_ROLE. RPC failures propagate as they are (the caller may retry).
   */
  async preflight(o: PreflightOptions = {}): Promise<PreflightResult> {
    const chainId = Number((await this.provider.getNetwork()).chainId);
    if (o.chainId !== undefined && o.chainId !== chainId) {
      throw new KeeperStartupError(
        "WRONG_CHAIN",
        `the RPC is on chain ${chainId} but the deployment record is for chain ${o.chainId}`,
      );
    }
    if ((await this.provider.getCode(this.poolAddress)) === "0x") {
      throw new KeeperStartupError("NO_CODE", `unknown pool: no contract at ${this.poolAddress} on chain ${chainId}`);
    }
    let state: PoolSnapshot;
    let role: string;
    try {
      state = await this.chain.readState("latest");
      role = await this.pool.KEEPER_ROLE();
    } catch (err) {
      if (!isError(err, "CALL_EXCEPTION") && !isError(err, "BAD_DATA")) throw err;
      throw new KeeperStartupError("NOT_A_SKEW_POOL", `unknown pool: ${this.poolAddress} is not a Skew pool`);
    }
    if (o.factory !== undefined) {
      const factory = ISkewFactory__factory.connect(o.factory, this.provider);
      if (!(await factory.isPool(this.poolAddress))) {
        throw new KeeperStartupError(
          "NOT_IN_FACTORY",
          `unknown pool: ${this.poolAddress} is not registered in the factory ${getAddress(o.factory)}`,
        );
      }
    }
    const keeper = await this.keeperAddress();
    if (!(await this.pool.hasRole(role, keeper))) {
      throw new KeeperStartupError(
        "MISSING_KEEPER_ROLE",
        `the key ${keeper} lacks KEEPER_ROLE on pool ${this.poolAddress}: ask the pool admin to grant it`,
      );
    }
    this.logger.info(
      { event: "preflight", keeper, chainId, factory: o.factory, params: state.params, bounds: state.bounds },
      "startup checks passed",
    );
    return { pool: this.poolAddress, keeper, chainId, state };
  }

  /**
   * One tick (see the module doc). Throws on RPC faults and on policy input errors, after logging the
   * decision line when a decision was taken; {@link run} turns those into backoff.
   */
  async tick(): Promise<TickResult> {
    const head = await this.provider.getBlockNumber();
    const snap = await this.chain.readState(head);
    this.observeParams(snap.params);
    const swaps = await this.chain.readSwaps(head, snap.timestamp, snap.quoteDecimals);
    if (!snap.oracleOk) {
      const result: TickResult = { status: "skipped", reason: "oracle-unavailable" };
      this.record(result);
      this.logDecision(snap, undefined, swaps, undefined, result);
      return result;
    }
    const rounds = await this.chain.readRounds(snap.feed, snap.timestamp);
    const input: PolicyInput = {
      now: snap.timestamp,
      rounds: rounds.rounds,
      feedDecimals: snap.feedDecimals,
      swaps: swaps.swaps,
      imbalance: snap.imbalance,
      current: snap.params,
      bounds: snap.bounds,
      lastUpdate: snap.lastParamsUpdate,
    };
    const decision = decide(input, this.policy); // PolicyInputError propagates: counted as "policy"
    this.metrics.sigma.set(decision.metrics.sigma);
    this.metrics.flow.set(decision.metrics.flow);
    this.metrics.imbalance.set(decision.metrics.imbalance);
    let result: TickResult;
    try {
      result = decision.send
        ? await this.apply(snap, decision)
        : { status: "skipped", reason: policySkipReason(decision), decision };
    } catch (err) {
      this.logDecision(snap, rounds, swaps, decision, { status: "error", error: err });
      throw err;
    }
    this.record(result);
    this.logDecision(snap, rounds, swaps, decision, result);
    return result;
  }

  /** Applies a sending decision with every pre-send check (see the module doc). */
  private async apply(snap: PoolSnapshot, decision: Decision): Promise<TickResult> {
    const next = decision.next;
    const args = [next.k, next.baseFee, next.maxFee, next.tau] as const;
    if (this.dryRun) {
      // Nothing is sent; the simulation (an eth_call) tells the operator whether the update would pass.
      let simulation = "ok";
      try {
        await this.pool.setParams.staticCall(...args);
      } catch (err) {
        if (!isRevertWithData(err)) throw err;
        simulation = describeRevert(err);
      }
      return { status: "skipped", reason: "dry-run", decision, detail: { simulation } };
    }
    if (this.beforeApply) await this.beforeApply(decision);
    const keeper = await this.keeperAddress();
    const [mined, pending] = await Promise.all([
      this.provider.getTransactionCount(keeper, "latest"),
      this.provider.getTransactionCount(keeper, "pending"),
    ]);
    if (pending > mined) {
      return {
        status: "skipped",
        reason: "pending-tx",
        decision,
        detail: { minedNonce: mined, pendingNonce: pending },
      };
    }
    const fresh = await this.chain.readState("latest");
    if (fresh.lastParamsUpdate !== snap.lastParamsUpdate || !paramsEqual(fresh.params, snap.params)) {
      return {
        status: "skipped",
        reason: "stale-decision",
        decision,
        detail: {
          alreadyApplied: paramsEqual(fresh.params, next),
          chainParams: fresh.params,
          chainLastUpdate: fresh.lastParamsUpdate,
        },
      };
    }
    const fees = await this.feeOverrides();
    if (fees.overrides === undefined) {
      return {
        status: "skipped",
        reason: "gas-price-cap",
        decision,
        detail: { gasPrice: fees.gasPrice, cap: this.gasPriceCap },
      };
    }
    try {
      await this.pool.setParams.staticCall(...args);
    } catch (err) {
      if (!isRevertWithData(err)) throw err;
      return { status: "skipped", reason: "simulation-reverted", decision, detail: { revert: describeRevert(err) } };
    }
    const sent = await this.pool.setParams(...args, fees.overrides);
    this.metrics.txs.inc({ outcome: "sent" });
    this.logger.info(
      { event: "tx-sent", txHash: sent.hash, nonce: sent.nonce, next, gas: fees.overrides },
      "update sent",
    );
    // A contract call's response does not watch for replacements (ethers resets its start block):
    // watch from the tick's head block, so a cancelled or repriced transaction is recognised.
    const head = snap.block ?? (await this.provider.getBlockNumber());
    return this.confirm(sent.replaceableTransaction(head), decision);
  }

  /**
   * Gas price overrides under the cap, or none when the network's price is above it. The price
   * compared is `eth_gasPrice` (what a transaction pays now); EIP-1559 transactions also get their
   * `maxFeePerGas` capped, so a base-fee spike while pending never makes them pay more than the cap.
   */
  private async feeOverrides(): Promise<{ gasPrice: bigint; overrides: NonPayableOverrides | undefined }> {
    const fee = await this.provider.getFeeData();
    const gasPrice = fee.gasPrice ?? fee.maxFeePerGas ?? 0n;
    const cap = this.gasPriceCap;
    if (cap !== undefined && gasPrice > cap) return { gasPrice, overrides: undefined };
    if (fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null) {
      const maxFeePerGas = cap === undefined ? fee.maxFeePerGas : minBig(fee.maxFeePerGas, cap);
      return {
        gasPrice,
        overrides: { maxFeePerGas, maxPriorityFeePerGas: minBig(fee.maxPriorityFeePerGas, maxFeePerGas) },
      };
    }
    return { gasPrice, overrides: fee.gasPrice !== null ? { gasPrice: fee.gasPrice } : {} };
  }

  /**
   * Waits for `tx` with the timeout and classifies the outcome. A repriced replacement (same call,
   * higher fee) that succeeded counts as the update; a cancellation or another replacement, an
   * on-chain revert, or a timeout does not, and nothing is re-sent here: the next tick re-reads the
   * chain (and waits while the transaction is still pending). Other errors (RPC) propagate.
   */
  private async confirm(tx: TransactionResponse, decision: Decision): Promise<TickResult> {
    let receipt: TransactionReceipt | null;
    try {
      receipt = await tx.wait(this.confirmations, this.txTimeoutMs);
    } catch (err) {
      if (isError(err, "TRANSACTION_REPLACED")) {
        if (err.reason === "repriced" && err.receipt.status === 1) {
          return this.confirmed(decision, err.receipt);
        }
        this.metrics.txs.inc({ outcome: "replaced" });
        this.metrics.errors.inc({ kind: "tx" });
        return {
          status: "tx-failed",
          decision,
          txHash: tx.hash,
          detail: { replacedBy: err.replacement.hash, reason: err.reason, replacementStatus: err.receipt.status },
        };
      }
      if (isError(err, "CALL_EXCEPTION")) {
        this.metrics.txs.inc({ outcome: "reverted" });
        this.metrics.errors.inc({ kind: "tx" });
        return { status: "tx-failed", decision, txHash: tx.hash, detail: { revert: describeRevert(err) } };
      }
      if (isError(err, "TIMEOUT")) {
        // It may have been mined just now; otherwise the next ticks see it pending and wait.
        const late = await this.provider.getTransactionReceipt(tx.hash);
        if (late !== null && late.status === 1) return this.confirmed(decision, late);
        this.metrics.txs.inc({ outcome: "timeout" });
        this.logger.warn({ event: "tx-timeout", txHash: tx.hash, timeoutMs: this.txTimeoutMs }, "update unconfirmed");
        return { status: "tx-unconfirmed", decision, txHash: tx.hash };
      }
      this.metrics.txs.inc({ outcome: "failed" });
      throw err;
    }
    if (receipt === null) return { status: "tx-unconfirmed", decision, txHash: tx.hash }; // only with 0 confirmations
    return this.confirmed(decision, receipt);
  }

  /** Records a confirmed update. */
  private async confirmed(decision: Decision, receipt: TransactionReceipt): Promise<TickResult> {
    this.metrics.txs.inc({ outcome: "confirmed" });
    try {
      const block = await receipt.getBlock();
      this.metrics.lastUpdate.set(block.timestamp);
    } catch (err) {
      this.logger.warn({ event: "block-read-failed", err }, "could not read the update's block time");
    }
    this.observeParams(decision.next);
    return { status: "updated", decision, txHash: receipt.hash, block: receipt.blockNumber };
  }

  /** Counts a tick's result. */
  private record(result: TickResult): void {
    if (result.status === "updated") this.metrics.updates.inc();
    else if (result.status === "skipped") this.metrics.skips.inc({ reason: result.reason });
  }

  /** Sets the parameter gauges (k and tau as fractions, fees in pips). */
  private observeParams(p: PoolParams): void {
    this.metrics.param.set({ param: "k" }, Number(p.k) / Number(WAD));
    this.metrics.param.set({ param: "baseFee" }, Number(p.baseFee));
    this.metrics.param.set({ param: "maxFee" }, Number(p.maxFee));
    this.metrics.param.set({ param: "tau" }, Number(p.tau) / Number(WAD));
  }

  /** The JSON line of one decision: inputs, measurements, decision, outcome. Full inputs at debug level. */
  private logDecision(
    snap: PoolSnapshot,
    rounds: RoundsRead | undefined,
    swaps: SwapsRead,
    decision: Decision | undefined,
    outcome: TickResult | { status: "error"; error: unknown },
  ): void {
    const line = {
      event: "decision",
      block: snap.block,
      chainTime: snap.timestamp,
      dryRun: this.dryRun,
      inputs: {
        oracleOk: snap.oracleOk,
        paused: snap.paused,
        feed: snap.feed,
        feedDecimals: snap.feedDecimals,
        imbalance: snap.imbalance,
        current: snap.params,
        bounds: snap.bounds,
        lastUpdate: snap.lastParamsUpdate,
        rounds: summarizeRounds(rounds),
        swaps: summarizeSwaps(swaps),
      },
      metrics: decision?.metrics,
      decision:
        decision === undefined
          ? undefined
          : { send: decision.send, reason: decision.reason, target: decision.target, next: decision.next },
      outcome: "decision" in outcome ? { ...outcome, decision: undefined } : outcome,
    };
    const level = outcome.status === "error" || outcome.status === "tx-failed" ? "warn" : "info";
    this.logger[level](line, `${outcome.status}${"reason" in outcome ? `: ${outcome.reason}` : ""}`);
    this.logger.debug({ event: "decision-inputs", rounds: rounds?.rounds, swaps: swaps.swaps }, "policy inputs");
  }

  /**
   * Ticks every `intervalMs` until {@link stop}. A failed tick is counted (errors_total by kind), logged,
   * and followed by a backoff delay instead of the interval; the loop itself never throws (only an
   * injected clock's `sleep` could make it).
   */
  async run(): Promise<void> {
    if (this.running) throw new Error("the runner is already running");
    this.running = true;
    const abort = new AbortController();
    this.abort = abort;
    let failures = 0;
    this.logger.info(
      { event: "start", dryRun: this.dryRun, intervalMs: this.intervalMs, gasPriceCap: this.gasPriceCap },
      "keeper running",
    );
    try {
      while (!this.stopRequested) {
        let delay = this.intervalMs;
        try {
          await this.tick();
          failures = 0;
          this.metrics.ticks.inc({ outcome: "ok" });
          this.metrics.lastTick.set(this.clock.now() / 1000);
        } catch (err) {
          failures++;
          const kind = classifyError(err);
          this.metrics.errors.inc({ kind });
          this.metrics.ticks.inc({ outcome: "error" });
          delay = backoffDelay(failures, this.backoff, this.random);
          this.logger.warn({ event: "tick-failed", kind, failures, retryInMs: delay, err }, "tick failed");
        }
        this.metrics.consecutiveFailures.set(failures);
        if (this.stopRequested) break;
        await this.clock.sleep(delay, abort.signal);
      }
    } finally {
      this.running = false;
      this.logger.info({ event: "stop" }, "keeper stopped");
    }
  }

  /**
   * Asks the loop to end after the current tick (wakes it from its sleep). Safe to call repeatedly and
   * before {@link run}; a stopped runner stays stopped (create a new one to start again).
   */
  stop(): void {
    this.stopRequested = true;
    this.abort?.abort();
  }

  /** Whether {@link run} is in progress. */
  get isRunning(): boolean {
    return this.running;
  }
}
