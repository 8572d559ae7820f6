/**
 * An experiment: many paths of one market, every strategy on each, optionally spread over
 * worker threads. The spec is plain data (structured-cloneable), so workers rebuild the
 * strategies themselves; results do not depend on the number of workers.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { PolicyConfig } from "../keeper/config";
import { decide } from "../keeper/policy";
import type { ParamBounds, PoolParams } from "../keeper/types";
import type { Family } from "./frontier";
import type { KeeperSetup } from "./keeper";
import type { PathMetrics } from "./metrics";
import type { PullConfig } from "./pull";
import { runPath, runStrategy, type SeriesPoint, type SimConfig, type Strategy } from "./run";

/** A Skew strategy variant with its own fixed parameters or keeper config. */
export interface SkewVariant {
  name: string;
  params: PoolParams;
  /** Keeper policy config; none = fixed parameters. */
  policy?: PolicyConfig;
  /** The front-running fee floor, pips (none: 0). */
  feeFloor?: bigint;
  /** Priced on a pull oracle (none: the push feed). */
  pull?: PullConfig;
  /** Where the report puts it (none: "keeper" with a policy, else "skew"). */
  family?: Family;
}

export interface ExperimentSpec {
  cfg: SimConfig;
  seed: number;
  paths: number;
  /** Constant-product fee in pips; none = no constant-product strategy. */
  cpFee?: bigint;
  /** More constant-product and concentrated-liquidity pools (after `cpFee`'s). */
  pools?: PoolVariant[];
  skew: SkewVariant[];
  /** The admin's bounds on the keeper. */
  bounds: ParamBounds;
  /** Keeper cadence and the history it reads. */
  keeper: { everyBlocks: number; flowWindow: number; maxRounds: number };
  /**
   * Strategies also run with no noise traders on the same prices, to separate pure LVR (the
   * arbitrage loss of prices moving) from back-running noise flow.
   */
  pureLvr?: string[];
}

/** A pool without an oracle: constant product, or concentrated liquidity over a range. */
export type PoolVariant =
  | { name: string; kind: "cp"; fee: bigint }
  | { name: string; kind: "v3"; fee: bigint; width: number };

/** One path's results, in strategy order. */
export interface PathOutcome {
  path: number;
  metrics: PathMetrics[];
  /** Time series of each strategy, for recorded paths. */
  series: SeriesPoint[][] | null;
  /** Per strategy, its metrics with no noise traders (null when not in `pureLvr`). */
  pure: (PathMetrics | null)[];
}

/** The strategies of a spec, in order: constant product (if any), then the Skew variants. */
export function buildStrategies(spec: ExperimentSpec): Strategy[] {
  const out: Strategy[] = [];
  if (spec.cpFee !== undefined) out.push({ name: "constant product", kind: "cp", fee: spec.cpFee });
  for (const p of spec.pools ?? []) out.push({ ...p });
  for (const v of spec.skew) {
    const policy = v.policy;
    const keeper: KeeperSetup | undefined =
      policy === undefined
        ? undefined
        : { ...spec.keeper, bounds: spec.bounds, decide: (input) => decide(input, policy) };
    out.push({ name: v.name, kind: "skew", params: v.params, keeper, feeFloor: v.feeFloor, pull: v.pull });
  }
  return out;
}

/** The report family of each strategy of a spec, in `buildStrategies` order. */
export function strategyFamilies(spec: ExperimentSpec): Family[] {
  const out: Family[] = [];
  if (spec.cpFee !== undefined) out.push("cp");
  for (const p of spec.pools ?? []) out.push(p.kind);
  for (const v of spec.skew) out.push(v.family ?? (v.policy === undefined ? "skew" : "keeper"));
  return out;
}

/** Runs one path of a spec. */
export function runSpecPath(
  spec: ExperimentSpec,
  strategies: readonly Strategy[],
  p: number,
  record: boolean,
): PathOutcome {
  const r = runPath(spec.cfg, strategies, spec.seed, p, record);
  const quiet = { ...spec.cfg, noise: { ...spec.cfg.noise, ratePerBlock: 0 } };
  const scenario = { ...r.scenario, orders: r.scenario.orders.map(() => []) };
  const pure = strategies.map((s) =>
    spec.pureLvr?.includes(s.name) === true ? runStrategy(quiet, scenario, s).metrics : null,
  );
  return { path: p, metrics: r.runs.map((x) => x.metrics), series: record ? r.runs.map((x) => x.series) : null, pure };
}

/** A task for a worker, and its answer. */
export interface WorkerTask {
  path: number;
  record: boolean;
}

/** Starts a worker thread running ./worker (through ts-node when running from TypeScript). */
function startWorker(spec: ExperimentSpec): Worker {
  const ts = __filename.endsWith(".ts");
  const file = path.join(__dirname, ts ? "worker.ts" : "worker.js");
  if (!ts) return new Worker(file, { workerData: spec });
  const code = `require("ts-node").register({ transpileOnly: true }); require(${JSON.stringify(file)});`;
  return new Worker(code, { eval: true, workerData: spec });
}

/**
 * Runs paths 0..spec.paths-1 (recording path 0's time series) on `jobs` workers (1 = in
 * this thread). `onPath` is called as each path finishes (in completion order); the result
 * is in path order.
 */
export async function runExperiment(
  spec: ExperimentSpec,
  jobs: number,
  onPath: (o: PathOutcome, done: number) => void = () => undefined,
): Promise<PathOutcome[]> {
  const outcomes: PathOutcome[] = [];
  const tasks: WorkerTask[] = Array.from({ length: spec.paths }, (_, p) => ({ path: p, record: p === 0 }));
  if (jobs <= 1 || spec.paths <= 1) {
    const strategies = buildStrategies(spec);
    for (const t of tasks) {
      outcomes.push(runSpecPath(spec, strategies, t.path, t.record));
      onPath(outcomes[outcomes.length - 1], outcomes.length);
    }
    return outcomes;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, spec.paths) }, () => startWorker(spec));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= tasks.length) return resolve();
              w.postMessage(tasks[next++]);
            };
            w.on("message", (o: PathOutcome) => {
              outcomes.push(o);
              onPath(o, outcomes.length);
              feed();
            });
            w.on("error", reject);
            w.on("exit", (code) => {
              if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return outcomes.sort((a, b) => a.path - b.path);
}
