import { expect } from "chai";
import fc from "fast-check";
import type { SwapSide } from "../../sdk/math";
import { inputFor } from "../../sim/agents";
import { CircuitBreaker, withinBound } from "../../sim/breaker";
import { shippedFloor } from "../../sim/defences";
import { blockTime, toAnswer } from "../../sim/feed";
import { planFrontRun } from "../../sim/frontrun";
import { defaultPull, pullCandidates, selectStale } from "../../sim/pull";
import { runStrategy, type SimConfig, type Strategy } from "../../sim/run";
import { makeScenario } from "../../sim/scenario";
import { skewParams, studyBaseConfig } from "../../sim/scenarios";
import { skewPool, SkewVenue } from "../../sim/skew";
import type { Tokens } from "../../sim/venue";

const TOKENS: Tokens = { baseDecimals: 18, quoteDecimals: 6 };
const PIPS = 1_000_000n;
const B = 10_000n; // the breaker's 1 % bound
const ARB = { gasUsd: 0, maxTradesPerBlock: 1, sizeTol: 1e-4 };

/** A $10M Skew pool at 2000, optionally pushed off equilibrium by a first swap worth `skewUsd`. */
function pool(k: number, feeBps: number, floor: bigint, skewSide: SwapSide = "sellBase", skewUsd = 0): SkewVenue {
  const v = new SkewVenue(
    skewPool(TOKENS, 2500n * 10n ** 18n, 5_000_000n * 10n ** 6n, toAnswer(2000, 8), 8, skewParams(k, feeBps)),
    "equilibrium",
    floor,
  );
  const first = skewUsd > 0 ? v.quote(skewSide, inputFor(TOKENS, skewSide, skewUsd, 2000)) : null;
  if (first !== null) v.apply(first);
  return v;
}

/** The front-runner's planned round trip through a round to `next`, its profit in its input token (whole units), or 0. */
function frontRunProfit(v: SkewVenue, next: number): number {
  const plan = planFrontRun(v, toAnswer(next, 8), 8, next, TOKENS, 0, 1e-4, 10_000_000);
  if (plan === null) return 0;
  const leg1 = plan.leg1.fill;
  const after = new SkewVenue(
    { ...leg1.after, price: { num: toAnswer(next, 8), den: 10n ** 8n } },
    v.kChange,
    v.feeFloor,
  );
  const back = after.quote(plan.backSide, leg1.amountOut);
  if (back === null) return 0;
  const dec = leg1.side === "sellQuote" ? 6 : 18;
  return Number(back.amountOut - leg1.amountIn) / 10 ** dec;
}

/** A round trip of `usd` on `side` at the pool's price, unwound at `next`: profit in the input token (whole units), or 0 when a leg cannot fill. */
function roundTrip(v: SkewVenue, side: SwapSide, usd: number, next: number): number {
  const leg1 = v.quote(side, inputFor(TOKENS, side, usd, 2000));
  if (leg1 === null) return 0;
  const after = new SkewVenue(
    { ...leg1.after, price: { num: toAnswer(next, 8), den: 10n ** 8n } },
    v.kChange,
    v.feeFloor,
  );
  const back = after.quote(side === "sellQuote" ? "sellBase" : "sellQuote", leg1.amountOut);
  if (back === null) return 0;
  return Number(back.amountOut - leg1.amountIn) / 10 ** (side === "sellQuote" ? 6 : 18);
}

