/**
 * Mutation check of the math and liquidity code (issue 17): a scripted list of flips of rounding
 * flags and comparisons, each located by a code snippet that must occur exactly once in its file (so
 * the list survives edits that move lines). Each mutant is applied, one at a time, to a temporary copy
 * of the tree; the relevant fast tests run there against it; the file is restored after each run (in a
 * `finally`), and the copy is deleted at the end. The real worktree is never written.
 *
 *   npx ts-node --transpile-only scripts/mutate.ts [--only S05,L01] [--runs 100] [--tests a.ts,b.ts] [--list]
 *
 * A mutant is killed when its tests fail (or time out), survives when they pass, and is stillborn when
 * it does not compile. Progress and ETA go to stderr; the summary (score, survivors) to stdout and,
 * with every result, to out/mutate/report.json.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { MUTANTS, type Mutant } from "./mutants";

/** How a group of files is compiled and tested. */
interface Group {
  name: string;
  /** Folder the mutation config compiles (MUTATE_SOURCES), relative to the copy. */
  sources: string;
  /** Where a repository file lives inside the copy for this group. */
  locate(file: string): string;
  tests: string[];
}

const MATH_SOURCES = "contracts-math";

const GROUPS: Record<"math" | "liquidity", Group> = {
  // The libraries are compiled on their own with the math harness; the SDK mirror needs no compile.
  math: {
    name: "math",
    sources: MATH_SOURCES,
    locate: (f) => f.replace(/^contracts\//, `${MATH_SOURCES}/`),
    tests: [
      "test/math/fee-rounding.test.ts",
      "test/math/library.test.ts",
      "test/math/precision.test.ts",
      "test/math/properties.test.ts",
      "test/math/vectors.test.ts",
      "test/math/dust.test.ts",
      "test/math/crossing-edge.test.ts",
      "test/math/exact-out.test.ts",
      "test/spec/exact-oracle.test.ts",
    ],
  },
  liquidity: {
    name: "liquidity",
    sources: "contracts",
    locate: (f) => f,
    tests: ["test/pool/liquidity.test.ts", "test/math/rescale.test.ts"],
  },
};

function groupOf(m: Mutant): Group {
  return m.file === "contracts/pool/LiquidityLogic.sol" ? GROUPS.liquidity : GROUPS.math;
}

type Verdict = "killed" | "survived" | "stillborn" | "timeout";

interface Result {
  id: string;
  file: string;
  what: string;
  verdict: Verdict;
  seconds: number;
  detail?: string;
}

const ROOT = path.resolve(__dirname, "..");

/** Every occurrence index of `needle` in `hay`. */
function occurrences(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

/** The mutants whose snippet is not exactly once in its file (the list has gone stale there). */
function staleMutants(mutants: Mutant[]): string[] {
  return mutants.flatMap((m) => {
    const text = readFileSync(path.join(ROOT, m.file), "utf8");
    const n = occurrences(text, m.find);
    if (n !== 1) return [`${m.id}: snippet found ${n} times in ${m.file}: ${JSON.stringify(m.find)}`];
    if (m.find === m.replace) return [`${m.id}: replacement equals the snippet`];
    return [];
  });
}

/** A copy of the repository's files (tracked and untracked, not ignored) with node_modules linked. */
function copyTree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "skew-mutate-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f !== "" && f !== "node_modules" && existsSync(path.join(ROOT, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dir, f));
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  // The math group's sources: the libraries and the math harness, laid out as under contracts/.
  for (const sub of ["libraries", "test"]) mkdirSync(path.join(dir, MATH_SOURCES, sub), { recursive: true });
  for (const f of ["FullMath.sol", "SkewMath.sol", "SkewTypes.sol"]) {
    cpSync(path.join(dir, "contracts/libraries", f), path.join(dir, MATH_SOURCES, "libraries", f));
  }
  cpSync(
    path.join(dir, "contracts/test/SkewMathHarness.sol"),
    path.join(dir, MATH_SOURCES, "test/SkewMathHarness.sol"),
  );
  return dir;
}

/** The process group of the command running now (killed on Ctrl-C with the copy). */
let runningGroup: number | undefined;

/** Runs a command in the copy; resolves with its exit code (null on timeout) and the tail of its output. */
function run(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(cwd, "node_modules/.bin/hardhat"), args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true, // own process group, so a timeout kills the whole tree
    });
    runningGroup = child.pid;
    let out = "";
    const keep = (b: Buffer) => {
      out = (out + b.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      runningGroup = undefined;
      resolve({ code: signal === "SIGKILL" ? null : code, tail: out });
    });
  });
}

/** Compiles the group's sources, then runs its tests; `runs` sets PROPERTY_RUNS. */
async function compileAndTest(
  dir: string,
  g: Group,
  runs: number,
  testTimeoutMs: number,
): Promise<{ verdict: Verdict | "passed"; detail: string }> {
  const env = { MUTATE_SOURCES: g.sources, PROPERTY_RUNS: String(runs) };
  const config = ["--config", "hardhat.mutate.config.ts"];
  const compiled = await run(dir, [...config, "compile", "--quiet"], env, 15 * 60_000);
  if (compiled.code !== 0) return { verdict: "stillborn", detail: compiled.tail };
  const tested = await run(dir, [...config, "test", "--no-compile", "--bail", ...g.tests], env, testTimeoutMs);
  if (tested.code === null) return { verdict: "timeout", detail: "" };
  if (tested.code !== 0) return { verdict: "killed", detail: firstFailure(tested.tail) };
  return { verdict: "passed", detail: "" };
}

