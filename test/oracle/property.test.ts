/**
 * Property: over random sequences of feed rounds (moves at, just beyond and far beyond the bound, gaps,
 * incomplete and future rounds, answers out of bounds, new phases), guardian clears, sequencer changes,
 * broken feeds and waits, the oracle answers a price exactly when every rule holds, and otherwise reverts
 * with the first broken rule's error. The rules are restated here from their definition (a round is
 * usable if it is past its cool-down, or cleared, or moved at most the bound from a usable round before
 * it, at most MAX_LOOKBACK rounds back), independently of the contract's walk.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import type { MockAggregator } from "../../typechain-types";
import { FEED_DECIMALS, PIPS, PRICE } from "../pool/fixtures";
import { MAX_LOOKBACK, oracleFixture, OracleCtx, Reason } from "./fixtures";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

interface ModelRound {
  answer: bigint;
  updatedAt: bigint;
  answeredInRound: bigint; // the aggregator's own id (no phase)
}

type Event =
  | { kind: "round"; dt: number; move: "atBound" | "beyond" | "small" | "large"; up: boolean; variant: Variant }
  | { kind: "wait"; dt: number }
  | { kind: "clear" }
  | { kind: "sequencer"; down: boolean; upFor: number }
  | { kind: "phase" }
  | { kind: "broken"; broken: boolean };
type Variant = "normal" | "gap" | "incomplete" | "future" | "answeredEarlier" | "outOfBounds";

interface Settings {
  maxMove: bigint;
  coolDown: bigint;
  minAnswer: bigint;
  maxAnswer: bigint;
  sequencer: boolean;
  grace: bigint;
}

const settingsArb: fc.Arbitrary<Settings> = fc.record({
  maxMove: fc.constantFrom(100n, 10_000n, 50_000n),
  coolDown: fc.constantFrom(60n, 900n),
  minAnswer: fc.constantFrom(1n, (PRICE * 9n) / 10n),
  maxAnswer: fc.constantFrom((PRICE * 11n) / 10n, 10n ** 20n),
  sequencer: fc.boolean(),
  grace: fc.constantFrom(0n, 600n),
});

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("round" as const),
      dt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 })),
      move: fc.constantFrom("atBound" as const, "beyond" as const, "small" as const, "large" as const),
      up: fc.boolean(),
      variant: fc.oneof(
        { weight: 12, arbitrary: fc.constant("normal" as const) },
        {
          weight: 5,
          arbitrary: fc.constantFrom(
            "gap" as const,
            "incomplete" as const,
            "future" as const,
            "answeredEarlier" as const,
            "outOfBounds" as const,
          ),
        },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), dt: fc.integer({ min: 1, max: 2_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("sequencer" as const),
      down: fc.boolean(),
      upFor: fc.integer({ min: 0, max: 1_300 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("phase" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("broken" as const), broken: fc.boolean() }) },
);

/** What the oracle must do now: answer, or revert with this error and these arguments. */
type Expected = { usable: true } | { usable: false; error: string; args?: unknown[]; passThrough?: boolean };

class Model {
  /** Rounds of each phase's aggregator, by the aggregator's own id. */
  phases: Map<bigint, ModelRound>[] = [new Map()];
  latest: bigint[] = [1n];
  broken: boolean[] = [false];
  cleared: { id: bigint; updatedAt: bigint } | null = null;
  seq = { answer: 0n, startedAt: 0n };

  constructor(
    readonly s: Settings,
    first: ModelRound,
  ) {
    this.phases[0].set(1n, first);
  }

  get phase(): bigint {
    return BigInt(this.phases.length); // phases are 1-based
  }

  fullId(phase: bigint, id: bigint): bigint {
    return (phase << 64n) | id;
  }

  round(full: bigint): ModelRound | undefined {
    const phase = full >> 64n;
    if (phase < 1n || phase > this.phase) return undefined;
    return this.phases[Number(phase) - 1].get(full & ((1n << 64n) - 1n));
  }

  wellFormed(r: ModelRound, id: bigint, now: bigint): boolean {
    return r.updatedAt !== 0n && r.answeredInRound >= id && r.updatedAt <= now;
  }

  inBounds(a: bigint): boolean {
    return a >= this.s.minAnswer && a <= this.s.maxAnswer;
  }

