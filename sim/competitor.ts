/**
 * The venue a scenario's noise orders may leave for: a constant-product pool, a
 * concentrated-liquidity pool, or a CEX quote. Plain data, so scenarios cross worker threads.
 */
import { CexVenue } from "./cex";
import { CpVenue } from "./cpmm";
import { toRaw, type Tokens, type Venue } from "./venue";
import { V3Venue, v3Position } from "./v3";

export type CompetitorConfig =
  | { kind: "cp"; /** fee, pips */ fee: bigint; /** its value as a multiple of the pool's */ valueRatio: number }
  | { kind: "v3"; fee: bigint; valueRatio: number; /** range [p / (1 + w), p (1 + w)] */ width: number }
  | { kind: "cex"; /** taker's cost against the true price, bp */ halfSpreadBps: number };

/** A competing venue and how the runner keeps it current. */
export interface Competitor {
  venue: Venue<unknown>;
  /** Whether arbitrageurs trade it (pools yes; a CEX quote is at the true price already). */
  arbitraged: boolean;
  /** Called with the true price at the start of each block. */
  onBlock(price: number): void;
}

/** Builds a scenario's competing venue at the starting price, sized against `poolValue`. */
export function makeCompetitor(c: CompetitorConfig, tokens: Tokens, poolValue: number, price: number): Competitor {
  switch (c.kind) {
    case "cp": {
      const value = poolValue * c.valueRatio;
      const venue = new CpVenue(tokens, {
        base: toRaw(value / 2 / price, tokens.baseDecimals),
        quote: toRaw(value / 2, tokens.quoteDecimals),
        fee: c.fee,
      });
      return { venue: venue as Venue<unknown>, arbitraged: true, onBlock: () => undefined };
    }
    case "v3": {
      const { state, shape } = v3Position(tokens, poolValue * c.valueRatio, price, c.width, c.fee);
      return { venue: new V3Venue(tokens, shape, state) as Venue<unknown>, arbitraged: true, onBlock: () => undefined };
    }
    case "cex": {
      const venue = new CexVenue(tokens, c.halfSpreadBps / 1e4, price);
      return { venue: venue as Venue<unknown>, arbitraged: false, onBlock: (p) => venue.setPrice(p) };
    }
  }
}

/** A short description for reports. */
export function describeCompetitor(c: CompetitorConfig | undefined): string {
  if (c === undefined) return "none (the pool is the only venue)";
  const bp = (pips: bigint) => `${Number(pips) / 100} bp`;
  switch (c.kind) {
    case "cp":
      return `constant product, fee ${bp(c.fee)}, ${c.valueRatio}x the pool's value`;
    case "v3":
      return `concentrated liquidity, fee ${bp(c.fee)}, range ±${(c.width * 100).toFixed(0)} %, ${c.valueRatio}x the pool's value`;
    case "cex":
      return `CEX quote, ${c.halfSpreadBps} bp against the true price, any size`;
  }
}
