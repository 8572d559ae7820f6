/**
 * The keeper's Prometheus metrics (prom-client), its health, and the scrape endpoint.
 *
 * One registry per keeper process (never prom-client's global one), so the tests never share
 * counters. Per-pool series carry `pool` (the pool's name) and `address`; every series the keeper
 * exports exists from start (counters at 0 for every reason, kind and outcome), so alert rules never
 * meet an absent series. The endpoint listens on 127.0.0.1 by default: metrics reveal the operator's
 * key and behaviour; choose another address (`--metrics-listen 0.0.0.0:9464`) only behind a firewall.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Registry } from "prom-client";
import { CURSOR_RESET_REASONS } from "./chain";

/** Why a pool's tick ended as it did (the `reason` label of `decisions_total`). */
export type DecisionLabel =
  /** The policy asked for an update and the runner sent it. */
  | "update"
  /** The policy: no parameter moves beyond its hysteresis band. */
  | "within-band"
  /** The policy: the pool's min interval has not passed since the last update. */
  | "too-soon"
  /** The policy: too few usable feed rounds to measure volatility. */
  | "insufficient-data"
  /** The pool reports its oracle unusable (stale, non-positive or incomplete round, bounds, sequencer). */
  | "oracle-unavailable"
  /** The pool's Skew oracle holds its answer back: the circuit breaker tripped (guardian or cool-down clears it). */
  | "circuit-breaker"
  /** Dry run: the update was decided but not sent. */
  | "dry-run"
  /** This pool's previous update is still pending (other pools are not held). */
  | "pending-tx"
  /** The pool already queued the `k` the policy asks for (applied at equilibrium): nothing to resend. */
  | "k-queued"
  /** The chain changed since the decision was read (parameters or last update moved): decide again. */
  | "stale-decision"
  /** The network's gas price is above the operator's cap. */
  | "gas-price-cap"
  /** `setParams` would revert (its gas estimate reverted). */
  | "simulation-reverted";

/** A decision that sends nothing. */
export type SkipReason = Exclude<DecisionLabel, "update">;

export const DECISION_LABELS: readonly DecisionLabel[] = [
  "update",
  "within-band",
  "too-soon",
  "insufficient-data",
  "oracle-unavailable",
  "circuit-breaker",
  "dry-run",
  "pending-tx",
  "k-queued",
  "stale-decision",
  "gas-price-cap",
  "simulation-reverted",
];

/** Kinds of error counted in `errors_total`. */
export type ErrorKind =
  /** A read or send failed at the RPC level (network, timeout, node error). */
  | "rpc"
  /** The policy rejected its input (e.g. current parameters outside the bounds). */
  | "policy"
  /** An update transaction reverted on-chain, or its nonce was taken by another transaction. */
  | "tx"
  /** Anything else (a bug): logged with its stack, and the loop backs off like for RPC faults. */
  | "internal";

export const ERROR_KINDS: readonly ErrorKind[] = ["rpc", "policy", "tx", "internal"];

/** How an update transaction ended (the `outcome` label of `transactions_total`). */
export type TxOutcome = "sent" | "confirmed" | "reverted" | "replaced-externally" | "timeout";

export const TX_OUTCOMES: readonly TxOutcome[] = ["sent", "confirmed", "reverted", "replaced-externally", "timeout"];

/** A pool as the metrics label it. */
export interface PoolLabel {
  /** The pool's name (from the deployment record or the config), or its address. */
  name: string;
  /** Checksummed address. */
  address: string;
}

const POOL_LABELS = ["pool", "address"] as const;
type PoolLabelName = (typeof POOL_LABELS)[number];

/** The keeper's metrics, in their own registry. */
export class KeeperMetrics {
  readonly registry: Registry;
  // fleet-wide
  readonly ticks: Counter<"outcome">;
  readonly errors: Counter<"kind">;
  readonly lastTick: Gauge;
  readonly consecutiveFailures: Gauge;
  readonly tickDuration: Gauge;
  readonly rpcCallsPerTick: Gauge;
  readonly keyBalance: Gauge<"key">;
  readonly cursorResets: Counter<"reason">;
  readonly healthy: Gauge;
  // per pool
  readonly lastUpdate: Gauge<PoolLabelName>;
  readonly poolLastTick: Gauge<PoolLabelName>;
  readonly decisions: Counter<PoolLabelName | "reason">;
  readonly updates: Counter<PoolLabelName>;
  readonly txs: Counter<PoolLabelName | "outcome">;
  readonly pendingTxs: Gauge<PoolLabelName>;
  readonly kQueued: Gauge<PoolLabelName>;
  readonly replacements: Counter<PoolLabelName>;
  readonly sigma: Gauge<PoolLabelName>;
  readonly flow: Gauge<PoolLabelName>;
  readonly imbalance: Gauge<PoolLabelName>;
  readonly param: Gauge<PoolLabelName | "param">;
  private lastOkMs: number | undefined;
  private readonly poolLastOkMs = new Map<string, number>();
  private readonly startedMs: number;

