import { expect } from "chai";
import { Region, WAD } from "../../sdk/math";
import { defaultSkewParams } from "../../sim/config";
import { toAnswer } from "../../sim/feed";
import { applyKeeperParams } from "../../sim/keeper";
import { paramsOf, skewPool, SkewVenue } from "../../sim/skew";

/** The simulator's pool takes a keeper's k the way the chain does: at equilibrium only. */
describe("sim: a k change waits for equilibrium", function () {
  const TOKENS = { baseDecimals: 18, quoteDecimals: 6 };
  const fresh = () =>
    new SkewVenue(
      skewPool(TOKENS, 2500n * 10n ** 18n, 5_000_000n * 10n ** 6n, toAnswer(2000, 8), 8, defaultSkewParams(30)),
    );

  it("applies at once at equilibrium, fees and tau included", function () {
    const venue = fresh();
    const next = { ...paramsOf(venue.state), k: WAD / 2n, baseFee: 700n };
    applyKeeperParams(venue, next);
    expect(paramsOf(venue.state)).to.deep.equal(next);
    expect(venue.state.pendingK).to.equal(undefined);
  });

  it("queues k away from equilibrium and the swap that crosses it applies the queued k", function () {
    const venue = fresh();
    const before = paramsOf(venue.state);
    const sell = venue.quote("sellBase", 10n ** 18n);
    if (sell === null) throw new Error("no fill");
    venue.apply(sell);
    expect(venue.state.region).to.equal(Region.B);

    const newK = before.k + WAD / 10n;
    applyKeeperParams(venue, { ...before, k: newK, baseFee: 900n });
    expect(venue.state.k).to.equal(before.k); // still in force
    expect(venue.state.pendingK).to.equal(newK);
    expect(venue.state.baseFee).to.equal(900n); // fees apply at once

    // Asking for the k in force clears the queue; asking again re-queues it.
    applyKeeperParams(venue, { ...paramsOf(venue.state), k: before.k });
    expect(venue.state.pendingK).to.equal(undefined);
    applyKeeperParams(venue, { ...paramsOf(venue.state), k: newK });

    // A small buy of base stays in region B: nothing changes.
    const small = venue.quote("sellQuote", 10n * 10n ** 6n);
    if (small === null) throw new Error("no fill");
    venue.apply(small);
    expect(venue.state.region).to.equal(Region.B);
    expect(venue.state.k).to.equal(before.k);

    // A buy that crosses into region A applies the queued k.
    const cross = venue.quote("sellQuote", 10_000n * 10n ** 6n);
    if (cross === null) throw new Error("no fill");
    venue.apply(cross);
    expect(venue.state.region).to.equal(Region.A);
    expect(venue.state.k).to.equal(newK);
    expect(venue.state.pendingK).to.equal(undefined);
  });

  it("the pre-queue rule (kept to measure the queue's cost) applies k at once anywhere", function () {
    const pool = fresh().state;
    const venue = new SkewVenue(pool, "immediate");
    const sell = venue.quote("sellBase", 10n ** 18n);
    if (sell === null) throw new Error("no fill");
    venue.apply(sell);
    expect(venue.state.region).to.equal(Region.B);
    applyKeeperParams(venue, { ...paramsOf(venue.state), k: WAD / 5n });
    expect(venue.state.k).to.equal(WAD / 5n);
    expect(venue.state.pendingK).to.equal(undefined);
  });
});
