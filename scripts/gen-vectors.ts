/**
 * Generates exact-math swap vectors in the edge regions of issue 17 from the exact rational model
 * (spec/model/), in the format of spec/vectors/swaps.json, plus a `group` naming each case's region.
 *
 *   npx ts-node --transpile-only scripts/gen-vectors.ts [--seed 17] [--per-group 40]
 *       [--dust quote|revert] [--out spec/vectors/edge-swaps.json]
 *
 * Seeded and deterministic: the same options write the same file. Progress goes to stderr.
 * `--from FILE` keeps FILE's cases and recomputes every expectation from the model instead (after a
 * rule change in spec/model/rules.ts, e.g. `--from spec/vectors/swaps.json --out new-swaps.json`); a
 * case without a fee floor or surge width gets them drawn (seeded), and the run fails if any case's
 * gross output or revert decision changes (a fee rule must not move the curve).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import * as prettier from "prettier";
import { Rng } from "../sim/prng";
import { Fraction } from "../spec/model/fraction";
import { expectFor, refine, REVERT_REASON, exactSwap } from "../spec/model/exact";
import { Rules, type RegionName, type Side, type SwapInput } from "../spec/model/rules";
import {
  loadVectorFile,
  swapInput,
  WAD,
  type VectorCase,
  type VectorExpect,
  type VectorFile,
  type VectorState,
} from "../spec/model/vector";

/** What a quote under the dust rule gives when the exact net output is below one wei. */
export type DustRule = "quote" | "revert";

const DECIMALS = [6, 8, 18] as const;
/** Scaled amounts stay below this (the library's domain is 2^120 ~ 1.3e36). */
const MAX_SCALED = 10n ** 34n;
/** The pool's first deposit must mint more than its locked 1,000 shares: sqrt(scaled base * scaled quote) > 1e3. */
const MIN_SCALED_PRODUCT = 10n ** 6n;

/** 10^x as a bigint, 15 significant digits, at least 1. */
function pow10(x: number): bigint {
  const e = Math.floor(x);
  const mantissa = BigInt(Math.round(10 ** (x - e) * 1e15));
  const v = e >= 15 ? mantissa * 10n ** BigInt(e - 15) : mantissa / 10n ** BigInt(15 - e);
  return v < 1n ? 1n : v;
}

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** The knobs a group sets when it draws a pool. */
interface PoolShape {
  /** log10 range of the price, whole quote tokens per whole base token. */
  price: [number, number];
  /** log10 range of the smaller side's raw reserve. */
  reserve: [number, number];
  region?: RegionName;
}

