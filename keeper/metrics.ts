/**
 * The keeper's Prometheus metrics (prom-client) and an optional scrape endpoint.
 *
 * Each runner owns its own {@link Registry} (never prom-client's global one), so several runners and
 * the tests never share counters. The endpoint listens on 127.0.0.1 only: metrics reveal the
 * operator's key address and behaviour and are not meant for the open internet; put a proxy in
 * front to scrape from elsewhere.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Registry } from "prom-client";

/** Why a tick ended without an update transaction (the `reason` label of `skips_total`). */
export type SkipReason =
  /** The policy: no parameter moves beyond its hysteresis band. */
  | "within-band"
  /** The policy: the pool's min interval has not passed since the last update. */
  | "too-soon"
  /** The policy: too few usable feed rounds to measure volatility. */
  | "insufficient-data"
  /** The pool reports its oracle unusable (stale, non-positive or incomplete round). */
  | "oracle-unavailable"
  /** Dry run: the update was decided but not sent. */
  | "dry-run"
  /** A transaction from the keeper's key is still pending: never send a second one on top of it. */
  | "pending-tx"
  /** The chain changed since the decision was read (parameters or last update moved): decide again. */
  | "stale-decision"
  /** The network's gas price is above the operator's cap. */
  | "gas-price-cap"
  /** `setParams` would revert (simulated with `staticCall`). */
  | "simulation-reverted";

/** Kinds of error counted in `errors_total`. */
export type ErrorKind =
  /** A read or send failed at the RPC level (network, timeout, node error). */
  | "rpc"
  /** The policy rejected its input (e.g. current parameters outside the bounds). */
  | "policy"
  /** An update transaction reverted on-chain, was cancelled or replaced by another. */
  | "tx"
  /** Anything else (a bug): logged with its stack, and the loop backs off like for RPC faults. */
  | "internal";

/** How an update transaction ended (the `outcome` label of `tx_total`). */
export type TxOutcome = "sent" | "confirmed" | "reverted" | "replaced" | "timeout" | "failed";

/** The keeper's metrics, in their own registry. */
export class KeeperMetrics {
  readonly registry: Registry;
  readonly ticks: Counter<"outcome">;
  readonly updates: Counter;
  readonly skips: Counter<"reason">;
  readonly errors: Counter<"kind">;
  readonly txs: Counter<"outcome">;
  readonly lastUpdate: Gauge;
  readonly lastTick: Gauge;
  readonly consecutiveFailures: Gauge;
  readonly sigma: Gauge;
  readonly flow: Gauge;
  readonly imbalance: Gauge;
  readonly param: Gauge<"param">;

  /** @param defaultLabels Labels put on every series (e.g. `{ pool: "0x…" }`). */
  constructor(defaultLabels: Record<string, string> = {}) {
    this.registry = new Registry();
    this.registry.setDefaultLabels(defaultLabels);
    const registers = [this.registry];
    this.ticks = new Counter({
      name: "skew_keeper_ticks_total",
      help: "Keeper ticks by outcome (ok: the tick completed, error: it threw and the loop backed off).",
      labelNames: ["outcome"],
      registers,
    });
    this.updates = new Counter({
      name: "skew_keeper_updates_total",
      help: "Parameter updates the keeper confirmed on-chain.",
      registers,
    });
    this.skips = new Counter({
      name: "skew_keeper_skips_total",
      help: "Ticks that sent no update, by reason.",
      labelNames: ["reason"],
      registers,
    });
    this.errors = new Counter({
      name: "skew_keeper_errors_total",
      help: "Errors by kind (rpc, policy, tx, internal).",
      labelNames: ["kind"],
      registers,
    });
    this.txs = new Counter({
      name: "skew_keeper_transactions_total",
      help: "Update transactions by outcome (sent, confirmed, reverted, replaced, timeout, failed).",
      labelNames: ["outcome"],
      registers,
    });
    this.lastUpdate = new Gauge({
      name: "skew_keeper_last_update_timestamp_seconds",
      help: "Block timestamp of the keeper's last confirmed update (0 before the first).",
      registers,
    });
    this.lastTick = new Gauge({
      name: "skew_keeper_last_tick_timestamp_seconds",
      help: "Wall-clock time the last tick completed without error.",
      registers,
    });
    this.consecutiveFailures = new Gauge({
      name: "skew_keeper_consecutive_failures",
      help: "Ticks that failed in a row (0 after a successful tick).",
      registers,
    });
    this.sigma = new Gauge({
      name: "skew_keeper_sigma",
      help: "Annualised realised volatility of the feed at the last decision (0: not measured).",
      registers,
    });
    this.flow = new Gauge({
      name: "skew_keeper_flow",
      help: "One-sidedness of recent swaps at the last decision, in [-1, 1].",
      registers,
    });
    this.imbalance = new Gauge({
      name: "skew_keeper_imbalance",
      help: "Pool imbalance at the last decision (1 = 100 %).",
      registers,
    });
    this.param = new Gauge({
      name: "skew_keeper_pool_param",
      help: "The pool's parameters as last read: k and tau as fractions, fees in pips.",
      labelNames: ["param"],
      registers,
    });
  }

  /** The current value of a counter or gauge series (0 when the series does not exist yet). */
  async value(name: string, labels: Record<string, string> = {}): Promise<number> {
    const metric = this.registry.getSingleMetric(name);
    if (metric === undefined) throw new Error(`no metric named ${name}`);
    const data = await metric.get();
    const series = data.values.find((v) =>
      Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
    );
    return series?.value ?? 0;
  }
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The port it listens on (useful with port 0). */
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` from `registry` on `host:port` (default host 127.0.0.1; port 0 picks a free
 * one). Anything else answers 404. Resolves once listening; rejects if the port is taken.
 */
export async function startMetricsServer(registry: Registry, port: number, host = "127.0.0.1"): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
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
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
