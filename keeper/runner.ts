/**
 * The keeper's runner loop (DESIGN §6) for a fleet of pools served by one process and one key.
 *
 * One tick:
 * 1. after a failed tick (and at the first), check that the RPC still answers for the chain the keeper
 *    started on; read the head block; check the log cursor against it (a reset or reorganised chain
 *    drops the cursors and caches, see `./chain`);
 * 2. read EVERY pool's state at the head in one `eth_call` (the SDK's lens), the swaps of all pools
 *    since the last tick in one `eth_getLogs` per chunk, and each feed's new rounds (none when the
 *    pool's reading shows no new round);
 * 3. settle the key's mined transactions (one nonce read), read the key's balance, and replace pending
 *    transactions that waited longer than `bumpAfterMs` with bumped fees (`./nonce`);
 * 4. decide per pool ({@link decidePool}, the one place a decision is made); a pool whose previous
 *    update is still pending waits (`pending-tx`), the others do not;
 * 5. for the pools that send (unless dry run): re-read them at "latest" in one call and drop a decision
 *    whose pool moved since (`stale-decision`), skip all while the gas price is above the cap, estimate
 *    each update's gas (a revert is `simulation-reverted`), send each with its own nonce from the key's
 *    nonce manager, then wait up to `txTimeoutMs` for all of them together;
 * 6. log one JSON decision line per pool and update the metrics.
 *
 * Never applying a decision twice rests on checks that read the chain, so they hold across restarts:
 * the nonce manager adopts the key's pending transactions at start (their pool waits for them), the
 * re-read before sending (an update that landed moves `lastParamsUpdate`), and the pool's own min
 * interval. A replacement is always the same call at the same nonce.
 *
 * The loop never crashes: a failed tick is counted, logged and retried after an exponential backoff with
 * jitter, capped at `backoff.maxMs`. `stop()` (wired to SIGINT/SIGTERM by the CLI) lets the current tick
 * finish and ends the loop.
 */
import { Contract, getAddress, id, Interface, isError } from "ethers";
import type { Provider, Signer, TransactionReceipt } from "ethers";
import { WAD } from "../sdk/math";
import { getPoolState } from "../sdk/state";
import { ISkewFactory__factory } from "../typechain-types/factories/contracts/interfaces/ISkewFactory__factory";
import { ISkewPool__factory } from "../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
import { FleetChainReader, isRevertWithData, readPoolStates } from "./chain";
import type { ChainReaderOptions, PoolSnapshot, RoundsRead, SwapsRead } from "./chain";
import { parsePolicyConfig } from "./config";
import type { PolicyConfig } from "./config";
import { silentLogger } from "./log";
import type { Logger } from "./log";
import { KeeperMetrics, labels } from "./metrics";
import type { DecisionLabel, ErrorKind, SkipReason } from "./metrics";
import { NonceManager } from "./nonce";
import type { Fees, Replacement, SettledTx } from "./nonce";
import { changesBeyondBand, decide, PARAM_KEYS, PolicyInputError } from "./policy";
import type { Decision, FlowSample, PolicyInput, PoolParams } from "./types";

// ------------------------------------------------------------------ clock and backoff

/** Time as the runner sees it; tests inject a fake one. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (logs, metrics, replacement timing; decisions use chain time). */
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

/** Why the runner refuses to start (or to go on). */
export type StartupErrorCode =
  | "NO_CODE"
  | "NOT_A_SKEW_POOL"
  | "NOT_IN_FACTORY"
  | "MISSING_KEEPER_ROLE"
  | "WRONG_CHAIN"
  | "NO_POOLS"
  | "DUPLICATE_POOL";

/** The runner refuses to start (the CLI exits non-zero with this message), or the chain changed under it. */
export class KeeperStartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "KeeperStartupError";
  }
}

/** What one tick did for one pool. */
export type TickResult =
  | {
      status: "skipped";
      reason: SkipReason;
      /** The policy's decision (absent when none was taken, e.g. the oracle is down). */
      decision?: Decision;
      /** Extra context (e.g. the simulated revert, the gas price). */
      detail?: Record<string, unknown>;
    }
  /** An update transaction was mined and succeeded within the tick. */
  | { status: "updated"; decision: Decision; txHash: string; block: number }
  /** Sent, not mined within the timeout: the pool waits for it (pending-tx) and it is bumped after a while. */
  | { status: "tx-pending"; decision: Decision; txHash: string; nonce: number }
  /** Sent, and reverted on-chain, or its nonce was taken by another transaction. */
  | { status: "tx-failed"; decision: Decision; txHash: string; detail: Record<string, unknown> }
  /** This pool's reads or decision failed (the other pools went on). */
  | { status: "error"; kind: ErrorKind; error: unknown };

