import { expect } from "chai";
import fc from "fast-check";
import path from "node:path";
import { existsSync } from "node:fs";
import { Fraction, sqrtFloor } from "../../spec/model/fraction";
import { IntervalField, TruncatedField, type Interval } from "../../spec/model/field";
import { Rules, type SwapInput } from "../../spec/model/rules";
import { exactSwap, publishedSwap, relativeGap } from "../../spec/model/exact";
import { loadVectorFile, swapInput, type VectorCase } from "../../spec/model/vector";

/**
 * The exact rational model of spec/model/: its pieces against hand-computed values and the design's
 * identities, then every case of the vector files, reproduced exactly (the published rationals digit
 * for digit, fee pips, net output floor, reverts).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const F = (n: bigint | number, d: bigint | number = 1) => new Fraction(BigInt(n), BigInt(d));
const contains = (iv: Interval, x: Fraction) => iv.lo.le(x) && x.le(iv.hi);

/** A pool state in the model's raw units (decimals 18/18), exact-in of `amountIn`. */
function input(over: Partial<SwapInput>): SwapInput {
  return {
    base: F(1000),
    quote: F(2000),
    baseTarget: F(1000),
    quoteTarget: F(2000),
    region: "ONE",
    price: F(2),
    k: F(0),
    baseFee: F(100),
    maxFee: F(10_100),
    tau: F(1, 100),
    feeFloor: F(0),
    surgeWidth: F(99, 100),
    side: "sellBase",
    amountIn: F(100),
    ...over,
  };
}

