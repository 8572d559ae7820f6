/**
 * One-sidedness of recent swap flow (DESIGN §6).
 *
 *     flow = sum(s_i * v_i * w_i) / (sum(v_i * w_i) + prior)
 *
 * with s_i = +1 for sellBase and -1 for sellQuote, v_i the swap's quote value and
 * w_i = 2^-(age_i / halfLife) its time decay (age measured from `now`; a swap stamped after `now`
 * counts as age 0). `prior` is a neutral pseudo-volume (0 by default) that damps the measure when
 * little has traded. The result lies in [-1, 1] and is 0 with no (valid) swaps.
 */
import { decayWeight } from "./volatility";
import type { FlowSample } from "./types";

/**
 * Value-weighted, time-decayed one-sidedness of `swaps` at time `now`, in [-1, 1]:
 * +1 when all recent flow sells base, -1 when all of it sells quote, 0 when balanced or empty.
 * Swaps with a non-finite or non-positive value or a non-finite timestamp are ignored.
 */
export function estimateFlow(
  swaps: readonly FlowSample[],
  now: number,
  halfLifeSeconds: number,
  priorValue = 0,
): number {
  const valid = swaps.filter((s) => Number.isFinite(s.quoteValue) && s.quoteValue > 0 && Number.isFinite(s.timestamp));
  if (valid.length === 0) return 0;
  // Values are divided by the largest one so that sums of huge values cannot overflow.
  const scale = valid.reduce((m, s) => Math.max(m, s.quoteValue), 0);
  let signed = 0;
  let total = 0;
  for (const s of valid) {
    const weighted = (s.quoteValue / scale) * decayWeight(now - s.timestamp, halfLifeSeconds);
    signed += s.side === "sellBase" ? weighted : -weighted;
    total += weighted;
  }
  const denominator = total + priorValue / scale;
  if (!(denominator > 0)) return 0; // every swap decayed to nothing
  // Clamp against rounding: |signed| <= total <= denominator in exact arithmetic.
  return Math.min(1, Math.max(-1, signed / denominator));
}
