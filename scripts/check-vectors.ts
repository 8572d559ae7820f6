/**
 * Runs a vector file through the SDK's integer math (`sdk/math.ts` quoteExactIn) and reports, per
 * region (a case's `group`, or its pool region and side when it has none), how many cases pass the
 * vectors' rule (spec/vectors/README.md), how many pay above exact math, how many miss the tolerance
 * (with the worst gap), how many charge fee pips outside the fee rule, and how many revert where a quote is due or
 * quote where a revert is due. A report, not a test: it exits 0 unless --strict and something failed.
 *
 *   npx ts-node --transpile-only scripts/check-vectors.ts [file ...] [--strict] [--json out.json]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { quoteExactIn, type SwapQuote } from "../sdk/math";
import { histograms, PALETTE } from "../sim/charts";
import { loadVectorFile, type VectorCase } from "../spec/model/vector";
import {
  feeWithinTolerance,
  vectorPool,
  vectorTolerance,
  type VectorCase as TestVectorCase,
} from "../test/helpers/vectors";

interface Tally {
  cases: number;
  passes: number;
  aboveExact: number;
  toleranceMisses: number;
  feeMismatches: number;
  unexpectedReverts: number;
  missingReverts: number;
  /** Worst tolerance miss: wei below the floor, and that gap relative to the floor. */
  worstGap: bigint;
  worstRelative: number;
  worstCase: number;
  /** Largest amount above exact. */
  worstAbove: bigint;
  /** log10 of each quoted case's gap below the exact floor in tolerances (the chart; -3 for no gap). */
  gaps: number[];
}

const newTally = (): Tally => ({
  cases: 0,
  passes: 0,
  aboveExact: 0,
  toleranceMisses: 0,
  feeMismatches: 0,
  unexpectedReverts: 0,
  missingReverts: 0,
  worstGap: 0n,
  worstRelative: 0,
  worstCase: -1,
  worstAbove: 0n,
  gaps: [],
});

/** The SDK quote of a case, or the name of the error it throws. */
function sdkQuote(c: VectorCase): SwapQuote | string {
  try {
    return quoteExactIn(vectorPool(c as TestVectorCase), c.side, BigInt(c.amountIn));
  } catch (e) {
    return (e as Error).name;
  }
}

/** Judges one case into its region's tally. */
function judge(t: Tally, c: VectorCase, i: number): void {
  t.cases++;
  const q = sdkQuote(c);
  if ("revert" in c.expect) {
    if (q === "InsufficientLiquidityError") t.passes++;
    else t.missingReverts++;
    return;
  }
  if (typeof q === "string") {
    t.unexpectedReverts++;
    return;
  }
  const floor = BigInt(c.expect.netOutFloor);
  if (q.amountOut <= floor) {
    const inTolerances = Number(floor - q.amountOut) / Number(vectorTolerance(floor));
    t.gaps.push(Math.log10(Math.max(inTolerances, 1e-3)));
  }
  let ok = true;
  if (!feeWithinTolerance(q.feePips, BigInt(c.expect.feePips), q.grossOut)) {
    t.feeMismatches++;
    ok = false;
  }
  if (q.amountOut > floor) {
    t.aboveExact++;
    if (q.amountOut - floor > t.worstAbove) t.worstAbove = q.amountOut - floor;
    ok = false;
  } else if (floor - q.amountOut > vectorTolerance(floor)) {
    t.toleranceMisses++;
    const gap = floor - q.amountOut;
    const rel = Number(gap) / Number(floor);
    if (gap > t.worstGap) {
      t.worstGap = gap;
      t.worstRelative = rel;
      t.worstCase = i;
    }
    ok = false;
  }
  if (ok) t.passes++;
}

