/**
 * The oracle's circuit breaker as the simulator models it (issue 11; the contracts' version is
 * `contracts/oracle/OracleGuard.sol` on the `oracle-guard` branch, and `PythOracle` on `pyth`).
 * Swaps stop while the breaker is tripped; keeper updates go on (withdrawals are not simulated).
 *
 * - Push feed ("chain"): every round must move at most `maxMovePips` from the round before it. A
 *   round that jumps trips the breaker until `cooldownSeconds` after it (a later jump restarts the
 *   wait; later rounds inside the bound do not clear it sooner); then the pool prices at the newest
 *   round.
 * - Pull oracle ("reference"): a price must lie within `maxMovePips` of the last usable price (the
 *   stored reference). One outside trips the breaker; a later price back inside the bound clears it;
 *   otherwise the newest price is adopted `cooldownSeconds` after the trip.
 *
 * The guardian, who may clear a trip sooner, and the admin's min/max answer bounds are not modelled.
 */

/** The breaker's settings. */
export interface BreakerConfig {
  /** Largest usable move from the reference, pips of the reference (10_000 = 1 %). */
  maxMovePips: bigint;
  /** Seconds after a tripping answer until it is accepted and swaps resume. */
  cooldownSeconds: number;
}

/** The shipped breaker: 1 % bound, 15 min cool-down (the `oracle-guard` defaults). */
export function defaultBreaker(): BreakerConfig {
  return { maxMovePips: 10_000n, cooldownSeconds: 900 };
}

const PIPS = 1_000_000n;

/** Whether `answer` is within `maxMovePips` of `reference` (exact, integer). */
export function withinBound(answer: bigint, reference: bigint, maxMovePips: bigint): boolean {
  const move = answer > reference ? answer - reference : reference - answer;
  return move * PIPS <= maxMovePips * reference;
}

/** One pool's breaker over a path. */
export class CircuitBreaker {
  /** The answer the next one is judged against: the previous round (chain) or the last usable price (reference). */
  reference: bigint;
  /** The newest answer while tripped, or null when not tripped. */
  private waiting: bigint | null = null;
  /** When the current trip clears (unix seconds), meaningful while tripped. */
  private clearsAt = 0;
  /** Times the breaker tripped. */
  trips = 0;

  constructor(
    readonly cfg: BreakerConfig,
    initial: bigint,
    readonly rule: "chain" | "reference" = "chain",
  ) {
    this.reference = initial;
  }

  /** Whether swaps are stopped. */
  get tripped(): boolean {
    return this.waiting !== null;
  }

  /**
   * A new answer arrives at unix time `now`. Returns true when the pool may price at it, false when
   * it trips the breaker or arrives while it is tripped.
   */
  onAnswer(answer: bigint, now: number): boolean {
    const jumped = !withinBound(answer, this.reference, this.cfg.maxMovePips);
    if (this.rule === "chain") {
      this.reference = answer;
      if (jumped) this.trip(answer, now, true);
      else if (this.waiting !== null) this.waiting = answer;
      return this.waiting === null;
    }
    if (!jumped) {
      this.reference = answer;
      this.waiting = null;
      return true;
    }
    this.trip(answer, now, false);
    return false;
  }

  private trip(answer: bigint, now: number, restart: boolean): void {
    if (this.waiting === null) this.trips++;
    if (this.waiting === null || restart) this.clearsAt = now + this.cfg.cooldownSeconds;
    this.waiting = answer;
  }

  /**
   * At unix time `now`: when a trip's cool-down has passed, accepts the newest answer (the pool
   * prices at it from now on) and returns it; otherwise null.
   */
  poll(now: number): bigint | null {
    if (this.waiting === null || now < this.clearsAt) return null;
    const answer = this.waiting;
    this.reference = answer;
    this.waiting = null;
    return answer;
  }
}