  /**
   * @param now Wall-clock ms (for the "seconds since" gauges; tests inject a clock).
   */
  constructor(private readonly now: () => number = Date.now) {
    this.startedMs = now();
    this.registry = new Registry();
    const registers = [this.registry];
    const labelNames = [...POOL_LABELS];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.ticks = new Counter({
      name: "skew_keeper_ticks_total",
      help: "Fleet ticks by outcome (ok: every pool was read; error: the tick threw and the loop backed off).",
      labelNames: ["outcome"],
      registers,
    });
    this.errors = new Counter({
      name: "skew_keeper_errors_total",
      help: "Errors by kind (rpc, policy, tx, internal).",
      labelNames: ["kind"],
      registers,
    });
    this.lastTick = new Gauge({
      name: "skew_keeper_last_tick_timestamp_seconds",
      help: "Wall-clock time the last fleet tick completed without error (0 before the first).",
      registers,
    });
    new Gauge({
      name: "skew_keeper_seconds_since_last_tick",
      help: "Seconds since the last fleet tick completed without error (since start before the first).",
      registers,
      collect() {
        this.set((self.now() - (self.lastOkMs ?? self.startedMs)) / 1000);
      },
    });
    this.consecutiveFailures = new Gauge({
      name: "skew_keeper_consecutive_failures",
      help: "Fleet ticks that failed in a row (0 after a successful tick).",
      registers,
    });
    this.tickDuration = new Gauge({
      name: "skew_keeper_tick_duration_seconds",
      help: "Duration of the last fleet tick, seconds (reads, decisions, sends and confirmations).",
      registers,
    });
    this.rpcCallsPerTick = new Gauge({
      name: "skew_keeper_rpc_calls_per_tick",
      help: "JSON-RPC requests the last fleet tick made (when the provider counts them).",
      registers,
    });
    this.keyBalance = new Gauge({
      name: "skew_keeper_key_balance_ether",
      help: "Balance of the keeper's key, ether (read every tick).",
      labelNames: ["key"],
      registers,
    });
    this.cursorResets = new Counter({
      name: "skew_keeper_cursor_resets_total",
      help: "Log cursors and caches dropped because the chain was reset, reorganised or changed id.",
      labelNames: ["reason"],
      registers,
    });
    this.healthy = new Gauge({
      name: "skew_keeper_healthy",
      help: "1 while /healthz answers 200 (a fleet tick succeeded recently), else 0.",
      registers,
    });
    this.lastUpdate = new Gauge({
      name: "skew_keeper_last_update_timestamp_seconds",
      help: "The pool's last parameter update as recorded ON-CHAIN (block time; 0 if never), read every tick.",
      labelNames,
      registers,
    });
    this.poolLastTick = new Gauge({
      name: "skew_keeper_pool_seconds_since_last_tick",
      help: "Seconds since this pool's last successful tick (since start before the first).",
      labelNames,
      registers,
      collect() {
        for (const [key, ms] of self.poolLastOkMs) {
          const [pool, address] = key.split("\n");
          this.set({ pool, address }, (self.now() - ms) / 1000);
        }
      },
    });
    this.decisions = new Counter({
      name: "skew_keeper_decisions_total",
      help: "Pool ticks by decision reason (the policy's, or the runner's reason not to send).",
      labelNames: [...labelNames, "reason"],
      registers,
    });
    this.updates = new Counter({
      name: "skew_keeper_updates_total",
      help: "Parameter updates the keeper confirmed on-chain.",
      labelNames,
      registers,
    });
    this.txs = new Counter({
      name: "skew_keeper_transactions_total",
      help: "Update transactions by outcome (sent, confirmed, reverted, replaced-externally, timeout).",
      labelNames: [...labelNames, "outcome"],
      registers,
    });
    this.pendingTxs = new Gauge({
      name: "skew_keeper_pending_transactions",
      help: "The keeper's transactions for this pool sent and not yet mined.",
      labelNames,
      registers,
    });
    this.kQueued = new Gauge({
      name: "skew_keeper_k_change_queued",
      help: "1 while the pool holds a queued k change (applied when a swap reaches equilibrium), else 0.",
      labelNames,
      registers,
    });
    this.replacements = new Counter({
      name: "skew_keeper_replacements_total",
      help: "Pending transactions replaced with bumped fees (or re-broadcast after a drop).",
      labelNames,
      registers,
    });
    this.sigma = new Gauge({
      name: "skew_keeper_sigma",
      help: "Annualised realised volatility of the pool's feed at the last decision (0: not measured).",
      labelNames,
      registers,
    });
    this.flow = new Gauge({
      name: "skew_keeper_flow",
      help: "One-sidedness of the pool's recent swaps at the last decision, in [-1, 1].",
      labelNames,
      registers,
    });
    this.imbalance = new Gauge({
      name: "skew_keeper_imbalance",
      help: "Pool imbalance at the last decision (1 = 100 %).",
      labelNames,
      registers,
    });
    this.param = new Gauge({
      name: "skew_keeper_pool_param",
      help: "The pool's parameters as last read: k and tau as fractions, fees in pips.",
      labelNames: [...labelNames, "param"],
      registers,
    });
    this.ticks.inc({ outcome: "ok" }, 0);
    this.ticks.inc({ outcome: "error" }, 0);
    for (const kind of ERROR_KINDS) this.errors.inc({ kind }, 0);
    for (const reason of CURSOR_RESET_REASONS) this.cursorResets.inc({ reason }, 0);
    this.lastTick.set(0);
    this.consecutiveFailures.set(0);
    this.tickDuration.set(0);
    this.rpcCallsPerTick.set(0);
    this.healthy.set(0);
  }

