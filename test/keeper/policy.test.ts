import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_POLICY_CONFIG, parsePolicyConfig, PolicyConfig } from "../../keeper/config";
import {
  clampToBounds,
  constrain,
  decide,
  jumpedRecently,
  PARAM_KEYS,
  ParamKey,
  PolicyInputError,
  targetParams,
} from "../../keeper/policy";
import type { Decision, FeedRound, FlowSample, ParamBounds, PolicyInput, PoolParams } from "../../keeper/types";
import { PIPS, WAD } from "../../sdk/math";

/**
 * The retuning policy: properties over random configs and random pool/feed/flow inputs (PROPERTY_RUNS
 * runs each, default 1,000), and unit checks of the model's formulas on hand-computed cases.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const NOW = 1_750_000_000;
const HOUR = 3600;

// ------------------------------------------------------------------ helpers

const absBig = (x: bigint): bigint => (x < 0n ? -x : x);
const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const clampBig = (x: bigint, lo: bigint, hi: bigint): bigint => maxBig(lo, minBig(hi, x));
const isWadParam = (key: ParamKey): boolean => key === "k" || key === "tau";

/** Bounds that never bind: the pool's hard limits and steps as wide as the ranges. */
const WIDE: ParamBounds = {
  min: { k: 0n, baseFee: 0n, maxFee: 0n, tau: 0n },
  max: { k: WAD, baseFee: PIPS - 1n, maxFee: PIPS - 1n, tau: WAD - 1n },
  maxStep: { k: WAD, baseFee: PIPS, maxFee: PIPS, tau: WAD },
  minInterval: HOUR,
};

const CURRENT: PoolParams = { k: WAD / 2n, baseFee: 3000n, maxFee: 10_000n, tau: WAD / 10n };

/** Hourly rounds alternating 100 and 101 (8 decimals): every squared log return is ln(1.01)^2. */
function alternatingRounds(n: number, end = NOW - 60): FeedRound[] {
  return Array.from({ length: n }, (_, i) => ({
    answer: i % 2 === 0 ? 10_000_000_000n : 10_100_000_000n,
    updatedAt: end - HOUR * (n - 1 - i),
  }));
}

function input(over: Partial<PolicyInput> = {}): PolicyInput {
  return {
    now: NOW,
    rounds: alternatingRounds(48),
    feedDecimals: 8,
    swaps: [],
    imbalance: 0n,
    current: CURRENT,
    bounds: WIDE,
    lastUpdate: 0,
    ...over,
  };
}

function expectParamsEqual(actual: PoolParams, expected: PoolParams): void {
  expect({ ...actual }).to.deep.equal({ ...expected });
}

/**
 * Whether a change is surely within or surely beyond its band, computed from the spec: the band is
 * max(abs, rel * current), capped at maxStep - 1. The uncapped band is computed in floating point with
 * a slack that absorbs rounding (a change near it is "unsure"); the cap is compared exactly.
 */
function bandVerdict(
  key: ParamKey,
  change: bigint,
  current: PoolParams,
  bounds: ParamBounds,
  c: PolicyConfig,
): "within" | "beyond" | "unsure" {
  const { abs, rel } = c.hysteresis[key];
  const cur = Number(current[key]);
  const band = Math.max(isWadParam(key) ? abs * 1e18 : abs, rel * cur);
  const slack = 2 + 1e-8 * (band + cur);
  const step = bounds.maxStep[key];
  const cap = step > 0n ? step - 1n : null;
  if (Number(change) > band + slack || (cap !== null && change > cap)) return "beyond";
  if (Number(change) <= band - slack && (cap === null || change <= cap)) return "within";
  return "unsure";
}

// ------------------------------------------------------------------ arbitraries

const dbl = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true });
const bandArb = (absMax: number): fc.Arbitrary<{ abs: number; rel: number }> =>
  fc.record({ abs: fc.oneof(fc.constant(0), dbl(0, absMax)), rel: fc.oneof(fc.constant(0), dbl(0, 0.5)) });