describe("sim: the circuit breaker", function () {
  const cfg = { maxMovePips: B, cooldownSeconds: 900 };

  const E8 = 10n ** 8n;

  it("push feed: accepts a move of exactly the bound from the previous round, trips past it, and resumes at the newest round after the cool-down", function () {
    const br = new CircuitBreaker(cfg, 2000n * E8, "chain");
    expect(br.onAnswer(2020n * E8, 100)).to.equal(true); // +1 % exactly
    expect(br.onAnswer(2040n * E8 + E8, 200)).to.equal(false); // +1.04 % from the previous round
    expect(br.tripped).to.equal(true);
    expect(br.trips).to.equal(1);
    expect(br.onAnswer(2050n * E8, 500)).to.equal(false); // inside the bound: does not clear it sooner
    expect(br.poll(1099)).to.equal(null);
    expect(br.poll(1100)).to.equal(2050n * E8);
    expect(br.tripped).to.equal(false);
    expect(br.onAnswer(2060n * E8, 1200)).to.equal(true);
    expect(br.trips).to.equal(1);
  });

  it("push feed: a second jump while tripped restarts the cool-down", function () {
    const br = new CircuitBreaker(cfg, 2000n * E8, "chain");
    expect(br.onAnswer(2100n * E8, 0)).to.equal(false);
    expect(br.onAnswer(2200n * E8, 600)).to.equal(false);
    expect(br.poll(900)).to.equal(null);
    expect(br.poll(1500)).to.equal(2200n * E8);
    expect(br.trips).to.equal(1);
  });

  it("pull oracle: judged against the last usable price; a price back inside the bound clears the trip", function () {
    const br = new CircuitBreaker(cfg, 2000n * E8, "reference");
    expect(br.onAnswer(2015n * E8, 0)).to.equal(true);
    expect(br.onAnswer(1900n * E8, 12)).to.equal(false);
    expect(br.onAnswer(1880n * E8, 24)).to.equal(false); // still measured from 2015
    expect(br.onAnswer(2000n * E8, 36)).to.equal(true);
    expect(br.tripped).to.equal(false);
    expect(br.onAnswer(1900n * E8, 48)).to.equal(false);
    expect(br.poll(48 + 899)).to.equal(null);
    expect(br.poll(48 + 900)).to.equal(1900n * E8);
    expect(br.reference).to.equal(1900n * E8);
    expect(br.trips).to.equal(2);
  });

  it("withinBound is exact at the bound on both sides", function () {
    fc.assert(
      fc.property(fc.bigInt(1n, 10n ** 15n), fc.bigInt(1n, 100_000n), (ref, bound) => {
        const edge = (ref * bound) / PIPS;
        expect(withinBound(ref + edge, ref, bound)).to.equal(true);
        expect(withinBound(ref - edge, ref, bound)).to.equal(true);
        expect(withinBound(ref + edge + 1n, ref, bound)).to.equal(false);
      }),
      { numRuns: 1000 },
    );
  });

  /** A short market with many large jumps, so the breaker trips. */
  function jumpy(): SimConfig {
    const base = studyBaseConfig(900);
    return {
      ...base,
      warmupBlocks: 300,
      sigma: 0.6,
      jumps: { perDay: 60, meanLog: 0, sdLog: 0.03 },
      competitor: { kind: "cp", fee: 3000n, valueRatio: 1 },
      recordEvery: 1,
    };
  }

  for (const mode of ["push", "pull"] as const) {
    it(`stops every swap of a ${mode} pool while tripped and trades again after it clears`, function () {
      const cfg = jumpy();
      const sc = makeScenario(cfg, 3, 0);
      const strategy: Strategy = {
        name: "s",
        kind: "skew",
        params: skewParams(0.5, 30),
        feeFloor: shippedFloor(3000n, B),
        pull: mode === "pull" ? defaultPull() : undefined,
      };
      const run = runStrategy(cfg, sc, strategy, true);
      const m = run.metrics;
      expect(m.breakerTrips).to.be.greaterThan(0);
      expect(m.haltedBlocks).to.be.greaterThan(0);
      // Each trip halts for at most the cool-down (75 blocks).
      expect(m.haltedBlocks).to.be.at.most(m.breakerTrips * 75);
      const s = run.series;
      let resumed = 0;
      for (let i = 1; i < s.length; i++) {
        if (s[i].halted) {
          // No swap and no new price: the pool's mid and imbalance stay where they were.
          expect(s[i].mid).to.equal(s[i - 1].mid);
          expect(s[i].imbalance).to.equal(s[i - 1].imbalance);
        } else if (s[i - 1].halted && s.slice(i).some((p) => p.mid !== s[i - 1].mid)) {
          resumed++;
        }
      }
      expect(resumed).to.be.greaterThan(0);
      const free = runStrategy({ ...cfg, breaker: undefined }, sc, strategy).metrics;
      expect(free.haltedBlocks).to.equal(0);
      expect(free.breakerTrips).to.equal(0);
    });
  }
});