/** One pool's result, with the pool it is about. */
export type PoolTickResult = TickResult & { pool: string; name: string };

/** What one fleet tick did. */
export interface FleetTickResult {
  /** The head block the states were read at. */
  block: number;
  /** One result per pool, in the fleet's order. */
  pools: PoolTickResult[];
  /** Replacements sent this tick. */
  replacements: Replacement[];
  /** Wall-clock duration, ms. */
  durationMs: number;
  /** JSON-RPC requests made (when the runner was given a counter). */
  rpcCalls: number | undefined;
}

/** A pool the runner serves: its address and the name that labels its metrics and logs. */
export interface FleetPool {
  name: string;
  address: string;
}

/** Options of {@link KeeperRunner}. Only `provider`, `signer` and `pools` are required. */
export interface RunnerOptions {
  /** Reads go through it (any ethers v6 provider). */
  provider: Provider;
  /** Signs updates locally (e.g. an ethers Wallet); connected to `provider`'s chain. */
  signer: Signer;
  /** The pools (addresses, or names with addresses). */
  pools: readonly (FleetPool | string)[];
  /** Policy coefficients (default: the policy's defaults). */
  policy?: PolicyConfig;
  /** Decide and log, never send (default false). */
  dryRun?: boolean;
  /** Pause between ticks, ms (default 60 s). */
  intervalMs?: number;
  /** Skip sending while the network's gas price is above this, wei; also caps replacements (default: none). */
  gasPriceCap?: bigint;
  /** How long a tick waits for its updates to be mined, ms (default 30 s). */
  txTimeoutMs?: number;
  /** How often the tick polls for its updates' receipts, ms (default 1 s). */
  confirmPollMs?: number;
  /** Replace a pending transaction after this long, ms (default 120 s). */
  bumpAfterMs?: number;
  /** Fee increase per replacement, percent (default 12.5). */
  bumpPercent?: number;
  logger?: Logger;
  metrics?: KeeperMetrics;
  clock?: Clock;
  /** Randomness for the backoff jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** Read limits (defaults derived from the policy: windows of four half-lives). */
  chain?: Partial<ChainReaderOptions>;
  /** Reads the provider's JSON-RPC request count (for the calls-per-tick metric). */
  rpcCalls?: () => number;
  /**
   * Instrumentation seam: called once per tick with the sending decisions, before the pre-send checks.
   * Tests use it to change the chain between the decision and the send.
   */
  beforeApply?: (decisions: Map<string, Decision>) => Promise<void>;
}

/** What the startup checks found. */
export interface PreflightResult {
  pools: string[];
  keeper: string;
  chainId: number;
  states: PoolSnapshot[];
}

