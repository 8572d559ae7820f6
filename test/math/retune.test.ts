import { expect } from "chai";
import fc from "fast-check";
import { PoolMath, Region, SwapSide, WAD } from "../../sdk/math";
import { poolArb, sideArb } from "../helpers/arbitraries";
import { clampK, equilibriumValue, poolValue, remarkK, requestK, sizeOf, TraderBook } from "../helpers/retune";

/**
 * Issue 10 on the SDK's math model (wei-exact mirror of the pool; test/pool/retune.test.ts checks chain =
 * model): no sequence of trades around a change of k, fees or tau, by anyone, gains more at the oracle
 * price than the premium V(S) - E(S) the pool held before it, which is 0 from equilibrium (DESIGN.md §4).
 * PROPERTY_RUNS (default 1,000) runs per property; pools of decimals 6/8/18, k in [0, 1], regions A, B, ONE.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const other = (s: SwapSide): SwapSide => (s === "sellBase" ? "sellQuote" : "sellBase");
const clampWad = (x: bigint) => (x < 0n ? 0n : x > WAD ? WAD : x);

/**
 * One raw unit of each token at the oracle price. E is a measurement: the derived short target is
 * floored to a scaled unit, and reserves move by whole raw units, so across a swap E can read lower by a
 * fraction of a raw unit, or a few scaled units of 18-decimal tokens (seen: up to one scaled unit of
 * each plus a hair): two raw units of each is the allowance. The properties that bound what a trader takes count tokens, not E, and allow no slack.
 */
const measureSlack = (p: PoolMath) => 2n * (p.baseScale * p.price.num + p.quoteScale * p.price.den);

/** The premium the pool holds above its equilibrium value: what any trader could take anyway. */
const premium = (p: PoolMath) => poolValue(p) - equilibriumValue(p);

/** A trade split into `chunks` equal parts worth `permille` of the output side in total. */
const legArb = fc.record({
  side: sideArb,
  permille: fc.integer({ min: 0, max: 900 }),
  chunks: fc.integer({ min: 1, max: 20 }),
});
type Leg = { side: SwapSide; permille: number; chunks: number };

/** Trades a leg in chunks. */
function trade(book: TraderBook, p: PoolMath, leg: Leg): PoolMath {
  const total = sizeOf(p, leg.side, leg.permille);
  const chunk = total / BigInt(leg.chunks);
  for (let i = 0; i < leg.chunks; i++) p = book.swap(p, leg.side, chunk);
  return p;
}

/**
 * The attacker's way out after the update: sell back, in chunks, the base or quote the front-run bought
 * (optionally only a part), then any extra trades.
 */
const backArb = fc.record({
  unwindPermille: fc.integer({ min: 0, max: 1200 }),
  chunks: fc.integer({ min: 1, max: 20 }),
  extra: fc.array(legArb, { maxLength: 3 }),
});
type Back = { unwindPermille: number; chunks: number; extra: Leg[] };

function unwind(book: TraderBook, p: PoolMath, front: Leg, bought: bigint, back: Back): PoolMath {
  const side = other(front.side);
  const chunk = (bought * BigInt(back.unwindPermille)) / 1000n / BigInt(back.chunks);
  for (let i = 0; i < back.chunks; i++) p = book.swap(p, side, chunk);
  for (const leg of back.extra) p = trade(book, p, leg);
  return p;
}

/** A start state: a random pool (any region), sometimes with a k queued by an earlier update. */
const startArb = fc
  .record({ pool: poolArb(), queued: fc.option(fc.bigInt(0n, WAD), { freq: 3 }) })
  .map(({ pool, queued }) => (queued === null ? pool : requestK(pool, queued)));

/** An update the keeper may send: k within a step of the k in force, and sometimes new fees and tau. */
const keeperUpdateArb = fc.record({
  step: fc.oneof(fc.constant(WAD / 10n), fc.bigInt(1n, WAD / 5n)),
  towards: fc.bigInt(-WAD, WAD),
  fees: fc.option(
    fc.record({ baseFee: fc.bigInt(0n, 10_000n), surge: fc.bigInt(0n, 100_000n), tau: fc.bigInt(0n, WAD - 1n) }),
  ),
});
type KeeperUpdate = { step: bigint; towards: bigint; fees: { baseFee: bigint; surge: bigint; tau: bigint } | null };