describe("exact model: fractions and square roots", function () {
  it("reduces, orders, floors and ceils exactly (negative values too)", function () {
    expect(F(6, -4).toString()).to.equal("-3/2");
    expect(F(-7, 2).floor()).to.equal(-4n);
    expect(F(-7, 2).ceil()).to.equal(-3n);
    expect(F(7, 2).floor()).to.equal(3n);
    expect(F(8, 2).ceil()).to.equal(4n);
    expect(F(1, 3).add(F(1, 6)).eq(F(1, 2))).to.equal(true);
    expect(F(1, 3).cmp(F(333, 1000))).to.equal(1);
    expect(Fraction.parse("10/4").eq(F(5, 2))).to.equal(true);
  });

  it("brackets every square root and is exact on squares of rationals", function () {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 10n ** 40n),
        fc.bigInt(1n, 10n ** 20n),
        fc.integer({ min: 1, max: 60 }),
        (n, d, digits) => {
          const x = F(n, d);
          const r = new IntervalField(digits).sqrt({ lo: x, hi: x });
          expect(r.lo.mul(r.lo).le(x), "lower bound").to.equal(true);
          expect(x.le(r.hi.mul(r.hi)), "upper bound").to.equal(true);
          expect(r.hi.sub(r.lo).le(F(1n, 10n ** BigInt(digits))), "width").to.equal(true);
          const sq = x.mul(x);
          const exact = new IntervalField(digits).sqrt({ lo: sq, hi: sq });
          expect(exact.lo.eq(x) && exact.hi.eq(x), "exact root of a square").to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("truncates roots to the given decimal places, like the published vectors", function () {
    expect(sqrtFloor(F(2), 5).toString()).to.equal("141421/100000");
    expect(new TruncatedField(3).sqrt(F(1, 4)).toString()).to.equal("1/2");
  });
});

describe("exact model: the rules", function () {
  it("prices a flat curve (k = 0) at p and integrates the surge rate along the path", function () {
    // 100 base at p = 2 pays 200 quote. The quote side's deficit grows 0 -> 200 of a target value
    // 2000 + 2 * 1000 = 4000: I from 0 to 1/20. Ramp from tau = 1/100, width 99/100:
    // h(1/20) = (4/100)^2 / (2 * 99/100) = 2/2475, mean 20 * 2/2475 = 8/495;
    // rate 100 + 10,000 * 8/495 = 25,900/99 = 261.6...; fee 200 * rate / 1e6.
    const r = exactSwap(input({}));
    if (r.revert) throw new Error("reverted");
    expect(contains(r.grossOut, F(200))).to.equal(true);
    expect(contains(r.imbalanceAfter, F(1, 20))).to.equal(true);
    expect(contains(r.feePipsExact, F(25_900, 99))).to.equal(true);
    expect(contains(r.fee, F(200 * 25_900, 99 * 1_000_000))).to.equal(true);
    expect(r.feePips).to.equal(262n);
    expect(r.netOutFloor).to.equal(199n); // 200 - 0.0523
  });

  it("charges the base fee while the imbalance stays under tau, and the ramp's mean past it", function () {
    const atTau = exactSwap(input({ tau: F(1, 20) })); // imbalance after = 1/20 exactly
    if (atTau.revert) throw new Error("reverted");
    expect(atTau.feePips).to.equal(100n);
    expect(contains(atTau.feePipsExact, F(100))).to.equal(true);
    // A narrower fee range: 100 + 300 * 8/495 = 3460/33 = 104.8..., charged as 105.
    const ramp = exactSwap(input({ maxFee: F(400) }));
    if (ramp.revert) throw new Error("reverted");
    expect(contains(ramp.feePipsExact, F(3460, 33))).to.equal(true);
    expect(ramp.feePips).to.equal(105n);
    // Past the ramp the rate is maxFee: tau 0, width 1/100, I over [0, 1/20]:
    // mean = (1/200 + 4/100) / (1/20) = 9/10; rate 100 + 10,000 * 9/10 = 9,100.
    const past = exactSwap(input({ tau: F(0), surgeWidth: F(1, 100) }));
    if (past.revert) throw new Error("reverted");
    expect(contains(past.feePipsExact, F(9100))).to.equal(true);
  });

  it("makes the fee additive: two halves pay exactly the whole swap's fee", function () {
    const whole = publishedSwap(input({}));
    const first = publishedSwap(input({ amountIn: F(50) }));
    if (whole.revert || first.revert) throw new Error("reverted");
    // After the first half: 1050 base, 1900 quote, region B (the quote side short, base long at 1000).
    const second = publishedSwap(
      input({ base: F(1050), quote: F(1900), baseTarget: F(1000), region: "B", amountIn: F(50) }),
    );
    if (second.revert) throw new Error("reverted");
    expect(first.grossOut.add(second.grossOut).eq(whole.grossOut)).to.equal(true);
    expect(first.fee.add(second.fee).toString()).to.equal(whole.fee.toString());
  });

  it("charges away volume at least the floor, and toward volume the base fee", function () {
    const away = exactSwap(input({ feeFloor: F(9600), tau: F(1, 2) }));
    if (away.revert) throw new Error("reverted");
    expect(contains(away.feePipsExact, F(9600))).to.equal(true);
    // Region A (base short by 100 at p = 2): selling 40 base moves toward the target.
    const toward = exactSwap(
      input({ region: "A", base: F(900), quote: F(2200), baseTarget: F(1000), amountIn: F(40), feeFloor: F(9600) }),
    );
    if (toward.revert) throw new Error("reverted");
    expect(toward.path).to.equal("toward");
    expect(contains(toward.feePipsExact, F(100))).to.equal(true);
  });

  it("is constant product around p at k = 1", function () {
    // Falling root at k = 1: R2 = T^2 / (pay + T); out = T pay / (T + pay) = 2000 * 200 / 2200.
    const r = exactSwap(input({ k: F(1) }));
    if (r.revert) throw new Error("reverted");
    expect(contains(r.grossOut, F(2000, 11))).to.equal(true);
  });

  it("reaches equilibrium exactly, then crosses into the other region", function () {
    // Region A at k = 0: quote surplus 200 = 100 base at p = 2, so B0 = 900 + 100.
    const a = input({ region: "A", base: F(900), quote: F(2200), baseTarget: F(1000), amountIn: F(100) });
    const eq = exactSwap(a);
    if (eq.revert) throw new Error("reverted");
    expect(eq.path).to.equal("equilibrium");
    expect(contains(eq.grossOut, F(200))).to.equal(true);
    expect(contains(eq.imbalanceAfter, F(0))).to.equal(true);
    const cross = exactSwap({ ...a, amountIn: F(150) });
    if (cross.revert) throw new Error("reverted");
    expect(cross.path).to.equal("crossing");
    expect(contains(cross.grossOut, F(300))).to.equal(true); // 200 surplus + 50 base * 2
    const toward = exactSwap({ ...a, amountIn: F(40) });
    expect(toward.path).to.equal("toward");
  });

  it("refuses to drain a reserve: exactly the whole reserve reverts, a wei less does not", function () {
    expect(exactSwap(input({ amountIn: F(1000) })).revert).to.equal(true); // 1000 base = all 2000 quote
    expect(exactSwap(input({ amountIn: F(999) })).revert).to.equal(false);
  });

  it("derives the short target so that reaching it costs exactly the long side's surplus", function () {
    // DESIGN §1: leg(T, R, T) = d, for every k in (0, 1].
    fc.assert(
      fc.property(fc.bigInt(1n, 10n ** 30n), fc.bigInt(1n, 10n ** 30n), fc.bigInt(1n, 10n ** 18n), (r, d, kWad) => {
        const k = F(kWad, 10n ** 18n);
        const field = new IntervalField(120);
        const rules = new Rules(field);
        const [R, D] = [field.of(F(r)), field.of(F(d))];
        const t = rules.shortTarget(R, D, k);
        const got = rules.leg(t, R, t, k);
        expect(relativeGap(F(d), got).le(F(1n, 10n ** 30n)), "leg(T, R, T) = d").to.equal(true);
      }),
      { numRuns: Math.min(RUNS, 300) },
    );
  });

  it("inverts the leg: the falling root pays back exactly the payment", function () {
    fc.assert(
      fc.property(
        fc.bigInt(10n ** 6n, 10n ** 30n),
        fc.integer({ min: 100, max: 10_000 }),
        fc.bigInt(1n, 10n ** 30n),
        fc.bigInt(0n, 10n ** 18n),
        (t, permille, pay, kWad) => {
          const k = F(kWad, 10n ** 18n);
          const field = new IntervalField(120);
          const rules = new Rules(field);
          const [T, P] = [field.of(F(t)), field.of(F(pay))];
          const r1 = field.of(F(t * BigInt(permille), 10_000n)); // at or below the target
          const r2 = rules.falling(T, r1, P, k);
          if (field.cmp(r2, field.of(Fraction.ZERO)) <= 0) return; // drained (k = 0 only)
          const cost = rules.leg(T, r1, r2, k);
          expect(relativeGap(F(pay), cost).le(F(1n, 10n ** 40n)), "leg(T, R1, R2) = pay").to.equal(true);
        },
      ),
      { numRuns: Math.min(RUNS, 300) },
    );
  });
});

/** Every case of a vector file against the model; `dust` is the file's dust rule (spec/vectors/README.md). */
function reproduces(file: string, cases: VectorCase[], dust: unknown) {
  for (const [i, c] of cases.entries()) {
    const label = `${path.basename(file)} #${i} ${c.group ?? c.state.region} ${c.side} k=${c.state.kWad}`;
    it(label, function () {
      const s = swapInput(c);
      const exact = exactSwap(s, 120);
      const pub = publishedSwap(s);
      if ("revert" in c.expect) {
        if (dust === "revert" && !exact.revert && exact.netOutFloor === 0n) return; // refused dust
        expect(exact.revert, "exact math reverts").to.equal(true);
        expect(pub.revert, "published convention reverts").to.equal(true);
        return;
      }
      if (exact.revert || pub.revert) throw new Error("the model reverts where the vector quotes");
      const e = c.expect;
      expect(BigInt(e.feePips), "feePips").to.equal(exact.feePips);
      expect(BigInt(e.netOutFloor), "netOutFloor").to.equal(exact.netOutFloor);
      for (const key of ["grossOut", "imbalanceBefore", "imbalanceAfter", "feePipsExact"] as const) {
        const want = Fraction.parse(e[key]);
        expect(pub[key].toString(), `${key}: published rational`).to.equal(want.toString());
        const gap = relativeGap(want, exact[key]);
        expect(gap.le(F(1n, 10n ** 70n)), `${key}: ${gap.toDecimal()} from exact`).to.equal(true);
      }
      expect(e.fee, "the exact fee is published").to.be.a("string");
      expect(pub.fee.toString(), "fee: published rational").to.equal(Fraction.parse(e.fee ?? "0").toString());
    });
  }
}

for (const name of ["swaps.json", "edge-swaps.json"]) {
  const file = path.resolve(__dirname, "../../spec/vectors", name);
  if (!existsSync(file)) continue;
  describe(`exact model reproduces spec/vectors/${name}`, function () {
    const vectors = loadVectorFile(file);
    reproduces(file, vectors.cases, vectors.generator?.dust);
  });
}