/** Random valid configs (validated by parsePolicyConfig), the defaults among them. */
const configArb: fc.Arbitrary<PolicyConfig> = fc.oneof(
  { arbitrary: fc.constant(parsePolicyConfig({})), weight: 1 },
  {
    weight: 3,
    arbitrary: fc
      .record({
        volHalfLifeSeconds: dbl(60, 1e7),
        minRounds: fc.integer({ min: 2, max: 4 }),
        flowHalfLifeSeconds: dbl(60, 1e6),
        flowPriorValue: fc.oneof(fc.constant(0), dbl(0, 1e6)),
        kBase: dbl(0, 1),
        gamma: fc.oneof(fc.constant(150), dbl(0, 1e4)),
        horizonSeconds: dbl(0, 30 * 86_400),
        kFlow: dbl(0, 1),
        feeLagMultiplier: dbl(0, 5),
        baseFeeFloorPips: fc.integer({ min: 0, max: 100_000 }),
        feedIntervalSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 86_400 })),
        maxFeeSpreadPips: dbl(0, 100_000),
        maxFeeFlowPips: dbl(0, 200_000),
        tauBase: dbl(0, 0.9),
        tauFlow: dbl(0, 1),
        tauFloorShare: dbl(0, 1),
        feedDeviation: fc.oneof(fc.constant(0), dbl(0, 0.05)),
        deviationFeeMultiplier: fc.oneof(fc.constant(0), dbl(0, 2)),
        maxBaseFeePips: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })),
        jumpReturn: fc.oneof(fc.constant(0), dbl(0.001, 0.1)),
        jumpWindowSeconds: dbl(0, 86_400),
        jumpK: dbl(0, 1),
        jumpFeePips: dbl(0, 10_000),
        hysteresis: fc.record({ k: bandArb(0.1), baseFee: bandArb(2000), maxFee: bandArb(5000), tau: bandArb(0.05) }),
      })
      .map(({ tauFloorShare, ...c }) => parsePolicyConfig({ ...c, tauFloor: c.tauBase * tauFloorShare })),
  },
);

/** A value in [0, cap]: the ends, uniform, or log-uniform (so small fees and steps are common). */
function valueArb(cap: bigint): fc.Arbitrary<bigint> {
  const digits = cap.toString().length;
  return fc.oneof(
    fc.constantFrom(0n, cap),
    fc.bigInt(0n, cap),
    fc.integer({ min: 0, max: 10_000 }).map((u) => minBig(cap, BigInt(Math.floor(10 ** ((u / 10_000) * digits))))),
  );
}

const rangeArb = (cap: bigint): fc.Arbitrary<[bigint, bigint]> =>
  fc.tuple(valueArb(cap), valueArb(cap)).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
const positionArb = fc.oneof(fc.constantFrom(0, 1_000_000), fc.integer({ min: 0, max: 1_000_000 }));
const at = (lo: bigint, hi: bigint, pos: number): bigint => lo + ((hi - lo) * BigInt(pos)) / 1_000_000n;

/** Bounds the pool would accept (as its setBounds validates them) and current parameters inside them. */
const boundsArb: fc.Arbitrary<{ bounds: ParamBounds; current: PoolParams }> = fc
  .record({
    k: rangeArb(WAD),
    baseFee: rangeArb(PIPS - 1n),
    maxFee: rangeArb(PIPS - 1n),
    tau: rangeArb(WAD - 1n),
    steps: fc.record({ k: valueArb(WAD), baseFee: valueArb(PIPS), maxFee: valueArb(PIPS), tau: valueArb(WAD) }),
    minInterval: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 * 86_400 })),
    pos: fc.record({ k: positionArb, baseFee: positionArb, maxFee: positionArb, tau: positionArb }),
  })
  .filter((r) => r.baseFee[0] <= r.maxFee[1])
  .map((r) => {
    const bounds: ParamBounds = {
      min: { k: r.k[0], baseFee: r.baseFee[0], maxFee: r.maxFee[0], tau: r.tau[0] },
      max: { k: r.k[1], baseFee: r.baseFee[1], maxFee: r.maxFee[1], tau: r.tau[1] },
      maxStep: r.steps,
      minInterval: r.minInterval,
    };
    const baseFee = at(r.baseFee[0], minBig(r.baseFee[1], r.maxFee[1]), r.pos.baseFee);
    const current: PoolParams = {
      k: at(r.k[0], r.k[1], r.pos.k),
      baseFee,
      maxFee: at(maxBig(r.maxFee[0], baseFee), r.maxFee[1], r.pos.maxFee),
      tau: at(r.tau[0], r.tau[1], r.pos.tau),
    };
    return { bounds, current };
  });

/**
 * Feed rounds ending shortly before `now`: a multiplicative walk (moves of up to +-5 %, sometimes wild),
 * irregular intervals, and now and then a zero answer, a repeated or a backwards timestamp.
 */