  /** Is the round `full` usable as far as the breaker goes, at `now`, with `depth` rounds read back so far? */
  breaker(full: bigint, now: bigint, depth: number): { ok: boolean; from: bigint; failedAt: bigint } {
    const r = this.round(full)!;
    const anchor =
      now >= r.updatedAt + this.s.coolDown ||
      (this.cleared !== null && this.cleared.id === full && this.cleared.updatedAt === r.updatedAt);
    if (anchor) return { ok: true, from: 0n, failedAt: 0n };
    const fail = (from: bigint) => ({ ok: false, from, failedAt: r.updatedAt });
    if (depth === MAX_LOOKBACK) return fail(0n);
    const local = full & ((1n << 64n) - 1n);
    if (local <= 1n) return fail(0n);
    const prev = this.round(full - 1n);
    if (prev === undefined || !this.wellFormed(prev, local - 1n, now) || prev.updatedAt > r.updatedAt) return fail(0n);
    if (!this.inBounds(prev.answer)) return fail(0n);
    const diff = r.answer > prev.answer ? r.answer - prev.answer : prev.answer - r.answer;
    if (diff * PIPS > prev.answer * this.s.maxMove) return fail(prev.answer);
    return this.breaker(full - 1n, now, depth + 1);
  }

  expected(now: bigint): Expected {
    if (this.s.sequencer) {
      const { answer, startedAt } = this.seq;
      if (answer !== 0n || startedAt === 0n || startedAt > now) return { usable: false, error: "SequencerDown" };
      if (now < startedAt + this.s.grace) {
        return { usable: false, error: "SequencerGracePeriod", args: [startedAt + this.s.grace] };
      }
    }
    const p = Number(this.phase) - 1;
    if (this.broken[p]) return { usable: false, error: "OracleSourceUnavailable" };
    const full = this.fullId(this.phase, this.latest[p]);
    const r = this.round(full)!;
    if (!this.wellFormed(r, this.latest[p], now)) return { usable: false, error: "InvalidRound", passThrough: true };
    if (!this.inBounds(r.answer)) {
      return { usable: false, error: "AnswerOutOfBounds", args: [r.answer, this.s.minAnswer, this.s.maxAnswer] };
    }
    const b = this.breaker(full, now, 0);
    if (b.ok) return { usable: true };
    return { usable: false, error: "CircuitBreakerTripped", args: [r.answer, b.from, b.failedAt + this.s.coolDown] };
  }
}

interface PropCtx extends OracleCtx {
  spare: MockAggregator[];
}

async function propFixture(): Promise<PropCtx> {
  const ctx = await oracleFixture();
  const spare: MockAggregator[] = [];
  for (let i = 0; i < 3; i++) {
    spare.push((await ethers.deployContract("MockAggregator", [FEED_DECIMALS, PRICE])) as unknown as MockAggregator);
  }
  return { ...ctx, spare };
}