describe("sim: pull-oracle price selection", function () {
  const clock = { startTime: 1_700_000_000, blockTime: 12 };

  it("offers only prices published at or before the latency, at most max age old, not older than the last used", function () {
    const prices = Float64Array.from({ length: 400 }, (_, i) => 2000 * (1 + 0.001 * Math.sin(i)));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 399 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 399 }),
        (b, latency, maxAge, lastUsedBlock) => {
          const cfg = { latencyBlocks: latency, maxAgeSeconds: maxAge, selector: true };
          const lastUsed = blockTime(clock, lastUsedBlock);
          const got = pullCandidates(prices, clock, b, cfg, lastUsed, 8);
          const now = blockTime(clock, b);
          const want: number[] = [];
          for (let s = b - latency; s >= 0; s--) {
            const t = blockTime(clock, s);
            if (now - t <= maxAge && t >= lastUsed) want.push(s);
          }
          expect(got.map((c) => c.block)).to.deep.equal(want);
          for (const c of got) {
            expect(c.publishTime).to.be.at.least(lastUsed);
            expect(now - c.publishTime).to.be.at.most(maxAge);
            expect(c.answer).to.equal(toAnswer(prices[c.block], 8));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("the selector submits an accepted older price, never the freshest, and only when it pays more", function () {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.02, max: 0.02, noNaN: true }), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 19 }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        (moves, lastUsedBlock, trueMove) => {
          const prices = new Float64Array(21);
          prices[0] = 2000;
          moves.forEach((m, i) => (prices[i + 1] = prices[i] * (1 + m)));
          const b = 20;
          const lastUsed = blockTime(clock, lastUsedBlock);
          const candidates = pullCandidates(prices, clock, b, defaultPull(), lastUsed, 8);
          const v = pool(0.5, 5, 0n);
          const truePrice = prices[b] * (1 + trueMove);
          const sel = selectStale(v, candidates, 8, truePrice, TOKENS, ARB, 10_000_000);
          if (sel === null) return;
          expect(candidates.slice(1).map((c) => c.block)).to.include(sel.source.block);
          expect(sel.source.publishTime).to.be.at.least(lastUsed);
          expect(blockTime(clock, b) - sel.source.publishTime).to.be.at.most(defaultPull().maxAgeSeconds);
          expect(sel.profit).to.be.greaterThan(0);
          expect(sel.choice.fill.after.price.num).to.equal(sel.source.answer);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("picks the stalest accepted price after a jump the freshest price already shows", function () {
    const prices = new Float64Array(21).fill(2000);
    for (let i = 19; i <= 20; i++) prices[i] = 2060; // a 3 % jump at block 19
    const candidates = pullCandidates(prices, clock, 20, defaultPull(), 0, 8);
    expect(candidates[0].answer).to.equal(toAnswer(2060, 8));
    const sel = selectStale(pool(0.5, 5, 0n), candidates, 8, 2060, TOKENS, ARB, 10_000_000);
    if (sel === null) throw new Error("no selection after a 3 % jump");
    expect(sel.source.answer).to.equal(toAnswer(2000, 8));
    expect(sel.choice.fill.side).to.equal("sellQuote");
    // With the last used price the freshest, there is nothing to select.
    const none = pullCandidates(prices, clock, 20, defaultPull(), candidates[0].publishTime, 8);
    expect(selectStale(pool(0.5, 5, 0n), none, 8, 2060, TOKENS, ARB, 10_000_000)).to.equal(null);
  });
});

describe("sim: the front-running fee floor", function () {
  it("the shipped floor is the smallest with (1 - floor)(1 - baseFee) <= 1 - B", function () {
    fc.assert(
      fc.property(fc.bigInt(0n, 30_000n), fc.bigInt(1n, 50_000n), (baseFee, bound) => {
        const f = shippedFloor(baseFee, bound);
        expect((PIPS - f) * (PIPS - baseFee)).to.be.at.most((PIPS - bound) * PIPS);
        if (f > 0n) expect((PIPS - f + 1n) * (PIPS - baseFee)).to.be.greaterThan((PIPS - bound) * PIPS);
      }),
      { numRuns: 1000 },
    );
  });

  const state = fc.record({
    k: fc.constantFrom(0.05, 0.2, 0.5, 1),
    feeBps: fc.constantFrom(1, 5, 15, 30, 60),
    skewSide: fc.constantFrom<SwapSide>("sellBase", "sellQuote"),
    skewUsd: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1_000_000, noNaN: true })),
  });

  it("with the shipped floor the front-runner finds no round trip through any round up to the breaker's bound", function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(state, fc.double({ min: -0.01, max: 0.01, noNaN: true }), (s, move) => {
        const v = pool(s.k, s.feeBps, shippedFloor(BigInt(s.feeBps * 100), B), s.skewSide, s.skewUsd);
        expect(frontRunProfit(v, 2000 * (1 + move))).to.be.at.most(0);
        for (const usd of [1_000, 30_000, 300_000, 3_000_000]) {
          for (const side of ["sellBase", "sellQuote"] as const)
            expect(roundTrip(v, side, usd, 2000 * (1 + move))).to.be.at.most(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("without a floor the same front-runner profits from a 1 % round (so the check above can fail)", function () {
    for (const feeBps of [1, 5, 15, 30]) expect(frontRunProfit(pool(0.5, feeBps, 0n), 2020)).to.be.greaterThan(0);
  });

  it("a higher floor never raises the front-runner's take nor lowers what a noise order pays", function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(
        state,
        fc.double({ min: -0.03, max: 0.03, noNaN: true }),
        fc.constantFrom(0, 1000, 2500, 5000, 9500),
        fc.constantFrom(500, 2000, 4000),
        fc.double({ min: 100, max: 200_000, noNaN: true }),
        fc.constantFrom<SwapSide>("sellBase", "sellQuote"),
        (s, move, lowFloor, extra, orderUsd, orderSide) => {
          const at = (floor: number) => pool(s.k, s.feeBps, BigInt(floor), s.skewSide, s.skewUsd);
          const [lo, hi] = [at(lowFloor), at(lowFloor + extra)];
          const next = 2000 * (1 + move);
          expect(frontRunProfit(hi, next)).to.be.at.most(
            frontRunProfit(lo, next) + 1e-6 * Math.abs(frontRunProfit(lo, next)),
          );
          const amount = inputFor(TOKENS, orderSide, orderUsd, 2000);
          const [a, b] = [lo.quote(orderSide, amount), hi.quote(orderSide, amount)];
          if (a !== null && b !== null) expect(b.amountOut <= a.amountOut).to.equal(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