/** A consistent pool state: a short side, a long side above its stored target, or region ONE. */
function drawState(rng: Rng, shape: PoolShape): VectorState | null {
  const baseDecimals = pick(rng, DECIMALS);
  const quoteDecimals = pick(rng, DECIMALS);
  const human = between(rng, ...shape.price);
  const priceWad = pow10(human + quoteDecimals - baseDecimals + 18); // raw quote per raw base * 1e18
  const small = pow10(between(rng, ...shape.reserve));
  const ratio = pow10(between(rng, -0.5, 0.5) + 6); // quote value / base value, times 1e6
  // The side with fewer raw units per unit of value gets the drawn size; the other follows the price.
  let base: bigint;
  let quote: bigint;
  if (priceWad >= WAD) {
    base = small;
    quote = (small * priceWad * ratio) / (WAD * 10n ** 6n);
  } else {
    quote = small;
    base = (small * WAD * 10n ** 6n) / (priceWad * ratio);
  }
  if (base < 1n || quote < 1n) return null;
  const scaledBase = base * 10n ** BigInt(18 - baseDecimals);
  const scaledQuote = quote * 10n ** BigInt(18 - quoteDecimals);
  if (scaledBase > MAX_SCALED || scaledQuote > MAX_SCALED || scaledBase * scaledQuote <= MIN_SCALED_PRODUCT)
    return null;
  const region = shape.region ?? pick(rng, ["A", "B", "ONE"] as const);
  const kWad = pick(rng, [
    0n,
    10n ** 12n,
    10n ** 17n,
    5n * 10n ** 17n,
    999n * 10n ** 15n,
    WAD,
    pow10(between(rng, 12, 18)),
  ]);
  const kClamped = kWad > WAD ? WAD : kWad;
  const baseFeePips = pick(rng, [0, 100, 500, 3000]);
  const maxFeePips = baseFeePips + pick(rng, [0, 5000, 50_000, 100_000]);
  const tauWad = pick(rng, [0n, 10n ** 15n, 5n * 10n ** 16n, 3n * 10n ** 17n]);
  // The long side's stored target: its reserve less a surplus of 0.1 % to 90 %.
  const keep = (x: bigint) => {
    const t = (x * BigInt(Math.round(between(rng, 0.1, 0.999) * 1e6))) / 10n ** 6n;
    return t < 1n ? 1n : t;
  };
  let baseTarget = base;
  let quoteTarget = quote;
  if (region === "A") quoteTarget = keep(quote);
  if (region === "B") baseTarget = keep(base);
  if ((region === "A" && quoteTarget >= quote) || (region === "B" && baseTarget >= base)) return null;
  const state: VectorState = {
    base: base.toString(),
    quote: quote.toString(),
    region,
    baseTarget: baseTarget.toString(),
    quoteTarget: quoteTarget.toString(),
    priceWad: priceWad.toString(),
    kWad: kClamped.toString(),
    baseFeePips,
    maxFeePips,
    tauWad: tauWad.toString(),
    baseDecimals,
    quoteDecimals,
  };
  // Record the short side's derived target (rounded up) as its stored target; quotes re-derive it.
  if (region !== "ONE") {
    const t = derivedShortTarget(state);
    if (region === "A") state.baseTarget = t.toString();
    else state.quoteTarget = t.toString();
  }
  return state;
}

/** The short side's exact target, rounded up to a raw unit. */
function derivedShortTarget(state: VectorState): bigint {
  const s = swapInput({ state, side: "sellBase", amountIn: "1" });
  const t = refine((field) => {
    const { b0, q0 } = new Rules(field).targets(s);
    return { t: state.region === "A" ? b0 : q0 };
  }).t;
  return t.hi.ceil();
}

/**
 * A case's fee floor and surge ramp width (DESIGN.md §2), from their own random stream so that the pools,
 * sides and amounts a seed draws stay the same: no floor, a floor above the base fee, the shipped floor;
 * the ramp from tau to 100 % (the old rule's), the shipped 5 %, narrow and wide ones.
 */
function drawFeeParams(rng: Rng, state: VectorState): Required<Pick<VectorState, "feeFloorPips" | "surgeWidthWad">> {
  const feeFloorPips = pick(rng, [0, 0, state.baseFeePips + 1000, 2500, 9600]);
  const widths = [WAD - BigInt(state.tauWad), 5n * 10n ** 16n, 10n ** 16n, 10n ** 15n, 3n * 10n ** 17n, WAD];
  return { feeFloorPips, surgeWidthWad: pick(rng, widths).toString() };
}

/** A state with fee parameters: its own, or drawn ones. */
function withFeeParams(rng: Rng, state: VectorState): VectorState {
  if (state.feeFloorPips !== undefined && state.surgeWidthWad !== undefined) return state;
  return { ...state, ...drawFeeParams(rng, state) };
}

/** The exact input (raw, as an interval's floor and ceiling) that brings the input side to its target. */
function toEquilibrium(state: VectorState, side: Side): { floor: bigint; ceil: bigint } | null {
  const s = swapInput({ state, side, amountIn: "1" });
  const r = refine((field) => ({ v: new Rules(field).toEquilibrium(s) }), 80).v;
  return r === null ? null : { floor: r.lo.floor(), ceil: r.hi.ceil() };
}