/** Checks a file; returns the tallies by region, in first-seen order. */
export function checkFile(file: string): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const [i, c] of loadVectorFile(file).cases.entries()) {
    const region = c.group ?? `${c.state.region} ${c.side}`;
    if (!tallies.has(region)) tallies.set(region, newTally());
    judge(tallies.get(region) as Tally, c, i);
  }
  return tallies;
}

function printTable(file: string, tallies: Map<string, Tally>): void {
  const head = ["region", "cases", "pass", "above exact", "tol. miss", "worst gap (wei, rel, case)", "fee", "revert≠"];
  const rows = [...tallies.entries()].map(([region, t]) => [
    region,
    String(t.cases),
    String(t.passes),
    t.aboveExact === 0 ? "0" : `${t.aboveExact} (max +${t.worstAbove})`,
    String(t.toleranceMisses),
    t.toleranceMisses === 0 ? "-" : `${t.worstGap}, ${t.worstRelative.toExponential(2)}, #${t.worstCase}`,
    String(t.feeMismatches),
    String(t.unexpectedReverts + t.missingReverts),
  ]);
  const total = [...tallies.values()].reduce(
    (a, t) => ({
      cases: a.cases + t.cases,
      passes: a.passes + t.passes,
      above: a.above + t.aboveExact,
      miss: a.miss + t.toleranceMisses,
      fee: a.fee + t.feeMismatches,
      rev: a.rev + t.unexpectedReverts + t.missingReverts,
    }),
    { cases: 0, passes: 0, above: 0, miss: 0, fee: 0, rev: 0 },
  );
  rows.push([
    "total",
    ...[total.cases, total.passes, total.above, total.miss].map(String),
    "",
    String(total.fee),
    String(total.rev),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((x, j) => (j === 0 ? x.padEnd(widths[j]) : x.padStart(widths[j]))).join("  ");
  console.log(`\n${path.relative(process.cwd(), file)}: SDK (sdk/math.ts quoteExactIn) against the exact vectors`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

/** Histograms, one row per region, of how far below the exact floor the SDK's outputs are. */
function chart(file: string, tallies: Map<string, Tally>): string {
  return histograms({
    title: `${path.basename(file)}: SDK output below the exact floor`,
    xLabel: "log10(gap / tolerance): right of 0 misses the tolerance max(10, floor / 1e12); -3 = no gap",
    distributions: [...tallies.entries()].map(([name, t], i) => ({
      name: `${name} (${t.gaps.length})`,
      values: t.gaps,
      color: PALETTE[i % PALETTE.length],
      markers: [{ label: "tolerance", x: 0 }],
    })),
    rowHeight: 70,
  });
}

function main(): void {
  const opts = new Command()
    .description("check vector files against the SDK math, per region")
    .argument("[files...]", "vector files", ["spec/vectors/edge-swaps.json"])
    .option("--strict", "exit 1 when any case fails")
    .option("--json <file>", "also write the tallies as JSON")
    .option("--charts <dir>", "folder for one SVG chart per file", "out/check-vectors")
    .parse();
  const files = opts.processedArgs[0] as string[];
  const { strict, json, charts } = opts.opts<{ strict?: boolean; json?: string; charts: string }>();
  mkdirSync(charts, { recursive: true });
  const report: Record<string, Record<string, Omit<Tally, "gaps">>> = {};
  let failed = 0;
  for (const f of files) {
    const file = path.resolve(f);
    process.stderr.write(`checking ${f}...\n`);
    const tallies = checkFile(file);
    printTable(file, tallies);
    const svg = path.join(charts, `${path.basename(file, ".json")}.svg`);
    writeFileSync(svg, chart(file, tallies));
    console.log(`chart: ${svg}`);
    report[f] = Object.fromEntries([...tallies].map(([k, { gaps: _gaps, ...t }]) => [k, t]));
    for (const t of tallies.values()) failed += t.cases - t.passes;
  }
  if (json) {
    writeFileSync(
      json,
      JSON.stringify(report, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2),
    );
  }
  if (strict && failed > 0) process.exit(1);
}

main();