describe("OracleGuard property: answers only when every rule holds", function () {
  it(`matches the rules over random round sequences (${RUNS} runs)`, async function () {
    const ctx = await loadFixture(propFixture);
    const base = await takeSnapshot();
    const [, firstAnswer, , firstUpdatedAt, firstAnswered] = await ctx.aggregator.getRoundData(1n);
    const spareFirst: ModelRound[] = [];
    for (const a of ctx.spare) {
      const [, answer, , updatedAt, answeredInRound] = await a.getRoundData(1n);
      spareFirst.push({ answer, updatedAt, answeredInRound });
    }
    const counts: Record<string, number> = {};
    let done = 0;

    await fc.assert(
      fc.asyncProperty(settingsArb, fc.array(eventArb, { minLength: 1, maxLength: 10 }), async (s, events) => {
        await base.restore();
        const o = ctx.oracle;
        await o.setMaxMove(s.maxMove);
        await o.setCoolDown(s.coolDown);
        await o.setAnswerBounds(s.minAnswer, s.maxAnswer);
        const m = new Model(s, { answer: firstAnswer, updatedAt: firstUpdatedAt, answeredInRound: firstAnswered });
        if (s.sequencer) {
          await o.setSequencerFeed(await ctx.sequencer.getAddress(), s.grace);
          const [, answer, startedAt] = await ctx.sequencer.latestRoundData();
          m.seq = { answer, startedAt };
        }
        let agg = ctx.aggregator;
        let lastGood = PRICE;

        for (const e of events) {
          const p = Number(m.phase) - 1;
          if (e.kind === "wait") await time.increase(e.dt);
          else if (e.kind === "broken") {
            await agg.setBroken(e.broken);
            m.broken[p] = e.broken;
          } else if (e.kind === "sequencer") {
            const startedAt = BigInt(await time.latest()) - BigInt(e.upFor);
            await ctx.sequencer.setStatus(e.down ? 1n : 0n, startedAt);
            m.seq = { answer: e.down ? 1n : 0n, startedAt };
          } else if (e.kind === "phase") {
            if (m.phases.length > ctx.spare.length) continue;
            agg = ctx.spare[m.phases.length - 1];
            await ctx.feed.setAggregator(await agg.getAddress());
            m.phases.push(new Map([[1n, spareFirst[m.phases.length - 1]]]));
            m.latest.push(1n);
            m.broken.push(false);
          } else if (e.kind === "clear") {
            const id = m.fullId(m.phase, m.latest[p]);
            const now = BigInt(await time.latest()) + 1n;
            await time.setNextBlockTimestamp(now);
            const r = m.round(id)!;
            const call = o.connect(ctx.guardian).clearBreaker(id);
            if (m.broken[p]) await expect(call).to.be.revertedWithCustomError(o, "OracleSourceUnavailable");
            else if (!m.wellFormed(r, m.latest[p], now)) {
              await expect(call).to.be.revertedWithCustomError(o, "CannotClearInvalidRound");
            } else {
              await call;
              m.cleared = { id, updatedAt: r.updatedAt };
            }
          } else {
            if (e.dt > 0) await time.increase(e.dt);
            if (m.broken[p]) {
              await agg.setBroken(false);
              m.broken[p] = false;
            }
            const step = (lastGood * s.maxMove) / PIPS;
            const size = {
              atBound: step,
              beyond: step + 1n,
              small: step / 3n,
              large: 3n * step + 1n,
            }[e.move];
            let answer = e.up ? lastGood + size : lastGood - size;
            if (e.variant === "outOfBounds") answer = e.up ? s.maxAnswer + 1n : s.minAnswer - 1n;
            const T = BigInt(await time.latest());
            let id = m.latest[p] + 1n;
            let r: ModelRound;
            if (e.variant === "normal" || e.variant === "outOfBounds") {
              await agg.setAnswer(answer);
              r = { answer, updatedAt: BigInt(await time.latest()), answeredInRound: id };
            } else {
              if (e.variant === "gap") id += 1n;
              r = {
                answer,
                updatedAt: e.variant === "incomplete" ? 0n : e.variant === "future" ? T + 1_000n : T,
                answeredInRound: e.variant === "answeredEarlier" ? id - 1n : id,
              };
              await agg.setRound(id, answer, T, r.updatedAt, r.answeredInRound);
            }
            m.phases[p].set(id, r);
            m.latest[p] = id;
            if (r.updatedAt !== 0n && r.answeredInRound >= id && answer > 0n) lastGood = answer;
          }

          const now = BigInt(await time.latest());
          const want = m.expected(now);
          counts[want.usable ? "Usable" : want.error] = (counts[want.usable ? "Usable" : want.error] ?? 0) + 1;
          const st = await o.status();
          expect(st.usable).to.equal(want.usable);
          const reason = want.usable
            ? "Usable"
            : want.error === "OracleSourceUnavailable"
              ? "SourceUnavailable"
              : want.error;
          expect(st.reason).to.equal(Reason[reason as keyof typeof Reason]);
          if (want.usable || want.passThrough) {
            expect(await o.latestRoundData()).to.deep.equal(await ctx.feed.latestRoundData());
          } else {
            const a = expect(o.latestRoundData()).to.be.revertedWithCustomError(o, want.error);
            await (want.args ? a.withArgs(...want.args) : a);
          }
        }
        if (++done % 100 === 0) console.log(`      ${done} runs`);
      }),
      { numRuns: RUNS },
    );
    console.log(`      outcomes checked: ${JSON.stringify(counts)}`);
    // Every rule was exercised both ways.
    for (const k of ["Usable", "CircuitBreakerTripped", "AnswerOutOfBounds", "SequencerDown", "InvalidRound"]) {
      expect(counts[k] ?? 0, k).to.be.gt(0);
    }
  });
});