/** Where the pools should be registered and on which chain (from the deployment record). */
export interface PreflightOptions {
  /** The factory that must list every pool (`isPool`), when the deployment record has one. */
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

/** The errors `setParams` may revert with: the pool's own and OpenZeppelin AccessControl's. */
const SET_PARAMS_ERRORS = new Interface([
  ...ISkewPool__factory.abi.filter((f) => f.type === "error"),
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
]);

/** A revert as "Name(arg, ...)" when it can be decoded, else its short message. */
function describeRevert(err: unknown): string {
  if (isError(err, "CALL_EXCEPTION")) {
    let revert: { name: string; args: readonly unknown[] } | null = err.revert;
    try {
      revert ??= err.data ? SET_PARAMS_ERRORS.parseError(err.data) : null;
    } catch {
      revert = null; // not an error of these
    }
    if (revert) return `${revert.name}(${revert.args.map((a: unknown) => String(a)).join(", ")})`;
    return err.shortMessage;
  }
  return err instanceof Error ? err.message : String(err);
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** A compact summary of the rounds the policy saw (the full list is logged at debug level). */
function summarizeRounds(read: RoundsRead | undefined): Record<string, unknown> {
  if (read === undefined) return { count: 0 };
  const first = read.rounds[0];
  const last = read.rounds.at(-1);
  return { count: read.rounds.length, calls: read.calls, latestRoundId: read.latestRoundId, first, last };
}

/** A compact summary of the swaps the policy saw. */
function summarizeSwaps(swaps: FlowSample[], read: SwapsRead): Record<string, unknown> {
  let sellBase = 0;
  let sellQuote = 0;
  for (const s of swaps) {
    if (s.side === "sellBase") sellBase += s.quoteValue;
    else sellQuote += s.quoteValue;
  }
  return {
    count: swaps.length,
    quoteValueSellBase: sellBase,
    quoteValueSellQuote: sellQuote,
    scanned: { fromBlock: read.fromBlock, toBlock: read.toBlock, logCalls: read.logCalls, caughtUp: read.caughtUp },
  };
}

/** The chain id the provider answers for now (asked, not cached, when the provider can send raw requests). */
async function liveChainId(provider: Provider): Promise<number> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  if (typeof send === "function") return Number(BigInt(String(await send.call(provider, "eth_chainId", []))));
  return Number((await provider.getNetwork()).chainId);
}

/** What the policy step of one pool produced. */
export type PoolDecision =
  | { kind: "skip"; reason: SkipReason; decision?: Decision }
  | { kind: "send"; decision: Decision };

/**
 * THE decision of one pool, from its snapshot and market: the oracle must be usable, the pool's own
 * previous update must not be pending, then the policy decides. Every rule about whether to act lives
 * here, including a `k` change the pool has queued until equilibrium (`pendingK`): when the policy asks
 * for what is already queued, the pool is skipped as `k-queued` instead of being sent the same update.
 */
export function decidePool(
  snap: PoolSnapshot,
  rounds: RoundsRead | undefined,
  swaps: FlowSample[],
  policy: Readonly<PolicyConfig>,
  pendingTx: boolean,
): PoolDecision {
  if (!snap.oracleOk || rounds === undefined) return { kind: "skip", reason: "oracle-unavailable" };
  const input: PolicyInput = {
    now: snap.timestamp,
    rounds: rounds.rounds,
    feedDecimals: snap.feedDecimals,
    swaps,
    imbalance: snap.imbalance,
    current: snap.params,
    bounds: snap.bounds,
    lastUpdate: snap.lastParamsUpdate,
  };
  const decision = decide(input, policy); // PolicyInputError propagates: counted as "policy"
  if (!decision.send) return { kind: "skip", reason: decision.reason as SkipReason, decision };
  if (pendingTx) return { kind: "skip", reason: "pending-tx", decision };
  // The pool queues a new k while it is away from equilibrium: once the queued value is what the
  // policy asks for (within its band) and nothing else moves, resending would change nothing.
  if (snap.pendingK !== null) {
    const asked = { ...snap.params, k: snap.pendingK };
    if (changesBeyondBand(decision.next, asked, snap.bounds, policy).length === 0) {
      return { kind: "skip", reason: "k-queued", decision };
    }
  }
  return { kind: "send", decision };
}

/** One pool inside a tick: its reads, decision and result. */
interface PoolWork {
  pool: FleetPool;
  snap: PoolSnapshot;
  rounds?: RoundsRead;
  swaps: FlowSample[];
  decision?: Decision;
  result?: TickResult;
  detail?: Record<string, unknown>;
}

/** The summary line of a fleet tick (duration, RPC calls, outcomes by status, the process's RSS). */
export function logTick(logger: Logger, r: FleetTickResult): void {
  const statuses: Record<string, number> = {};
  for (const p of r.pools) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
  logger.info(
    {
      event: "tick",
      block: r.block,
      pools: r.pools.length,
      statuses,
      durationMs: r.durationMs,
      rpcCalls: r.rpcCalls,
      replacements: r.replacements.length,
      rssMiB: Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10,
    },
    "tick done",
  );
}

// ------------------------------------------------------------------ the runner

/** The keeper loop for a fleet of pools and one key. `preflight()` before `run()` or `tick()`. */
export class KeeperRunner {
  readonly provider: Provider;
  readonly signer: Signer;
  readonly pools: readonly FleetPool[];
  readonly reader: FleetChainReader;
  readonly nonces: NonceManager;
  readonly metrics: KeeperMetrics;
  readonly logger: Logger;
  readonly policy: PolicyConfig;
  readonly dryRun: boolean;
  readonly intervalMs: number;
  readonly gasPriceCap: bigint | undefined;
  readonly txTimeoutMs: number;
  readonly confirmPollMs: number;
  readonly backoff: Readonly<BackoffOptions>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly rpcCalls: (() => number) | undefined;
  private readonly beforeApply: RunnerOptions["beforeApply"];
  private readonly byAddress = new Map<string, FleetPool>();
  private keeper: string | undefined;
  private chainId: number | undefined;
  private checkChain = true;
  private failures = 0;
  private stopRequested = false;
  private running = false;
  private abort: AbortController | undefined;