function keeperUpdate(p: PoolMath, u: KeeperUpdate): PoolMath {
  const delta = u.towards % (u.step + 1n);
  let next = requestK(p, clampWad(p.k + delta));
  if (u.fees !== null)
    next = { ...next, baseFee: u.fees.baseFee, maxFee: u.fees.baseFee + u.fees.surge, tau: u.fees.tau };
  return next;
}

/** The units of the book's gain for messages: whole quote tokens. */
const inQuote = (p: PoolMath, x: bigint) => Number(x / p.price.den) / 1e18;

describe("retuning without re-marking: the SDK model", function () {
  this.timeout(0);

  it(`a sandwich around any allowed keeper update gains at most the premium V - E (${RUNS} runs)`, function () {
    const stats = { regions: [0, 0, 0], queuedAtUpdate: 0, applied: 0, swaps: 0 };
    fc.assert(
      fc.property(startArb, legArb, keeperUpdateArb, backArb, (start, front, update, back) => {
        stats.regions[start.region]++;
        const book = new TraderBook();
        let p = trade(book, start, front);
        const bought = front.side === "sellQuote" ? p.baseReserve : p.quoteReserve;
        const acquired = (front.side === "sellQuote" ? start.baseReserve : start.quoteReserve) - bought;
        p = keeperUpdate(p, update);
        if (p.pendingK !== undefined) stats.queuedAtUpdate++;
        const queued = p.pendingK;
        p = unwind(book, p, front, acquired > 0n ? acquired : 0n, back);
        if (queued !== undefined && p.pendingK === undefined) stats.applied++;
        stats.swaps += book.swaps;
        const bound = premium(start);
        expect(book.gain <= bound, `gain ${inQuote(start, book.gain)} > premium ${inQuote(start, bound)}`).to.equal(
          true,
        );
      }),
      { numRuns: RUNS },
    );
    console.log(
      `      start regions ONE/A/B ${stats.regions.join("/")}, k queued at the update ${stats.queuedAtUpdate}, ` +
        `applied by the back-run ${stats.applied}, swaps ${stats.swaps}`,
    );
    if (RUNS >= 500) {
      expect(Math.min(stats.regions[Region.A], stats.regions[Region.B])).to.be.greaterThan(RUNS / 5);
      expect(stats.applied).to.be.greaterThan(RUNS / 50);
    }
  });

  it(`from equilibrium, a sandwich around any keeper update gains nothing (${RUNS} runs)`, function () {
    fc.assert(
      fc.property(poolArb(), legArb, keeperUpdateArb, backArb, (pool, front, update, back) => {
        const start: PoolMath = {
          ...pool,
          baseReserve: pool.baseReserve,
          quoteReserve: pool.quoteReserve,
          baseTarget: pool.baseReserve * pool.baseScale,
          quoteTarget: pool.quoteReserve * pool.quoteScale,
          region: Region.ONE,
        };
        const book = new TraderBook();
        let p = trade(book, start, front);
        const held =
          front.side === "sellQuote" ? start.baseReserve - p.baseReserve : start.quoteReserve - p.quoteReserve;
        p = keeperUpdate(p, update);
        unwind(book, p, front, held > 0n ? held : 0n, back);
        expect(book.gain <= 0n, `gain ${inQuote(start, book.gain)} from equilibrium`).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`a sandwich around an admin setBounds that clamps k gains at most the premium (${RUNS} runs)`, function () {
    const boundsArb = fc.tuple(fc.bigInt(0n, WAD), fc.bigInt(0n, WAD)).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
    let clamped = 0;
    fc.assert(
      fc.property(startArb, legArb, boundsArb, backArb, (start, front, [kMin, kMax], back) => {
        const book = new TraderBook();
        let p = trade(book, start, front);
        const held =
          front.side === "sellQuote" ? start.baseReserve - p.baseReserve : start.quoteReserve - p.quoteReserve;
        const before = p;
        p = clampK(p, kMin, kMax);
        if (p !== before) clamped++;
        unwind(book, p, front, held > 0n ? held : 0n, back);
        expect(book.gain <= premium(start), `gain ${inQuote(start, book.gain)}`).to.equal(true);
      }),
      { numRuns: RUNS },
    );
    if (RUNS >= 500) expect(clamped).to.be.greaterThan(RUNS / 4);
  });

  it(`fee, tau, fee floor and surge width changes apply at once and cannot be exploited either (${RUNS} runs)`, function () {
    const feesArb = fc.record({
      baseFee: fc.bigInt(0n, 999_999n),
      surge: fc.bigInt(0n, 999_999n),
      tau: fc.bigInt(0n, WAD - 1n),
      feeFloor: fc.bigInt(0n, 999_999n),
      surgeWidth: fc.bigInt(1n, WAD),
    });
    fc.assert(
      fc.property(startArb, legArb, feesArb, backArb, (start, front, fees, back) => {
        const book = new TraderBook();
        let p = trade(book, start, front);
        const held =
          front.side === "sellQuote" ? start.baseReserve - p.baseReserve : start.quoteReserve - p.quoteReserve;
        const maxFee = fees.baseFee + fees.surge > 999_999n ? 999_999n : fees.baseFee + fees.surge;
        p = {
          ...p,
          baseFee: fees.baseFee,
          maxFee,
          tau: fees.tau,
          feeFloor: fees.feeFloor,
          surgeWidth: fees.surgeWidth,
        };
        unwind(book, p, front, held > 0n ? held : 0n, back);
        expect(book.gain <= premium(start), `gain ${inQuote(start, book.gain)}`).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`a malicious keeper trading around 40 updates in a row inside its bounds takes nothing (${RUNS} runs)`, function () {
    const roundArb = fc.record({ before: legArb, after: legArb, update: keeperUpdateArb });
    let crossings = 0;
    fc.assert(
      fc.property(
        poolArb(),
        fc.array(roundArb, { minLength: 40, maxLength: 40 }),
        fc.tuple(fc.bigInt(0n, WAD), fc.bigInt(0n, WAD / 5n)),
        (pool, rounds, [lo, width]) => {
          // Start at equilibrium with k inside the keeper's bounds [kMin, kMax].
          const kMin = lo;
          const kMax = clampWad(lo + width);
          let p: PoolMath = {
            ...pool,
            baseTarget: pool.baseReserve * pool.baseScale,
            quoteTarget: pool.quoteReserve * pool.quoteScale,
            region: Region.ONE,
            k: kMin,
          };
          const start = p;
          const book = new TraderBook();
          for (const r of rounds) {
            p = trade(book, p, { ...r.before, chunks: Math.min(r.before.chunks, 3) });
            // The keeper toggles between its bounds (the largest moves it may make), or moves at random.
            const target =
              r.update.towards % 3n === 0n
                ? p.k === kMin
                  ? kMax
                  : kMin
                : clampWad(p.k + (r.update.towards % (width + 1n)));
            const k = target < kMin ? kMin : target > kMax ? kMax : target;
            const region = p.region;
            p = requestK(p, k);
            if (r.update.fees !== null) {
              p = {
                ...p,
                baseFee: r.update.fees.baseFee,
                maxFee: r.update.fees.baseFee + r.update.fees.surge,
                tau: r.update.fees.tau,
              };
            }
            const before = p.region;
            p = trade(book, p, { ...r.after, chunks: Math.min(r.after.chunks, 3) });
            if (region !== Region.ONE && p.region !== before) crossings++;
          }
          expect(book.gain <= 0n, `campaign gained ${inQuote(start, book.gain)}`).to.equal(true);
          // And the pool's value never fell below its starting equilibrium value.
          expect(poolValue(p) >= equilibriumValue(start)).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
    if (RUNS >= 500) expect(crossings).to.be.greaterThan(RUNS / 10);
  });

  it(`E never decreases: over swaps, k requests and clamps (${RUNS} runs)`, function () {
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant("swap" as const), leg: legArb }),
      fc.record({ kind: fc.constant("k" as const), k: fc.bigInt(0n, WAD) }),
      fc.record({ kind: fc.constant("bounds" as const), lo: fc.bigInt(0n, WAD), hi: fc.bigInt(0n, WAD) }),
    );
    fc.assert(
      fc.property(startArb, fc.array(opArb, { minLength: 1, maxLength: 12 }), (start, ops) => {
        let p = start;
        const book = new TraderBook();
        for (const op of ops) {
          const e0 = equilibriumValue(p);
          if (op.kind === "swap") p = trade(book, p, { ...op.leg, chunks: 1 });
          else if (op.kind === "k") p = requestK(p, op.k);
          else p = clampK(p, op.lo < op.hi ? op.lo : op.hi, op.lo < op.hi ? op.hi : op.lo);
          const e1 = equilibriumValue(p);
          // Within the measurement rounding of E (see measureSlack).
          expect(e1 + measureSlack(p) >= e0, `${op.kind}: E ${e0} -> ${e1}`).to.equal(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("the issue's sandwich (k 0.2 -> 0.3, 20 chunks) took value when k re-priced the pool, and takes none now", function () {
    // WETH/USDC of scripts/config/localhost.json: 1,000 WETH + 2,000,000 USDC at 2,000, fees 500/5,000, tau 0.1.
    const pool: PoolMath = {
      baseReserve: 1000n * WAD,
      quoteReserve: 2_000_000n * 10n ** 6n,
      baseTarget: 1000n * WAD,
      quoteTarget: 2_000_000n * WAD,
      region: Region.ONE,
      baseScale: 1n,
      quoteScale: 10n ** 12n,
      price: { num: 2000n * 10n ** 8n, den: 10n ** 8n },
      k: WAD / 5n,
      baseFee: 500n,
      maxFee: 5000n,
      tau: WAD / 10n,
      protocolShare: 0n,
    };
    const sandwich = (update: (p: PoolMath, k: bigint) => PoolMath, usdcIn: bigint, from: bigint, to: bigint) => {
      const book = new TraderBook();
      let p = { ...pool, k: from };
      for (let i = 0; i < 20; i++) p = book.swap(p, "sellQuote", usdcIn / 20n);
      const weth = pool.baseReserve - p.baseReserve;
      p = update(p, to);
      for (let i = 0; i < 20; i++) p = book.swap(p, "sellBase", weth / 20n);
      return book.gain / pool.price.den / 10n ** 12n; // scaled quote units -> raw USDC (6 decimals)
    };
    const rows: string[] = [];
    let worstRemark = 0n;
    for (const [from, to] of [
      [WAD / 5n, (WAD * 3n) / 10n],
      [0n, WAD / 10n],
      [(WAD * 3n) / 10n, WAD / 5n],
    ]) {
      for (const usdc of [300_000n, 600_000n, 1_000_000n, 1_500_000n]) {
        const usdcIn = usdc * 10n ** 6n;
        const remarked = sandwich(remarkK, usdcIn, from, to);
        const queued = sandwich(requestK, usdcIn, from, to);
        rows.push(
          `k ${Number(from) / 1e18}->${Number(to) / 1e18}, ${usdc} USDC in: re-marking ${remarked}, queue ${queued}`,
        );
        if (remarked > worstRemark) worstRemark = remarked;
        expect(queued <= 0n, rows[rows.length - 1]).to.equal(true);
      }
    }
    console.log(`      gains in raw USDC (6 decimals):\n      ${rows.join("\n      ")}`);
    // The test can fail: re-marking (the old rule) hands the attacker a large share of the pool.
    expect(worstRemark > 40_000n * 10n ** 6n, `worst re-marking gain ${worstRemark}`).to.equal(true);
  });
});