/** The first failing test's title from mocha's output, for the report. */
function firstFailure(tail: string): string {
  const m = /\n\s+1\) (.+)/.exec(tail);
  return m ? m[1].trim() : "tests failed";
}

function fmtDuration(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;
}

async function main(): Promise<void> {
  const opts = new Command()
    .description("mutation check of SkewMath, FullMath, LiquidityLogic and sdk/math.ts")
    .option("--only <ids>", "comma-separated mutant ids to run")
    .option("--runs <n>", "PROPERTY_RUNS for the property tests", "100")
    .option("--tests <files>", "comma-separated test files to run instead of the group's (a quicker check)")
    .option("--list", "list the mutants and check their snippets, run nothing")
    .option("--out <file>", "JSON report", "out/mutate/report.json")
    .parse()
    .opts<{ only?: string; runs: string; tests?: string; list?: boolean; out: string }>();

  if (opts.tests !== undefined) {
    const tests = opts.tests.split(",").map((s) => s.trim());
    for (const g of Object.values(GROUPS)) g.tests = tests;
  }
  const only = opts.only?.split(",").map((s) => s.trim());
  const listed = only ? MUTANTS.filter((m) => only.includes(m.id)) : MUTANTS;
  const equivalents = listed.filter((m) => m.equivalent !== undefined);
  const mutants = listed.filter((m) => m.equivalent === undefined);
  const stale = staleMutants(listed);
  if (opts.list) {
    for (const m of listed) {
      console.log(`${m.id.padEnd(5)} ${m.file.padEnd(36)} ${m.what}${m.equivalent ? " (equivalent)" : ""}`);
    }
  }
  if (stale.length > 0) {
    console.error(`stale mutants (fix their snippets in scripts/mutants.ts):\n  ${stale.join("\n  ")}`);
    process.exit(2);
  }
  if (opts.list) return;

  const runs = Number(opts.runs);
  const dir = copyTree();
  // Interrupted: the real tree was never touched; remove the copy (and with it any mutated file).
  process.once("SIGINT", () => {
    if (runningGroup !== undefined) process.kill(-runningGroup, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  const results: Result[] = [];
  const started = Date.now();
  process.stderr.write(`mutate: ${mutants.length} mutants, copy of the tree in ${dir}\n`);
  try {
    // Baselines: every group used must pass unmutated, and sets the time limit for its mutants.
    const limits = new Map<string, number>();
    for (const g of new Set(mutants.map(groupOf))) {
      const t0 = Date.now();
      process.stderr.write(`baseline ${g.name}: compiling and testing unmutated... `);
      const base = await compileAndTest(dir, g, runs, 60 * 60_000);
      const seconds = (Date.now() - t0) / 1000;
      process.stderr.write(`${base.verdict} in ${fmtDuration(seconds)}\n`);
      if (base.verdict !== "passed") throw new Error(`baseline ${g.name} does not pass: ${base.detail}`);
      limits.set(g.name, Math.max(120_000, 4 * seconds * 1000));
    }

    const mutantsStarted = Date.now();
    for (const [i, m] of mutants.entries()) {
      const g = groupOf(m);
      const target = path.join(dir, g.locate(m.file));
      const original = readFileSync(target, "utf8");
      const t0 = Date.now();
      let outcome: { verdict: Verdict | "passed"; detail: string };
      try {
        writeFileSync(target, original.replace(m.find, m.replace));
        outcome = await compileAndTest(dir, g, runs, limits.get(g.name) ?? 600_000);
      } finally {
        writeFileSync(target, original);
      }
      const seconds = (Date.now() - t0) / 1000;
      const verdict: Verdict = outcome.verdict === "passed" ? "survived" : outcome.verdict;
      results.push({ id: m.id, file: m.file, what: m.what, verdict, seconds, detail: outcome.detail || undefined });
      const elapsed = (Date.now() - mutantsStarted) / 1000;
      const eta = (elapsed / (i + 1)) * (mutants.length - i - 1);
      process.stderr.write(
        `[${i + 1}/${mutants.length}] ${verdict.padEnd(9)} ${m.id} ${m.what} (${fmtDuration(seconds)}; ETA ${fmtDuration(eta)})\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const live = results.filter((r) => r.verdict !== "stillborn");
  const killed = live.filter((r) => r.verdict === "killed" || r.verdict === "timeout");
  const survivors = live.filter((r) => r.verdict === "survived");
  const score = live.length === 0 ? 0 : (100 * killed.length) / live.length;
  console.log(`\nmutation score: ${killed.length}/${live.length} killed (${score.toFixed(1)} %)`);
  const byFile = new Map<string, Result[]>();
  for (const r of live) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const [file, rs] of byFile) {
    const k = rs.filter((r) => r.verdict !== "survived").length;
    console.log(`  ${file.padEnd(36)} ${k}/${rs.length} killed`);
  }
  const stillborn = results.filter((r) => r.verdict === "stillborn");
  if (stillborn.length > 0) console.log(`stillborn (did not compile): ${stillborn.map((r) => r.id).join(", ")}`);
  for (const m of equivalents) console.log(`equivalent, not run: ${m.id} ${m.what}: ${m.equivalent}`);
  console.log(survivors.length === 0 ? "no survivors" : "survivors:");
  for (const r of survivors) console.log(`  ${r.id.padEnd(5)} ${r.file}: ${r.what}`);
  mkdirSync(path.dirname(path.resolve(ROOT, opts.out)), { recursive: true });
  writeFileSync(
    path.resolve(ROOT, opts.out),
    JSON.stringify({ runs, seconds: (Date.now() - started) / 1000, score, results }, null, 2),
  );
  console.log(`report: ${opts.out} (${fmtDuration((Date.now() - started) / 1000)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