/** The input side that moves the pool toward its target (the short side), or null at ONE. */
function towardSide(region: RegionName): Side | null {
  return region === "A" ? "sellBase" : region === "B" ? "sellQuote" : null;
}

/** The input (raw) that would drain the output side at the reference price: a scale for away swaps. */
function drainInput(state: VectorState, side: Side): bigint {
  const p = new Fraction(BigInt(state.priceWad), WAD);
  const v = side === "sellBase" ? Fraction.parse(state.quote).div(p) : Fraction.parse(state.base).mul(p);
  return v.ceil() < 1n ? 1n : v.ceil();
}

/** A fraction of `amount` (log-uniform between 10^lo and 10^hi), at least 1. */
function fraction(rng: Rng, amount: bigint, lo: number, hi: number): bigint {
  const f = pow10(between(rng, lo, hi) + 18);
  const v = (amount * f) / WAD;
  return v < 1n ? 1n : v;
}

/** The exact gross output floor of a swap, or null when it reverts. */
function grossFloor(state: VectorState, side: Side, amountIn: bigint): bigint | null {
  const r = exactSwap(swapInput({ state, side, amountIn: amountIn.toString() }));
  return r.revert ? null : r.grossOut.lo.floor();
}

/** The largest input whose exact gross output stays below `wei` + 1 (null if 1 raw unit pays more). */
function dustInput(state: VectorState, side: Side, wei: bigint, max: bigint): bigint | null {
  const ok = (a: bigint) => {
    const g = grossFloor(state, side, a);
    return g !== null && g <= wei;
  };
  if (!ok(1n)) return null;
  let lo = 1n;
  let hi = max < 2n ? 2n : max;
  if (ok(hi)) return hi;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

interface Draw {
  state: VectorState;
  side: Side;
  amountIn: bigint;
  /** The path the case must take to belong to its group (checked on the exact outcome). */
  path?: "toward" | "crossing" | "equilibrium" | "crossing-or-equilibrium";
}

const EXTREME_LOW: [number, number] = [-6, -3];
const EXTREME_HIGH: [number, number] = [3, 6];
const ANY_PRICE: [number, number] = [-6, 6];
/** Half the draws at an extreme price (either side), half anywhere. */
const edgePrice = (rng: Rng): [number, number] =>
  rng.bernoulli(0.5) ? ANY_PRICE : rng.bernoulli(0.5) ? EXTREME_LOW : EXTREME_HIGH;

/** A swap of any side and size on a drawn pool. */
function anySwap(rng: Rng, shape: PoolShape): Draw | null {
  const state = drawState(rng, shape);
  if (state === null) return null;
  const toward = towardSide(state.region);
  const side: Side = pick(rng, ["sellBase", "sellQuote"] as const);
  if (side === toward) {
    const eq = toEquilibrium(state, side);
    if (eq === null) return null;
    return { state, side, amountIn: fraction(rng, eq.ceil, -6, Math.log10(3)) };
  }
  return { state, side, amountIn: fraction(rng, drainInput(state, side), -7, Math.log10(0.95)) };
}

/** The groups of edge-swaps.json: how each draws a case. */
const GROUPS: Record<string, (rng: Rng) => Draw | null> = {
  "low-price": (rng) => anySwap(rng, { price: EXTREME_LOW, reserve: [3, 14] }),
  "high-price": (rng) => anySwap(rng, { price: EXTREME_HIGH, reserve: [3, 14] }),
  "min-reserve": (rng) => anySwap(rng, { price: edgePrice(rng), reserve: [0, 4] }),
  crossing: (rng) => {
    const reserve: [number, number] = rng.bernoulli(0.5) ? [1, 6] : [2, 14];
    const state = drawState(rng, { price: edgePrice(rng), reserve, region: pick(rng, ["A", "B"] as const) });
    const side = state && towardSide(state.region);
    const eq = state && side && toEquilibrium(state, side);
    if (!state || !side || !eq) return null;
    return { state, side, amountIn: eq.ceil + fraction(rng, eq.ceil, -9, 0), path: "crossing" };
  },
  // Inputs at the amount to equilibrium: the raw units just below and just above it when the
  // target is irrational (k > 0: with an 18-decimal input the ceiling is the integer code's exact
  // amount to equilibrium), and exactly it when it is a whole number of raw units.
  "crossing-at-target": (rng) => {
    const state = drawState(rng, { price: edgePrice(rng), reserve: [1, 12], region: pick(rng, ["A", "B"] as const) });
    const side = state && towardSide(state.region);
    const eq = state && side && toEquilibrium(state, side);
    if (!state || !side || !eq) return null;
    if (eq.floor === eq.ceil) return { state, side, amountIn: eq.ceil, path: "equilibrium" };
    const below = rng.bernoulli(0.3) && eq.floor >= 1n;
    return { state, side, amountIn: below ? eq.floor : eq.ceil, path: below ? "toward" : "crossing" };
  },
  "toward-tiny": (rng) => {
    const state = drawState(rng, { price: edgePrice(rng), reserve: [0, 4], region: pick(rng, ["A", "B"] as const) });
    const side = state && towardSide(state.region);
    const eq = state && side && toEquilibrium(state, side);
    if (!state || !side || !eq || eq.floor < 1n) return null;
    return { state, side, amountIn: fraction(rng, eq.floor, -4, 0), path: "toward" };
  },
  "dust-away": (rng) => {
    const state = drawState(rng, { price: ANY_PRICE, reserve: [2, 14] });
    if (state === null) return null;
    const toward = towardSide(state.region);
    const side: Side =
      toward === "sellBase"
        ? "sellQuote"
        : toward === "sellQuote"
          ? "sellBase"
          : pick(rng, ["sellBase", "sellQuote"] as const);
    const amountIn = dustInput(state, side, BigInt(rng.int(3)), drainInput(state, side));
    return amountIn === null ? null : { state, side, amountIn };
  },
  "dust-toward": (rng) => {
    const state = drawState(rng, { price: ANY_PRICE, reserve: [2, 14], region: pick(rng, ["A", "B"] as const) });
    const side = state && towardSide(state.region);
    const eq = state && side && toEquilibrium(state, side);
    if (!state || !side || !eq || eq.floor < 1n) return null;
    const amountIn = dustInput(state, side, BigInt(rng.int(3)), eq.floor);
    return amountIn === null ? null : { state, side, amountIn, path: "toward" };
  },
};

/** A vector's expectation under a dust rule: `revert` refuses a swap whose exact net output is 0. */
function applyDust(expect: VectorExpect, dust: DustRule): VectorExpect {
  return dust === "revert" && "netOutFloor" in expect && expect.netOutFloor === "0"
    ? { revert: REVERT_REASON }
    : expect;
}

function expectWithDust(s: SwapInput, dust: DustRule): VectorExpect {
  return applyDust(expectFor(s).expect, dust);
}

/** Whether an exact outcome's path is the one a draw asked for. */
function pathMatches(want: Draw["path"], got: string): boolean {
  if (want === undefined) return true;
  if (want === "crossing-or-equilibrium") return got === "crossing" || got === "equilibrium";
  return want === got;
}

/** Throws unless a recomputed expectation keeps the case's gross output and revert decision. */
function sameCurve(before: VectorExpect, after: VectorExpect, i: number): void {
  const gross = (e: VectorExpect) => ("revert" in e ? `revert: ${e.revert}` : e.grossOut);
  if (gross(before) !== gross(after)) {
    throw new Error(
      `case ${i}: the gross output moved (${gross(before)} -> ${gross(after)}); the curve must not change`,
    );
  }
}

export interface GenerateOptions {
  seed: number;
  perGroup: number;
  dust: DustRule;
  /** Called after each accepted case (progress). */
  onCase?: (group: string, done: number, attempts: number) => void;
}

/** Generates the cases of every group (deterministic for a seed). */
export function generate(opts: GenerateOptions): VectorCase[] {
  const cases: VectorCase[] = [];
  for (const [group, draw] of Object.entries(GROUPS)) {
    const rng = new Rng(opts.seed, group);
    const feeRng = new Rng(opts.seed, group, "fee");
    let done = 0;
    let attempts = 0;
    while (done < opts.perGroup) {
      if (++attempts > opts.perGroup * 200) throw new Error(`group ${group}: too few valid draws`);
      const drawn = draw(rng);
      if (drawn === null) continue;
      const d = { ...drawn, state: withFeeParams(feeRng, drawn.state) };
      let result;
      try {
        result = expectFor(swapInput({ state: d.state, side: d.side, amountIn: d.amountIn.toString() }));
      } catch {
        continue; // undecidable or outside the published convention's reach: draw again
      }
      if (!pathMatches(d.path, result.exact.path)) continue;
      if (group.startsWith("dust") && "netOutFloor" in result.expect && BigInt(result.expect.netOutFloor) > 2n)
        continue;
      const expect = applyDust(result.expect, opts.dust);
      cases.push({ group, state: d.state, side: d.side, amountIn: d.amountIn.toString(), expect });
      opts.onCase?.(group, ++done, attempts);
    }
  }
  return cases;
}

async function main(): Promise<void> {
  const opts = new Command()
    .description("generate exact-math edge vectors (issue 17) from the exact rational model")
    .option("--seed <n>", "PRNG seed", "17")
    .option("--per-group <n>", "cases per group", "40")
    .addOption(
      new Option("--dust <rule>", "dust rule: quote (possibly 0) or revert (InsufficientLiquidity)")
        .choices(["quote", "revert"])
        .default("quote"),
    )
    .option("--from <file>", "instead of drawing cases, recompute the expectations of this file's cases")
    .option("--out <file>", "output file", "spec/vectors/edge-swaps.json")
    .parse()
    .opts<{ seed: string; perGroup: string; dust: DustRule; out: string; from?: string }>();
  const seed = Number(opts.seed);
  const perGroup = Number(opts.perGroup);
  const groups = Object.keys(GROUPS);
  const t0 = Date.now();
  const progress = (label: string, done: number, total: number, extra = "") => {
    process.stderr.write(
      `\r${label.padEnd(24)} ${String(done).padStart(4)}/${total}${extra} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    if (done === total) process.stderr.write("\n");
  };
  let file: VectorFile;
  if (opts.from !== undefined) {
    // The same pools, sides and amounts, every expectation recomputed from the model.
    const source = loadVectorFile(path.resolve(opts.from));
    const feeRng = new Rng(seed, "fee");
    const cases = source.cases.map((c, i) => {
      progress("recomputing", i + 1, source.cases.length);
      const state = withFeeParams(feeRng, c.state);
      const expect = expectWithDust(swapInput({ ...c, state }), opts.dust);
      sameCurve(c.expect, expect, i);
      return { ...c, state, expect };
    });
    file = { ...source, cases };
  } else {
    const cases = generate({
      seed,
      perGroup,
      dust: opts.dust,
      onCase: (group, done, attempts) =>
        progress(`[${groups.indexOf(group) + 1}/${groups.length}] ${group}`, done, perGroup, ` (${attempts} draws)`),
    });
    file = {
      about: `exact-math edge swap vectors (issue 17) from the exact rational model; see README.md`,
      generator: { script: "scripts/gen-vectors.ts", seed, perGroup, dust: opts.dust, groups },
      cases,
    };
  }
  const cases = file.cases;
  // Written the way the repository's prettier formats JSON, so `npm run lint` stays clean.
  const out = path.resolve(opts.out);
  const style = (await prettier.resolveConfig(out)) ?? {};
  writeFileSync(out, await prettier.format(JSON.stringify(file), { ...style, filepath: out }));
  const reverts = cases.filter((c) => "revert" in c.expect).length;
  process.stderr.write(
    `wrote ${cases.length} cases (${reverts} revert) to ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