function roundsArb(now: number, maxLength = 40): fc.Arbitrary<FeedRound[]> {
  const stepArb = fc.record({
    dt: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 7200 }), weight: 8 },
      { arbitrary: fc.constantFrom(0, -30), weight: 1 },
    ),
    movePpm: fc.oneof(
      { arbitrary: fc.integer({ min: -50_000, max: 50_000 }), weight: 8 },
      { arbitrary: fc.integer({ min: -999_999, max: 10_000_000 }), weight: 1 },
    ),
    junk: fc.integer({ min: 0, max: 15 }),
  });
  return fc
    .record({
      start: fc.oneof(fc.bigInt(1n, 10n ** 12n), fc.bigInt(10n ** 12n, 10n ** 30n)),
      steps: fc.array(stepArb, { maxLength }),
      lastAge: fc.integer({ min: 0, max: 7200 }),
    })
    .map(({ start, steps, lastAge }) => {
      let answer = start;
      let time = 0;
      const raw: FeedRound[] = [{ answer, updatedAt: time }];
      for (const s of steps) {
        answer = maxBig(1n, (answer * BigInt(1_000_000 + s.movePpm)) / 1_000_000n);
        time += s.dt;
        raw.push({ answer: s.junk === 0 ? 0n : answer, updatedAt: time });
      }
      const shift = now - lastAge - time;
      return raw.map((r) => ({ ...r, updatedAt: r.updatedAt + shift }));
    });
}

function swapsArb(now: number): fc.Arbitrary<FlowSample[]> {
  return fc.array(
    fc.record({
      side: fc.constantFrom<FlowSample["side"]>("sellBase", "sellQuote"),
      quoteValue: fc.oneof({ arbitrary: dbl(0, 1e9), weight: 8 }, { arbitrary: fc.constantFrom(0, -1), weight: 1 }),
      timestamp: fc.integer({ min: now - 200_000, max: now + 600 }),
    }),
    { maxLength: 20 },
  );
}

/** Whole policy inputs the pool could produce. */
const inputArb: fc.Arbitrary<PolicyInput> = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).chain((now) =>
  fc
    .record({
      rounds: roundsArb(now),
      swaps: swapsArb(now),
      pool: boundsArb,
      lastAgo: fc.oneof(fc.constant(null), fc.integer({ min: -60, max: 3 * 86_400 })),
      imbalance: fc.bigInt(0n, WAD),
    })
    .map(
      (r): PolicyInput => ({
        now,
        rounds: r.rounds,
        feedDecimals: 8,
        swaps: r.swaps,
        imbalance: r.imbalance,
        current: r.pool.current,
        bounds: r.pool.bounds,
        lastUpdate: r.lastAgo === null ? 0 : now - r.lastAgo,
      }),
    ),
);

/** Checks what every decision must satisfy, whatever the input. */
function expectValidDecision(d: Decision, inp: PolicyInput, c: PolicyConfig): void {
  const { current, bounds } = inp;
  for (const key of PARAM_KEYS) {
    const v = d.next[key];
    expect(v >= bounds.min[key] && v <= bounds.max[key], `${key} ${v} outside bounds`).to.equal(true);
    expect(absBig(v - current[key]) <= bounds.maxStep[key], `${key} moved beyond one step`).to.equal(true);
  }
  expect(d.next.baseFee <= d.next.maxFee, `next baseFee ${d.next.baseFee} > maxFee ${d.next.maxFee}`).to.equal(true);
  expect(d.send).to.equal(d.reason === "update");
  expect(Number.isFinite(d.metrics.sigma) && d.metrics.sigma >= 0).to.equal(true);
  expect(Math.abs(d.metrics.flow)).to.be.at.most(1);
  if (d.reason === "insufficient-data") {
    expectParamsEqual(d.next, current);
    expectParamsEqual(d.target, current);
    return;
  }
  expect(d.target.baseFee >= BigInt(c.baseFeeFloorPips), "target baseFee under the floor").to.equal(true);
  expect(d.target.maxFee >= d.target.baseFee, "target maxFee < baseFee").to.equal(true);
  expect(d.target.maxFee < PIPS && d.target.k >= 0n && d.target.k <= WAD).to.equal(true);
  expect(d.target.tau >= 0n && d.target.tau < WAD).to.equal(true);
}

// ------------------------------------------------------------------ properties

