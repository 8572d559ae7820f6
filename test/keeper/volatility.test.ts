import { expect } from "chai";
import { SECONDS_PER_YEAR } from "../../keeper/config";
import type { FeedRound } from "../../keeper/types";
import { estimateVolatility, lnBigint, usableRounds } from "../../keeper/volatility";

/**
 * The volatility estimator against series whose volatility is known by construction.
 *
 * Tolerances are derived, not fitted. With weights w_i (1 for an unweighted estimate) the estimator
 * is sum(w r^2) / sum(w dt) = sigma^2 * (1 + e) where, for Brownian log prices,
 * e = sum(w (r^2 - sigma^2 dt)) / (sigma^2 sum(w dt)) has mean 0 and standard deviation
 * sqrt(2 sum(w^2 dt^2)) / sum(w dt) (r^2 / (sigma^2 dt) is chi-square with one degree of freedom,
 * variance 2). Each check allows 5 standard deviations of e on sigma^2 (a false alarm below 1e-6
 * for any seed), which is about 2.5 standard deviations' worth of room on sigma itself. Drift and
 * the rounding of answers to 8 decimals are below 1e-4 of that room and ignored.
 */

/** Seeded PRNG (mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller). */
function normals(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform(); // (0, 1]
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

const DECIMALS = 8;
const SCALE = 10 ** DECIMALS;

/** A feed answer (8 decimals) for a price. */
function answerOf(price: number): bigint {
  return BigInt(Math.round(price * SCALE));
}

/**
 * Exact GBM samples at the given intervals: log price moves by (mu - sigma^2/2) dt + sigma sqrt(dt) Z,
 * with sigma (annual) possibly changing per interval.
 */
function gbmRounds(
  dts: readonly number[],
  sigmaAt: (i: number) => number,
  rand: () => number,
  start = { price: 3000, time: 1_700_000_000 },
  mu = 0.05,
): FeedRound[] {
  let logPrice = Math.log(start.price);
  let time = start.time;
  const rounds: FeedRound[] = [{ answer: answerOf(start.price), updatedAt: time }];
  dts.forEach((dt, i) => {
    const sigma = sigmaAt(i);
    const years = dt / SECONDS_PER_YEAR;
    logPrice += (mu - (sigma * sigma) / 2) * years + sigma * Math.sqrt(years) * rand();
    time += dt;
    rounds.push({ answer: answerOf(Math.exp(logPrice)), updatedAt: time });
  });
  return rounds;
}

/** 5 standard deviations of the relative error of the estimated variance, for weights w and intervals dt. */
function varianceTolerance(dts: readonly number[], weights: readonly number[]): number {
  let sumW2Dt2 = 0;
  let sumWDt = 0;
  dts.forEach((dt, i) => {
    sumW2Dt2 += weights[i] ** 2 * dt * dt;
    sumWDt += weights[i] * dt;
  });
  return (5 * Math.sqrt(2 * sumW2Dt2)) / sumWDt;
}

/** Asserts sigmaHat^2 / sigma^2 - 1 is within `tol` (a relative tolerance on the variance). */
function expectVariance(sigmaHat: number, sigma: number, tol: number): void {
  const rel = (sigmaHat * sigmaHat) / (sigma * sigma) - 1;
  expect(Math.abs(rel), `sigma ${sigmaHat} vs ${sigma}: variance off by ${rel}, tolerance ${tol}`).to.be.at.most(tol);
}

function sigmaOf(rounds: FeedRound[], halfLife: number): number {
  const est = estimateVolatility(rounds, halfLife);
  if (!est.ok) throw new Error("expected an estimate");
  return est.sigma;
}

const NO_DECAY = 1e15; // a half-life so long that every weight is 1 to 1e-6 over these series

describe("keeper volatility estimator", function () {
  describe("data handling", function () {
    it("reports insufficient data with fewer than two usable rounds", function () {
      expect(estimateVolatility([], 3600)).to.deep.equal({ ok: false, reason: "insufficient-data", rounds: 0 });
      expect(estimateVolatility([{ answer: 100n, updatedAt: 10 }], 3600).ok).to.equal(false);
      const unusable: FeedRound[] = [
        { answer: 100n, updatedAt: 10 },
        { answer: 0n, updatedAt: 20 },
        { answer: -5n, updatedAt: 30 },
        { answer: 120n, updatedAt: 5 }, // older than the previous usable round
      ];
      expect(estimateVolatility(unusable, 3600)).to.deep.equal({ ok: false, reason: "insufficient-data", rounds: 1 });
    });

    it("respects a larger minimum number of rounds", function () {
      const rounds = [100n, 101n, 100n].map((answer, i) => ({ answer, updatedAt: 1000 + 60 * i }));
      expect(estimateVolatility(rounds, 3600, 3).ok).to.equal(true);
      expect(estimateVolatility(rounds, 3600, 4).ok).to.equal(false);
    });

    it("keeps positive, strictly later rounds and lets a same-second round replace its twin", function () {
      const rounds: FeedRound[] = [
        { answer: 0n, updatedAt: 1 },
        { answer: 10n, updatedAt: 2 },
        { answer: 11n, updatedAt: 2 },
        { answer: 12n, updatedAt: 1 },
        { answer: -1n, updatedAt: 3 },
        { answer: 13n, updatedAt: 4 },
      ];
      expect(usableRounds(rounds)).to.deep.equal([
        { answer: 11n, updatedAt: 2 },
        { answer: 13n, updatedAt: 4 },
      ]);
    });

    it("takes logarithms of bigints beyond double range", function () {
      expect(lnBigint(10n ** 400n)).to.be.closeTo(400 * Math.LN10, 1e-9);
      expect(lnBigint(7n)).to.be.closeTo(Math.log(7), 1e-15);
      expect(() => lnBigint(0n)).to.throw(RangeError);
      const est = estimateVolatility(
        [
          { answer: 1n, updatedAt: 0 },
          { answer: 10n ** 400n, updatedAt: 1 },
        ],
        3600,
      );
      expect(est.ok && Number.isFinite(est.sigma)).to.equal(true);
    });
  });

  describe("known series", function () {
    it("gives the exact volatility of a series whose squared returns are all equal", function () {
      // Alternating +1 % / -1 %-ish moves every hour: every r^2 equals ln(1.01)^2 and every dt 3600 s,
      // so sigma^2 = ln(1.01)^2 / 3600 s, whatever the weights.
      const rounds = Array.from({ length: 50 }, (_, i) => ({
        answer: i % 2 === 0 ? 100_000_000n : 101_000_000n,
        updatedAt: 1_700_000_000 + 3600 * i,
      }));
      const expected = Math.log(1.01) * Math.sqrt(SECONDS_PER_YEAR / 3600);
      for (const halfLife of [60, 3600, NO_DECAY]) {
        const est = estimateVolatility(rounds, halfLife);
        expect(est.ok).to.equal(true);
        if (!est.ok) return;
        expect(est.sigma).to.be.closeTo(expected, expected * 1e-12);
        expect(est.meanInterval).to.be.closeTo(3600, 1e-9);
      }
    });

    it("does not depend on the feed's decimals", function () {
      const rand = mulberry32(7);
      const base = gbmRounds(
        Array.from({ length: 200 }, () => 60 + Math.floor(rand() * 3600)),
        () => 0.6,
        normals(rand),
      );
      const scaled = base.map((r) => ({ ...r, answer: r.answer * 10n ** 10n }));
      expect(sigmaOf(scaled, 7200)).to.be.closeTo(sigmaOf(base, 7200), 1e-12);
    });

    it("recovers the volatility of a regularly sampled GBM", function () {
      // 20,000 hourly returns at sigma = 80 %: sd of the variance error sqrt(2/N) = 1 %, tolerance 5 %.
      const n = 20_000;
      const sigma = 0.8;
      const dts = Array.from({ length: n }, () => 3600);
      const rounds = gbmRounds(dts, () => sigma, normals(mulberry32(42)));
      const tol = varianceTolerance(
        dts,
        dts.map(() => 1),
      );
      expect(tol).to.be.closeTo(5 * Math.sqrt(2 / n), 1e-12);
      expectVariance(sigmaOf(rounds, NO_DECAY), sigma, tol);
    });

    it("recovers the volatility of an irregularly sampled GBM", function () {
      // Intervals uniform in 1 s .. 2 h: time-scaling must make the uneven intervals irrelevant.
      const rand = mulberry32(2024);
      const dts = Array.from({ length: 20_000 }, () => 1 + Math.floor(rand() * 7200));
      const sigma = 0.45;
      const rounds = gbmRounds(dts, () => sigma, normals(mulberry32(99)));
      expectVariance(
        sigmaOf(rounds, NO_DECAY),
        sigma,
        varianceTolerance(
          dts,
          dts.map(() => 1),
        ),
      );
    });

    it("stays unbiased when the feed updates on a deviation threshold", function () {
      // A Chainlink-style feed: a fine GBM path (10 s steps, sigma 80 %) publishes a round when the
      // price moved 0.5 % since the last round or an hour passed. r^2 - sigma^2 dt has mean 0 at such
      // stopping times, so the error's sd is estimated by sqrt(sum (r^2 - sigma^2 dt)^2) / (sigma^2 sum dt).
      const sigma = 0.8;
      const step = 10;
      const threshold = 0.005;
      const heartbeat = 3600;
      const z = normals(mulberry32(31337));
      const perStep = sigma * Math.sqrt(step / SECONDS_PER_YEAR);
      const rounds: { logPrice: number; time: number }[] = [{ logPrice: Math.log(2500), time: 1_700_000_000 }];
      let logPrice = rounds[0].logPrice;
      for (let t = step; t <= 60 * 86_400; t += step) {
        logPrice += perStep * z() - (perStep * perStep) / 2;
        const last = rounds[rounds.length - 1];
        if (Math.abs(logPrice - last.logPrice) >= threshold || t + rounds[0].time - last.time >= heartbeat) {
          rounds.push({ logPrice, time: rounds[0].time + t });
        }
      }
      const feed = rounds.map((r) => ({ answer: answerOf(Math.exp(r.logPrice)), updatedAt: r.time }));
      const variancePerSecond = (sigma * sigma) / SECONDS_PER_YEAR;
      let sumDev2 = 0;
      let sumDt = 0;
      let naive = 0;
      for (let i = 1; i < rounds.length; i++) {
        const r = rounds[i].logPrice - rounds[i - 1].logPrice;
        const dt = rounds[i].time - rounds[i - 1].time;
        sumDev2 += (r * r - variancePerSecond * dt) ** 2;
        sumDt += dt;
        naive += (r * r) / dt / (rounds.length - 1);
      }
      const tol = (5 * Math.sqrt(sumDev2)) / (variancePerSecond * sumDt);
      expect(rounds.length, "enough rounds for a tight test").to.be.greaterThan(3000);
      expectVariance(sigmaOf(feed, NO_DECAY), sigma, tol);
      // The scenario has teeth: an unweighted mean of r^2/dt is biased here far beyond the tolerance.
      expect(Math.abs(naive / variancePerSecond - 1)).to.be.greaterThan(2 * tol);
    });

    it("forgets an old regime at the configured half-life", function () {
      // 30 days at 30 % then 5 days (20 half-lives of 6 h) at 120 %, one round a minute. The decayed
      // estimate must find 120 % (the old regime keeps 2^-20 of the weight); the undecayed one the
      // time-average variance (30 * 0.3^2 + 5 * 1.2^2) / 35.
      const dt = 60;
      const halfLife = 6 * 3600;
      const oldN = (30 * 86_400) / dt;
      const newN = (5 * 86_400) / dt;
      const dts = Array.from({ length: oldN + newN }, () => dt);
      const sigmaAt = (i: number): number => (i < oldN ? 0.3 : 1.2);
      const rounds = gbmRounds(dts, sigmaAt, normals(mulberry32(5)));

      const ages = dts.map((_, i) => (dts.length - 1 - i) * dt);
      const decayed = ages.map((age) => Math.pow(2, -age / halfLife));
      expectVariance(sigmaOf(rounds, halfLife), 1.2, varianceTolerance(dts, decayed));

      // Undecayed: each return's variance is sigma_i^2 dt, so use those as weights in the error's sd.
      const pooled = Math.sqrt((30 * 0.09 + 5 * 1.44) / 35);
      const varianceWeights = dts.map((_, i) => sigmaAt(i) ** 2 / pooled ** 2);
      expectVariance(sigmaOf(rounds, NO_DECAY), pooled, varianceTolerance(dts, varianceWeights));
    });
  });
});