  constructor(o: RunnerOptions) {
    this.provider = o.provider;
    this.signer = o.signer;
    this.pools = o.pools.map((p) =>
      typeof p === "string"
        ? { name: getAddress(p), address: getAddress(p) }
        : { ...p, address: getAddress(p.address) },
    );
    if (this.pools.length === 0) throw new KeeperStartupError("NO_POOLS", "no pools to serve");
    for (const p of this.pools) {
      if (this.byAddress.has(p.address))
        throw new KeeperStartupError("DUPLICATE_POOL", `pool ${p.address} listed twice`);
      this.byAddress.set(p.address, p);
    }
    this.policy = o.policy ?? parsePolicyConfig(undefined);
    this.reader = new FleetChainReader(
      o.provider,
      this.pools.map((p) => p.address),
      {
        roundWindowSeconds: Math.ceil(4 * this.policy.volHalfLifeSeconds),
        swapWindowSeconds: Math.ceil(4 * this.policy.flowHalfLifeSeconds),
        ...o.chain,
      },
    );
    this.clock = o.clock ?? systemClock;
    this.nonces = new NonceManager(o.signer, o.provider, {
      bumpAfterMs: o.bumpAfterMs ?? 120_000,
      bumpPercent: o.bumpPercent,
      maxFeePerGasCap: o.gasPriceCap,
      now: () => this.clock.now(),
    });
    this.metrics = o.metrics ?? new KeeperMetrics(() => this.clock.now());
    for (const p of this.pools) this.metrics.addPool(p);
    this.logger = o.logger ?? silentLogger();
    this.dryRun = o.dryRun ?? false;
    this.intervalMs = o.intervalMs ?? 60_000;
    this.gasPriceCap = o.gasPriceCap;
    this.txTimeoutMs = o.txTimeoutMs ?? 30_000;
    this.confirmPollMs = o.confirmPollMs ?? 1_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...o.backoff };
    this.random = o.random ?? Math.random;
    this.rpcCalls = o.rpcCalls;
    this.beforeApply = o.beforeApply;
    if (!(this.intervalMs >= 0) || !(this.txTimeoutMs > 0) || !(this.confirmPollMs > 0)) {
      throw new RangeError("intervalMs must be >= 0, txTimeoutMs and confirmPollMs > 0");
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
   * Startup checks; throws {@link KeeperStartupError} when the runner must not start: the provider is
   * on another chain than the deployment record, a pool address has no code, is not a Skew pool, is not
   * registered in the given factory, or the signer lacks KEEPER_ROLE on it. Then reads the chain-derived
   * state: every pool's last on-chain update (metrics) and the key's pending nonces (adopted by the nonce
   * manager). RPC failures propagate as they are (the caller may retry).
   */
  async preflight(o: PreflightOptions = {}): Promise<PreflightResult> {
    const chainId = await liveChainId(this.provider);
    if (o.chainId !== undefined && o.chainId !== chainId) {
      throw new KeeperStartupError(
        "WRONG_CHAIN",
        `the RPC is on chain ${chainId} but the deployment record is for chain ${o.chainId}`,
      );
    }
    const addresses = this.pools.map((p) => p.address);
    for (const address of addresses) {
      if ((await this.provider.getCode(address)) === "0x") {
        throw new KeeperStartupError("NO_CODE", `unknown pool: no contract at ${address} on chain ${chainId}`);
      }
    }
    let states: PoolSnapshot[];
    try {
      states = await readPoolStates(this.provider, addresses);
    } catch {
      for (const address of addresses) {
        try {
          await getPoolState(address, this.provider);
        } catch {
          throw new KeeperStartupError("NOT_A_SKEW_POOL", `unknown pool: ${address} is not a Skew pool`);
        }
      }
      states = await readPoolStates(this.provider, addresses);
    }
    if (o.factory !== undefined) {
      const factory = ISkewFactory__factory.connect(o.factory, this.provider);
      for (const address of addresses) {
        if (!(await factory.isPool(address))) {
          throw new KeeperStartupError(
            "NOT_IN_FACTORY",
            `unknown pool: ${address} is not registered in the factory ${getAddress(o.factory)}`,
          );
        }
      }
    }
    const keeper = await this.keeperAddress();
    const role = id("KEEPER_ROLE");
    for (const address of addresses) {
      const access = new Contract(address, ["function hasRole(bytes32,address) view returns (bool)"], this.provider);
      if (!(await access.getFunction("hasRole").staticCall(role, keeper))) {
        throw new KeeperStartupError(
          "MISSING_KEEPER_ROLE",
          `the key ${keeper} lacks KEEPER_ROLE on pool ${address}: ask the pool admin to grant it`,
        );
      }
    }
    this.chainId = chainId;
    this.checkChain = false;
    this.metrics.addKey(keeper);
    for (const s of states) this.observeState(this.poolOf(s.address), s);
    await this.settle(await this.nonces.sync(), new Map());
    this.logger.info(
      {
        event: "preflight",
        keeper,
        chainId,
        factory: o.factory,
        pools: this.pools.map((p) => ({ ...p, lastUpdate: states[addresses.indexOf(p.address)].lastParamsUpdate })),
        nextNonce: this.nonces.next,
        adoptedPending: this.nonces.pending().map((t) => ({ nonce: t.nonce, pool: t.pool, hashes: t.hashes })),
      },
      `startup checks passed for ${this.pools.length} pool(s)`,
    );
    return { pools: addresses, keeper, chainId, states };
  }

  /** The fleet entry of an address. */
  private poolOf(address: string): FleetPool {
    const p = this.byAddress.get(getAddress(address));
    if (p === undefined) throw new Error(`${address} is not in the fleet`);
    return p;
  }

  /**
   * One fleet tick (see the module doc), counted in the tick metrics. Throws when the fleet-wide reads fail (head, lens, logs, nonce)
   * or the chain id changed; a single pool's failure is that pool's `error` result.
   */
  async tick(): Promise<FleetTickResult> {
    try {
      const r = await this.tickOnce();
      this.failures = 0;
      this.metrics.ticks.inc({ outcome: "ok" });
      this.metrics.tickSucceeded(this.clock.now());
      return r;
    } catch (err) {
      this.failures++;
      this.checkChain = true;
      this.metrics.errors.inc({ kind: classifyError(err) });
      this.metrics.ticks.inc({ outcome: "error" });
      throw err;
    } finally {
      this.metrics.consecutiveFailures.set(this.failures);
    }
  }

  /** The body of {@link tick}. */
  private async tickOnce(): Promise<FleetTickResult> {
    const started = this.clock.now();
    const calls0 = this.rpcCalls?.();
    if (this.chainId === undefined) {
      // Without preflight (library use): take the chain as it is now; no role or registry checks.
      this.chainId = await liveChainId(this.provider);
      this.metrics.addKey(await this.keeperAddress());
      this.checkChain = false;
    }
    if (this.checkChain) {
      const now = await liveChainId(this.provider);
      if (now !== this.chainId) {
        this.reader.reset();
        this.metrics.cursorResets.inc({ reason: "chain-id" });
        throw new KeeperStartupError(
          "WRONG_CHAIN",
          `the RPC now answers for chain ${now}, the keeper runs on ${this.chainId}`,
        );
      }
      this.checkChain = false;
    }
    const headBlock = await this.provider.getBlock("latest");
    if (headBlock === null || headBlock.hash === null) throw new Error("the node returned no latest block");
    const head = { number: headBlock.number, hash: headBlock.hash };
    const reset = await this.reader.checkCursor(head.number);
    if (reset !== undefined) {
      this.nonces.reset(); // transactions tracked on the old chain are gone: re-read the key's nonces
      this.metrics.cursorResets.inc({ reason: reset });
      this.logger.warn(
        { event: "cursor-reset", reason: reset, head: head.number },
        "chain reset or reorganised: re-reading",
      );
    }
    const states = await readPoolStates(
      this.provider,
      this.pools.map((p) => p.address),
      head.number,
    );
    const swaps = await this.reader.readSwaps(head, states);
    const keeper = await this.keeperAddress();
    const results = new Map<string, TickResult>();
    await this.settle(await this.nonces.sync(), results);
    const balance = await this.provider.getBalance(keeper);
    this.metrics.keyBalance.set({ key: keeper }, Number(balance) / 1e18);
    const replacements = await this.bumpDue();
    if (replacements.length > 0) await this.settle(await this.nonces.sync(), results); // mined at once?

    const work: PoolWork[] = [];
    const sending = new Map<string, Decision>();
    for (const snap of states) {
      const pool = this.poolOf(snap.address);
      const w: PoolWork = { pool, snap, swaps: swaps.swaps.get(snap.address) ?? [] };
      work.push(w);
      this.observeState(pool, snap);
      try {
        if (snap.oracleOk) w.rounds = await this.reader.readRounds(snap.feed, snap.timestamp, snap.oracleUpdatedAt);
        // An unknown pending nonce of the key (found at start) might be an update of any pool: hold all.
        const pending = this.nonces.hasUnknownPending() || this.nonces.pendingFor(snap.address) !== undefined;
        const d = decidePool(snap, w.rounds, w.swaps, this.policy, pending);
        w.decision = d.decision;
        if (d.decision) this.observeDecision(pool, d.decision);
        if (d.kind === "skip") w.result = { status: "skipped", reason: d.reason, decision: d.decision };
        else sending.set(snap.address, d.decision);
      } catch (err) {
        w.result = { status: "error", kind: classifyError(err), error: err };
      }
    }
    if (sending.size > 0) await this.apply(work, sending, results);

    const out: PoolTickResult[] = [];
    const finished = this.clock.now();
    for (const w of work) {
      const result = results.get(w.snap.address) ??
        w.result ?? { status: "error", kind: "internal", error: new Error("no result") };
      this.record(w, result, finished);
      this.logDecision(w, result, swaps);
      out.push({ ...result, pool: w.pool.address, name: w.pool.name });
    }
    for (const p of this.pools) {
      this.metrics.pendingTxs.set(labels(p), this.nonces.pending().filter((t) => t.pool === p.address).length);
    }
    const durationMs = finished - started;
    const rpcCalls = calls0 === undefined ? undefined : (this.rpcCalls?.() ?? 0) - calls0;
    this.metrics.tickDuration.set(durationMs / 1000);
    if (rpcCalls !== undefined) this.metrics.rpcCallsPerTick.set(rpcCalls);
    return { block: head.number, pools: out, replacements, durationMs, rpcCalls };
  }

  /** Pre-send checks, sends and confirmation of the tick's sending decisions (see the module doc). */
  private async apply(
    work: PoolWork[],
    sending: Map<string, Decision>,
    results: Map<string, TickResult>,
  ): Promise<void> {
    const pool = ISkewPool__factory.createInterface();
    const skip = (address: string, reason: SkipReason, detail?: Record<string, unknown>): void => {
      sending.delete(address);
      const decision = work.find((w) => w.snap.address === address)?.decision;
      results.set(address, { status: "skipped", reason, decision, ...(detail ? { detail } : {}) });
    };
    const keeper = await this.keeperAddress();
    // The surge ramp width: the policy has no opinion yet, so each update keeps the pool's (DESIGN.md §2).
    const widthOf = (address: string): bigint => work.find((w) => w.snap.address === address)?.snap.surgeWidth ?? 0n;
    const callOf = (address: string, d: Decision): string =>
      pool.encodeFunctionData("setParams", [d.next.k, d.next.baseFee, d.next.maxFee, d.next.tau, widthOf(address)]);
    if (this.dryRun) {
      // Nothing is sent; the gas estimate (an eth_call) tells the operator whether the update would pass.
      for (const [address, d] of [...sending]) {
        let simulation = "ok";
        try {
          await this.provider.estimateGas({ from: keeper, to: address, data: callOf(address, d) });
        } catch (err) {
          if (!isRevertWithData(err)) throw err;
          simulation = describeRevert(err);
        }
        skip(address, "dry-run", { simulation });
      }
      return;
    }
    if (this.beforeApply) await this.beforeApply(new Map(sending));
    const fresh = await readPoolStates(this.provider, [...sending.keys()], "latest");
    for (const f of fresh) {
      const snap = work.find((w) => w.snap.address === f.address)?.snap;
      if (snap === undefined) continue;
      if (f.lastParamsUpdate !== snap.lastParamsUpdate || !paramsEqual(f.params, snap.params)) {
        const next = sending.get(f.address)?.next;
        skip(f.address, "stale-decision", {
          alreadyApplied: next !== undefined && paramsEqual(f.params, next),
          chainParams: f.params,
          chainLastUpdate: f.lastParamsUpdate,
        });
      }
    }
    if (sending.size === 0) return;
    const fees = await this.networkFees();
    if (this.gasPriceCap !== undefined && fees.gasPrice > this.gasPriceCap) {
      for (const address of [...sending.keys()]) {
        skip(address, "gas-price-cap", { gasPrice: fees.gasPrice, cap: this.gasPriceCap });
      }
      return;
    }
    const txFees: Fees = {
      maxFeePerGas: this.gasPriceCap === undefined ? fees.maxFeePerGas : minBig(fees.maxFeePerGas, this.gasPriceCap),
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    };
    txFees.maxPriorityFeePerGas = minBig(txFees.maxPriorityFeePerGas, txFees.maxFeePerGas);
    const estimates = await Promise.all(
      [...sending].map(async ([address, d]) => {
        try {
          return {
            address,
            gas: await this.provider.estimateGas({ from: keeper, to: address, data: callOf(address, d) }),
          };
        } catch (err) {
          if (!isRevertWithData(err)) throw err;
          return { address, revert: describeRevert(err) };
        }
      }),
    );
    const sent = new Map<number, string>(); // nonce -> pool
    for (const e of estimates) {
      const d = sending.get(e.address);
      if (d === undefined) continue;
      if (e.gas === undefined) {
        skip(e.address, "simulation-reverted", { revert: e.revert });
        continue;
      }
      // 20 % headroom: the estimate is taken against "latest", the update runs in a later block.
      const gasLimit = (e.gas * 12n) / 10n;
      const { tx, error } = await this.nonces.send(
        e.address,
        { to: e.address, data: callOf(e.address, d), gasLimit },
        txFees,
      );
      const l = labels(this.poolOf(e.address));
      this.metrics.txs.inc({ ...l, outcome: "sent" });
      sent.set(tx.nonce, e.address);
      this.logger.info(
        {
          event: "tx-sent",
          pool: l.pool,
          address: e.address,
          txHash: tx.hashes.at(-1),
          nonce: tx.nonce,
          next: d.next,
          fees: txFees,
          broadcastError: error,
        },
        error === undefined ? "update sent" : "update signed, broadcast failed (the nonce is kept and rebroadcast)",
      );
      results.set(e.address, { status: "tx-pending", decision: d, txHash: tx.hashes.at(-1) ?? "", nonce: tx.nonce });
    }
    await this.confirm(sent, results);
  }

  /** Waits up to the timeout for this tick's transactions (all together), settling what gets mined. */
  private async confirm(sent: Map<number, string>, results: Map<string, TickResult>): Promise<void> {
    const deadline = this.clock.now() + this.txTimeoutMs;
    const open = (): boolean => this.nonces.pending().some((t) => sent.has(t.nonce) && sent.get(t.nonce) === t.pool);
    while (sent.size > 0) {
      await this.settle(await this.nonces.sync(), results);
      if (!open() || this.clock.now() >= deadline) break;
      await this.clock.sleep(this.confirmPollMs);
    }
    for (const t of this.nonces.pending()) {
      if (sent.get(t.nonce) !== t.pool) continue;
      const p = this.poolOf(t.pool);
      this.metrics.txs.inc({ ...labels(p), outcome: "timeout" });
      this.logger.warn(
        { event: "tx-timeout", pool: p.name, txHash: t.hashes.at(-1), nonce: t.nonce, timeoutMs: this.txTimeoutMs },
        "update not mined yet",
      );
    }
  }

  /** Records mined transactions: confirmed updates, reverts, nonces taken by something else. */
  private async settle(settled: SettledTx[], results: Map<string, TickResult>): Promise<void> {
    for (const { tx, receipt } of settled) {
      if (tx.pool === "" || !this.byAddress.has(tx.pool)) {
        this.logger.info(
          { event: "nonce-settled", nonce: tx.nonce, txHash: receipt?.hash },
          "an earlier pending nonce was mined",
        );
        continue;
      }
      const p = this.poolOf(tx.pool);
      const l = labels(p);
      const prior = results.get(tx.pool);
      const decision = prior !== undefined && "decision" in prior ? prior.decision : undefined;
      if (receipt !== null && receipt.status === 1) {
        this.metrics.txs.inc({ ...l, outcome: "confirmed" });
        this.metrics.updates.inc(l);
        await this.observeReceipt(p, receipt);
        this.logger.info(
          {
            event: "tx-confirmed",
            pool: p.name,
            txHash: receipt.hash,
            nonce: tx.nonce,
            replacements: tx.replacements,
            block: receipt.blockNumber,
          },
          "update mined",
        );
        if (decision !== undefined)
          results.set(tx.pool, { status: "updated", decision, txHash: receipt.hash, block: receipt.blockNumber });
      } else {
        const outcome = receipt === null ? "replaced-externally" : "reverted";
        this.metrics.txs.inc({ ...l, outcome });
        this.metrics.errors.inc({ kind: "tx" });
        this.logger.warn(
          { event: "tx-failed", pool: p.name, outcome, nonce: tx.nonce, hashes: tx.hashes },
          `update ${outcome}`,
        );
        if (decision !== undefined) {
          results.set(tx.pool, {
            status: "tx-failed",
            decision,
            txHash: receipt?.hash ?? tx.hashes.at(-1) ?? "",
            detail: { outcome },
          });
        }
      }
    }
  }

  /** Replaces the pending transactions that waited too long (bumped fees; see `./nonce`). */
  private async bumpDue(): Promise<Replacement[]> {
    const now = this.clock.now();
    const due = this.nonces.pending().some((t) => !t.broadcastOk || now - t.broadcastAt >= this.nonces.bumpAfterMs);
    if (!due || this.dryRun) return [];
    const fees = await this.networkFees();
    const done = await this.nonces.bump(fees);
    for (const r of done) {
      const p = this.byAddress.get(r.tx.pool);
      // A new hash that reached the node is a replacement; the same hash again is a rebroadcast (at the cap).
      const replaced = r.error === undefined && r.hash !== r.previousHash;
      if (p !== undefined && replaced) this.metrics.replacements.inc(labels(p));
      const event = r.error !== undefined ? "tx-replace-failed" : replaced ? "tx-replaced" : "tx-rebroadcast";
      this.logger.warn(
        {
          event,
          pool: p?.name,
          kind: r.kind,
          nonce: r.tx.nonce,
          previousHash: r.previousHash,
          txHash: r.hash,
          fees: r.fees,
          replacements: r.tx.replacements,
          waitedMs: now - r.tx.sentAt,
          error: r.error,
        },
        `pending transaction: ${event} (${r.kind})`,
      );
    }
    return done;
  }

  /** The network's fees now: gas price and EIP-1559 fields (legacy chains get gasPrice in both). */
  private async networkFees(): Promise<Fees & { gasPrice: bigint }> {
    const fee = await this.provider.getFeeData();
    const gasPrice = fee.gasPrice ?? fee.maxFeePerGas ?? 0n;
    return {
      gasPrice,
      maxFeePerGas: fee.maxFeePerGas ?? gasPrice,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas ?? gasPrice,
    };
  }

  /** Counts a pool's result. */
  private record(w: PoolWork, result: TickResult, finishedMs: number): void {
    const l = labels(w.pool);
    if (result.status === "error") {
      this.metrics.errors.inc({ kind: result.kind });
      return;
    }
    const reason: DecisionLabel = result.status === "skipped" ? result.reason : "update";
    this.metrics.decisions.inc({ ...l, reason });
    this.metrics.poolTickSucceeded(w.pool, finishedMs);
  }

  /** Sets a pool's gauges from its on-chain state. */
  private observeState(p: FleetPool, s: PoolSnapshot): void {
    const l = labels(p);
    this.metrics.lastUpdate.set(l, s.lastParamsUpdate);
    this.metrics.param.set({ ...l, param: "k" }, Number(s.params.k) / Number(WAD));
    this.metrics.param.set({ ...l, param: "baseFee" }, Number(s.params.baseFee));
    this.metrics.param.set({ ...l, param: "maxFee" }, Number(s.params.maxFee));
    this.metrics.param.set({ ...l, param: "tau" }, Number(s.params.tau) / Number(WAD));
    this.metrics.kQueued.set(l, s.pendingK === null ? 0 : 1);
  }

  /** Sets a pool's measurement gauges. */
  private observeDecision(p: FleetPool, d: Decision): void {
    const l = labels(p);
    this.metrics.sigma.set(l, d.metrics.sigma);
    this.metrics.flow.set(l, d.metrics.flow);
    this.metrics.imbalance.set(l, d.metrics.imbalance);
  }

  /** After a confirmed update: the on-chain update time and parameters from its block. */
  private async observeReceipt(p: FleetPool, receipt: TransactionReceipt): Promise<void> {
    try {
      const block = await receipt.getBlock();
      this.metrics.lastUpdate.set(labels(p), block.timestamp);
    } catch (err) {
      this.logger.warn({ event: "block-read-failed", err }, "could not read the update's block time");
    }
  }

  /** The JSON line of one pool's decision: inputs, measurements, decision, outcome. Full inputs at debug level. */
  private logDecision(w: PoolWork, outcome: TickResult, read: SwapsRead): void {
    const snap = w.snap;
    const decision = "decision" in outcome ? outcome.decision : w.decision;
    const line = {
      event: "decision",
      pool: w.pool.name,
      address: w.pool.address,
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
        rounds: summarizeRounds(w.rounds),
        swaps: summarizeSwaps(w.swaps, read),
      },
      metrics: decision?.metrics,
      decision:
        decision === undefined
          ? undefined
          : { send: decision.send, reason: decision.reason, target: decision.target, next: decision.next },
      outcome: "decision" in outcome ? { ...outcome, decision: undefined } : outcome,
    };
    const level = outcome.status === "error" || outcome.status === "tx-failed" ? "warn" : "info";
    this.logger[level](line, `${w.pool.name}: ${outcome.status}${"reason" in outcome ? `: ${outcome.reason}` : ""}`);
    this.logger.debug(
      { event: "decision-inputs", pool: w.pool.name, rounds: w.rounds?.rounds, swaps: w.swaps },
      "policy inputs",
    );
  }

  /**
   * Ticks every `intervalMs` until {@link stop}. A failed tick is counted (by {@link tick}), logged,
   * and followed by a backoff delay instead of the interval; the next tick first re-checks the chain id.
   * The loop itself never throws (only an injected clock's `sleep` could make it).
   */
  async run(): Promise<void> {
    if (this.running) throw new Error("the runner is already running");
    this.running = true;
    const abort = new AbortController();
    this.abort = abort;
    this.logger.info(
      {
        event: "start",
        pools: this.pools.length,
        dryRun: this.dryRun,
        intervalMs: this.intervalMs,
        gasPriceCap: this.gasPriceCap,
        bumpAfterMs: this.nonces.bumpAfterMs,
        bumpPercent: this.nonces.bumpPercent,
      },
      "keeper running",
    );
    try {
      while (!this.stopRequested) {
        let delay = this.intervalMs;
        try {
          logTick(this.logger, await this.tick());
        } catch (err) {
          const kind = classifyError(err);
          delay = backoffDelay(this.failures, this.backoff, this.random);
          this.logger.warn(
            { event: "tick-failed", kind, failures: this.failures, retryInMs: delay, err },
            "tick failed",
          );
        }
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