describe("keeper policy", function () {
  describe("properties", function () {
    it("next is inside the bounds, within one step of current, with maxFee >= baseFee", function () {
      fc.assert(
        fc.property(configArb, inputArb, (c, inp) => expectValidDecision(decide(inp, c), inp, c)),
        { numRuns: RUNS },
      );
    });

    it("sends exactly when the interval has passed and some change exceeds its band", function () {
      fc.assert(
        fc.property(configArb, inputArb, (c, inp) => {
          const d = decide(inp, c);
          if (d.reason === "insufficient-data") return;
          const tooSoon = inp.lastUpdate !== 0 && inp.now - inp.lastUpdate < inp.bounds.minInterval;
          if (tooSoon) {
            expect(d.reason).to.equal("too-soon");
            return;
          }
          const verdicts = PARAM_KEYS.map((key) =>
            bandVerdict(key, absBig(d.next[key] - inp.current[key]), inp.current, inp.bounds, c),
          );
          if (verdicts.every((v) => v === "within")) expect(d.reason).to.equal("within-band");
          if (verdicts.includes("beyond")) expect(d.reason).to.equal("update");
        }),
        { numRuns: RUNS },
      );
    });

    it("never sends sooner than the min interval after the last update", function () {
      const arb = fc.tuple(configArb, inputArb, fc.integer({ min: 1, max: 86_400 }), dbl(0, 1));
      fc.assert(
        fc.property(arb, ([c, inp, minInterval, share]) => {
          const since = Math.floor(share * (minInterval - 1));
          const soon = { ...inp, bounds: { ...inp.bounds, minInterval }, lastUpdate: inp.now - since };
          const d = decide(soon, c);
          expect(d.send).to.equal(false);
          expect(["too-soon", "insufficient-data"]).to.include(d.reason);
        }),
        { numRuns: RUNS },
      );
    });

    it("never sends a change within the band", function () {
      // With steps spanning the bounds, next is the clamped target whatever current is; moving current
      // away from it by less than the absolute threshold leaves every change within its band. Half the
      // runs use bounds that never bind, so that the nudges are not clamped away.
      const nudgeArb = fc.record({
        k: dbl(-0.99, 0.99),
        baseFee: dbl(-0.99, 0.99),
        maxFee: dbl(-0.99, 0.99),
        tau: dbl(-0.99, 0.99),
      });
      fc.assert(
        fc.property(configArb, inputArb, nudgeArb, fc.boolean(), (c, inp, nudge, wide) => {
          const bounds = { ...(wide ? WIDE : inp.bounds), maxStep: WIDE.maxStep };
          const first = decide({ ...inp, bounds, lastUpdate: 0 }, c);
          if (first.reason === "insufficient-data") return;
          const current = {} as PoolParams;
          for (const key of PARAM_KEYS) {
            const abs = c.hysteresis[key].abs * (isWadParam(key) ? 1e18 : 1);
            const delta = BigInt(Math.trunc(nudge[key] * abs));
            current[key] = clampBig(first.next[key] + delta, bounds.min[key], bounds.max[key]);
          }
          fc.pre(current.baseFee <= current.maxFee);
          const d = decide({ ...inp, bounds, current, lastUpdate: 0 }, c);
          expectParamsEqual(d.next, first.next);
          expect(d.reason).to.equal("within-band");
          expect(d.send).to.equal(false);
        }),
        { numRuns: RUNS },
      );
    });

    it("never sends without at least two usable rounds", function () {
      const fewArb = fc.array(
        fc.record({ answer: fc.oneof(fc.constantFrom(0n, -1n), fc.bigInt(1n, 10n ** 20n)), updatedAt: fc.nat() }),
        { maxLength: 1 },
      );
      const junkArb = fc.array(fc.record({ answer: fc.bigInt(-(10n ** 20n), 0n), updatedAt: fc.nat() }), {
        maxLength: 10,
      });
      fc.assert(
        fc.property(configArb, inputArb, fewArb, junkArb, (c, inp, few, junk) => {
          const d = decide({ ...inp, rounds: [...junk, ...few] }, c);
          expect(d.reason).to.equal("insufficient-data");
          expect(d.send).to.equal(false);
          expectParamsEqual(d.next, inp.current);
        }),
        { numRuns: RUNS },
      );
    });

    it("targets: k and maxFee never fall and tau never rises as flow gets more one-sided", function () {
      // Two flows built from sellBase / sellQuote value at `now`; compared by the measured |flow|.
      const pairArb = fc.tuple(dbl(0, 1e6), dbl(0, 1e6));
      fc.assert(
        fc.property(configArb, inputArb, pairArb, pairArb, (c, inp, [a1, b1], [a2, b2]) => {
          const swaps = (a: number, b: number): FlowSample[] => [
            { side: "sellBase", quoteValue: a, timestamp: inp.now },
            { side: "sellQuote", quoteValue: b, timestamp: inp.now },
          ];
          const rounds = alternatingRounds(48, inp.now - 60);
          let x = decide({ ...inp, rounds, swaps: swaps(a1, b1) }, c);
          let y = decide({ ...inp, rounds, swaps: swaps(a2, b2) }, c);
          if (Math.abs(x.metrics.flow) > Math.abs(y.metrics.flow)) [x, y] = [y, x];
          expect(x.target.k <= y.target.k, `k ${x.target.k} > ${y.target.k}`).to.equal(true);
          expect(x.target.maxFee <= y.target.maxFee, `maxFee ${x.target.maxFee} > ${y.target.maxFee}`).to.equal(true);
          expect(x.target.tau >= y.target.tau, `tau ${x.target.tau} < ${y.target.tau}`).to.equal(true);
          expect(x.target.baseFee).to.equal(y.target.baseFee);
        }),
        { numRuns: RUNS },
      );
    });

    it("targets: k, baseFee and maxFee never fall as volatility rises; baseFee never under the floor", function () {
      // Two feeds with the same timestamps and the same shape of log path, scaled by s1 and s2; compared by
      // the measured sigma. The estimate must scale with the path.
      const pathArb = fc.record({
        dts: fc.array(fc.integer({ min: 1, max: 7200 }), { minLength: 4, maxLength: 40 }),
        moves: fc.array(dbl(-0.05, 0.05), { minLength: 40, maxLength: 40 }),
      });
      const scaleArb = fc.oneof(fc.constant(0), dbl(0, 4));
      fc.assert(
        fc.property(configArb, inputArb, pathArb, scaleArb, scaleArb, (c, inp, path, s1, s2) => {
          const feed = (s: number): FeedRound[] => {
            let logPrice = 0;
            let time = inp.now - 60 - path.dts.reduce((a, b) => a + b, 0);
            const rounds = [{ answer: 10n ** 15n, updatedAt: time }];
            path.dts.forEach((dt, i) => {
              logPrice += s * path.moves[i];
              time += dt;
              rounds.push({ answer: BigInt(Math.round(1e15 * Math.exp(logPrice))), updatedAt: time });
            });
            return rounds;
          };
          const cfg = { ...c, minRounds: 2 };
          let x = decide({ ...inp, rounds: feed(s1) }, cfg);
          let y = decide({ ...inp, rounds: feed(s2) }, cfg);
          const unit = decide({ ...inp, rounds: feed(1) }, cfg).metrics.sigma;
          expect(x.metrics.sigma).to.be.closeTo(s1 * unit, 1e-6 * s1 * unit + 1e-6);
          if (x.metrics.sigma > y.metrics.sigma) [x, y] = [y, x];
          for (const d of [x, y]) expect(d.target.baseFee >= BigInt(c.baseFeeFloorPips)).to.equal(true);
          expect(x.target.k <= y.target.k, `k ${x.target.k} > ${y.target.k}`).to.equal(true);
          expect(x.target.baseFee <= y.target.baseFee, `baseFee ${x.target.baseFee} > ${y.target.baseFee}`).to.equal(
            true,
          );
          expect(x.target.maxFee <= y.target.maxFee, `maxFee ${x.target.maxFee} > ${y.target.maxFee}`).to.equal(true);
          expect(x.target.tau).to.equal(y.target.tau);
        }),
        { numRuns: RUNS },
      );
    });

    it("model: targets are monotone in sigma, |flow| and the feed interval over their whole domain", function () {
      const m = fc.record({ sigma: dbl(0, 50), feedInterval: dbl(1, 1e7), flow: dbl(-1, 1) });
      fc.assert(
        fc.property(configArb, m, m, (c, p, q) => {
          const lo = { sigma: Math.min(p.sigma, q.sigma), feedInterval: Math.min(p.feedInterval, q.feedInterval) };
          const hi = { sigma: Math.max(p.sigma, q.sigma), feedInterval: Math.max(p.feedInterval, q.feedInterval) };
          const [fLo, fHi] = Math.abs(p.flow) <= Math.abs(q.flow) ? [p.flow, q.flow] : [q.flow, p.flow];
          const a = targetParams({ ...lo, flow: fLo }, c);
          const b = targetParams({ ...hi, flow: fHi }, c);
          expect(a.k <= b.k && a.baseFee <= b.baseFee && a.maxFee <= b.maxFee && a.tau >= b.tau).to.equal(true);
          for (const t of [a, b]) {
            expect(t.baseFee >= BigInt(c.baseFeeFloorPips) && t.baseFee <= t.maxFee && t.maxFee < PIPS).to.equal(true);
            expect(t.k <= WAD && t.tau < WAD).to.equal(true);
          }
        }),
        { numRuns: RUNS },
      );
    });
  });

  // ------------------------------------------------------------------ unit checks

  describe("formulas", function () {
    // Rounds alternating 100 / 101 every hour: sigma^2 = ln(1.01)^2 per hour, i.e. ln(1.01)^2 * 8760 a year.
    const lnMove = Math.log(1.01);
    const sigma = lnMove * Math.sqrt(8760);

    it("computes the documented targets with the default config", function () {
      const C = DEFAULT_POLICY_CONFIG;
      const d = decide(input());
      // k = kBase + gamma * sigma^2 * (1 day / 1 year), with sigma^2 * 1 h / 1 year = ln(1.01)^2.
      const k = C.kBase + C.gamma * lnMove * lnMove * 24;
      expect(d.metrics.sigma).to.be.closeTo(sigma, 1e-12);
      expect(d.metrics.flow).to.equal(0);
      expect(Number(d.target.k) / 1e18).to.be.closeTo(k, 1e-12);
      // baseFee = feeLagMultiplier * sigma * sqrt(1 h / 1 year) = feeLagMultiplier * ln(1.01), in pips.
      const baseFee = BigInt(Math.round(C.feeLagMultiplier * lnMove * 1e6));
      expect(baseFee > BigInt(C.baseFeeFloorPips)).to.equal(true); // the floor does not bind here
      expect(d.target.baseFee).to.equal(baseFee);
      expect(d.target.maxFee).to.equal(baseFee + BigInt(C.maxFeeSpreadPips));
      expect(d.target.tau).to.equal(BigInt(Math.round(C.tauBase * 1e18)));
      expectParamsEqual(d.next, d.target);
      expect(d.send).to.equal(true);
      expect(d.reason).to.equal("update");
    });

    it("raises k and maxFee and lowers tau for one-sided flow", function () {
      const C = DEFAULT_POLICY_CONFIG;
      const swaps: FlowSample[] = [{ side: "sellQuote", quoteValue: 1000, timestamp: NOW - 10 }];
      const d = decide(input({ swaps }));
      expect(d.metrics.flow).to.equal(-1);
      expect(Number(d.target.k) / 1e18).to.be.closeTo(C.kBase + C.gamma * lnMove * lnMove * 24 + C.kFlow, 1e-12);
      const baseFee = BigInt(Math.round(C.feeLagMultiplier * lnMove * 1e6));
      expect(d.target.baseFee).to.equal(baseFee);
      expect(d.target.maxFee).to.equal(baseFee + BigInt(C.maxFeeSpreadPips + C.maxFeeFlowPips));
      expect(Number(d.target.tau) / 1e18).to.be.closeTo(Math.max(C.tauFloor, C.tauBase - C.tauFlow), 1e-15);
    });

    it("uses a configured feed interval instead of the measured one", function () {
      // Heartbeat 4 h: baseFee = feeLagMultiplier * sigma * sqrt(4 h / 1 year) = feeLagMultiplier * ln(1.01) * 2.
      const d = decide(input(), parsePolicyConfig({ feedIntervalSeconds: 4 * HOUR }));
      expect(d.target.baseFee).to.equal(BigInt(Math.round(DEFAULT_POLICY_CONFIG.feeLagMultiplier * lnMove * 2 * 1e6)));
    });

    it("never targets a base fee under the floor, nor k outside [0, 1]", function () {
      const flat = Array.from({ length: 10 }, (_, i) => ({ answer: 5000n, updatedAt: NOW - 600 * (10 - i) }));
      const calm = decide(input({ rounds: flat }));
      expect(calm.metrics.sigma).to.equal(0);
      expect(calm.target.baseFee).to.equal(500n);
      expect(Number(calm.target.k) / 1e18).to.be.closeTo(0.05, 1e-15);
      const wild = alternatingRounds(20).map((r, i) => ({ ...r, answer: i % 2 === 0 ? 1n : 1000n }));
      expect(decide(input({ rounds: wild })).target.k).to.equal(WAD);
    });

    it("reports the pool's imbalance as a fraction", function () {
      expect(decide(input({ imbalance: WAD / 4n })).metrics.imbalance).to.equal(0.25);
    });
  });

  describe("bounds, steps and fee consistency", function () {
    const bounds = (over: Partial<ParamBounds["maxStep"]>): ParamBounds => ({
      ...WIDE,
      maxStep: { ...WIDE.maxStep, ...over },
    });
    const cur: PoolParams = { k: WAD / 2n, baseFee: 1000n, maxFee: 1000n, tau: WAD / 10n };

    it("moves each parameter at most one step toward its target", function () {
      const next = constrain({ ...cur, k: WAD, tau: 0n }, cur, bounds({ k: WAD / 100n, tau: WAD / 1000n }));
      expect(next.k).to.equal(WAD / 2n + WAD / 100n);
      expect(next.tau).to.equal(WAD / 10n - WAD / 1000n);
    });

    it("holds the base fee down to what the max fee can reach when the base fee rises faster", function () {
      // baseFee may step 2000 (to 3000) but maxFee only 500 (to 1500): both go to 1500.
      const next = constrain({ ...cur, baseFee: 5000n, maxFee: 8000n }, cur, bounds({ baseFee: 2000n, maxFee: 500n }));
      expect([next.baseFee, next.maxFee]).to.deep.equal([1500n, 1500n]);
    });

    it("keeps the max fee up to what the base fee can reach when the max fee falls faster", function () {
      // baseFee may only step 10 (to 990) while maxFee could fall to 200: maxFee stops at 990.
      const next = constrain({ ...cur, baseFee: 100n, maxFee: 200n }, cur, bounds({ baseFee: 10n, maxFee: 900n }));
      expect([next.baseFee, next.maxFee]).to.deep.equal([990n, 990n]);
    });

    it("clamps the fee pair into bounds the way the pool does", function () {
      const b: ParamBounds = { ...WIDE, max: { ...WIDE.max, baseFee: 1000n, maxFee: 400n } };
      const clamped = clampToBounds({ ...cur, baseFee: 600n, maxFee: 700n }, b);
      expect([clamped.baseFee, clamped.maxFee]).to.deep.equal([400n, 400n]);
    });

    it("counts a full step as a change even when the band is wider than the step", function () {
      // Every parameter but k already sits at its target; k is 0.4 away with a band of 0.5 but a step of 0.01.
      const target = decide(input()).target;
      const c = parsePolicyConfig({ hysteresis: { k: { abs: 0.5 } } });
      const d = decide(input({ current: { ...target, k: 0n }, bounds: bounds({ k: WAD / 100n }) }), c);
      expect(d.next.k).to.equal(WAD / 100n);
      expect(d.reason).to.equal("update");
      // A frozen parameter (step 0) never moves, so on its own it never triggers an update.
      const frozen = decide(input({ current: { ...target, k: 0n }, bounds: bounds({ k: 0n }) }), c);
      expect(frozen.next.k).to.equal(0n);
      expect(frozen.reason).to.equal("within-band");
    });

    it("waits for the min interval, counting from the first update only", function () {
      const minInterval = 86_400;
      const b = { ...WIDE, minInterval };
      expect(decide(input({ bounds: b, lastUpdate: 0 })).reason).to.equal("update");
      expect(decide(input({ bounds: b, lastUpdate: NOW - minInterval })).reason).to.equal("update");
      expect(decide(input({ bounds: b, lastUpdate: NOW - minInterval + 1 })).reason).to.equal("too-soon");
      expect(decide(input({ bounds: b, lastUpdate: NOW + 5 })).reason).to.equal("too-soon");
      // The pool applies no interval before its first update, however long the interval (uint32 max).
      const forever = { ...WIDE, minInterval: 2 ** 32 - 1 };
      expect(decide(input({ bounds: forever, lastUpdate: 0 })).reason).to.equal("update");
      expect(decide(input({ bounds: forever, lastUpdate: 1 })).reason).to.equal("too-soon");
    });

    it("answers insufficient-data with no send and the current parameters", function () {
      const d = decide(
        input({ rounds: alternatingRounds(1), swaps: [{ side: "sellBase", quoteValue: 1, timestamp: NOW }] }),
      );
      expect(d).to.deep.equal({
        send: false,
        reason: "insufficient-data",
        target: CURRENT,
        next: CURRENT,
        metrics: { sigma: 0, flow: 1, imbalance: 0 },
      });
    });

    it("rejects input the pool cannot produce", function () {
      const outside = { ...CURRENT, k: WAD + 1n };
      expect(() => decide(input({ current: outside }))).to.throw(PolicyInputError, /current k/);
      const inverted = { ...CURRENT, baseFee: 20_000n };
      expect(() => decide(input({ current: inverted }))).to.throw(PolicyInputError, /baseFee 20000 above maxFee/);
      const badBounds = { ...WIDE, min: { ...WIDE.min, tau: WAD } };
      expect(() => decide(input({ bounds: badBounds }))).to.throw(PolicyInputError, /bounds of tau/);
    });
  });

  describe("competition, front-running floor and jumps (optional rules)", function () {
    const lnMove = Math.log(1.01);
    const lagFee = (c: Readonly<PolicyConfig>) => Math.round(c.feeLagMultiplier * lnMove * 1e6);

    it("keeps the base fee at or above multiplier x the feed's deviation threshold", function () {
      const c = parsePolicyConfig({ feedDeviation: 0.005, deviationFeeMultiplier: 0.6 });
      const flat = Array.from({ length: 10 }, (_, i) => ({ answer: 5000n, updatedAt: NOW - 600 * (10 - i) }));
      expect(decide(input({ rounds: flat }), c).target.baseFee).to.equal(3000n); // 0.6 x 0.5 % = 30 bp
      // A lag fee above the floor is kept (rounds moving 1 % an hour: about 80 bp).
      expect(lagFee(c)).to.be.greaterThan(3000);
      expect(decide(input(), c).target.baseFee).to.equal(BigInt(lagFee(c)));
    });

    it("caps the base fee at the competition's price, but never below a floor", function () {
      expect(decide(input(), parsePolicyConfig({ maxBaseFeePips: 2000 })).target.baseFee).to.equal(2000n);
      const both = parsePolicyConfig({ maxBaseFeePips: 2000, feedDeviation: 0.01, deviationFeeMultiplier: 0.5 });
      expect(decide(input(), both).target.baseFee).to.equal(5000n);
      const floor = parsePolicyConfig({ maxBaseFeePips: 2000, baseFeeFloorPips: 2500 });
      expect(decide(input(), floor).target.baseFee).to.equal(2500n);
    });

    it("after a feed jump, raises k and the base fee until the window passes", function () {
      const c = parsePolicyConfig({ jumpReturn: 0.02, jumpWindowSeconds: 6 * HOUR, jumpK: 0.2, jumpFeePips: 1500 });
      const calm = decide(input(), c);
      const withJump = (age: number): FeedRound[] => {
        const rounds = alternatingRounds(48, NOW - age - HOUR);
        const last = rounds[rounds.length - 1];
        return [...rounds, { answer: (last.answer * 1025n) / 1000n, updatedAt: NOW - age }]; // +2.5 %
      };
      const fresh = decide(input({ rounds: withJump(HOUR) }), c);
      const old = decide(input({ rounds: withJump(7 * HOUR) }), c);
      expect(fresh.target.baseFee - old.target.baseFee >= 1500n).to.equal(true);
      expect(Number(fresh.target.k - old.target.k) / 1e18).to.be.greaterThan(0.19);
      // Without the rule, the same rounds move nothing but through volatility.
      const off = decide(input({ rounds: withJump(HOUR) }));
      expect(Number(fresh.target.k - off.target.k) / 1e18).to.be.closeTo(0.2, 1e-9);
      expect(calm.target.k <= fresh.target.k).to.equal(true);
    });

    it("ignores a move within the threshold, and the rule is off at threshold 0", function () {
      const c = parsePolicyConfig({ jumpReturn: 0.02, jumpK: 0.2 });
      expect(decide(input(), c).target.k).to.equal(decide(input()).target.k); // 1 % rounds
      expect(jumpedRecently(alternatingRounds(10), NOW, 0, HOUR)).to.equal(false);
      expect(jumpedRecently(alternatingRounds(10), NOW, 0.005, 2 * HOUR)).to.equal(true);
    });

    it("property: with the rules on, the base fee stays within its floors and below 100 %, maxFee >= baseFee", function () {
      fc.assert(
        fc.property(configArb, fc.boolean(), (c, jump) => {
          const t = targetParams({ sigma: 0.8, feedInterval: 3600, flow: 0, recentJump: jump }, c);
          const floor = Math.max(c.baseFeeFloorPips, Math.round(c.deviationFeeMultiplier * c.feedDeviation * 1e6));
          expect(Number(t.baseFee)).to.be.at.least(Math.min(floor, 999_999));
          expect(t.baseFee < PIPS && t.maxFee >= t.baseFee && t.k <= WAD).to.equal(true);
        }),
        { numRuns: RUNS },
      );
    });
  });
});
