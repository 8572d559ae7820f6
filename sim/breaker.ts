/**
 * The oracle's circuit breaker as the simulator models it (issue 11; the contracts' version is
 * `contracts/oracle/OracleGuard.sol` on the `oracle-guard` branch). An answer that moves more than
 * `maxMovePips` from the previous usable answer (the reference) is not usable: the pool's swaps
 * stop until `cooldownSeconds` have passed since that answer, when it is accepted as the new
 * reference and trading resumes at it (the guardian, who could clear it sooner, is not modelled).
 * An answer that lands while tripped and lies within the bound of the reference clears the trip;
 * one outside replaces the waiting answer (the cool-down still runs from the tripping one: once it
 * has passed, the pool prices at the newest answer). Withdrawals are not simulated, and keeper updates go on.
 * Admin min/max answer bounds are not modelled (the simulated prices never leave a sane range).
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
  /** The last usable answer. */
  reference: bigint;
  /** The tripping (or latest) answer waiting for the cool-down, or null when not tripped. */
  private waiting: bigint | null = null;
  /** When the current trip clears (unix seconds), meaningful while tripped. */
  private clearsAt = 0;
  /** Times the breaker tripped. */
  trips = 0;

  constructor(
    readonly cfg: BreakerConfig,
    initial: bigint,
  ) {
    this.reference = initial;
  }

  /** Whether swaps are stopped. */
  get tripped(): boolean {
    return this.waiting !== null;
  }

  /**
   * A new answer arrives at unix time `now`. Returns true when the pool may price at it (it is
   * then the reference), false when it trips (or keeps tripped) the breaker.
   */
  onAnswer(answer: bigint, now: number): boolean {
    if (withinBound(answer, this.reference, this.cfg.maxMovePips)) {
      this.reference = answer;
      this.waiting = null;
      return true;
    }
    if (this.waiting === null) {
      this.trips++;
      this.clearsAt = now + this.cfg.cooldownSeconds;
    }
    this.waiting = answer;
    return false;
  }

  /**
   * At unix time `now`: when a trip's cool-down has passed, accepts the waiting answer as the
   * reference and returns it (the pool prices at it from now on); otherwise null.
   */
  poll(now: number): bigint | null {
    if (this.waiting === null || now < this.clearsAt) return null;
    const answer = this.waiting;
    this.reference = answer;
    this.waiting = null;
    return answer;
  }
}