  /** Creates every series of `pool` (counters at 0), so they are scraped before the first event. */
  addPool(pool: PoolLabel): void {
    const l = labels(pool);
    this.lastUpdate.set(l, 0);
    this.poolLastOkMs.set(`${pool.name}\n${pool.address}`, this.startedMs);
    for (const reason of DECISION_LABELS) this.decisions.inc({ ...l, reason }, 0);
    this.updates.inc(l, 0);
    for (const outcome of TX_OUTCOMES) this.txs.inc({ ...l, outcome }, 0);
    this.pendingTxs.set(l, 0);
    this.kQueued.set(l, 0);
    this.replacements.inc(l, 0);
    this.sigma.set(l, 0);
    this.flow.set(l, 0);
    this.imbalance.set(l, 0);
    for (const param of ["k", "baseFee", "maxFee", "tau"]) this.param.set({ ...l, param }, 0);
  }

  /** Creates the balance series of `key`. */
  addKey(key: string): void {
    this.keyBalance.set({ key }, 0);
  }

  /** Records a successful fleet tick at `ms`. */
  tickSucceeded(ms: number): void {
    this.lastOkMs = ms;
    this.lastTick.set(ms / 1000);
  }

  /** Records a successful tick of one pool at `ms`. */
  poolTickSucceeded(pool: PoolLabel, ms: number): void {
    this.poolLastOkMs.set(`${pool.name}\n${pool.address}`, ms);
  }

  /** Wall-clock ms of the last successful fleet tick (undefined before the first). */
  get lastTickMs(): number | undefined {
    return this.lastOkMs;
  }

  /** The current value of a counter or gauge series (0 when the series does not exist yet). */
  async value(name: string, want: Record<string, string> = {}): Promise<number> {
    const metric = this.registry.getSingleMetric(name);
    if (metric === undefined) throw new Error(`no metric named ${name}`);
    const data = await metric.get();
    const series = data.values.find((v) =>
      Object.entries(want).every(([k, w]) => String((v.labels as Record<string, unknown>)[k]) === w),
    );
    return series?.value ?? 0;
  }
}

/** The `pool` and `address` labels of a pool. */
export function labels(pool: PoolLabel): Record<PoolLabelName, string> {
  return { pool: pool.name, address: pool.address };
}

/** What `/healthz` answers. */
export interface HealthStatus {
  ok: boolean;
  detail: Record<string, unknown>;
}

/**
 * The keeper's health: healthy while the last successful fleet tick is at most `maxAgeMs` old.
 * Unhealthy before the first successful tick.
 */
export function healthCheck(
  metrics: KeeperMetrics,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => HealthStatus {
  return () => {
    const last = metrics.lastTickMs;
    const ageMs = last === undefined ? undefined : now() - last;
    const ok = ageMs !== undefined && ageMs <= maxAgeMs;
    metrics.healthy.set(ok ? 1 : 0);
    return {
      ok,
      detail: {
        status: ok ? "ok" : last === undefined ? "starting" : "stale",
        lastTickAgeSeconds: ageMs === undefined ? null : ageMs / 1000,
        maxAgeSeconds: maxAgeMs / 1000,
      },
    };
  };
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The address and port it listens on (useful with port 0). */
  host: string;
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Parses "host:port", ":port" or "port" (host default 127.0.0.1; "[::1]:port" for IPv6). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$|^(\d+)$/.exec(value.trim());
  if (m === null) throw new Error(`listen address must be host:port or a port, got "${value}"`);
  const port = Number(m[3] ?? m[4]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port out of range in "${value}"`);
  const host = m[1] ?? (m[2] || "127.0.0.1");
  return { host, port };
}

/**
 * Serves `GET /metrics` from `registry` and, when `health` is given, `GET /healthz` (200 or 503 with a
 * JSON body) on `host:port` (port 0 picks a free one). Anything else answers 404. Resolves once
 * listening; rejects if the port is taken.
 */
export async function startMetricsServer(
  registry: Registry,
  port: number,
  host = "127.0.0.1",
  health?: () => HealthStatus,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const route = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && route === "/healthz" && health !== undefined) {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(h.detail)}\n`);
      return;
    }
    if (req.method !== "GET" || route !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    health?.(); // keeps skew_keeper_healthy current
    registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
